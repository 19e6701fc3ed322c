"""Pure form editor of one bank entry (question, plain card or quiz). No Flask or DB.

The fields are generated from the format's key tables (:mod:`.keys`) and, for a
question, from its type's ``QUESTION_TYPES[key].fields``, so every type gets its form
without code of its own: a text list is a textarea with one entry per line, a text map
one ``left -> right`` pair per line, a boolean a true/false choice, a number a text box.

:func:`form_values` turns an entry into the strings a form shows; :func:`read_form`
turns what was submitted back into the entry's values (keys the form does not show,
such as ``image``, are kept as they were), with a message per field it could not read.
Whether the entry is *valid* is the bank loader's job, on the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from quiz_app.banks.keys import (
    CARD_KEYS,
    QUESTION_KEYS,
    QUIZ_KEYS,
    SELECT_KEYS,
    KeySpec,
    Kind,
    type_key_spec,
)
from quiz_app.questions.grading import QUESTION_TYPES

#: Keys whose text is Markdown: a textarea with a preview.
MARKDOWN_KEYS: Final = frozenset(
    {"prompt", "explanation", "front", "back", "description"}
)
#: Keys the form leaves as they are in the file (edit them in a text editor).
KEPT_KEYS: Final = frozenset({"image", "type"})
#: Keys few entries need: shown folded under "More options" (open when filled in).
ADVANCED_KEYS: Final = frozenset(
    {"variant_group", "allow_overlap", "select.banks", "review", "visibility"}
)
#: The key order of a new question: the common keys around the type's own ones.
QUESTION_ORDER_HEAD: Final = ("id", "type", "topic", "difficulty", "prompt")
PAIR_ARROW: Final = "->"
#: ``flashcard``'s three choices.
FLASHCARD_NONE, FLASHCARD_DERIVED, FLASHCARD_OWN = "", "yes", "own"

_LABELS: Final = {
    "id": "Id",
    "time_limit_minutes": "Time limit (minutes)",
    "max_attempts": "Attempts allowed",
    "pass_mark": "Pass mark (percent)",
    "variant_group": "Variant group",
    "allow_overlap": "May overlap with (question ids)",
    "select.topics": "Draw from topics",
    "select.tags": "… or tags",
    "select.ids": "… or question ids",
    "select.banks": "From banks",
    "flashcard": "Flashcard",
}
#: Help in teachers' words where the key table's speaks YAML.
_HELP: Final = {
    "flashcard": "Also a flashcard in every student's deck (students get the "
    "questions they miss as flashcards anyway).",
    "select.banks": "Other banks' ids, separated by commas, or 'all' for every "
    "bank of this collection; empty: this bank.",
    "select.topics": "Tick none to draw from every topic.",
}
_NUMBER_RE = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_INT_RE = re.compile(r"[-+]?\d+")


@dataclass(frozen=True, slots=True)
class FormField:
    """One field of the form; ``name`` is its YAML key (``select.tags`` for a key of a
    quiz's ``select``)."""

    name: str
    label: str
    kind: Kind
    required: bool
    help: str
    #: text, markdown, lines, pairs, number, choice, checkboxes, flashcard
    widget: str
    #: (value, label) for ``choice`` and ``checkboxes``
    choices: tuple[tuple[str, str], ...] = ()
    default: Any = None
    advanced: bool = False

    @property
    def html_id(self) -> str:
        return "f-" + self.name.replace(".", "-").replace("_", "-")


def _label(name: str) -> str:
    return _LABELS.get(name) or name.replace("_", " ").capitalize()


def _field(
    name: str,
    spec: KeySpec,
    *,
    topics: Mapping[str, str],
    sources: Mapping[str, str],
) -> FormField:
    key = name.rsplit(".", 1)[-1]
    choices: tuple[tuple[str, str], ...] = ()
    widget = "text"
    if spec.kind is Kind.TEXT:
        widget = "markdown" if key in MARKDOWN_KEYS else "text"
    elif spec.kind in (Kind.TEXT_LIST, Kind.SLUG_LIST):
        widget = "lines"
        if key == "sources" and name == "sources":
            widget, choices = "checkboxes", tuple(sources.items())
        elif name == "select.topics":
            widget, choices = "checkboxes", tuple(topics.items())
    elif spec.kind is Kind.TEXT_MAP:
        widget = "pairs"
    elif spec.kind in (Kind.NUMBER, Kind.INT):
        widget = "number"
    elif spec.kind is Kind.BOOL:
        widget, choices = "choice", (("true", "true"), ("false", "false"))
    elif spec.kind is Kind.ENUM:
        widget, choices = (
            "choice",
            tuple((c, c.replace("_", " ")) for c in spec.choices),
        )
    elif spec.kind is Kind.SLUG and key == "topic":
        widget, choices = "choice", tuple(topics.items())
    elif spec.kind is Kind.FLASHCARD:
        widget = "flashcard"
    return FormField(
        name=name,
        label=_label(name),
        kind=spec.kind,
        required=spec.required,
        help=_HELP.get(name, spec.description),
        widget=widget,
        choices=choices,
        default=spec.default,
        advanced=name in ADVANCED_KEYS,
    )


def _specs(section: str, type_key: str | None) -> list[tuple[str, KeySpec]]:
    if section == "questions":
        qtype = QUESTION_TYPES[type_key or ""]
        common = [(k, s) for k, s in QUESTION_KEYS.items() if k not in KEPT_KEYS]
        head = [(k, s) for k, s in common if k in QUESTION_ORDER_HEAD]
        tail = [(k, s) for k, s in common if k not in QUESTION_ORDER_HEAD]
        own = [(k, type_key_spec(qtype, k)) for k in qtype.fields]
        return [*head, *own, *tail]
    if section == "cards":
        return list(CARD_KEYS.items())
    if section == "quizzes":
        specs: list[tuple[str, KeySpec]] = []
        for key, spec in QUIZ_KEYS.items():
            if key == "select":
                specs += [(f"select.{k}", s) for k, s in SELECT_KEYS.items()]
            else:
                specs.append((key, spec))
        return specs
    raise KeyError(section)


def form_fields(
    section: str,
    *,
    type_key: str | None = None,
    topics: Mapping[str, str],
    sources: Mapping[str, str],
) -> list[FormField]:
    """The form's fields in the order a new entry's keys are written.

    :raises KeyError: for an unknown list or question type.
    """
    return [
        _field(name, spec, topics=topics, sources=sources)
        for name, spec in _specs(section, type_key)
    ]


# --------------------------------------------------------------------------------------
# Entry -> form


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(value)
    return str(value)


def _pairs_of(value: Any) -> list[tuple[str, str]]:
    if isinstance(value, Mapping):
        return [(str(k), _as_text(v)) for k, v in value.items()]
    if isinstance(value, list | tuple):
        return [(str(p[0]), _as_text(p[1])) for p in value if len(p) == 2]
    return []


def _lookup(item: Mapping[str, Any], name: str) -> Any:
    if name.startswith("select."):
        select = item.get("select")
        return select.get(name[7:]) if isinstance(select, Mapping) else None
    return item.get(name)


def form_values(fields: Sequence[FormField], item: Mapping[str, Any]) -> dict[str, Any]:
    """What the form shows for ``item``: text per field, a list for checkboxes; a
    missing optional key shows its default."""
    values: dict[str, Any] = {}
    for f in fields:
        value = _lookup(item, f.name)
        if value is None and f.default is not None:
            value = f.default
        if f.widget == "checkboxes":
            values[f.name] = [str(v) for v in value or ()]
        elif f.widget == "lines":
            values[f.name] = (
                "\n".join(_as_text(v) for v in value)
                if isinstance(value, list | tuple)
                else _as_text(value)
            )
        elif f.widget == "pairs":
            values[f.name] = "\n".join(
                f"{left} {PAIR_ARROW} {right}" for left, right in _pairs_of(value)
            )
        elif f.widget == "flashcard":
            if isinstance(value, Mapping):
                values[f.name] = FLASHCARD_OWN
                values["flashcard.front"] = _as_text(value.get("front"))
                values["flashcard.back"] = _as_text(value.get("back"))
            else:
                values[f.name] = FLASHCARD_DERIVED if value is True else FLASHCARD_NONE
        elif f.name == "select.banks" and isinstance(value, list | tuple):
            values[f.name] = ", ".join(str(v) for v in value)
        else:
            values[f.name] = _as_text(value)
    return values


# --------------------------------------------------------------------------------------
# Form -> entry


def _text(raw: Sequence[str]) -> str:
    return (raw[0] if raw else "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _number(text: str, *, whole: bool) -> int | float | None:
    text = text.replace(" ", "").replace("\u2212", "-")
    if _INT_RE.fullmatch(text):
        return int(text)
    if not whole and _NUMBER_RE.fullmatch(text):
        return float(text)
    return None


def _read(
    f: FormField, submitted: Mapping[str, Sequence[str]]
) -> tuple[Any, str | None]:
    """The value of one field (None: left empty) or an error message."""
    raw = submitted.get(f.name, ())
    text = _text(raw)
    if f.widget == "checkboxes":
        ticked = [v for v in raw if v.strip()]
        return (ticked or None), None
    if f.widget == "lines":
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        return (lines or None), None
    if f.widget == "pairs":
        pairs: list[tuple[str, str]] = []
        for n, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            if PAIR_ARROW not in line:
                return None, (
                    f"line {n} has no '{PAIR_ARROW}': write one pair per line, "
                    f"left {PAIR_ARROW} right"
                )
            left, right = line.split(PAIR_ARROW, 1)
            pairs.append((left.strip(), right.strip()))
        return (pairs or None), None
    if f.widget == "flashcard":
        if text == FLASHCARD_DERIVED:
            return True, None
        if text == FLASHCARD_OWN:
            front = _text(submitted.get("flashcard.front", ()))
            back = _text(submitted.get("flashcard.back", ()))
            if not (front and back):
                return None, "write both the front and the back of the card"
            return {"front": front, "back": back}, None
        return None, None
    if not text:
        return None, None
    if f.kind is Kind.BOOL:
        if text not in ("true", "false"):
            return None, "choose true or false"
        return text == "true", None
    if f.widget == "number":
        number = _number(text, whole=f.kind is Kind.INT)
        if number is None:
            example = "a whole number, e.g. 10" if f.kind is Kind.INT else "e.g. 1953"
            return None, f"{text!r} is not a number; write {example}"
        return number, None
    if f.name == "select.banks":
        names = [n for n in re.split(r"[,\s]+", text) if n]
        return ("all" if names == ["all"] else names), None
    return text, None


def read_form(
    fields: Sequence[FormField],
    submitted: Mapping[str, Sequence[str]],
    *,
    old: Mapping[str, Any] | None = None,
    fixed: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The entry the form describes, and a message per field it could not read.

    Keys keep their place in ``old`` (the entry as written); new keys follow in the
    fields' order. A key left empty is removed; an optional key left at its default is
    written only if the entry had it. ``fixed`` values (the type, an id that may not
    change) are not read from the form.
    """
    old = dict(old or {})
    fixed = dict(fixed or {})
    errors: dict[str, str] = {}
    new: dict[str, Any] = {}
    select: dict[str, Any] = {}
    old_select = old.get("select") if isinstance(old.get("select"), Mapping) else {}
    for f in fields:
        if f.name in fixed:
            continue
        value, error = _read(f, submitted)
        if error:
            errors[f.name] = error
            continue
        if value is None:
            if f.required:
                errors[f.name] = "fill this in"
            continue
        if f.name.startswith("select."):
            key = f.name[7:]
            if value == f.default and key not in (old_select or {}):
                continue
            select[key] = value
            continue
        if not f.required and value == f.default and f.name not in old:
            continue
        new[f.name] = value
    if select:
        ordered = [k for k in old_select or {} if k in select]
        new["select"] = {k: select[k] for k in [*ordered, *select] if k in select}
    new.update(fixed)
    managed = {f.name for f in fields} | {"select"} | set(fixed)
    result: dict[str, Any] = {}
    for key, value in old.items():  # the file's order first
        if key not in managed:
            result[key] = value  # a key the form does not show
        elif key in new:
            result[key] = new[key]
    order: list[str] = []
    for f in fields:
        key = f.name.split(".")[0]
        if key not in order:
            order.append(key)
        if key == "id":  # the type right after the id
            order += [k for k in fixed if k != "id"]
    order += [k for k in fixed if k not in order]
    for key in order:
        if key in new and key not in result:
            result[key] = new[key]
    return result, errors


def loader_values(
    section: str, entry: Any, written: Mapping[str, Any]
) -> dict[str, Any]:
    """The keys ``written`` in the file, with the values the bank loader read (YAML 1.2
    reads ``010`` as a number, the loader as the text "010").

    ``entry`` is the loader's :class:`~quiz_app.banks.schema.Question`,
    :class:`~quiz_app.banks.schema.Card` or ``None``; quizzes keep what is written.
    """
    if entry is None or section == "quizzes":
        return dict(written)
    read: dict[str, Any] = {
        name: getattr(entry, name)
        for name in (
            "id",
            "prompt",
            "explanation",
            "front",
            "back",
            "topic",
            "sources",
            "tags",
            "variant_group",
            "allow_overlap",
        )
        if hasattr(entry, name)
    }
    read.update(getattr(entry, "data", {}))
    return {
        key: (read[key] if key in read and key != "flashcard" else value)
        for key, value in written.items()
    }


_QUOTED = re.compile(r"'([a-z_]+(?:\.[a-z_]+)?)'")


def field_of(message: str, names: Sequence[str]) -> str | None:
    """The form field a loader message is about: the first quoted key it names."""
    for match in _QUOTED.finditer(message):
        if match.group(1) in names:
            return match.group(1)
    return None

"""Pure bank loader: YAML text -> checked, typed Bank objects. No Flask or DB imports.

``parse_bank`` reads one file's text, collects every problem it finds and raises them
together as one :class:`BankError`. ``load_bank_files`` reads files and folders (the
only I/O here) and adds the checks that need every bank at once. From a shell:
``python -m quiz_app.banks.loader PATH...``.

How YAML is read (see ``docs/bank-format.md``):

* The node tree comes from :mod:`quiz_app.banks.yamlnodes`, which bounds depth, aliases
  and node count.
* No YAML 1.1 implicit typing: the schema says what each key holds. Text keeps the
  scalar exactly as written (``No``, ``on``, ``12:30`` and ``010`` stay text). Booleans
  accept only ``true``/``false`` (any case). Numbers are decimal: ``0x1F``, ``0o17``,
  ``1:30``, ``1_000`` and ``.inf`` are refused, as is an integer with a leading zero
  (``010``), which YAML 1.1 tools read as octal 8.
* Quotes mean text: ``"1953"`` or ``"true"`` where a number or boolean is wanted is an
  error.
* Messages name items by 0-based index and id: ``questions[3] (origins-malik): ...``.

The key tables (``BANK_KEYS``, ``QUESTION_KEYS``, ...) are data shared with
:mod:`quiz_app.banks.jsonschema`, so the editor schema and the loader cannot drift.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

from quiz_app.banks import leaks
from quiz_app.banks.imagefiles import image_file_problem
from quiz_app.banks.schema import (
    FORMAT_VERSION,
    ID_PATTERN,
    MAX_ID_LENGTH,
    Bank,
    BankError,
    Card,
    CardFace,
    Difficulty,
    Image,
    Layout,
    Problem,
    Question,
    QuizDef,
    Selection,
    Source,
)
from quiz_app.banks.yamlnodes import Map, Node, Scalar, Seq, YamlProblem, build_tree
from quiz_app.quiz.grading import QUESTION_TYPES, FieldKind, QuestionType
from quiz_app.quiz.review import Review, Visibility

__all__ = [
    "BANK_KEYS",
    "CARD_KEYS",
    "IMAGE_EXTENSIONS",
    "MAX_BANK_BYTES",
    "QUESTION_KEYS",
    "QUIZ_KEYS",
    "KeySpec",
    "Kind",
    "load_bank_files",
    "parse_bank",
    "resolve_quiz_questions",
    "validate_command",
]

MAX_BANK_BYTES: Final = 8 * 1024 * 1024
IMAGE_EXTENSIONS: Final = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
ALL_BANKS: Final = "all"  #: ``select.banks: all`` draws from every bank
BANK_SUFFIXES: Final = (".yaml", ".yml")

_ID_RE = re.compile(ID_PATTERN)
_INT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT_RE = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?")
_LEADING_ZERO_RE = re.compile(r"[-+]?0[0-9]+")
_MAX_NUMBER_CHARS = 40
_YAML11_BOOLS = frozenset({"yes", "no", "y", "n", "on", "off"})
_STR_TAG = "tag:yaml.org,2002:str"
_OK_TAGS = frozenset(
    {None, "!", _STR_TAG, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
)


# ----------------------------------------------------------------------
# Key tables (shared with jsonschema.py)


class Kind(StrEnum):
    """What a key holds; the first five match the question types' :class:`FieldKind`."""

    TEXT = "text"  #: non-empty text, kept as written
    TEXT_LIST = "text_list"
    BOOL = "bool"  #: true / false only
    NUMBER = "number"  #: decimal int or float
    TEXT_MAP = "text_map"  #: text -> text, file order kept
    SLUG = "slug"  #: an id: ID_PATTERN, at most MAX_ID_LENGTH
    SLUG_LIST = "slug_list"
    SLUG_TEXT_MAP = "slug_text_map"  #: slug -> text (topics)
    INT = "int"  #: decimal integer within minimum..maximum
    ENUM = "enum"  #: one of KeySpec.choices
    URL = "url"  #: http(s) address
    PATH = "path"  #: relative file path beside the bank, IMAGE_EXTENSIONS
    OBJECT = "object"  #: a mapping described by KeySpec.table
    OBJECT_MAP = "object_map"  #: slug -> mapping described by KeySpec.table (sources)
    OBJECT_LIST = "object_list"  #: a list of mappings described by KeySpec.table
    FLASHCARD = "flashcard"  #: true / false or a mapping described by KeySpec.table
    BANKS = "banks"  #: "all" or a list of bank ids


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One key of a YAML mapping: what it holds, if it is required, its help."""

    kind: Kind
    required: bool
    description: str
    table: Mapping[str, KeySpec] | None = (
        None  #: for OBJECT, OBJECT_MAP, OBJECT_LIST, FLASHCARD
    )
    choices: tuple[str, ...] = ()  #: for ENUM
    minimum: int | None = None  #: INT: smallest value; lists: fewest items
    maximum: int | None = None
    default: Any = None  #: documentation only (the schema's "default")
    typed: bool = False  #: OBJECT_LIST of questions: items also take their type's keys


def _spec(kind: Kind, required: bool, description: str, **extra: Any) -> KeySpec:
    return KeySpec(kind, required, description, **extra)


_SLUG_HELP = f"a lowercase slug (a-z, 0-9 and '-'), at most {MAX_ID_LENGTH} characters"

SOURCE_KEYS: Final[Mapping[str, KeySpec]] = {
    "title": _spec(
        Kind.TEXT,
        True,
        "How the source is cited, e.g. 'FRUS 1951, vol. VII, part 1, document 355'.",
    ),
    "url": _spec(Kind.URL, False, "Link to the source (http or https)."),
    "note": _spec(Kind.TEXT, False, "Remark on the source, e.g. 'Single source.'"),
}

IMAGE_KEYS: Final[Mapping[str, KeySpec]] = {
    "file": _spec(
        Kind.PATH,
        True,
        "Image file beside the bank file (relative path, no '..'): "
        + ", ".join(IMAGE_EXTENSIONS)
        + ".",
    ),
    "alt": _spec(Kind.TEXT, True, "Text for screen readers describing the image."),
}

FLASHCARD_KEYS: Final[Mapping[str, KeySpec]] = {
    "front": _spec(Kind.TEXT, True, "Front of the card (Markdown)."),
    "back": _spec(Kind.TEXT, True, "Back of the card (Markdown)."),
}

QUESTION_KEYS: Final[Mapping[str, KeySpec]] = {
    "id": _spec(
        Kind.SLUG,
        True,
        f"Stable id, unique across all banks: {_SLUG_HELP}. Never reuse or rename.",
    ),
    "type": _spec(Kind.ENUM, True, "Question type.", choices=tuple(QUESTION_TYPES)),
    "prompt": _spec(Kind.TEXT, True, "The question (Markdown)."),
    "explanation": _spec(
        Kind.TEXT,
        True,
        "Shown after answering (Markdown): teach, do not only restate the answer.",
    ),
    "sources": _spec(
        Kind.SLUG_LIST, True, "One or more keys of the bank's 'sources'.", minimum=1
    ),
    "topic": _spec(Kind.SLUG, True, "A key of the bank's 'topics'."),
    "tags": _spec(Kind.TEXT_LIST, False, "Short labels; quizzes can select by tag."),
    "difficulty": _spec(
        Kind.ENUM,
        False,
        "How hard the question is.",
        choices=tuple(d.value for d in Difficulty),
        default=Difficulty.MEDIUM.value,
    ),
    "flashcard": _spec(
        Kind.FLASHCARD,
        False,
        "true: also a flashcard for every student (front = prompt, back = answer and "
        "explanation); "
        "or {front, back} to word the card yourself.",
        table=FLASHCARD_KEYS,
    ),
    "image": _spec(
        Kind.OBJECT, False, "An image shown with the prompt.", table=IMAGE_KEYS
    ),
    "variant_group": _spec(
        Kind.SLUG,
        False,
        "Name shared by questions that ask the same thing (in any bank): one quiz "
        f"draws at most one of them; {_SLUG_HELP}.",
    ),
    "allow_overlap": _spec(
        Kind.SLUG_LIST,
        False,
        "Ids of questions that may show this question's answer, or whose answer this "
        "one may show, in the same quiz (checked by 'banks validate').",
    ),
}

#: Help text for the question types' own keys, by (type, key) and then by key.
TYPE_KEY_DESCRIPTIONS: Final[Mapping[tuple[str, str] | str, str]] = {
    ("single_choice", "choices"): "2 to 8 distinct choices.",
    ("single_choice", "answer"): "The correct choice, written exactly as in 'choices'.",
    ("multi_choice", "choices"): "3 to 10 distinct choices.",
    (
        "multi_choice",
        "answers",
    ): "The correct choices (at least one, not all), written as in 'choices'.",
    ("true_false", "answer"): "true or false (not yes/no).",
    (
        "short_text",
        "answers",
    ): "Accepted answers; matching ignores case, accents, punctuation, spacing, a "
    "leading article, middle initials and a bracketed abbreviation "
    "(docs/bank-format.md).",
    ("numeric", "answer"): "The correct number (decimal).",
    ("numeric", "tolerance"): "A response within ± tolerance is correct (default 0).",
    ("numeric", "unit"): "Unit shown after the input box, e.g. 'km'.",
    (
        "ordering",
        "items",
    ): "3 to 8 distinct items, in the correct order; shown shuffled.",
    (
        "matching",
        "pairs",
    ): "3 to 8 pairs, left -> right; left and right texts distinct.",
    ("matching", "distractors"): "Extra wrong right-hand options.",
    "shuffle": "Shuffle the choices per attempt (default true).",
}

CARD_KEYS: Final[Mapping[str, KeySpec]] = {
    "id": _spec(
        Kind.SLUG,
        True,
        f"Stable id, unique across all banks (shared with questions): {_SLUG_HELP}.",
    ),
    "topic": _spec(Kind.SLUG, True, "A key of the bank's 'topics'."),
    "front": _spec(Kind.TEXT, True, "Front of the card (Markdown)."),
    "back": _spec(Kind.TEXT, True, "Back of the card (Markdown)."),
    "sources": _spec(
        Kind.SLUG_LIST, True, "One or more keys of the bank's 'sources'.", minimum=1
    ),
    "tags": _spec(Kind.TEXT_LIST, False, "Short labels."),
}

SELECT_KEYS: Final[Mapping[str, KeySpec]] = {
    "topics": _spec(Kind.SLUG_LIST, False, "Questions with any of these topics."),
    "tags": _spec(Kind.TEXT_LIST, False, "... or with any of these tags."),
    "ids": _spec(Kind.SLUG_LIST, False, "... or with these ids."),
    "banks": _spec(
        Kind.BANKS,
        False,
        "Draw from these banks instead of this one ('all' = every bank); topics, tags "
        "and ids then filter their questions.",
    ),
}

QUIZ_KEYS: Final[Mapping[str, KeySpec]] = {
    "id": _spec(Kind.SLUG, True, f"Stable quiz id, unique across banks: {_SLUG_HELP}."),
    "title": _spec(Kind.TEXT, True, "Quiz title."),
    "description": _spec(Kind.TEXT, False, "Shown before the quiz starts (Markdown)."),
    "select": _spec(
        Kind.OBJECT,
        False,
        "Which questions; omitted = every question of this bank.",
        table=SELECT_KEYS,
    ),
    "count": _spec(
        Kind.INT,
        False,
        "Draw this many questions at random per attempt (default: all).",
        minimum=1,
    ),
    "shuffle": _spec(
        Kind.BOOL, False, "Shuffle the question order per attempt.", default=True
    ),
    "layout": _spec(
        Kind.ENUM,
        False,
        "How questions are shown.",
        choices=tuple(x.value for x in Layout),
        default=Layout.ONE_PER_PAGE.value,
    ),
    "time_limit_minutes": _spec(
        Kind.INT, False, "Time limit in minutes (default: none).", minimum=1
    ),
    "max_attempts": _spec(
        Kind.INT, False, "Attempts allowed per student (default: unlimited).", minimum=1
    ),
    "pass_mark": _spec(
        Kind.INT, False, "Percent needed to pass.", minimum=0, maximum=100, default=60
    ),
    "review": _spec(
        Kind.ENUM,
        False,
        "What students see after an attempt: everything at once, the score until the "
        "quiz closes, or the score only. Default: 'immediately' for practice; "
        "'after_close' for a quiz with a time or attempt limit ('score_only' when "
        "its assignment has no close date).",
        choices=tuple(x.value for x in Review),
    ),
    "visibility": _spec(
        Kind.ENUM,
        False,
        "Who may start it: every student, or only students of a class it is assigned "
        "to. Default: 'assigned' for a quiz with a time or attempt limit, else "
        "'everyone'.",
        choices=tuple(x.value for x in Visibility),
    ),
}

BANK_KEYS: Final[Mapping[str, KeySpec]] = {
    "format": _spec(
        Kind.INT,
        True,
        "Bank format version: always 1.",
        minimum=FORMAT_VERSION,
        maximum=FORMAT_VERSION,
    ),
    "id": _spec(Kind.SLUG, True, f"Stable bank id, unique across banks: {_SLUG_HELP}."),
    "title": _spec(Kind.TEXT, True, "Bank title (plain text)."),
    "description": _spec(Kind.TEXT, False, "What the bank covers (Markdown)."),
    "authors": _spec(Kind.TEXT_LIST, False, "Names of the authors."),
    "licence": _spec(Kind.TEXT, False, "Licence of the content, e.g. CC-BY-SA-4.0."),
    "topics": _spec(
        Kind.SLUG_TEXT_MAP,
        True,
        "Topic key -> title; every question and card names one key.",
    ),
    "sources": _spec(
        Kind.OBJECT_MAP,
        True,
        "Source key -> reference; questions cite the keys.",
        table=SOURCE_KEYS,
    ),
    "questions": _spec(
        Kind.OBJECT_LIST, False, "Quiz questions.", table=QUESTION_KEYS, typed=True
    ),
    "cards": _spec(Kind.OBJECT_LIST, False, "Plain flashcards.", table=CARD_KEYS),
    "quizzes": _spec(
        Kind.OBJECT_LIST,
        False,
        "Quizzes; a bank with none gets one quiz of all its questions.",
        table=QUIZ_KEYS,
    ),
}

#: FieldKind of a question type's key -> the loader's Kind.
FIELD_KINDS: Final[Mapping[FieldKind, Kind]] = {
    FieldKind.TEXT: Kind.TEXT,
    FieldKind.TEXT_LIST: Kind.TEXT_LIST,
    FieldKind.BOOL: Kind.BOOL,
    FieldKind.NUMBER: Kind.NUMBER,
    FieldKind.TEXT_MAP: Kind.TEXT_MAP,
}


def type_key_spec(qtype: QuestionType, key: str) -> KeySpec:
    """The KeySpec of one of a question type's own keys."""
    description = (
        TYPE_KEY_DESCRIPTIONS.get((qtype.key, key))
        or TYPE_KEY_DESCRIPTIONS.get(key)
        or ""
    )
    return KeySpec(
        FIELD_KINDS[qtype.fields[key]],
        key in qtype.required,
        description,
        default=qtype.defaults.get(key),
    )


# ----------------------------------------------------------------------
# Where things are, for cross-bank checks (a Bank keeps only question/card lines)

Pos = tuple[int, int]


@dataclass(slots=True)
class _QuizPlaces:
    quiz: Pos
    id: Pos
    banks: dict[str, Pos] = field(default_factory=dict)
    count: Pos | None = None
    topics: dict[str, Pos] = field(default_factory=dict)
    ids: dict[str, Pos] = field(default_factory=dict)


@dataclass(slots=True)
class _Places:
    bank_id: Pos = (1, 1)
    quizzes: dict[str, _QuizPlaces] = field(default_factory=dict)  #: by quiz id
    by_index: dict[int, _QuizPlaces] = field(default_factory=dict)  #: by position
    #: question id -> its image.file node
    images: dict[str, Pos] = field(default_factory=dict)
    #: question or card id -> its id node
    item_ids: dict[str, Pos] = field(default_factory=dict)


_INVALID: Final = object()  #: a value that was reported as a problem


def _kind_name(node: Node) -> str:
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    return (
        "empty"
        if node.plain and node.value == ""
        else f"the text {_short(node.value)!r}"
    )


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _prefix(where: str, message: str) -> str:
    return f"{where}: {message}" if where else message


class _Checker:
    """Walks one bank's node tree, converting and collecting problems."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.places = _Places()

    def add(self, at: Node | Pos, where: str, message: str) -> None:
        line, column = (
            (at.line, at.column) if isinstance(at, Scalar | Seq | Map) else at
        )
        self.problems.append(
            Problem(self.source, line, column, _prefix(where, message))
        )

    # -- mappings

    def pairs(
        self, node: Node, where: str, name: str
    ) -> dict[str, tuple[Scalar, Node]] | None:
        """A mapping's key -> (key node, value node); reports duplicate keys."""
        if not isinstance(node, Map):
            self.add(
                node,
                where,
                f"{name} must be a mapping (key: value lines), not {_kind_name(node)}",
            )
            return None
        self.tag_ok(node, where, name)
        result: dict[str, tuple[Scalar, Node]] = {}
        for key, value in node.pairs:
            if not isinstance(key, Scalar):
                self.add(
                    key,
                    where,
                    f"a key in {name} is {_kind_name(key)}; keys must be plain text",
                )
                continue
            text = key.value
            first = result.get(text)
            if first is not None:
                self.add(
                    key,
                    where,
                    f"duplicate key {text!r} in {name} "
                    f"(lines {first[0].line} and {key.line})",
                )
                continue
            result[text] = (key, value)
        return result

    def keys_ok(
        self,
        pairs: Mapping[str, tuple[Scalar, Node]],
        at: Node,
        where: str,
        *,
        allowed: Iterable[str],
        required: Iterable[str],
        prefix: str = "",
        hint: Callable[[str], str | None] | None = None,
    ) -> bool:
        """Report unknown keys (with a did-you-mean) and missing required ones."""
        allowed = list(allowed)
        ok = True
        for text, (key, _) in pairs.items():
            if text in allowed:
                continue
            ok = False
            extra = hint(text) if hint is not None else None
            if text == "<<":
                extra = "YAML merge keys ('<<') are not supported; write the keys out"
            self.add(
                key,
                where,
                extra or f"unknown key {prefix + text!r}{_did_you_mean(text, allowed)}",
            )
        for name in required:
            if name not in pairs:
                ok = False
                self.add(at, where, f"missing required key {prefix + name!r}")
        return ok

    def tag_ok(self, node: Node, where: str, name: str) -> bool:
        if node.tag in _OK_TAGS:
            return True
        self.add(
            node, where, f"{name}: YAML tags such as {node.tag!r} are not supported"
        )
        return False

    # -- values

    def value(self, spec: KeySpec, node: Node, where: str, name: str) -> Any:
        """Convert a node of a simple kind; _INVALID after reporting a problem."""
        kind = spec.kind
        if kind is Kind.TEXT:
            return self.text(node, where, name)
        if kind is Kind.SLUG:
            return self.slug(node, where, name)
        if kind is Kind.TEXT_LIST or kind is Kind.SLUG_LIST:
            return self.text_list(
                node,
                where,
                name,
                slugs=kind is Kind.SLUG_LIST,
                minimum=spec.minimum or 0,
            )
        if kind is Kind.BOOL:
            return self.boolean(node, where, name)
        if kind is Kind.NUMBER:
            return self.number(node, where, name)
        if kind is Kind.INT:
            return self.integer(node, where, name, spec.minimum, spec.maximum)
        if kind is Kind.ENUM:
            return self.enum(node, where, name, spec.choices)
        if kind is Kind.TEXT_MAP:
            return self.text_map(node, where, name)
        if kind is Kind.URL:
            return self.url(node, where, name)
        if kind is Kind.PATH:
            return self.path(node, where, name)
        raise AssertionError(f"{kind} is not a simple kind")  # pragma: no cover

    def scalar(self, node: Node, where: str, name: str, what: str) -> Scalar | None:
        if not isinstance(node, Scalar):
            self.add(node, where, f"{name!r} must be {what}, not {_kind_name(node)}")
            return None
        if node.tag in _OK_TAGS:
            return node
        self.add(
            node, where, f"{name!r}: YAML tags such as {node.tag!r} are not supported"
        )
        return None

    def text(self, node: Node, where: str, name: str) -> Any:
        scalar = self.scalar(node, where, name, "text")
        if scalar is None:
            return _INVALID
        if not scalar.value.strip():
            self.add(node, where, f"{name!r} is empty")
            return _INVALID
        return scalar.value

    def slug(self, node: Node, where: str, name: str) -> Any:
        text = self.text(node, where, name)
        if text is _INVALID:
            return _INVALID
        if len(text) > MAX_ID_LENGTH:
            self.add(
                node,
                where,
                f"{name!r} is {len(text)} characters long; the limit is "
                f"{MAX_ID_LENGTH}",
            )
            return _INVALID
        if not _ID_RE.match(text) or text.endswith("\n"):
            self.add(
                node, where, f"{name!r} is {_short(text)!r}; it must be {_SLUG_HELP}"
            )
            return _INVALID
        return text

    def text_list(
        self,
        node: Node,
        where: str,
        name: str,
        *,
        slugs: bool = False,
        minimum: int = 0,
    ) -> Any:
        if not isinstance(node, Seq):
            what = "a list of ids" if slugs else "a list of text"
            hint = (
                f" (write [{node.value}])"
                if isinstance(node, Scalar) and node.value
                else ""
            )
            self.add(
                node, where, f"{name!r} must be {what}, not {_kind_name(node)}{hint}"
            )
            return _INVALID
        self.tag_ok(node, where, name)
        convert = self.slug if slugs else self.text
        items = [
            convert(item, where, f"{name}[{i}]") for i, item in enumerate(node.items)
        ]
        if _INVALID in items:
            return _INVALID
        if len(items) < minimum:
            self.add(
                node,
                where,
                f"{name!r} needs at least {minimum} "
                f"{'entry' if minimum == 1 else 'entries'}",
            )
            return _INVALID
        return tuple(items)

    def boolean(self, node: Node, where: str, name: str) -> Any:
        scalar = self.scalar(node, where, name, "true or false")
        if scalar is None:
            return _INVALID
        text = scalar.value
        lowered = text.lower()
        if scalar.plain and scalar.tag is None:
            if lowered == "true":
                return True
            if lowered == "false":
                return False
        if not scalar.plain and lowered in ("true", "false"):
            self.add(
                node,
                where,
                f"{name!r} must be true or false without quotes (quotes make it text)",
            )
        elif lowered in _YAML11_BOOLS:
            self.add(
                node,
                where,
                f"{name!r} must be true or false, not {text!r} (YAML 1.1 reads "
                "yes/no/on/off as booleans; "
                "this format accepts only true and false)",
            )
        else:
            self.add(
                node, where, f"{name!r} must be true or false, not {_short(text)!r}"
            )
        return _INVALID

    def _numeric_text(
        self, node: Node, where: str, name: str, what: str
    ) -> Scalar | None:
        scalar = self.scalar(node, where, name, what)
        if scalar is None:
            return None
        if not scalar.plain or scalar.tag is not None:
            self.add(
                node,
                where,
                f"{name!r} must be {what} without quotes (quotes make it text)",
            )
            return None
        text = scalar.value
        if len(text) > _MAX_NUMBER_CHARS:
            # int() refuses over 4300 digits; no answer in a bank needs a tenth of that.
            self.add(node, where, f"{name!r} is too long for a number")
            return None
        if _LEADING_ZERO_RE.fullmatch(text):
            self.add(
                node,
                where,
                f"{name!r} is {text!r}, a number with a leading zero (YAML 1.1 reads "
                "it as octal); "
                f"write {int(text)}",
            )
            return None
        return scalar

    def _not_a_number(self, node: Scalar, where: str, name: str, what: str) -> None:
        text = node.value
        if ":" in text and re.fullmatch(
            r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?", text
        ):
            why = " (YAML 1.1 reads 1:30 as 90, base 60); write the number itself"
        elif re.fullmatch(r"[-+]?0[xXoObB][0-9a-fA-F_]+", text):
            why = "; write it in decimal"
        elif "_" in text:
            why = "; write it without '_'"
        else:
            why = ""
        self.add(node, where, f"{name!r} must be {what}, not {_short(text)!r}{why}")

    def number(self, node: Node, where: str, name: str) -> Any:
        scalar = self._numeric_text(node, where, name, "a number")
        if scalar is None:
            return _INVALID
        text = scalar.value
        if _INT_RE.fullmatch(text):
            return int(text)
        if _FLOAT_RE.fullmatch(text):
            value = float(text)
            if math.isfinite(value):
                return value
            self.add(node, where, f"{name!r} is too large")
            return _INVALID
        self._not_a_number(scalar, where, name, "a decimal number")
        return _INVALID

    def integer(
        self,
        node: Node,
        where: str,
        name: str,
        minimum: int | None,
        maximum: int | None,
    ) -> Any:
        scalar = self._numeric_text(node, where, name, "a whole number")
        if scalar is None:
            return _INVALID
        text = scalar.value
        if not _INT_RE.fullmatch(text) or len(text) > 12:
            self._not_a_number(scalar, where, name, "a whole number")
            return _INVALID
        value = int(text)
        if (minimum is not None and value < minimum) or (
            maximum is not None and value > maximum
        ):
            if minimum is not None and maximum is not None:
                limit = (
                    f"from {minimum} to {maximum}"
                    if minimum != maximum
                    else f"{minimum}"
                )
            else:
                limit = (
                    f"at least {minimum}"
                    if minimum is not None
                    else f"at most {maximum}"
                )
            self.add(node, where, f"{name!r} is {value}; it must be {limit}")
            return _INVALID
        return value

    def enum(self, node: Node, where: str, name: str, choices: Sequence[str]) -> Any:
        text = self.text(node, where, name)
        if text is _INVALID:
            return _INVALID
        if text not in choices:
            listed = ", ".join(choices)
            self.add(
                node,
                where,
                f"{name!r} is {_short(text)!r}; use one of "
                f"{listed}{_did_you_mean(text, choices)}",
            )
            return _INVALID
        return text

    def url(self, node: Node, where: str, name: str) -> Any:
        text = self.text(node, where, name)
        if text is _INVALID:
            return _INVALID
        if not re.match(r"https?://[^\s/]+", text) or any(c.isspace() for c in text):
            self.add(
                node,
                where,
                f"{name!r} must be a web address starting with http:// or https://",
            )
            return _INVALID
        return text

    def path(self, node: Node, where: str, name: str) -> Any:
        text = self.text(node, where, name)
        if text is _INVALID:
            return _INVALID
        parts = text.replace("\\", "/").split("/")
        if text.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", text) or "\\" in text:
            self.add(
                node,
                where,
                f"{name!r} must be a relative path with '/' (a file beside the bank)",
            )
        elif ".." in parts:
            self.add(
                node,
                where,
                f"{name!r} must not contain '..': keep images beside the bank file",
            )
        elif not text.lower().endswith(IMAGE_EXTENSIONS):
            self.add(
                node,
                where,
                f"{name!r} must end in one of {', '.join(IMAGE_EXTENSIONS)}",
            )
        else:
            return text
        return _INVALID

    def text_map(self, node: Node, where: str, name: str) -> Any:
        pairs = self.pairs(node, where, repr(name))
        if pairs is None:
            return _INVALID
        result: list[tuple[str, Any]] = []
        bad = False
        for text, (key, value) in pairs.items():
            if not text.strip():
                self.add(key, where, f"a key of {name!r} is empty")
                bad = True
                continue
            converted = self.text(value, where, f"{name}.{text}")
            bad = bad or converted is _INVALID
            result.append((text, converted))
        if bad:
            return _INVALID
        return tuple(result)

    def table(
        self, spec_table: Mapping[str, KeySpec], node: Node, where: str, name: str
    ) -> dict[str, Any] | None:
        """Convert a mapping of simple kinds; None if anything was wrong."""
        pairs = self.pairs(node, where, repr(name))
        if pairs is None:
            return None
        before = len(self.problems)
        required = [k for k, s in spec_table.items() if s.required]
        self.keys_ok(
            pairs, node, where, allowed=spec_table, required=required, prefix=f"{name}."
        )
        result = {}
        for text, (_, value) in pairs.items():
            spec = spec_table.get(text)
            if spec is not None:
                result[text] = self.value(spec, value, where, f"{name}.{text}")
        return result if len(self.problems) == before else None


# ----------------------------------------------------------------------
# parse_bank


def _decode(raw: bytes, source: str) -> str:
    nul = raw.find(b"\0")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise BankError(
            [
                Problem(
                    source,
                    line,
                    0,
                    "this is a binary file (it contains NUL bytes), not YAML text",
                )
            ]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BankError(
            [
                Problem(
                    source,
                    line,
                    column,
                    f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save "
                    "it as UTF-8",
                )
            ]
        ) from None


def _size_problem(source: str, size: int, max_bytes: int) -> Problem:
    return Problem(
        source, 0, 0, f"the file is {size:,} bytes; the limit is {max_bytes:,} bytes"
    )


def parse_bank(
    text: str | bytes, *, source: str, max_bytes: int = MAX_BANK_BYTES
) -> Bank:
    """Check one bank file's text and build its :class:`Bank`.

    :param source: the file name used in problems and as ``Bank.source_path``.
    :raises BankError: with every problem found, sorted by line.
    """
    return _parse(text, source=source, max_bytes=max_bytes)[0]


def _parse(text: str | bytes, *, source: str, max_bytes: int) -> tuple[Bank, _Places]:
    raw = (
        text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    )
    if len(raw) > max_bytes:
        raise BankError([_size_problem(source, len(raw), max_bytes)])
    content_hash = hashlib.sha256(raw).hexdigest()
    decoded = _decode(raw, source) if isinstance(text, bytes) else text
    if isinstance(text, str):
        if "\0" in text:
            line = text.count("\n", 0, text.index("\0")) + 1
            raise BankError(
                [
                    Problem(
                        source,
                        line,
                        0,
                        "the text contains NUL characters; a bank is plain YAML text",
                    )
                ]
            )
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise BankError(
                [Problem(source, 0, 0, f"the text is not valid Unicode ({exc.reason})")]
            ) from None
    try:
        root = build_tree(decoded)
    except YamlProblem as exc:
        raise BankError([Problem(source, exc.line, exc.column, exc.message)]) from None
    checker = _Checker(source)
    bank = _bank(checker, root, source, content_hash)
    if checker.problems or bank is None:
        raise BankError(checker.problems)
    return bank, checker.places


def _item_where(kind: str, index: int, node: Node) -> str:
    where = f"{kind}[{index}]"
    if isinstance(node, Map):
        for key, value in node.pairs:
            if isinstance(key, Scalar) and key.value == "id":
                if (
                    isinstance(value, Scalar)
                    and value.value.strip()
                    and "\n" not in value.value
                ):
                    where += f" ({_short(value.value, MAX_ID_LENGTH)})"
                break
    return where


def _bank(
    c: _Checker, root: Node | None, source: str, content_hash: str
) -> Bank | None:
    if root is None:
        c.add((1, 1), "", "the file is empty; a bank starts with 'format: 1'")
        return None
    pairs = c.pairs(root, "", "a bank file")
    if pairs is None:
        return None
    c.keys_ok(
        pairs,
        root,
        "",
        allowed=BANK_KEYS,
        required=[k for k, s in BANK_KEYS.items() if s.required],
    )
    values: dict[str, Any] = {}
    for name, (_, node) in pairs.items():
        spec = BANK_KEYS.get(name)
        if spec is None or spec.kind in (
            Kind.SLUG_TEXT_MAP,
            Kind.OBJECT_MAP,
            Kind.OBJECT_LIST,
        ):
            continue
        if name == "format":
            values[name] = _format(c, node)
        else:
            values[name] = c.value(spec, node, "", name)
    if "id" in pairs:
        c.places.bank_id = (pairs["id"][1].line, pairs["id"][1].column)

    topics, topic_keys = (
        _topics(c, pairs["topics"][1]) if "topics" in pairs else ({}, None)
    )
    sources, source_keys = (
        _sources(c, pairs["sources"][1]) if "sources" in pairs else ({}, None)
    )
    refs = _Refs(topic_keys, source_keys)

    questions = _items(
        c, pairs, "questions", lambda node, i: _question(c, node, i, refs)
    )
    cards = _items(c, pairs, "cards", lambda node, i: _card(c, node, i, refs))
    quizzes = _items(c, pairs, "quizzes", lambda node, i: _quiz(c, node, i))

    _check_unique_ids(c, pairs, questions, cards, quizzes)
    good_questions = tuple(q for q, _ in questions if isinstance(q, Question))
    good_cards = tuple(card for card, _ in cards if isinstance(card, Card))
    good_quizzes = tuple(quiz for quiz, _ in quizzes if isinstance(quiz, QuizDef))
    _check_quizzes_in_bank(c, quizzes, questions, cards, topic_keys)

    listed = [pairs[k][1] for k in ("questions", "cards") if k in pairs]
    if (
        not questions
        and not cards
        and all(isinstance(n, Seq) for n in listed)
        and not any(isinstance(q, QuizDef) and q.select.banks for q, _ in quizzes)
    ):
        c.add(
            root,
            "",
            "the bank has no questions or cards; add some, or define quizzes that draw "
            "from other banks (select.banks)",
        )

    bank_id, title = values.get("id"), values.get("title")
    if bank_id == ALL_BANKS:
        c.add(
            pairs["id"][1],
            "",
            f"'id' {ALL_BANKS!r} is reserved (select.banks: all means every bank)",
        )
    if c.problems or not isinstance(bank_id, str) or not isinstance(title, str):
        return None
    if not good_quizzes and good_questions:
        good_quizzes = (
            QuizDef(
                id=f"{bank_id}-all", title=f"{title}: all questions", is_default=True
            ),
        )
    return Bank(
        id=bank_id,
        title=title,
        source_path=source,
        description=values.get("description", ""),
        authors=values.get("authors", ()),
        licence=values.get("licence"),
        topics=topics,
        sources=sources,
        questions=good_questions,
        cards=good_cards,
        quizzes=good_quizzes,
        content_hash=content_hash,
    )


def _format(c: _Checker, node: Node) -> Any:
    if (
        isinstance(node, Scalar)
        and node.plain
        and _INT_RE.fullmatch(node.value)
        and node.value != str(FORMAT_VERSION)
    ):
        c.add(
            node,
            "",
            f"unsupported format {node.value}; this version reads format "
            f"{FORMAT_VERSION}",
        )
        return _INVALID
    return c.value(BANK_KEYS["format"], node, "", "format")


@dataclass(frozen=True, slots=True)
class _Refs:
    """Keys declared in ``topics`` and ``sources``, including ones with problems (so a
    typo in a source's title is not reported again at every question citing it); None
    when the key itself is missing or broken, which is reported once."""

    topics: frozenset[str] | None
    sources: frozenset[str] | None


def _key_slug(c: _Checker, node: Scalar, what: str) -> bool:
    text = node.value
    if _ID_RE.match(text) and len(text) <= MAX_ID_LENGTH and not text.endswith("\n"):
        return True
    c.add(node, "", f"{what} key {_short(text)!r} must be {_SLUG_HELP}")
    return False


def _topics(c: _Checker, node: Node) -> tuple[dict[str, str], frozenset[str] | None]:
    pairs = c.pairs(node, "", "'topics'")
    if pairs is None:
        return {}, None
    if not pairs:
        c.add(node, "", "'topics' is empty; define at least one topic")
    topics = {}
    for key, (knode, vnode) in pairs.items():
        slug_ok = _key_slug(c, knode, "topic")
        title = c.text(vnode, "", f"topics.{key}")
        if slug_ok and title is not _INVALID:
            topics[key] = title
    return topics, frozenset(pairs)


def _sources(
    c: _Checker, node: Node
) -> tuple[dict[str, Source], frozenset[str] | None]:
    pairs = c.pairs(node, "", "'sources'")
    if pairs is None:
        return {}, None
    if not pairs:
        c.add(node, "", "'sources' is empty; define at least one source")
    sources = {}
    for key, (knode, vnode) in pairs.items():
        slug_ok = _key_slug(c, knode, "source")
        values = c.table(SOURCE_KEYS, vnode, "", f"sources.{key}")
        if slug_ok and values is not None:
            sources[key] = Source(
                key=key,
                title=values["title"],
                url=values.get("url"),
                note=values.get("note"),
            )
    return sources, frozenset(pairs)


T = Any


def _items(
    c: _Checker,
    pairs: Mapping[str, tuple[Scalar, Node]],
    name: str,
    convert: Callable[[Node, int], T],
) -> list[tuple[T, Node]]:
    """Convert each item of a list key, paired with its node (None: it failed)."""
    if name not in pairs:
        return []
    node = pairs[name][1]
    if not isinstance(node, Seq):
        c.add(
            node,
            "",
            f"{name!r} must be a list (lines starting with '- '), not "
            f"{_kind_name(node)}",
        )
        return []
    c.tag_ok(node, "", name)
    return [(convert(item, i), item) for i, item in enumerate(node.items)]


def _common(
    c: _Checker,
    pairs: Mapping[str, tuple[Scalar, Node]],
    table: Mapping[str, KeySpec],
    where: str,
    refs: _Refs,
) -> dict[str, Any]:
    """Convert a question's or card's simple keys; check topic and sources."""
    values: dict[str, Any] = {}
    for name, (_, node) in pairs.items():
        spec = table.get(name)
        if (
            spec is None
            or spec.kind in (Kind.OBJECT, Kind.FLASHCARD)
            or (name == "type" and table is QUESTION_KEYS)
        ):
            continue
        values[name] = value = c.value(spec, node, where, name)
        if value is _INVALID:
            continue
        if name == "topic" and refs.topics is not None and value not in refs.topics:
            c.add(
                node,
                where,
                f"topic {value!r} is not a key of "
                f"'topics'{_did_you_mean(value, refs.topics)}",
            )
        elif name == "sources" and refs.sources is not None:
            seq = node.items if isinstance(node, Seq) else []
            for item_node, key in zip(seq, value, strict=False):
                if key not in refs.sources:
                    c.add(
                        item_node,
                        where,
                        f"source {key!r} is not a key of "
                        f"'sources'{_did_you_mean(key, refs.sources)}",
                    )
    return values


def _question_type(
    c: _Checker, pairs: Mapping[str, tuple[Scalar, Node]], where: str
) -> QuestionType | None:
    if "type" not in pairs:
        return None
    node = pairs["type"][1]
    text = c.text(node, where, "type")
    if text is _INVALID:
        return None
    qtype = QUESTION_TYPES.get(text)
    if qtype is None:
        c.add(
            node,
            where,
            f"unknown type {_short(text)!r}{_did_you_mean(text, QUESTION_TYPES)}; "
            f"use one of {', '.join(QUESTION_TYPES)}",
        )
    return qtype


def _question(c: _Checker, node: Node, index: int, refs: _Refs) -> Question | None:
    where = _item_where("questions", index, node)
    pairs = c.pairs(node, where, "a question")
    if pairs is None:
        return None
    before = len(c.problems)
    qtype = _question_type(c, pairs, where)
    required = [k for k, s in QUESTION_KEYS.items() if s.required]
    if qtype is not None:
        allowed = [*QUESTION_KEYS, *qtype.fields]
        required += sorted(qtype.required)
        qkey = qtype.key

        def other_type(key: str) -> str | None:
            owners = [t.key for t in QUESTION_TYPES.values() if key in t.fields]
            if not owners:
                return None
            return (
                f"{key!r} is not a key of {qkey} questions"
                f"{_did_you_mean(key, allowed)}; it belongs to {', '.join(owners)}"
            )

        c.keys_ok(
            pairs, node, where, allowed=allowed, required=required, hint=other_type
        )
    else:
        # Without a usable type only the common keys can be checked; any type's keys
        # are tolerated.
        any_type = {k for t in QUESTION_TYPES.values() for k in t.fields}
        c.keys_ok(
            pairs,
            node,
            where,
            allowed=[*QUESTION_KEYS, *sorted(any_type)],
            required=required,
        )

    values = _common(c, pairs, QUESTION_KEYS, where, refs)
    image = None
    if "image" in pairs:
        image_node = pairs["image"][1]
        image_values = c.table(IMAGE_KEYS, image_node, where, "image")
        if image_values is not None:
            image = Image(file=image_values["file"], alt=image_values["alt"])
            qid = values.get("id")
            if isinstance(qid, str) and isinstance(image_node, Map):
                file_node = next(
                    v
                    for k, v in image_node.pairs
                    if isinstance(k, Scalar) and k.value == "file"
                )
                c.places.images[qid] = (file_node.line, file_node.column)

    data: dict[str, Any] = {}
    if qtype is not None:
        type_before = len(c.problems)
        for key in qtype.fields:
            if key in pairs:
                data[key] = c.value(
                    type_key_spec(qtype, key), pairs[key][1], where, key
                )
            elif key in qtype.defaults:
                data[key] = qtype.defaults[key]
        if len(c.problems) == type_before and qtype.required <= pairs.keys():
            for key, message in qtype.check(data):
                at: Node = pairs[key][0] if key in pairs else node
                c.add(at, where, message)

    flashcard = _flashcard(c, pairs, where, qtype, values, data)
    if len(c.problems) != before or qtype is None:
        return None
    return Question(
        id=values["id"],
        type=qtype.key,
        prompt=values["prompt"],
        explanation=values["explanation"],
        sources=values["sources"],
        topic=values["topic"],
        tags=values.get("tags", ()),
        difficulty=Difficulty(values.get("difficulty", Difficulty.MEDIUM)),
        flashcard=flashcard,
        image=image,
        data=data,
        line=node.line,
        variant_group=values.get("variant_group"),
        allow_overlap=values.get("allow_overlap", ()),
    )


def _flashcard(
    c: _Checker,
    pairs: Mapping[str, tuple[Scalar, Node]],
    where: str,
    qtype: QuestionType | None,
    values: Mapping[str, Any],
    data: Mapping[str, Any],
) -> CardFace | None:
    if "flashcard" not in pairs:
        return None
    node = pairs["flashcard"][1]
    if isinstance(node, Map):
        face = c.table(FLASHCARD_KEYS, node, where, "flashcard")
        return (
            CardFace(front=face["front"], back=face["back"])
            if face is not None
            else None
        )
    if isinstance(node, Seq):
        c.add(
            node,
            where,
            "'flashcard' must be true, false or a mapping with front and back, not "
            f"{_kind_name(node)}",
        )
        return None
    if c.boolean(node, where, "flashcard") is not True:
        return None
    prompt, explanation = values.get("prompt"), values.get("explanation")
    if qtype is None or not isinstance(prompt, str) or not isinstance(explanation, str):
        return None
    if any(v is _INVALID for v in data.values()) or not qtype.required <= data.keys():
        return None
    return CardFace(
        front=prompt, back=f"{qtype.describe_answer(data)}\n\n{explanation}"
    )


def _card(c: _Checker, node: Node, index: int, refs: _Refs) -> Card | None:
    where = _item_where("cards", index, node)
    pairs = c.pairs(node, where, "a card")
    if pairs is None:
        return None
    before = len(c.problems)

    def question_key(key: str) -> str | None:
        if key in QUESTION_KEYS or any(
            key in t.fields for t in QUESTION_TYPES.values()
        ):
            return (
                f"{key!r} is a question key; a card has {', '.join(CARD_KEYS)} "
                "(put questions under 'questions')"
            )
        return None

    required = [k for k, s in CARD_KEYS.items() if s.required]
    c.keys_ok(
        pairs, node, where, allowed=CARD_KEYS, required=required, hint=question_key
    )
    values = _common(c, pairs, CARD_KEYS, where, refs)
    if len(c.problems) != before:
        return None
    return Card(
        id=values["id"],
        front=values["front"],
        back=values["back"],
        sources=values["sources"],
        topic=values["topic"],
        tags=values.get("tags", ()),
        line=node.line,
    )


def _quiz(c: _Checker, node: Node, index: int) -> QuizDef | None:
    where = _item_where("quizzes", index, node)
    pairs = c.pairs(node, where, "a quiz")
    if pairs is None:
        return None
    before = len(c.problems)
    c.keys_ok(
        pairs,
        node,
        where,
        allowed=QUIZ_KEYS,
        required=[k for k, s in QUIZ_KEYS.items() if s.required],
    )
    values: dict[str, Any] = {}
    for name, (_, value_node) in pairs.items():
        spec = QUIZ_KEYS.get(name)
        if spec is not None and name != "select":
            values[name] = c.value(spec, value_node, where, name)
    id_node = pairs["id"][1] if "id" in pairs else node
    places = _QuizPlaces(
        quiz=(node.line, node.column), id=(id_node.line, id_node.column)
    )
    if "count" in pairs:
        places.count = (pairs["count"][0].line, pairs["count"][0].column)
    selection = (
        _selection(c, pairs["select"][1], where, places)
        if "select" in pairs
        else Selection()
    )
    if len(c.problems) != before or selection is None:
        return None
    c.places.by_index[index] = places
    c.places.quizzes.setdefault(values["id"], places)
    return QuizDef(
        id=values["id"],
        title=values["title"],
        description=values.get("description", ""),
        select=selection,
        count=values.get("count"),
        shuffle=values.get("shuffle", True),
        layout=Layout(values.get("layout", Layout.ONE_PER_PAGE)),
        time_limit_minutes=values.get("time_limit_minutes"),
        max_attempts=values.get("max_attempts"),
        pass_mark=values.get("pass_mark", 60),
        review=values.get("review"),
        visibility=values.get("visibility"),
    )


def _selection(
    c: _Checker, node: Node, where: str, places: _QuizPlaces
) -> Selection | None:
    pairs = c.pairs(node, where, "'select'")
    if pairs is None:
        return None
    before = len(c.problems)
    c.keys_ok(pairs, node, where, allowed=SELECT_KEYS, required=(), prefix="select.")
    values: dict[str, Any] = {}
    for name, (_, value_node) in pairs.items():
        spec = SELECT_KEYS.get(name)
        if spec is None:
            continue
        if spec.kind is Kind.BANKS:
            values[name] = _banks(c, value_node, where)
            items = value_node.items if isinstance(value_node, Seq) else [value_node]
            for item in items:
                if isinstance(item, Scalar):
                    places.banks.setdefault(item.value, (item.line, item.column))
            continue
        values[name] = c.value(spec, value_node, where, f"select.{name}")
        if (
            name in ("topics", "ids")
            and isinstance(value_node, Seq)
            and values[name] is not _INVALID
        ):
            target = places.topics if name == "topics" else places.ids
            for item, text in zip(value_node.items, values[name], strict=True):
                target.setdefault(text, (item.line, item.column))
    if len(c.problems) != before:
        return None
    return Selection(
        topics=values.get("topics", ()),
        tags=values.get("tags", ()),
        ids=values.get("ids", ()),
        banks=values.get("banks", ()),
    )


def _banks(c: _Checker, node: Node, where: str) -> Any:
    if isinstance(node, Scalar) and node.value == ALL_BANKS:
        return (ALL_BANKS,)
    if isinstance(node, Scalar) and node.value.strip():
        c.add(
            node,
            where,
            "'select.banks' must be 'all' or a list of bank ids, not "
            f"{_kind_name(node)} (write [{node.value}])",
        )
        return _INVALID
    banks = c.text_list(node, where, "select.banks", slugs=True, minimum=1)
    if banks is _INVALID:
        return _INVALID
    if ALL_BANKS in banks and len(banks) > 1:
        c.add(
            node,
            where,
            "'select.banks' lists 'all' together with other banks; use 'all' alone",
        )
        return _INVALID
    if len(set(banks)) != len(banks):
        c.add(node, where, "'select.banks' lists a bank twice")
        return _INVALID
    return banks


def _check_unique_ids(
    c: _Checker,
    pairs: Mapping[str, tuple[Scalar, Node]],
    questions: list[tuple[Question | None, Node]],
    cards: list[tuple[Card | None, Node]],
    quizzes: list[tuple[QuizDef | None, Node]],
) -> None:
    """Report duplicate ids: questions and cards share one id space."""

    def id_nodes(
        items: list[tuple[Any, Node]], kind: str
    ) -> Iterable[tuple[str, Node, str]]:
        for index, (_, node) in enumerate(items):
            if not isinstance(node, Map):
                continue
            for key, value in node.pairs:
                if isinstance(key, Scalar) and key.value == "id":
                    if isinstance(value, Scalar) and value.value:
                        yield value.value, value, _item_where(kind, index, node)
                    break

    for group in (
        [*id_nodes(questions, "questions"), *id_nodes(cards, "cards")],
        list(id_nodes(quizzes, "quizzes")),
    ):
        seen: dict[str, tuple[Node, str]] = {}
        for text, node, where in group:
            first = seen.get(text)
            if first is None:
                seen[text] = (node, where)
                c.places.item_ids.setdefault(text, (node.line, node.column))
                continue
            c.add(
                node,
                where,
                f"duplicate id {text!r}: {first[1].split(' ')[0]} at line "
                f"{first[0].line} has it too",
            )


def _node_id(node: Node) -> str | None:
    """The ``id`` text of an item node, even if the item failed to convert."""
    if isinstance(node, Map):
        for key, value in node.pairs:
            if isinstance(key, Scalar) and key.value == "id":
                return value.value if isinstance(value, Scalar) else None
    return None


def _check_quizzes_in_bank(
    c: _Checker,
    quizzes: list[tuple[QuizDef | None, Node]],
    questions: list[tuple[Question | None, Node]],
    cards: list[tuple[Card | None, Node]],
    topic_keys: frozenset[str] | None,
) -> None:
    """Check selections drawn from this bank: known topics/ids, count fits."""
    question_ids = {_node_id(node) for _, node in questions} - {None}
    card_ids = {_node_id(node) for _, node in cards} - {None}
    good = tuple(q for q, _ in questions if q is not None)
    for index, (quiz, node) in enumerate(quizzes):
        places = c.places.by_index.get(index)
        if quiz is None or quiz.select.banks or places is None:
            continue
        where = _item_where("quizzes", index, node)
        before = len(c.problems)
        for topic in quiz.select.topics:
            if topic_keys is not None and topic not in topic_keys:
                c.add(
                    places.topics[topic],
                    where,
                    f"topic {topic!r} is not a key of "
                    f"'topics'{_did_you_mean(topic, topic_keys)}",
                )
        for qid in quiz.select.ids:
            if qid in card_ids:
                c.add(
                    places.ids[qid],
                    where,
                    f"{qid!r} is a card; quizzes select questions",
                )
            elif qid not in question_ids:
                c.add(
                    places.ids[qid],
                    where,
                    f"no question has id {qid!r}"
                    f"{_did_you_mean(qid, sorted(map(str, question_ids)))}",
                )
        # A question that failed to convert would make the count wrong.
        if len(c.problems) == before and len(good) == len(questions):
            chosen = resolve_quiz_questions(quiz, _Pool(good), {})
            _check_selection_size(c, quiz, places, where, chosen)


def _check_selection_size(
    c: _Checker, quiz: QuizDef, places: _QuizPlaces, where: str, chosen: list[Question]
) -> None:
    # An attempt asks one question of a variant group, so a group counts once.
    drawable = len({q.variant_group or f"\0{q.id}" for q in chosen})
    if not chosen:
        c.add(places.quiz, where, "the quiz selects no question")
    elif quiz.count is not None and quiz.count > drawable:
        at = places.count or places.quiz
        grouped = " (a variant group counts once)" if drawable < len(chosen) else ""
        c.add(
            at,
            where,
            f"'count' is {quiz.count} but the selection has only {drawable} "
            f"question{'s' * (drawable != 1)}{grouped}",
        )


@dataclass(frozen=True, slots=True)
class _Pool:
    """The one attribute of a Bank that selection needs."""

    questions: tuple[Question, ...]


# ----------------------------------------------------------------------
# Selection (pure; used by the quiz service too)


def resolve_quiz_questions(
    quiz: QuizDef, bank: Bank | _Pool, banks_by_id: Mapping[str, Bank]
) -> list[Question]:
    """The questions a quiz draws from, in bank then file order.

    ``select.banks`` empty means ``bank`` itself, ``("all",)`` every bank of
    ``banks_by_id`` (in its order), otherwise those banks in the order listed; ids
    missing from ``banks_by_id`` are skipped (validation reports them). Topics, tags and
    ids combine as "any of"; none of them means every question.
    """
    banks = quiz.select.banks
    if not banks:
        pools: list[Bank | _Pool] = [bank]
    elif banks == (ALL_BANKS,):
        pools = list(banks_by_id.values())
    else:
        pools = [banks_by_id[b] for b in banks if b in banks_by_id]
    topics, tags, ids = (
        set(quiz.select.topics),
        set(quiz.select.tags),
        set(quiz.select.ids),
    )
    everything = not (topics or tags or ids)
    return [
        q
        for pool in pools
        for q in pool.questions
        if everything or q.topic in topics or q.id in ids or not tags.isdisjoint(q.tags)
    ]


# ----------------------------------------------------------------------
# Files (I/O) and cross-bank checks


def _expand(paths: Sequence[str | Path]) -> tuple[list[str], list[Problem]]:
    files: list[str] = []
    problems: list[Problem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = []
            for folder, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [
                    os.path.join(folder, n)
                    for n in names
                    if n.endswith(BANK_SUFFIXES) and not n.startswith(".")
                ]
            if not found:
                problems.append(
                    Problem(
                        str(given), 0, 0, "no bank files (*.yaml, *.yml) in this folder"
                    )
                )
            files += sorted(found)
        elif path.exists():
            files.append(str(given))
        else:
            problems.append(Problem(str(given), 0, 0, "no such file or folder"))
    unique = list(dict.fromkeys(files))
    return unique, problems


def load_bank_files(
    paths: Sequence[str | Path], *, max_bytes: int = MAX_BANK_BYTES
) -> tuple[list[Bank], list[Problem]]:
    """Read and check bank files and folders (searched recursively), never raising.

    :returns: the banks that parsed (some may still have cross-bank problems: drop those
        whose ``source_path`` appears in a problem) and every problem, sorted.
    """
    files, problems = _expand(paths)
    parsed: list[tuple[Bank, _Places]] = []
    for name in files:
        try:
            size = os.path.getsize(name)
            if size > max_bytes:
                problems.append(_size_problem(name, size, max_bytes))
                continue
            with open(name, "rb") as handle:
                raw = handle.read(max_bytes + 1)
        except OSError as exc:
            problems.append(
                Problem(name, 0, 0, f"cannot read the file: {exc.strerror or exc}")
            )
            continue
        try:
            parsed.append(_parse(raw, source=name, max_bytes=max_bytes))
        except BankError as exc:
            problems += exc.problems
    problems += _cross_bank_problems(parsed)
    return [bank for bank, _ in parsed], sorted(problems)


def _cross_bank_problems(parsed: list[tuple[Bank, _Places]]) -> list[Problem]:
    problems: list[Problem] = []
    banks_by_id: dict[str, Bank] = {}
    for bank, places in parsed:
        first = banks_by_id.get(bank.id)
        if first is None:
            banks_by_id[bank.id] = bank
        else:
            line, column = places.bank_id
            problems.append(
                Problem(
                    bank.source_path,
                    line,
                    column,
                    f"bank id {bank.id!r} is also used by {first.source_path}",
                )
            )

    item_owner: dict[str, tuple[str, str, int]] = {}  # id -> (kind, file, line)
    quiz_owner: dict[str, str] = {}  # id -> where it was first seen
    for bank, places in parsed:
        items = [("question", q.id, q.line) for q in bank.questions]
        items += [("card", card.id, card.line) for card in bank.cards]
        for kind, item_id, item_line in items:
            line, column = places.item_ids.get(item_id, (item_line, 0))
            first_item = item_owner.get(item_id)
            if first_item is None:
                item_owner[item_id] = (kind, bank.source_path, line)
            elif first_item[1] != bank.source_path:
                problems.append(
                    Problem(
                        bank.source_path,
                        line,
                        column,
                        f"{kind} id {item_id!r} is also used by a {first_item[0]} at "
                        f"{first_item[1]}:{first_item[2]}",
                    )
                )
        for quiz in bank.quizzes:
            quiz_places = places.quizzes.get(quiz.id)
            # A default quiz has no line of its own: point at the bank's id.
            line, column = quiz_places.id if quiz_places else places.bank_id
            where = f"{bank.source_path}:{line}"
            if quiz.is_default:
                where = f"the default quiz of {bank.source_path}"
            first_quiz = quiz_owner.get(quiz.id)
            if first_quiz is None:
                quiz_owner[quiz.id] = where
                continue
            message = f"quiz id {quiz.id!r} is also used by {first_quiz}"
            if quiz.is_default:
                message = (
                    f"this bank's default quiz id {quiz.id!r} is also used by "
                    f"{first_quiz}; define a quiz of your own"
                )
            problems.append(Problem(bank.source_path, line, column, message))

    for bank, places in parsed:
        for quiz in bank.quizzes:
            if quiz.select.banks and quiz.id in places.quizzes:
                problems += _check_cross_selection(
                    bank, quiz, places.quizzes[quiz.id], banks_by_id
                )
        base = Path(bank.source_path).parent
        for question in bank.questions:
            if question.image is None:
                continue
            problem = image_file_problem(base, question.image.file)
            if problem:
                line, column = places.images.get(question.id, (question.line, 0))
                problems.append(
                    Problem(
                        bank.source_path,
                        line,
                        column,
                        f"questions ({question.id}): {problem}",
                    )
                )
    return problems


def _check_cross_selection(
    bank: Bank, quiz: QuizDef, places: _QuizPlaces, banks_by_id: Mapping[str, Bank]
) -> list[Problem]:
    c = _Checker(bank.source_path)
    where = f"quizzes ({quiz.id})"
    names = quiz.select.banks
    if names != (ALL_BANKS,):
        for name in names:
            if name not in banks_by_id:
                c.add(
                    places.banks.get(name, places.quiz),
                    where,
                    f"no bank has id {name!r}{_did_you_mean(name, banks_by_id)}",
                )
        if c.problems:
            return c.problems
        pools = [banks_by_id[name] for name in names]
    else:
        pools = list(banks_by_id.values())
    topics = {t for pool in pools for t in pool.topics}
    ids = {q.id for pool in pools for q in pool.questions}
    for topic, at in places.topics.items():
        if topic not in topics:
            c.add(
                at,
                where,
                f"topic {topic!r} is in none of the selected "
                f"banks{_did_you_mean(topic, topics)}",
            )
    for qid, at in places.ids.items():
        if qid not in ids:
            c.add(
                at,
                where,
                "no question in the selected banks has id "
                f"{qid!r}{_did_you_mean(qid, ids)}",
            )
    if not c.problems:
        _check_selection_size(
            c, quiz, places, where, resolve_quiz_questions(quiz, bank, banks_by_id)
        )
    return c.problems


# ----------------------------------------------------------------------
# Command line


def validate_command(paths: Sequence[str], echo: Callable[[str], None]) -> int:
    """Validate banks, echo every problem and a summary; return the exit status."""
    banks, problems = load_bank_files(paths)
    for problem in problems:
        echo(str(problem))
    # Warnings (one question giving away another's answer) do not fail validation.
    warnings = leaks.check_banks(banks, resolve=resolve_quiz_questions)
    for warning in warnings:
        echo(warning)
    if problems:
        echo(f"{len(problems)} problem{'s' * (len(problems) != 1)}")
        return 1
    questions = sum(len(b.questions) for b in banks)
    cards = sum(len(b.cards) for b in banks)
    quizzes = sum(len(b.quizzes) for b in banks)
    noted = f", {len(warnings)} warning{'s' * (len(warnings) != 1)}" if warnings else ""
    echo(
        f"{len(banks)} banks, {questions} questions, {cards} cards, {quizzes} "
        f"quizzes: OK{noted}"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m quiz_app.banks.loader PATH...``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print("usage: python -m quiz_app.banks.loader PATH...  (bank files or folders)")
        return 2
    return validate_command(args, print)


if __name__ == "__main__":
    raise SystemExit(main())

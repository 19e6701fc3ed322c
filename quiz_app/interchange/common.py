"""Pure shared parts of the importers and exporters: drafts, the report, ids, YAML text,
HTML to Markdown. No Flask or DB imports.

An importer turns a file into a :class:`Draft` (questions and cards in our types, every
item it could not convert listed with its position and reason). :func:`build_bank_yaml`
then gives the draft stable ids, topics and a source, and writes YAML that the bank
loader accepts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Final

import yaml

from quiz_app.banks.schema import MAX_ID_LENGTH
from quiz_app.questions.grading import QUESTION_TYPES
from quiz_app.questions.types import FieldKind

#: Entries a zip archive may list before it is refused unread.
MAX_ZIP_MEMBERS: Final = 10_000
#: Text shown as the explanation of an imported question that brought none.
NO_EXPLANATION: Final = "(The imported file gave no explanation for this question.)"
DEFAULT_TOPIC: Final = "General"
SOURCE_KEY: Final = "imported"


class ConvertError(Exception):
    """The file cannot be converted at all (too big, not the format, hostile)."""


@dataclass
class DraftQuestion:
    type: str  #: key of questions.grading.QUESTION_TYPES
    prompt: str  #: Markdown
    data: dict[str, Any]
    position: str  #: where it was in the source, e.g. "question 3 (line 12)"
    name: str = ""  #: the source's own name or id, made into our id
    explanation: str = ""  #: Markdown
    topic: str = ""  #: topic title; "" = the default topic
    tags: list[str] = field(default_factory=list)


@dataclass
class DraftCard:
    front: str  #: Markdown
    back: str  #: Markdown
    position: str
    name: str = ""
    topic: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Skipped:
    position: str
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.position}: {self.reason}"


@dataclass
class Draft:
    """What an importer read: items in our types plus what it left out or changed."""

    format_label: str  #: "Moodle GIFT", "Anki package", ...
    questions: list[DraftQuestion] = field(default_factory=list)
    cards: list[DraftCard] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    #: details lost on items that were converted (partial credit, media, ...)
    notes: list[str] = field(default_factory=list)

    def skip(self, position: str, reason: str) -> None:
        self.skipped.append(Skipped(position, reason))


@dataclass(frozen=True)
class ConvertReport:
    """How many items of each type were converted, and every item skipped or changed."""

    format_label: str
    converted: Mapping[str, int]  #: question type (or "card") -> count
    skipped: Sequence[Skipped]
    notes: Sequence[str]

    @property
    def total(self) -> int:
        return sum(self.converted.values())

    def lines(self) -> list[str]:
        counts = ", ".join(f"{n} {kind}" for kind, n in self.converted.items())
        lines = [
            f"{self.format_label}: converted {self.total} "
            f"({counts or 'nothing'}); skipped {len(self.skipped)}"
        ]
        lines += [str(s) for s in self.skipped]
        lines += [f"note: {n}" for n in self.notes]
        return lines


@dataclass(frozen=True)
class Conversion:
    yaml_text: str
    report: ConvertReport
    bank_id: str


# --------------------------------------------------------------------------------------
# ids


def slugify(text: str) -> str:
    """A lowercase a-z0-9- slug of any text ('' when nothing is left)."""
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _unique(base: str, used: set[str]) -> str:
    base = base[:MAX_ID_LENGTH].rstrip("-")
    candidate, n = base, 2
    while candidate in used:
        suffix = f"-{n}"
        candidate = base[: MAX_ID_LENGTH - len(suffix)].rstrip("-") + suffix
        n += 1
    used.add(candidate)
    return candidate


def item_id(bank_id: str, name: str, fallback: str, used: set[str]) -> str:
    """A stable id from the source's name, unique in ``used``: ``<bank>-<slug>``, or
    the slug alone when it already names the bank (ids our own exports wrote)."""
    base = slugify(name) or fallback
    if f"-{bank_id}-" not in f"-{base}-":
        base = f"{bank_id}-{base}"
    return _unique(base, used)


# --------------------------------------------------------------------------------------
# YAML


# libyaml's emitter when PyYAML was built with it: several times faster on big banks.
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data.strip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )


def _number(value: float | int) -> float | int:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _yaml_data(qtype: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The type's data as YAML values; optional keys left at their default are left
    out (a unit of "", a tolerance of 0, no distractors)."""
    spec = QUESTION_TYPES[qtype]
    out: dict[str, Any] = {}
    for key, value in data.items():
        kind = spec.fields.get(key)
        if kind is FieldKind.TEXT_MAP:
            out[key] = {left: right for left, right in value}
        elif kind is FieldKind.NUMBER:
            out[key] = _number(value)
        elif isinstance(value, tuple | list):
            out[key] = list(value)
        else:
            out[key] = value
        if key not in spec.required and key in spec.defaults:
            default = spec.defaults[key]
            if out[key] == default or (not out[key] and not default):
                del out[key]
    return out


def _check_data(qtype: str, data: Mapping[str, Any]) -> list[str]:
    spec = QUESTION_TYPES[qtype]
    missing = sorted(spec.required - data.keys())
    if missing:
        return [f"'{key}' is missing" for key in missing]
    checked = dict(data)
    for key, kind in spec.fields.items():
        if kind is FieldKind.TEXT_MAP and key in checked:
            checked[key] = tuple(tuple(p) for p in checked[key])
    return [message for _, message in spec.check(checked)]


def build_bank_yaml(
    draft: Draft, *, bank_id: str, title: str, source_name: str
) -> Conversion:
    """Turn a draft into bank YAML with stable ids, one topic per category and one
    source naming the imported file; items our loader would refuse are skipped.

    :raises ConvertError: when nothing at all could be converted.
    """
    used: set[str] = {bank_id}
    topics: dict[str, str] = {}  # title -> key
    topic_keys: set[str] = set()

    def topic_key(name: str) -> str:
        name = " ".join((name or DEFAULT_TOPIC).split()) or DEFAULT_TOPIC
        if name not in topics:
            topics[name] = _unique(slugify(name) or "topic", topic_keys)
        return topics[name]

    skipped = list(draft.skipped)
    converted: Counter[str] = Counter()
    questions: list[dict[str, Any]] = []
    for index, q in enumerate(draft.questions, start=1):
        prompt = q.prompt.strip()
        problems = [] if prompt else ["the question has no text"]
        problems += _check_data(q.type, q.data)
        if problems:
            skipped.append(Skipped(q.position, "; ".join(problems)))
            continue
        entry: dict[str, Any] = {
            "id": item_id(bank_id, q.name, f"q{index}", used),
            "type": q.type,
            "topic": topic_key(q.topic),
            "prompt": prompt,
        }
        entry.update(_yaml_data(q.type, q.data))
        entry["explanation"] = q.explanation.strip() or NO_EXPLANATION
        entry["sources"] = [SOURCE_KEY]
        tags = [t for t in dict.fromkeys(" ".join(t.split()) for t in q.tags) if t]
        if tags:
            entry["tags"] = tags
        questions.append(entry)
        converted[q.type] += 1

    cards: list[dict[str, Any]] = []
    for index, c in enumerate(draft.cards, start=1):
        front, back = c.front.strip(), c.back.strip()
        if not front or not back:
            side = "front" if not front else "back"
            skipped.append(Skipped(c.position, f"the card's {side} is empty"))
            continue
        entry = {
            "id": item_id(bank_id, c.name, f"card{index}", used),
            "topic": topic_key(c.topic),
            "front": front,
            "back": back,
            "sources": [SOURCE_KEY],
        }
        tags = [t for t in dict.fromkeys(" ".join(t.split()) for t in c.tags) if t]
        if tags:
            entry["tags"] = tags
        cards.append(entry)
        converted["card"] += 1

    report = ConvertReport(
        format_label=draft.format_label,
        converted=dict(converted),
        skipped=skipped,
        notes=list(draft.notes),
    )
    if not questions and not cards:
        detail = f" ({len(skipped)} items skipped)" if skipped else ""
        raise ConvertError(
            f"nothing in this {draft.format_label} file could be converted{detail}"
        )
    bank: dict[str, Any] = {
        "format": 1,
        "id": bank_id,
        "title": title,
        "description": f"Imported from {source_name} ({draft.format_label}).",
        "topics": {key: name for name, key in topics.items()},
        "sources": {
            SOURCE_KEY: {"title": f"{source_name} ({draft.format_label})"},
        },
    }
    if questions:
        bank["questions"] = questions
    if cards:
        bank["cards"] = cards
    header = (
        f"# Converted from {source_name} ({draft.format_label}) by quiz-app banks "
        "convert.\n# Check every question, then add explanations and sources.\n"
    )
    return Conversion(header + dump_yaml(bank), report, bank_id)


# --------------------------------------------------------------------------------------
# HTML -> Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCK_TAGS |= {"pre", "blockquote", "table", "tr", "hr"}


class _ToMarkdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.media = 0
        self.links: list[str | None] = []
        self.lists: list[list[int]] = []  # per open list: [is_ordered, counter]
        self.pre = 0
        self.skip = 0  # inside <script>/<style>

    def _newline(self, count: int = 1) -> None:
        self.out.append("\n" * count)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "pre":
            self.pre += 1
            self.out.append("\n\n```\n")
        elif tag == "br":
            self.out.append("  \n" if not self.pre else "\n")
        elif tag in ("p", "div", "blockquote", "table", "tr"):
            self._newline(2)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._newline(2)
            self.out.append("#" * max(3, int(tag[1])) + " ")
        elif tag in ("ul", "ol"):
            self.lists.append([tag == "ol", 0])
            self._newline(2)
        elif tag == "li":
            self._newline()
            if self.lists and self.lists[-1][0]:
                self.lists[-1][1] += 1
                self.out.append(f"{self.lists[-1][1]}. ")
            else:
                self.out.append("- ")
        elif tag == "a":
            href = attr.get("href") or ""
            usable = href.startswith(("http://", "https://", "mailto:"))
            self.links.append(href if usable else None)
            if usable:
                self.out.append("[")
        elif tag in ("img", "audio", "video", "object", "embed", "iframe"):
            self.media += 1
            alt = (attr.get("alt") or "").strip()
            if alt:
                self.out.append("[" + _MD_SPECIAL.sub(r"\\\1", alt) + "]")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.out.append("\n```\n\n")
        elif tag in ("p", "div", "blockquote", "table", "h1", "h2", "h3", "h4"):
            self._newline(2)
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._newline(2)
        elif tag in ("td", "th"):
            self.out.append(" ")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.out.append(f"]({href.replace(')', '%29').replace(' ', '%20')})")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            self.out.append(data)
            return
        text = re.sub(r"\s+", " ", data)
        self.out.append(_MD_SPECIAL.sub(r"\\\1", text))


def html_to_markdown(html: str) -> tuple[str, int]:
    """Markdown for an HTML fragment, and how many images or media it dropped."""
    parser = _ToMarkdown()
    parser.feed(html)
    parser.close()
    text = "".join(parser.out)
    lines = [
        line.rstrip() if not line.endswith("  ") else line for line in text.split("\n")
    ]
    text = "\n".join(line if line.strip() else "" for line in lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    # A line break before a paragraph end is noise.
    text = re.sub(r" {2}\n(\n|$)", r"\n\1", text)
    return text, parser.media


_TAG_RE = re.compile(r"<[a-zA-Z/][^>]*>")


def looks_like_html(text: str) -> bool:
    return bool(_TAG_RE.search(text)) or "&nbsp;" in text or "&amp;" in text


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.media = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("img", "audio", "video", "object", "embed", "iframe"):
            self.media += 1
        elif tag in _BLOCK_TAGS:
            self.out.append(" ")

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def plain_from_html(text: str) -> tuple[str, int]:
    """One-line plain text of a choice or answer that may be HTML (entities decoded)."""
    if not looks_like_html(text):
        return " ".join(text.split()), 0
    parser = _Text()
    parser.feed(text)
    parser.close()
    return " ".join("".join(parser.out).split()), parser.media

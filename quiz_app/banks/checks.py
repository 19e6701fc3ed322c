"""Pure value checks of one bank's YAML node tree: the :class:`Checker` converts
nodes to values by their key tables and collects problems. No Flask or DB imports.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from quiz_app.banks.keys import SLUG_HELP, KeySpec, Kind
from quiz_app.banks.schema import (
    ID_PATTERN,
    IMAGE_EXTENSIONS,
    MAX_ID_LENGTH,
    Problem,
)
from quiz_app.banks.yamlnodes import Map, Node, Scalar, Seq

ID_RE = re.compile(ID_PATTERN)
INT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT_RE = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?")
_LEADING_ZERO_RE = re.compile(r"[-+]?0[0-9]+")
_MAX_NUMBER_CHARS = 40
_YAML11_BOOLS = frozenset({"yes", "no", "y", "n", "on", "off"})
_STR_TAG = "tag:yaml.org,2002:str"
_OK_TAGS = frozenset(
    {None, "!", _STR_TAG, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
)


# ----------------------------------------------------------------------
# Where things are, for cross-bank checks (a Bank keeps only question/card lines)

Pos = tuple[int, int]


@dataclass(slots=True)
class QuizPlaces:
    quiz: Pos
    id: Pos
    banks: dict[str, Pos] = field(default_factory=dict)
    count: Pos | None = None
    topics: dict[str, Pos] = field(default_factory=dict)
    ids: dict[str, Pos] = field(default_factory=dict)


@dataclass(slots=True)
class Places:
    bank_id: Pos = (1, 1)
    quizzes: dict[str, QuizPlaces] = field(default_factory=dict)  #: by quiz id
    by_index: dict[int, QuizPlaces] = field(default_factory=dict)  #: by position
    #: question id -> its image.file node
    images: dict[str, Pos] = field(default_factory=dict)
    #: question or card id -> its id node
    item_ids: dict[str, Pos] = field(default_factory=dict)


INVALID: Final = object()  #: a value that was reported as a problem


def kind_name(node: Node) -> str:
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    return (
        "empty"
        if node.plain and node.value == ""
        else f"the text {short(node.value)!r}"
    )


def short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def did_you_mean(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _prefix(where: str, message: str) -> str:
    return f"{where}: {message}" if where else message


def item_where(kind: str, index: int, node: Node) -> str:
    where = f"{kind}[{index}]"
    if isinstance(node, Map):
        for key, value in node.pairs:
            if isinstance(key, Scalar) and key.value == "id":
                if (
                    isinstance(value, Scalar)
                    and value.value.strip()
                    and "\n" not in value.value
                ):
                    where += f" ({short(value.value, MAX_ID_LENGTH)})"
                break
    return where


class Checker:
    """Walks one bank's node tree, converting and collecting problems."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.places = Places()

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
                f"{name} must be a mapping (key: value lines), not {kind_name(node)}",
            )
            return None
        self.tag_ok(node, where, name)
        result: dict[str, tuple[Scalar, Node]] = {}
        for key, value in node.pairs:
            if not isinstance(key, Scalar):
                self.add(
                    key,
                    where,
                    f"a key in {name} is {kind_name(key)}; keys must be plain text",
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
                extra or f"unknown key {prefix + text!r}{did_you_mean(text, allowed)}",
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
        """Convert a node of a simple kind; INVALID after reporting a problem."""
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
            self.add(node, where, f"{name!r} must be {what}, not {kind_name(node)}")
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
            return INVALID
        if not scalar.value.strip():
            self.add(node, where, f"{name!r} is empty")
            return INVALID
        return scalar.value

    def slug(self, node: Node, where: str, name: str) -> Any:
        text = self.text(node, where, name)
        if text is INVALID:
            return INVALID
        if len(text) > MAX_ID_LENGTH:
            self.add(
                node,
                where,
                f"{name!r} is {len(text)} characters long; the limit is "
                f"{MAX_ID_LENGTH}",
            )
            return INVALID
        if not ID_RE.match(text) or text.endswith("\n"):
            self.add(
                node, where, f"{name!r} is {short(text)!r}; it must be {SLUG_HELP}"
            )
            return INVALID
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
                node, where, f"{name!r} must be {what}, not {kind_name(node)}{hint}"
            )
            return INVALID
        self.tag_ok(node, where, name)
        convert = self.slug if slugs else self.text
        items = [
            convert(item, where, f"{name}[{i}]") for i, item in enumerate(node.items)
        ]
        if INVALID in items:
            return INVALID
        if len(items) < minimum:
            self.add(
                node,
                where,
                f"{name!r} needs at least {minimum} "
                f"{'entry' if minimum == 1 else 'entries'}",
            )
            return INVALID
        return tuple(items)

    def boolean(self, node: Node, where: str, name: str) -> Any:
        scalar = self.scalar(node, where, name, "true or false")
        if scalar is None:
            return INVALID
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
                node, where, f"{name!r} must be true or false, not {short(text)!r}"
            )
        return INVALID

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
        self.add(node, where, f"{name!r} must be {what}, not {short(text)!r}{why}")

    def number(self, node: Node, where: str, name: str) -> Any:
        scalar = self._numeric_text(node, where, name, "a number")
        if scalar is None:
            return INVALID
        text = scalar.value
        if INT_RE.fullmatch(text):
            return int(text)
        if _FLOAT_RE.fullmatch(text):
            value = float(text)
            if math.isfinite(value):
                return value
            self.add(node, where, f"{name!r} is too large")
            return INVALID
        self._not_a_number(scalar, where, name, "a decimal number")
        return INVALID

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
            return INVALID
        text = scalar.value
        if not INT_RE.fullmatch(text) or len(text) > 12:
            self._not_a_number(scalar, where, name, "a whole number")
            return INVALID
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
            return INVALID
        return value

    def enum(self, node: Node, where: str, name: str, choices: Sequence[str]) -> Any:
        text = self.text(node, where, name)
        if text is INVALID:
            return INVALID
        if text not in choices:
            listed = ", ".join(choices)
            self.add(
                node,
                where,
                f"{name!r} is {short(text)!r}; use one of "
                f"{listed}{did_you_mean(text, choices)}",
            )
            return INVALID
        return text

    def url(self, node: Node, where: str, name: str) -> Any:
        text = self.text(node, where, name)
        if text is INVALID:
            return INVALID
        if not re.match(r"https?://[^\s/]+", text) or any(c.isspace() for c in text):
            self.add(
                node,
                where,
                f"{name!r} must be a web address starting with http:// or https://",
            )
            return INVALID
        return text

    def path(self, node: Node, where: str, name: str) -> Any:
        text = self.text(node, where, name)
        if text is INVALID:
            return INVALID
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
        return INVALID

    def text_map(self, node: Node, where: str, name: str) -> Any:
        pairs = self.pairs(node, where, repr(name))
        if pairs is None:
            return INVALID
        result: list[tuple[str, Any]] = []
        bad = False
        for text, (key, value) in pairs.items():
            if not text.strip():
                self.add(key, where, f"a key of {name!r} is empty")
                bad = True
                continue
            converted = self.text(value, where, f"{name}.{text}")
            bad = bad or converted is INVALID
            result.append((text, converted))
        if bad:
            return INVALID
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

"""Pure helpers the question types' import and export parts share: GIFT escaping,
Moodle XML elements, numbers and lists as text. No Flask or DB.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_GIFT_WEIGHT = re.compile(r"^%(-?[0-9]+(?:\.[0-9]+)?)%")


def gift_escape(text: str) -> str:
    """Moodle's repchar(): backslash the reserved characters, newlines as ``\\n``."""
    for char in ("\\", "#", "=", "~", "{", "}", ":"):
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\r", "").replace("\n", "\\n")


def gift_split(answers: str, marks: str) -> list[tuple[str, str]]:
    """(mark, text) for each answer of a GIFT answer part starting with one of
    ``marks`` (mark "" for text before the first)."""
    pieces = re.split(f"([{re.escape(marks)}])", answers)
    out: list[tuple[str, str]] = []
    if pieces[0].strip():
        out.append(("", pieces[0]))
    for i in range(1, len(pieces), 2):
        out.append((pieces[i], pieces[i + 1]))
    return out


@dataclass(frozen=True, slots=True)
class GiftItem:
    """One answer of a GIFT question: raw text, weight and feedback."""

    raw: str
    weight: float | None  #: percent; None when not given and not right
    feedback: str


def gift_item(raw: str, *, correct: bool) -> GiftItem:
    """An answer's ``%50%`` weight (100 for a right one without any) and ``#``
    feedback."""
    text, _, feedback = raw.partition("#")
    text = text.strip()
    weight: float | None = 100.0 if correct else None
    match = _GIFT_WEIGHT.match(text)
    if match:
        weight = float(match.group(1))
        text = text[match.end() :].strip()
    return GiftItem(text, weight, feedback.strip())


def gift_lines(lines: Sequence[str]) -> str:
    """Answer lines of a GIFT block, one per line, tab-indented."""
    return "\n".join("\t" + line for line in lines)


def percent_text(value: float) -> str:
    """A GIFT weight: at most five decimals, no trailing zeros."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def number_text(value: Any) -> str:
    """A number as written in an exported file (floats exactly, by repr)."""
    return repr(value) if isinstance(value, float) else str(value)


def join_list(values: Sequence[str]) -> str:
    """A list in one CSV cell, separated by ``|``."""
    return " | ".join(values)


def split_list(value: str) -> list[str]:
    """The non-empty parts of a ``|``-separated CSV cell."""
    return [part.strip() for part in value.split("|") if part.strip()]


def is_false(cell: str) -> bool:
    """Whether a CSV cell says no (``false``, ``no``, ``0``)."""
    return cell.strip().lower() in ("false", "no", "0")


def finite_number(text: str) -> float | None:
    """A number written in a file's cell or element, or None when it is not a finite
    one."""
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# --------------------------------------------------------------------------------------
# Moodle XML


def xml_sub(
    parent: ET.Element, tag: str, text: str | None = None, **attrs: str
) -> ET.Element:
    """A child element, with text when given."""
    node = ET.SubElement(parent, tag, attrs)
    if text is not None:
        node.text = text
    return node


def xml_text(parent: ET.Element, tag: str, text: str, fmt: str | None = None) -> None:
    """Moodle's ``<tag format="…"><text>…</text></tag>``."""
    node = xml_sub(parent, tag, **({"format": fmt} if fmt else {}))
    xml_sub(node, "text", text)


def _fraction_text(value: float) -> str:
    return f"{value:.7f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))


def xml_answer(parent: ET.Element, text: str, fraction: float) -> ET.Element:
    """An ``<answer>`` with its fraction (percent), plain text and empty feedback."""
    node = xml_sub(
        parent, "answer", fraction=_fraction_text(fraction), format="plain_text"
    )
    xml_sub(node, "text", text)
    xml_text(node, "feedback", "", "html")
    return node


def xml_fraction(node: ET.Element) -> float:
    """An <answer>'s fraction (percent); 0 when it is missing or no finite number."""
    try:
        value = float(node.get("fraction", "0"))
    except ValueError:
        return 0.0
    return value if math.isfinite(value) else 0.0


def xml_flag(node: ET.Element, tag: str, *, default: str) -> bool:
    """A Moodle yes/no element (``true``/``1`` is yes)."""
    return (node.findtext(tag) or default).strip().lower() in ("true", "1")

"""Pure helpers the question types' import and export parts share: GIFT escaping,
Moodle XML elements, numbers and lists as text. No Flask or DB.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any


def gift_escape(text: str) -> str:
    """Moodle's repchar(): backslash the reserved characters, newlines as ``\\n``."""
    for char in ("\\", "#", "=", "~", "{", "}", ":"):
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\r", "").replace("\n", "\\n")


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


def csv_number(text: str) -> float | None:
    """A number in a CSV cell, or None when it is not a finite one."""
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

"""Pure reading of what a student typed: text normalised for matching, numbers in the
formats students use, text made safe in Markdown. No Flask or DB.

The numeric rules are described in :mod:`quiz_app.questions.types`.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_ROMANISATION = re.compile(r"e+(?=[ou])")


def normalise_answer(text: str) -> str:
    """Reduce a short answer to the form used for matching.

    Ignores case, accents, punctuation (typographic quotes and apostrophes too) and all
    whitespace, and folds Korean romanisation (``ŏ``/``eo`` -> ``o``, ``ŭ``/``eu`` ->
    ``u``), so ``P'anmunjŏm``, ``Panmunjeom`` and ``PANMUNJOM`` all become
    ``panmunjom``.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    # The Spacing Modifier Letters block holds apostrophe look-alikes (ʼ ʻ ˈ) that
    # count as letters.
    stripped = "".join(
        c
        for c in decomposed
        if not unicodedata.combining(c) and not "\u02b0" <= c <= "\u02ff"
    )
    letters = "".join(c for c in stripped.casefold() if c.isalnum())
    # Folded after punctuation and spaces are gone, so "Se-oul" still equals "Seoul";
    # dropping every "e" before o/u (not only one) keeps the result stable when
    # normalised again.
    return _ROMANISATION.sub("", letters)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!])")
# Block markers only count at the start of a line and before a space ("1. x", "- x")
# or as a run ("---", "==="), so "0.5" and "-3" stay as they are.
_MD_LINE_START = re.compile(r"^(\s*)(\d+)([.)])(?=\s|$)|^(\s*)([-+=])(?=\s|$|[-+=])")


def escape_markdown(text: str) -> str:
    """Make plain text safe in Markdown: one line; no emphasis, links, HTML or lists."""
    one_line = " ".join(text.split())
    escaped = _MD_SPECIAL.sub(r"\\\1", one_line)
    return _MD_LINE_START.sub(
        lambda m: (
            f"{m.group(1)}{m.group(2)}\\{m.group(3)}"
            if m.group(2)
            else f"{m.group(4)}\\{m.group(5)}"
        ),
        escaped,
    )


_MAX_NUMBER_CHARS = 64
_PLAIN = re.compile(r"\d+(?:[.,]\d*)?|[.,]\d+")
_THOUSANDS_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_THOUSANDS_POINT = re.compile(r"\d{1,3}(?:\.\d{3}){2,}|\d{1,3}(?:\.\d{3})+,\d*")


def parse_number(text: str, *, unit: str = "") -> Decimal | None:
    """Read a number typed by a student, or None if it is not one.

    The rules are in :mod:`quiz_app.questions.types` (numeric responses). The unit may
    also be shortened from its end: with the unit "July 1951", "8 July" reads as 8, and
    with "troops per month", "35,000 troops" as 35000; any other word ("4 miles" where
    the unit is km) is not a number.
    """
    number = _parse_bare_number(text, unit=unit)
    unit_key = "".join(unit.split()).casefold()
    trailing = (
        _NUMBER_THEN_WORDS.fullmatch(text) if number is None and unit_key else None
    )
    if trailing and unit_key.startswith("".join(trailing.group(2).split()).casefold()):
        number = _parse_bare_number(trailing.group(1))
    return number


#: a number, then words without a digit (the start of the unit, as a student types it)
_NUMBER_THEN_WORDS = re.compile(r"\s*([+\-\u2212]?\d[\d.,\s]*?)\s*([^\d\s][^\d]*)")


def _parse_bare_number(text: str, *, unit: str = "") -> Decimal | None:
    compact = "".join(text.split())
    if not compact or len(compact) > _MAX_NUMBER_CHARS:
        return None
    unit_key = "".join(unit.split()).casefold()
    if unit_key and compact.casefold().endswith(unit_key):
        compact = compact[: -len(unit_key)]
    compact = compact.replace("\u2212", "-")
    sign = ""
    if compact[:1] in "+-" and compact:
        sign, compact = ("-" if compact[0] == "-" else ""), compact[1:]
    if _THOUSANDS_COMMA.fullmatch(compact):
        digits = compact.replace(",", "")
    elif _THOUSANDS_POINT.fullmatch(compact):
        digits = compact.replace(".", "").replace(",", ".")
    elif _PLAIN.fullmatch(compact):
        digits = compact.replace(",", ".")
    else:
        return None
    try:
        return Decimal(sign + digits)
    except InvalidOperation:  # pragma: no cover - the patterns only let digits through
        return None


def exact_decimal(value: int | float) -> Decimal:
    # repr gives the shortest text that round-trips, so 0.1 becomes exactly
    # Decimal("0.1") and a boundary such as 4 ± 0.5 is inclusive without float error.
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def format_number(value: int | float) -> str:
    text = format(exact_decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text

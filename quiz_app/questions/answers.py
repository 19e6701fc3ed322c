"""Pure reading of what a student typed: text normalised for matching, numbers in the
formats students use, text made safe in Markdown. No Flask or DB.

The numeric rules are described in :mod:`quiz_app.questions.types`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
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


# Apostrophes join a word ("People's", "P'anmunjom"); every other mark separates words.
_APOSTROPHES = re.compile("['\u2018\u2019\u0060\u00b4]")
# A thousands separator inside a number ("75,823") does not split it into two words.
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_ARTICLES = frozenset({"the", "a", "an"})
#: small words an abbreviation leaves out: "Neutral Nations Supervisory Commission"
#: is NNSC, "Military Armistice Commission" is MAC
_ACRONYM_SKIPS = frozenset({"of", "the", "and", "for", "on", "in"})
_BRACKETED = re.compile(r"^(?P<main>.*?)\s*[(\[](?P<inner>[^()\[\]]*)[)\]]\s*$")


def answer_words(text: str) -> tuple[str, ...]:
    """The words of a text, each normalised as :func:`normalise_answer` would.

    Words split at spaces and punctuation except apostrophes, so ``"the Korean
    People's Army"`` gives ``("the", "korean", "peoples", "army")`` and
    ``"Kim Il-sŏng"`` gives ``("kim", "il", "song")``. The leak check and lenient
    short-answer matching compare these.
    """
    decomposed = unicodedata.normalize("NFKD", _THOUSANDS.sub("", text))
    stripped = "".join(
        c
        for c in decomposed
        if not unicodedata.combining(c) and not "\u02b0" <= c <= "\u02ff"
    )
    joined = _APOSTROPHES.sub("", stripped.casefold())
    return tuple(
        _ROMANISATION.sub("", word) for word in _NON_WORD.split(joined) if word
    )


def _initials(text: str) -> str:
    """First letters of the words as written (before romanisation folding), less the
    small words an abbreviation leaves out.
    """
    words = _NON_WORD.split(
        _APOSTROPHES.sub("", unicodedata.normalize("NFKD", text).casefold())
    )
    return "".join(w[0] for w in words if w and w not in _ACRONYM_SKIPS)


def _is_initial(word: str) -> bool:
    return len(word) == 1 and word.isalpha()


def _same_words(typed: Sequence[str], accepted: Sequence[str]) -> bool:
    """Equal word for word, up to middle initials.

    An initial ("f") stands for a word starting with it ("foster") anywhere but in last
    place, and an initial between the first and last word may be left out on either
    side, so "Walter S. Robertson" = "Walter Robertson" and "John F. Dulles" = "John
    Foster Dulles". A full word is never left out, so "John Foster" stays different from
    "John Foster Dulles", and the last word must match exactly ("Article I" is not
    "Article II").
    """
    n, m = len(typed), len(accepted)

    def optional(words: Sequence[str], i: int, length: int) -> bool:
        return 0 < i < length - 1 and _is_initial(words[i])

    # reach[i][j]: typed[:i] and accepted[:j] align, and whether a full word matched
    reach: dict[tuple[int, int], bool] = {(0, 0): False}
    for i in range(n + 1):
        for j in range(m + 1):
            if (i, j) not in reach:
                continue
            full = reach[(i, j)]
            steps: list[tuple[int, int, bool]] = []
            if i < n and j < m:
                a, b = typed[i], accepted[j]
                if a == b:
                    steps.append((i + 1, j + 1, full or not _is_initial(a)))
                elif (i < n - 1 and j < m - 1) and (
                    (_is_initial(a) and b.startswith(a))
                    or (_is_initial(b) and a.startswith(b))
                ):
                    steps.append((i + 1, j + 1, full))
            if i < n and optional(typed, i, n):
                steps.append((i + 1, j, full))
            if j < m and optional(accepted, j, m):
                steps.append((i, j + 1, full))
            for key_i, key_j, value in steps:
                reach[(key_i, key_j)] = reach.get((key_i, key_j), False) or value
    return reach.get((n, m), False)


def _without_article(words: tuple[str, ...]) -> tuple[str, ...]:
    return words[1:] if len(words) > 1 and words[0] in _ARTICLES else words


def _matches_words(typed: tuple[str, ...], accepted: tuple[str, ...]) -> bool:
    if "".join(typed) == "".join(accepted):
        return True
    return any(
        _same_words(t, a)
        for t in {typed, _without_article(typed)}
        for a in {accepted, _without_article(accepted)}
    )


def _split_bracket(text: str) -> tuple[str, str | None]:
    """``"United Nations Command (UNC)"`` -> ``("United Nations Command", "UNC")``."""
    match = _BRACKETED.match(text)
    if match is None or not match.group("main").strip():
        return text, None
    return match.group("main"), match.group("inner")


def short_answer_matches(typed: str, accepted: Sequence[str]) -> bool:
    """Is a typed short answer one of the accepted answers, written as students write?

    Beyond :func:`normalise_answer` (case, accents, punctuation, spacing, romanisation)
    it accepts a leading article ("the Neutral Nations Supervisory Commission"), middle
    initials ("Walter S. Robertson" for "Walter Robertson", "John F. Dulles" for "John
    Foster Dulles") and an abbreviation in brackets after the name ("United Nations
    Command (UNC)") or the name in brackets after the abbreviation. The bracketed part
    must be the initials of the name or itself an accepted answer; the abbreviation
    alone counts only where the bank lists it. An accepted answer written with a
    bracket ("Northern Limit Line (NLL)") also accepts the name without it.
    """
    if not normalise_answer(typed):
        return False
    plain = normalise_answer(typed)
    if any(plain == normalise_answer(a) for a in accepted):
        return True
    forms: list[tuple[str, ...]] = []
    for answer in accepted:
        forms.append(answer_words(answer))
        main, inner = _split_bracket(answer)
        if inner is not None:
            forms.append(answer_words(main))

    def accepted_form(text: str) -> tuple[str, ...] | None:
        words = answer_words(text)
        if not words:
            return None
        return next((f for f in forms if _matches_words(words, f)), None)

    main, inner = _split_bracket(typed)
    if inner is None:
        return accepted_form(typed) is not None
    for first, second in ((main, inner), (inner, main)):
        if accepted_form(first) is None or not answer_words(second):
            continue
        if accepted_form(second) is not None:
            return True
        # The other part may be the first part's initials: "(UNC)", "(NLL)".
        if len(answer_words(second)) == 1 and normalise_answer(second) == _initials(
            first
        ):
            return True
    return False


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

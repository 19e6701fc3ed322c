"""Pure question-type registry: fields, checks and grading per type. No Flask or DB.

Interface contract (the bank loader depends on it):

* ``QUESTION_TYPES[key]`` is a :class:`QuestionType`.
* ``QuestionType.fields`` maps each type-specific YAML key to a :class:`FieldKind`; the
  loader converts the YAML node to the Python value named there and reports kind
  mismatches with the node's line: TEXT -> str (the scalar exactly as written, never a
  YAML bool/number), TEXT_LIST -> tuple[str, ...], BOOL -> bool (only the literals
  true/false), NUMBER -> int | float, TEXT_MAP -> tuple[tuple[str, str], ...] (a mapping
  of text to text, file order kept).
* ``QuestionType.required`` are the keys that must be present; ``defaults`` fills absent
  optional ones.
* ``QuestionType.check(data)`` gets the converted fields and returns
  ``[(key, message), ...]`` for cross-field rules (answer among the choices, counts,
  distinct items); the loader locates each at that key's node.
* ``QuestionType.grade(data, response)`` is pure and returns a :class:`Grade`.
* ``QuestionType.describe_answer(data)`` and ``describe_response(data, response)``
  return Markdown-safe text (user text is backslash-escaped) for results pages and
  derived flashcards. Ordering and matching give a Markdown list, one line per item;
  the other types give one line.

Response shapes (the web layer builds these from the submitted form):

* ``single_choice``: ``str | None``, the chosen choice text.
* ``multi_choice``: a collection of ``str``, the ticked choice texts (order and
  duplicates do not matter; a bare ``str`` counts as one tick).
* ``true_false``: ``bool | None``.
* ``short_text``: ``str``, the text typed.
* ``numeric``: ``str``, the text typed (an ``int``/``float`` is accepted too). Spaces
  are ignored, so is a trailing unit equal to the question's ``unit`` or to its first
  words (``8 July`` for the unit ``July 1951``); ``−`` counts as minus. Commas
  followed by groups of three digits separate thousands (``75,823``, ``1,953.5``;
  ``1.234.567`` and ``1.234,5`` the other way round); otherwise one comma or point is
  the decimal separator (``4,5`` = ``4.5``). Anything else is "not a number" and
  scores 0.
* ``ordering``: a sequence of ``str``, the items in the student's order; ``None`` or
  ``""`` for an unfilled slot.
* ``matching``: a mapping of left text -> chosen right-hand text (or ``None``).

Grading never raises on a missing or malformed response: it scores 0 with feedback.
The question data is assumed to have passed ``check``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any


class FieldKind(StrEnum):
    TEXT = "text"
    TEXT_LIST = "text_list"
    BOOL = "bool"
    NUMBER = "number"
    TEXT_MAP = "text_map"


@dataclass(frozen=True, slots=True)
class Grade:
    score: float  #: 0.0 .. 1.0
    is_correct: bool  #: full marks only
    feedback: str = ""
    #: partial credit counted in parts: (right, out of, what), e.g. (5, 6, "pairs")
    tally: tuple[int, int, str] | None = None


Check = Callable[[Mapping[str, Any]], list[tuple[str, str]]]
Grader = Callable[[Mapping[str, Any], Any], Grade]
AnswerDescriber = Callable[[Mapping[str, Any]], str]
ResponseDescriber = Callable[[Mapping[str, Any], Any], str]


@dataclass(frozen=True, slots=True)
class QuestionType:
    key: str
    label: str  #: shown to teachers, e.g. "Single choice"
    fields: Mapping[str, FieldKind]
    required: frozenset[str]
    check: Check
    grade: Grader
    describe_answer: AnswerDescriber  #: the correct answer, Markdown-safe
    describe_response: ResponseDescriber  #: what the student answered, Markdown-safe
    defaults: Mapping[str, Any] = field(default_factory=dict)

    @property
    def template(self) -> str:
        return f"quiz/questions/{self.key}.html"


QUESTION_TYPES: dict[str, QuestionType] = {}


def register(qtype: QuestionType) -> QuestionType:
    """Add a type to the registry; a duplicate key is a programming error."""
    if qtype.key in QUESTION_TYPES:
        raise ValueError(f"question type {qtype.key!r} registered twice")
    QUESTION_TYPES[qtype.key] = qtype
    return qtype


NO_ANSWER = "(no answer)"
NO_ANSWER_FEEDBACK = "No answer given."
#: after a row of a matching or ordering answer that is wrong (text, not colour alone)
WRONG_MARK = " ✗ *(wrong)*"

# --------------------------------------------------------------------------------------
# Text helpers


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


def _choice_key(text: str) -> str:
    """Texts a student could not tell apart: the same up to case and spacing."""
    return " ".join(text.split()).casefold()


def _did_you_mean(value: str, options: Sequence[str]) -> str:
    for option in options:
        if _choice_key(option) == _choice_key(value) or normalise_answer(
            option
        ) == normalise_answer(value):
            return f" (did you mean {option!r}?)"
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _count_problem(
    key: str, texts: Sequence[str], low: int, high: int, what: str
) -> list[tuple[str, str]]:
    n = len(texts)
    if low <= n <= high:
        return []
    entries = "entry" if n == 1 else "entries"
    return [(key, f"{key!r} has {n} {entries}; {what} needs {low} to {high}")]


def _distinct_problems(key: str, texts: Sequence[str]) -> list[tuple[str, str]]:
    """Empty texts and texts that look the same on screen (case and spacing ignored)."""
    problems: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for i, text in enumerate(texts, start=1):
        if not text.strip():
            problems.append((key, f"{key!r} item {i} is empty"))
            continue
        k = _choice_key(text)
        if k in seen:
            first = seen[k]
            if first == text:
                problems.append((key, f"{key!r} lists {text!r} twice"))
            else:
                problems.append(
                    (
                        key,
                        f"{key!r} lists {first!r} and {text!r}, "
                        "which differ only in case or spacing",
                    )
                )
        else:
            seen[k] = text
    return problems


def _round(score: float) -> float:
    return round(min(1.0, max(0.0, score)), 4)


def _full_or_nothing(ok: bool, feedback: str = "") -> Grade:
    return Grade(score=1.0 if ok else 0.0, is_correct=ok, feedback=feedback)


def _partial(
    score: float, feedback: str, tally: tuple[int, int, str] | None = None
) -> Grade:
    rounded = _round(score)
    return Grade(
        score=rounded, is_correct=rounded == 1.0, feedback=feedback, tally=tally
    )


def _texts(response: Any) -> list[str] | None:
    """The strings of a collection response, or None when it is no collection."""
    if isinstance(response, str):
        return [response]
    if isinstance(response, Mapping) or not isinstance(response, Iterable):
        return None
    return [item for item in response if isinstance(item, str)]


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


# --------------------------------------------------------------------------------------
# single_choice


def _check_single(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    if "choices" not in data:  # reported as a missing key already
        return []
    choices: tuple[str, ...] = data["choices"]
    problems = _count_problem("choices", choices, 2, 8, "a single_choice question")
    problems += _distinct_problems("choices", choices)
    answer = data.get("answer")
    if isinstance(answer, str) and answer not in choices:
        problems.append(
            (
                "answer",
                f"'answer' is not one of the choices{_did_you_mean(answer, choices)}",
            )
        )
    return problems


def _grade_single(data: Mapping[str, Any], response: Any) -> Grade:
    if response is None or (isinstance(response, str) and not response.strip()):
        return _full_or_nothing(False, NO_ANSWER_FEEDBACK)
    if not isinstance(response, str) or response not in data["choices"]:
        return _full_or_nothing(False, "That is not one of the choices.")
    return _full_or_nothing(response == data["answer"])


def _describe_single_answer(data: Mapping[str, Any]) -> str:
    return escape_markdown(data["answer"])


def _describe_single_response(data: Mapping[str, Any], response: Any) -> str:
    if not isinstance(response, str) or not response.strip():
        return NO_ANSWER
    return escape_markdown(response)


# --------------------------------------------------------------------------------------
# multi_choice


def _check_multi(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    if "choices" not in data:  # reported as a missing key already
        return []
    choices: tuple[str, ...] = data["choices"]
    problems = _count_problem("choices", choices, 3, 10, "a multi_choice question")
    problems += _distinct_problems("choices", choices)
    answers: tuple[str, ...] | None = data.get("answers")
    if answers is None:
        return problems
    if not answers:
        problems.append(
            ("answers", "'answers' is empty; list at least one correct choice")
        )
    seen: set[str] = set()
    for answer in answers:
        if answer in seen:
            problems.append(("answers", f"'answers' lists {answer!r} twice"))
        seen.add(answer)
        if answer not in choices:
            problems.append(
                (
                    "answers",
                    f"'answers': {answer!r} is not one of the choices"
                    + _did_you_mean(answer, choices),
                )
            )
    if choices and set(choices) <= seen:
        problems.append(
            ("answers", "'answers' lists every choice; leave at least one choice wrong")
        )
    return problems


def _grade_multi(data: Mapping[str, Any], response: Any) -> Grade:
    texts = _texts(response) if response is not None else []
    if texts is None:
        return _full_or_nothing(False, "That answer could not be read.")
    choices = set(data["choices"])
    correct = set(data["answers"])
    ticked = {t for t in texts if t in choices}
    if not ticked:
        return _full_or_nothing(False, NO_ANSWER_FEEDBACK)
    right = len(ticked & correct)
    wrong = len(ticked - correct)
    score = (right - wrong) / len(correct)
    if right == len(correct) and not wrong:
        return _partial(1.0, "")
    feedback = f"You ticked {right} of {_plural(len(correct), 'correct answer')}"
    feedback += f" and {_plural(wrong, 'wrong one')}." if wrong else "."
    return _partial(score, feedback)


def _describe_multi_answer(data: Mapping[str, Any]) -> str:
    correct = set(data["answers"])
    return "; ".join(escape_markdown(c) for c in data["choices"] if c in correct)


def _describe_multi_response(data: Mapping[str, Any], response: Any) -> str:
    texts = set(_texts(response) or ()) if response is not None else set()
    ticked = [escape_markdown(c) for c in data["choices"] if c in texts]
    return "; ".join(ticked) if ticked else NO_ANSWER


# --------------------------------------------------------------------------------------
# true_false


def _check_nothing(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    return []


def _grade_true_false(data: Mapping[str, Any], response: Any) -> Grade:
    if response is None:
        return _full_or_nothing(False, NO_ANSWER_FEEDBACK)
    if not isinstance(response, bool):
        return _full_or_nothing(False, "Answer true or false.")
    return _full_or_nothing(response is data["answer"])


def _describe_true_false_answer(data: Mapping[str, Any]) -> str:
    return "True" if data["answer"] else "False"


def _describe_true_false_response(data: Mapping[str, Any], response: Any) -> str:
    if not isinstance(response, bool):
        return NO_ANSWER
    return "True" if response else "False"


# --------------------------------------------------------------------------------------
# short_text


def _check_short(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    answers: tuple[str, ...] | None = data.get("answers")
    if answers is None:
        return []
    if not answers:
        return [("answers", "'answers' is empty; list at least one accepted answer")]
    # Spelling variants that normalise alike (Panmunjom, P'anmunjŏm) are allowed:
    # authors list them to show what is accepted, and they do no harm.
    return [
        (
            "answers",
            f"'answers': {answer!r} has no letters or digits, so nothing can match it",
        )
        for answer in answers
        if not normalise_answer(answer)
    ]


def _grade_short(data: Mapping[str, Any], response: Any) -> Grade:
    if not isinstance(response, str):
        return _full_or_nothing(
            False,
            NO_ANSWER_FEEDBACK
            if response is None
            else "That answer could not be read.",
        )
    if not normalise_answer(response):
        return _full_or_nothing(False, NO_ANSWER_FEEDBACK)
    return _full_or_nothing(short_answer_matches(response, data["answers"]))


def _describe_short_answer(data: Mapping[str, Any]) -> str:
    return escape_markdown(data["answers"][0])


def _describe_text_response(data: Mapping[str, Any], response: Any) -> str:
    if isinstance(response, bool) or not isinstance(response, str | int | float):
        return NO_ANSWER
    text = str(response)
    return escape_markdown(text) if text.strip() else NO_ANSWER


# --------------------------------------------------------------------------------------
# numeric

_MAX_NUMBER_CHARS = 64
_PLAIN = re.compile(r"\d+(?:[.,]\d*)?|[.,]\d+")
_THOUSANDS_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_THOUSANDS_POINT = re.compile(r"\d{1,3}(?:\.\d{3}){2,}|\d{1,3}(?:\.\d{3})+,\d*")


def parse_number(text: str, *, unit: str = "") -> Decimal | None:
    """Read a number typed by a student, or None if it is not one.

    The rules are in the module docstring (numeric responses). The unit may also be
    shortened from its end: with the unit "July 1951", "8 July" reads as 8, and with
    "troops per month", "35,000 troops" as 35000; any other word ("4 miles" where the
    unit is km) is not a number.
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


def _decimal(value: int | float) -> Decimal:
    # repr gives the shortest text that round-trips, so 0.1 becomes exactly
    # Decimal("0.1") and a boundary such as 4 ± 0.5 is inclusive without float error.
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _format_number(value: int | float) -> str:
    text = format(_decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _check_numeric(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    answer = data.get("answer")
    if isinstance(answer, float) and not _decimal(answer).is_finite():
        problems.append(("answer", "'answer' must be a finite number"))
    tolerance = data.get("tolerance", 0)
    if isinstance(tolerance, float) and not _decimal(tolerance).is_finite():
        problems.append(("tolerance", "'tolerance' must be a finite number"))
    elif isinstance(tolerance, int | float) and tolerance < 0:
        problems.append(
            ("tolerance", f"'tolerance' is {tolerance}; use a number of 0 or more")
        )
    return problems


def _grade_numeric(data: Mapping[str, Any], response: Any) -> Grade:
    if response is None or (isinstance(response, str) and not response.strip()):
        return _full_or_nothing(False, NO_ANSWER_FEEDBACK)
    if isinstance(response, bool) or not isinstance(response, str | int | float):
        return _full_or_nothing(False, "Not a number.")
    if isinstance(response, str):
        value = parse_number(response, unit=data.get("unit") or "")
        if value is None:
            return _full_or_nothing(False, "Not a number.")
    else:
        value = _decimal(response)
        if not value.is_finite():
            return _full_or_nothing(False, "Not a number.")
    distance = abs(value - _decimal(data["answer"]))
    return _full_or_nothing(distance <= _decimal(data.get("tolerance", 0)))


def _describe_numeric_answer(data: Mapping[str, Any]) -> str:
    text = _format_number(data["answer"])
    unit = data.get("unit") or ""
    if unit:
        text += f" {unit}"
    tolerance = data.get("tolerance", 0)
    if tolerance:
        text += f" (± {_format_number(tolerance)})"
    return escape_markdown(text)


# --------------------------------------------------------------------------------------
# ordering


def _check_ordering(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    if "items" not in data:  # reported as a missing key already
        return []
    items: tuple[str, ...] = data["items"]
    return _count_problem(
        "items", items, 3, 8, "an ordering question"
    ) + _distinct_problems("items", items)


def _slots(response: Any) -> list[str | None] | None:
    if isinstance(response, str | Mapping) or not isinstance(response, Sequence):
        return None
    return [
        item if isinstance(item, str) and item.strip() else None for item in response
    ]


def _grade_ordering(data: Mapping[str, Any], response: Any) -> Grade:
    items: Sequence[str] = data["items"]
    slots = _slots(response) if response is not None else []
    if slots is None:
        return _full_or_nothing(False, "That answer could not be read.")
    if not any(slots):
        return _full_or_nothing(False, NO_ANSWER_FEEDBACK)
    successor = dict(zip(items, items[1:], strict=False))
    # A set, so repeating a right pair (only possible with a tampered form) earns
    # nothing extra.
    right_pairs = {
        first
        for first, second in zip(slots, slots[1:], strict=False)
        if first and successor.get(first) == second
    }
    pairs = len(items) - 1
    if len(right_pairs) == pairs:
        return _partial(1.0, "")
    feedback = (
        f"{len(right_pairs)} of {pairs} neighbouring pairs are in the right order."
    )
    empty = sum(1 for s in slots[: len(items)] if s is None) + max(
        0, len(items) - len(slots)
    )
    if empty:
        feedback += f" {_plural(empty, 'place')} left empty."
    return _partial(
        len(right_pairs) / pairs, feedback, (len(right_pairs), pairs, "pairs in order")
    )


def _numbered(lines: Iterable[str]) -> str:
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))


def _describe_ordering_answer(data: Mapping[str, Any]) -> str:
    return _numbered(escape_markdown(item) for item in data["items"])


def _describe_ordering_response(data: Mapping[str, Any], response: Any) -> str:
    slots = _slots(response) if response is not None else None
    if not slots or not any(slots):
        return NO_ANSWER
    successor = dict(zip(data["items"], data["items"][1:], strict=False))
    linked = set()  # places in at least one neighbouring pair in the right order
    for i, (first, second) in enumerate(zip(slots, slots[1:], strict=False)):
        if first and successor.get(first) == second:
            linked |= {i, i + 1}
    return _numbered(
        (escape_markdown(s) + ("" if i in linked else WRONG_MARK)) if s else "—"
        for i, s in enumerate(slots)
    )


# --------------------------------------------------------------------------------------
# matching


def _check_matching(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    if "pairs" not in data:  # reported as a missing key already
        return []
    pairs: tuple[tuple[str, str], ...] = data["pairs"]
    lefts = [left for left, _ in pairs]
    rights = [right for _, right in pairs]
    problems = _count_problem("pairs", lefts, 3, 8, "a matching question")
    problems += [
        ("pairs", message.replace("'pairs'", "'pairs' (left)", 1))
        for _, message in _distinct_problems("pairs", lefts)
    ]
    problems += [
        ("pairs", message.replace("'pairs'", "'pairs' (right)", 1))
        for _, message in _distinct_problems("pairs", rights)
    ]
    distractors: tuple[str, ...] = data.get("distractors", ())
    problems += _distinct_problems("distractors", distractors)
    right_keys = {_choice_key(r): r for r in rights}
    for distractor in distractors:
        same = right_keys.get(_choice_key(distractor))
        if same is not None and distractor.strip():
            problems.append(
                (
                    "distractors",
                    f"'distractors': {distractor!r} is also the right-hand text "
                    f"of a pair ({same!r})",
                )
            )
    return problems


def _grade_matching(data: Mapping[str, Any], response: Any) -> Grade:
    pairs: Sequence[tuple[str, str]] = data["pairs"]
    if response is None:
        response = {}
    if not isinstance(response, Mapping):
        return _full_or_nothing(False, "That answer could not be read.")
    chosen = {left: response.get(left) for left, _ in pairs}
    if not any(isinstance(c, str) and c.strip() for c in chosen.values()):
        return _full_or_nothing(False, NO_ANSWER_FEEDBACK)
    right = sum(1 for left, answer in pairs if chosen[left] == answer)
    if right == len(pairs):
        return _partial(1.0, "")
    return _partial(
        right / len(pairs),
        f"{right} of {len(pairs)} pairs matched correctly.",
        (right, len(pairs), "pairs"),
    )


def _describe_matching_answer(data: Mapping[str, Any]) -> str:
    return "\n".join(
        f"- {escape_markdown(left)} → {escape_markdown(right)}"
        for left, right in data["pairs"]
    )


def _describe_matching_response(data: Mapping[str, Any], response: Any) -> str:
    if not isinstance(response, Mapping):
        return NO_ANSWER
    lines = []
    for left, right in data["pairs"]:
        chosen = response.get(left)
        shown = (
            escape_markdown(chosen)
            if isinstance(chosen, str) and chosen.strip()
            else NO_ANSWER
        )
        mark = WRONG_MARK if shown != NO_ANSWER and chosen != right else ""
        lines.append(f"- {escape_markdown(left)} → {shown}{mark}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# The registry

SINGLE_CHOICE = register(
    QuestionType(
        key="single_choice",
        label="Single choice",
        fields={
            "choices": FieldKind.TEXT_LIST,
            "answer": FieldKind.TEXT,
            "shuffle": FieldKind.BOOL,
        },
        required=frozenset({"choices", "answer"}),
        defaults={"shuffle": True},
        check=_check_single,
        grade=_grade_single,
        describe_answer=_describe_single_answer,
        describe_response=_describe_single_response,
    )
)
MULTI_CHOICE = register(
    QuestionType(
        key="multi_choice",
        label="Multiple choice",
        fields={
            "choices": FieldKind.TEXT_LIST,
            "answers": FieldKind.TEXT_LIST,
            "shuffle": FieldKind.BOOL,
        },
        required=frozenset({"choices", "answers"}),
        defaults={"shuffle": True},
        check=_check_multi,
        grade=_grade_multi,
        describe_answer=_describe_multi_answer,
        describe_response=_describe_multi_response,
    )
)
TRUE_FALSE = register(
    QuestionType(
        key="true_false",
        label="True or false",
        fields={"answer": FieldKind.BOOL},
        required=frozenset({"answer"}),
        check=_check_nothing,
        grade=_grade_true_false,
        describe_answer=_describe_true_false_answer,
        describe_response=_describe_true_false_response,
    )
)
SHORT_TEXT = register(
    QuestionType(
        key="short_text",
        label="Short text",
        fields={"answers": FieldKind.TEXT_LIST},
        required=frozenset({"answers"}),
        check=_check_short,
        grade=_grade_short,
        describe_answer=_describe_short_answer,
        describe_response=_describe_text_response,
    )
)
NUMERIC = register(
    QuestionType(
        key="numeric",
        label="Number",
        fields={
            "answer": FieldKind.NUMBER,
            "tolerance": FieldKind.NUMBER,
            "unit": FieldKind.TEXT,
        },
        required=frozenset({"answer"}),
        defaults={"tolerance": 0, "unit": ""},
        check=_check_numeric,
        grade=_grade_numeric,
        describe_answer=_describe_numeric_answer,
        describe_response=_describe_text_response,
    )
)
ORDERING = register(
    QuestionType(
        key="ordering",
        label="Ordering",
        fields={"items": FieldKind.TEXT_LIST},
        required=frozenset({"items"}),
        check=_check_ordering,
        grade=_grade_ordering,
        describe_answer=_describe_ordering_answer,
        describe_response=_describe_ordering_response,
    )
)
MATCHING = register(
    QuestionType(
        key="matching",
        label="Matching",
        fields={"pairs": FieldKind.TEXT_MAP, "distractors": FieldKind.TEXT_LIST},
        required=frozenset({"pairs"}),
        defaults={"distractors": ()},
        check=_check_matching,
        grade=_grade_matching,
        describe_answer=_describe_matching_answer,
        describe_response=_describe_matching_response,
    )
)

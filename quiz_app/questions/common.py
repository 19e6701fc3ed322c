"""Pure helpers the question types share: telling choices apart, wording problems and
partial credit, building grades. No Flask or DB.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from quiz_app.questions.answers import normalise_answer
from quiz_app.questions.types import Grade


def choice_key(text: str) -> str:
    """Texts a student could not tell apart: the same up to case and spacing."""
    return " ".join(text.split()).casefold()


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def did_you_mean(value: str, options: Sequence[str]) -> str:
    """A hint for an answer that is not among the choices: the choice written the same
    way up to case, spacing and punctuation, else a choice spelled nearly alike with
    the same digits. A choice that differs in a number is never offered (``1948`` is
    not "did you mean '1949'"): that is another answer, not a typo, and the hint would
    steer the author to a wrong one.
    """
    for option in options:
        if choice_key(option) == choice_key(value) or normalise_answer(
            option
        ) == normalise_answer(value):
            return f" (did you mean {option!r}?)"
    alike = [o for o in options if _digits(o) == _digits(value)]
    close = difflib.get_close_matches(value, alike, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def count_problem(
    key: str, texts: Sequence[str], low: int, high: int, what: str
) -> list[tuple[str, str]]:
    n = len(texts)
    if low <= n <= high:
        return []
    entries = "entry" if n == 1 else "entries"
    return [(key, f"{key!r} has {n} {entries}; {what} needs {low} to {high}")]


def distinct_problems(key: str, texts: Sequence[str]) -> list[tuple[str, str]]:
    """Empty texts and texts that look the same on screen (case and spacing ignored)."""
    problems: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for i, text in enumerate(texts, start=1):
        if not text.strip():
            problems.append((key, f"{key!r} item {i} is empty"))
            continue
        k = choice_key(text)
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


def round_score(score: float) -> float:
    return round(min(1.0, max(0.0, score)), 4)


def full_or_nothing(ok: bool, feedback: str = "") -> Grade:
    return Grade(score=1.0 if ok else 0.0, is_correct=ok, feedback=feedback)


def partial(
    score: float, feedback: str, tally: tuple[int, int, str] | None = None
) -> Grade:
    rounded = round_score(score)
    return Grade(
        score=rounded, is_correct=rounded == 1.0, feedback=feedback, tally=tally
    )


def response_texts(response: Any) -> list[str] | None:
    """The strings of a collection response, or None when it is no collection."""
    if isinstance(response, str):
        return [response]
    if isinstance(response, Mapping) or not isinstance(response, Iterable):
        return None
    return [item for item in response if isinstance(item, str)]


def plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"

"""Pure helpers the question types share: telling choices apart, wording problems and
partial credit, building grades, describing responses, shuffling options and reading
form values. No Flask or DB.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from random import Random
from typing import Any, TypeVar

from quiz_app.questions.answers import escape_markdown, normalise_answer
from quiz_app.questions.types import NO_ANSWER, Grade

T = TypeVar("T")

#: after a row of a matching or ordering answer that is wrong (text, not colour alone)
WRONG_MARK = " ✗ *(wrong)*"
#: Longest text answer accepted; a short answer is a few words.
MAX_TEXT_LENGTH = 500
MAX_NUMBER_LENGTH = 60


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


def describe_text_response(data: Mapping[str, Any], response: Any) -> str:
    """A typed answer (text or number) as Markdown-safe text."""
    if isinstance(response, bool) or not isinstance(response, str | int | float):
        return NO_ANSWER
    text = str(response)
    return escape_markdown(text) if text.strip() else NO_ANSWER


def numbered(lines: Iterable[str]) -> str:
    """A Markdown numbered list."""
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))


def markdown_list(texts: Iterable[str]) -> str:
    """Texts as a Markdown bullet list, each escaped."""
    return "\n".join(f"- {escape_markdown(text)}" for text in texts)


# --------------------------------------------------------------------------------------
# Presenting options and reading form values


def shuffled_options(options: Iterable[T], *, rng: Random) -> list[T]:
    """A shuffled copy of ``options``; the input is never changed."""
    shuffled = list(options)
    rng.shuffle(shuffled)
    return shuffled


def scrambled(items: Sequence[T], *, rng: Random) -> list[T]:
    """A shuffled copy that is never the original order (when another order exists).

    Used for ordering questions, where showing the items in the right order would give
    the answer away. Rotating by one instead of reshuffling keeps it a single draw.
    """
    result = shuffled_options(items, rng=rng)
    if result == list(items) and len(set(map(repr, items))) > 1:
        result = result[1:] + result[:1]
    return result


def same_pairs(texts: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """Form choices whose value and label are the text itself."""
    return tuple((text, text) for text in texts)


def text_or_none(value: Any) -> str | None:
    """A submitted choice, or None for nothing chosen."""
    return value if isinstance(value, str) and value else None


def stripped_text(value: Any) -> str:
    """A submitted text box's value without surrounding space."""
    return value.strip() if isinstance(value, str) else ""

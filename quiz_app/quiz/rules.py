"""Pure rules about answers and attempts: blank and unreadable answers, deadlines and
time left. No Flask or DB imports (models only for types).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from quiz_app.questions.answers import parse_number

if TYPE_CHECKING:
    from quiz_app.banks.models import Question
    from quiz_app.quiz.models import QuizAttempt
    from quiz_app.quiz.records import PresentedQuestion, QuestionContent


def is_unreadable_number(question: Question | QuestionContent, response: Any) -> bool:
    """Whether a response to a numeric question is text that is not a number."""
    return (
        question.type == "numeric"
        and isinstance(response, str)
        and not is_blank(response)
        and parse_number(response, unit=question.data.get("unit") or "") is None
    )


def list_unreadable_numbers(
    items: Sequence[PresentedQuestion], responses: Mapping[str, Any]
) -> list[tuple[int, str]]:
    """(question number, text) of each numeric answer on a page that is not a number."""
    return [
        (item.number, responses[item.question.id])
        for item in items
        if is_unreadable_number(item.question, responses.get(item.question.id))
    ]


def deadline_with_grace(attempt: QuizAttempt, *, grace: timedelta) -> datetime | None:
    """The last moment an answer to this attempt is accepted, or None when untimed."""
    return None if attempt.deadline_at is None else attempt.deadline_at + grace


def seconds_left(attempt: QuizAttempt, *, now: datetime) -> int | None:
    """Whole seconds until the deadline (never negative), or None when untimed."""
    if attempt.deadline_at is None:
        return None
    return max(0, int((attempt.deadline_at - now).total_seconds()))


def is_overdue(attempt: QuizAttempt, *, now: datetime, grace: timedelta) -> bool:
    """Whether an open attempt's time, grace included, has run out."""
    last = deadline_with_grace(attempt, grace=grace)
    return attempt.is_open and last is not None and now > last


def is_blank(response: Any) -> bool:
    """Whether a response says nothing (no choice, empty text, every slot empty)."""
    if response is None:
        return True
    if isinstance(response, bool):
        return False
    if isinstance(response, str):
        return not response.strip()
    if isinstance(response, Mapping):
        return all(is_blank(v) for v in response.values())
    if isinstance(response, list | tuple):
        return all(is_blank(v) for v in response)
    return False

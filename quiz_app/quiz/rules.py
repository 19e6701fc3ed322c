"""Pure rules about answers and attempts: blank and unreadable answers, deadlines and
time left. No Flask or DB imports (models only for types).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from quiz_app.questions.grading import quiz_form

if TYPE_CHECKING:
    from quiz_app.banks.models import Question
    from quiz_app.quiz.models import QuizAttempt
    from quiz_app.quiz.records import PresentedQuestion, QuestionContent


def unreadable_reason(
    question: Question | QuestionContent, response: Any
) -> str | None:
    """Why a response cannot be saved (a numeric answer that is not a number), or
    None; its type decides."""
    return quiz_form(question.type).unreadable(question.data, response)


def is_unreadable(question: Question | QuestionContent, response: Any) -> bool:
    """Whether a response cannot be saved (it could only score 0)."""
    return unreadable_reason(question, response) is not None


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    """Something wrong with an answer on a page, said before it is saved."""

    number: int
    question_id: str
    message: str
    #: the answer is not saved at all (a number that is not one); else saved, but
    #: pointed out (an item placed twice)
    is_blocking: bool


def check_responses(
    items: Sequence[PresentedQuestion], responses: Mapping[str, Any]
) -> list[AnswerProblem]:
    """What to tell the student about the answers on a page before saving them: an
    answer its type cannot read (a number that is not one: not saved), an item picked
    twice (ordering, matching).
    """
    problems = []
    for item in items:
        response = responses.get(item.question.id)
        reason = unreadable_reason(item.question, response)
        if reason is not None:
            problems.append(
                AnswerProblem(
                    item.number,
                    item.question.id,
                    f"Question {item.number}: {reason}",
                    is_blocking=True,
                )
            )
        picked = quiz_form(item.question.type).picks(response)
        chosen = [p for p in picked if isinstance(p, str) and p]
        twice = sorted({p for p in chosen if chosen.count(p) > 1})
        if twice:
            problems.append(
                AnswerProblem(
                    item.number,
                    item.question.id,
                    f"Question {item.number}: “{twice[0]}” is picked more than once."
                    " Each item belongs in one place only.",
                    is_blocking=False,
                )
            )
    return problems


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

"""Marking services: a teacher's override of one answer's mark, and a response
accepted for everyone after a problem report (every attempt regraded). Flushes only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from quiz_app.accounts.models import User
from quiz_app.banks.models import Question
from quiz_app.extensions import db
from quiz_app.questions.grading import QUESTION_TYPES
from quiz_app.quiz.models import (
    AcceptedAnswer,
    AttemptAnswer,
    AttemptStatus,
    QuizAttempt,
)

#: Longest reason kept with a changed mark.
MAX_REASON_LENGTH = 500


class MarkingError(Exception):
    """A user-facing reason why a mark cannot change."""


@dataclass(frozen=True, slots=True)
class AcceptedChange:
    accepted: AcceptedAnswer
    regraded: int  #: answers whose mark changed
    attempts: int  #: attempts whose score was recomputed


def rescore_attempt(attempt: QuizAttempt) -> None:
    """Recompute a graded attempt's score and pass from its answers' final marks."""
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return
    total = sum((a.final_score or 0.0) for a in attempt.answers)
    attempt.score = round(total, 4)
    attempt.max_score = float(len(attempt.question_ids))
    percent = 100 * attempt.score / attempt.max_score if attempt.max_score else 0.0
    attempt.is_passed = percent >= attempt.pass_mark


def override_mark(
    attempt: QuizAttempt,
    question_id: str,
    *,
    mark: float | None,
    reason: str,
    teacher: User,
    now: datetime,
) -> AttemptAnswer:
    """Set (or, with ``mark=None``, remove) the teacher's mark of one answer, with the
    reason the student will read, and recompute the attempt's score.

    :raises MarkingError: the attempt is still open, the question is not in it, the
        mark is outside 0..1, or a changed mark has no reason.
    """
    if attempt.status == AttemptStatus.IN_PROGRESS:
        raise MarkingError("The attempt is still open; mark it once it is submitted.")
    if question_id not in attempt.question_ids:
        raise MarkingError("That question is not part of this attempt.")
    reason = reason.strip()[:MAX_REASON_LENGTH]
    if mark is not None and not 0 <= mark <= 1:
        raise MarkingError("A mark is between 0 and 1.")
    if mark is not None and not reason:
        raise MarkingError("Give the student a reason for the new mark.")
    answer = next(a for a in attempt.answers if a.question_id == question_id)
    answer.mark_override = mark
    answer.mark_reason = reason if mark is not None else None
    answer.marked_at = now if mark is not None else None
    answer.marked_by_id = teacher.id if mark is not None else None
    rescore_attempt(attempt)
    db.session.flush()
    return answer


def accept_for_everyone(
    question: Question,
    *,
    version: int,
    response: object,
    teacher: User,
    now: datetime,
    report_id: int | None = None,
) -> AcceptedChange:
    """Accept this response to this version of the question as right: every graded
    answer that gave it is regraded to full marks (a teacher's own override stays),
    and the attempts' scores are recomputed. Accepting it twice changes nothing.
    """
    qtype = QUESTION_TYPES[question.type]
    existing = db.session.scalars(
        sa.select(AcceptedAnswer).where(
            AcceptedAnswer.question_id == question.id,
            AcceptedAnswer.question_version == version,
        )
    )
    for found in existing:
        if found.response == response:
            return AcceptedChange(found, 0, 0)
    answers = [
        a
        for a in db.session.scalars(
            sa.select(AttemptAnswer)
            .join(QuizAttempt, QuizAttempt.id == AttemptAnswer.attempt_id)
            .where(
                AttemptAnswer.question_id == question.id,
                AttemptAnswer.question_version == version,
                QuizAttempt.status != AttemptStatus.IN_PROGRESS,
            )
        )
        if a.response == response
    ]
    changed = [a for a in answers if not a.is_correct]
    for answer in changed:
        answer.score = 1.0
        answer.is_correct = True
    attempts = {a.attempt_id: a.attempt for a in changed}
    for attempt in attempts.values():
        rescore_attempt(attempt)
    accepted = AcceptedAnswer(
        question_id=question.id,
        question_version=version,
        response=response,
        response_text=qtype.describe_response(question.data, response),
        regraded_count=len(changed),
        accepted_by_id=teacher.id,
        report_id=report_id,
        created_at=now,
    )
    db.session.add(accepted)
    db.session.flush()
    return AcceptedChange(accepted, len(changed), len(attempts))


def list_accepted_answers(question_id: str) -> list[AcceptedAnswer]:
    """The responses accepted for everyone for this question, newest first."""
    return list(
        db.session.scalars(
            sa.select(AcceptedAnswer)
            .where(AcceptedAnswer.question_id == question_id)
            .order_by(AcceptedAnswer.created_at.desc(), AcceptedAnswer.id.desc())
        )
    )

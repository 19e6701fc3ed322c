"""Quiz attempts in the database: one row per attempt and one per answered question.

Rows only hold data and small derived properties; starting, answering and grading
are services.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quiz_app.accounts.models import User
from quiz_app.banks.models import ID_LENGTH, Question, Quiz
from quiz_app.classes.models import Assignment
from quiz_app.extensions import Model, UtcDateTime


class AttemptStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    #: the student submitted it
    SUBMITTED = "submitted"
    #: the time limit (plus grace) ran out; graded with the answers saved in time
    EXPIRED = "expired"


class QuizAttempt(Model):
    __tablename__ = "quiz_attempts"
    #: "this student's attempts at this quiz"; also serves lookups by user_id alone
    __table_args__ = (sa.Index("ix_quiz_attempts_user_quiz", "user_id", "quiz_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    quiz_id: Mapped[str] = mapped_column(sa.ForeignKey("quizzes.id"), index=True)
    #: seeds every random choice of the attempt (question draw, option order), so
    #: reloads look the same
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    #: the drawn questions, in the order they are asked
    question_ids: Mapped[list[str]] = mapped_column(sa.JSON)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: started_at + the quiz's time limit; None when untimed (grace comes on top)
    deadline_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: when it was closed, by the student or by the clock
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: points earned, each question being worth 1; None until closed
    score: Mapped[float | None] = mapped_column()
    max_score: Mapped[float | None] = mapped_column()
    is_passed: Mapped[bool | None] = mapped_column()
    #: AttemptStatus
    status: Mapped[str] = mapped_column(
        sa.String(20), default=AttemptStatus.IN_PROGRESS
    )
    #: copied from the quiz at start: a bank edit does not change a running attempt
    pass_mark: Mapped[int] = mapped_column(default=60)
    #: the assignment whose settings govern the attempt (its dates, review option);
    #: None for a quiz taken outside any class
    assignment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="SET NULL"), index=True
    )

    quiz: Mapped[Quiz] = relationship()
    user: Mapped[User] = relationship()
    assignment: Mapped[Assignment | None] = relationship()
    answers: Mapped[list[AttemptAnswer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS

    @property
    def percent(self) -> float | None:
        """Score as a percentage of the maximum, once graded."""
        if self.score is None or not self.max_score:
            return None
        return round(100 * self.score / self.max_score, 1)


class AttemptAnswer(Model):
    __tablename__ = "attempt_answers"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: no index of its own: the unique constraint (attempt_id, question_id) serves it
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("quiz_attempts.id", ondelete="CASCADE")
    )
    question_id: Mapped[str] = mapped_column(
        sa.String(ID_LENGTH), sa.ForeignKey("questions.id")
    )
    #: Question.version when last answered, so a later bank edit can be told apart
    question_version: Mapped[int] = mapped_column()
    #: the response shape (questions.types) of the question's type; None = not answered
    response: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    #: 0..1, set when the attempt is graded
    score: Mapped[float | None] = mapped_column()
    is_correct: Mapped[bool | None] = mapped_column()
    #: last saved; None for a question never answered (its row is made at grading)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: a teacher's mark (0..1) that replaces ``score``; None = the graded score stands
    mark_override: Mapped[float | None] = mapped_column()
    #: why the teacher changed the mark, shown to the student
    mark_reason: Mapped[str | None] = mapped_column(sa.Text)
    marked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    marked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()

    @property
    def final_score(self) -> float | None:
        """The mark that counts: the teacher's override, else the graded score."""
        return self.score if self.mark_override is None else self.mark_override


class AcceptedAnswer(Model):
    """A response a teacher accepted for everyone after a problem report: every
    attempt that gave it to that question version was regraded as correct.
    """

    __tablename__ = "accepted_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[str] = mapped_column(
        sa.String(ID_LENGTH), sa.ForeignKey("questions.id"), index=True
    )
    question_version: Mapped[int] = mapped_column()
    #: the response exactly as stored in AttemptAnswer.response
    response: Mapped[Any] = mapped_column(sa.JSON)
    #: the response as text, for the question page and the note on the bank file
    response_text: Mapped[str] = mapped_column(sa.Text, default="")
    #: how many answers the regrade changed
    regraded_count: Mapped[int] = mapped_column(default=0)
    accepted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    report_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("reports.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

"""Reports in the database: a student's note that a question seems wrong, until a
teacher closes it.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quiz_app.accounts.models import User
from quiz_app.banks.models import ID_LENGTH, Question
from quiz_app.extensions import Model, UtcDateTime

#: Longest comment kept; a report is a short note, not an essay.
MAX_COMMENT_LENGTH = 1000


class Report(Model):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(
        sa.String(ID_LENGTH), sa.ForeignKey("questions.id"), index=True
    )
    #: the attempt whose results page it was sent from, to show the student's answer
    attempt_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("quiz_attempts.id", ondelete="SET NULL")
    )
    #: Question.version the student saw, so a teacher can tell whether a later edit
    #: fixed it
    question_version: Mapped[int] = mapped_column(default=1)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    #: None while open
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: the teacher's answer, shown on the student's results page and home
    reply: Mapped[str | None] = mapped_column(sa.Text)
    replied_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    question: Mapped[Question] = relationship()

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

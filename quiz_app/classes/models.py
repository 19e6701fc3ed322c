"""Classes in the database: a teacher's class, its members, its assignments."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quiz_app.accounts.models import User
from quiz_app.banks.models import ID_LENGTH, Bank, Quiz
from quiz_app.extensions import Model, UtcDateTime


class SchoolClass(Model):
    """A teacher's group of students. ``Class`` would shadow the keyword-ish name in
    templates and reports.
    """

    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    #: the owning teacher; only they see the class
    teacher_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: 8 characters of joincode.ALPHABET; regenerating it makes the old one stop working
    join_code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    teacher: Mapped[User] = relationship()
    memberships: Mapped[list[ClassMembership]] = relationship(
        back_populates="school_class", cascade="all, delete-orphan"
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="school_class",
        cascade="all, delete-orphan",
        order_by="Assignment.id",
    )


class ClassMembership(Model):
    __tablename__ = "class_memberships"
    __table_args__ = (sa.UniqueConstraint("class_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime)

    school_class: Mapped[SchoolClass] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class ClassBankChoice(Model):
    """A teacher's choice for one bank in one class: shown to its students or not.

    Without a row a class follows the default (``classes.banks``): the bundled banks and
    the banks its teacher owns or co-owns.
    """

    __tablename__ = "class_bank_choices"
    __table_args__ = (sa.UniqueConstraint("class_id", "bank_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="CASCADE"), index=True
    )
    bank_id: Mapped[str] = mapped_column(
        sa.String(ID_LENGTH), sa.ForeignKey("banks.id", ondelete="CASCADE"), index=True
    )
    is_shown: Mapped[bool] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Assignment(Model):
    """A bank or a quiz set for a class, optionally within a window. Exactly one of
    bank_id / quiz_id is set.
    """

    __tablename__ = "assignments"
    __table_args__ = (
        sa.CheckConstraint("(bank_id IS NULL) != (quiz_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="CASCADE"), index=True
    )
    bank_id: Mapped[str | None] = mapped_column(
        sa.String(ID_LENGTH), sa.ForeignKey("banks.id")
    )
    quiz_id: Mapped[str | None] = mapped_column(
        sa.String(ID_LENGTH), sa.ForeignKey("quizzes.id")
    )
    #: None = open from the start
    opens_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: None = never closes
    closes_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: the assignment's own settings for its quiz; None keeps the quiz's
    time_limit_minutes: Mapped[int | None] = mapped_column()
    max_attempts: Mapped[int | None] = mapped_column()
    pass_mark: Mapped[int | None] = mapped_column()
    #: quiz.review.Review; None keeps the quiz's
    review: Mapped[str | None] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    school_class: Mapped[SchoolClass] = relationship(back_populates="assignments")
    bank: Mapped[Bank | None] = relationship()
    quiz: Mapped[Quiz | None] = relationship()

    @property
    def title(self) -> str:
        if self.quiz is not None:
            return self.quiz.title
        return self.bank.title if self.bank is not None else ""

    @property
    def kind(self) -> str:
        """``quiz`` or ``bank``."""
        return "quiz" if self.quiz_id is not None else "bank"

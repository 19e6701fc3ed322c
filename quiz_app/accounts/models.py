"""Accounts: users and their roles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quiz_app.extensions import Model, UtcDateTime


class Role(StrEnum):
    STUDENT = "student"
    TEACHER = "teacher"


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: as typed, for display
    username: Mapped[str] = mapped_column(sa.String(40))
    #: casefolded username; uniqueness is case-insensitive
    username_key: Mapped[str] = mapped_column(sa.String(40), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(80), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(10), default=Role.STUDENT)
    #: IANA time zone name; "today" for flashcards follows it
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    #: rotated on logout and password change, so an old session cookie stops working
    session_token: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: a teacher who may add and remove teachers; the first teacher is one
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: set when the account was deleted: the row stays, nameless, so that attempts
    #: keep counting in item statistics
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @property
    def is_teacher(self) -> bool:
        return self.role == Role.TEACHER

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def get_id(self) -> str:
        # Flask-Login stores this in the session; including the token makes logout
        # revoke copied cookies.
        return f"{self.id}:{self.session_token}"


class PasswordReset(Model):
    """A one-time code that lets a student set a new password, issued by their teacher
    (or from the shell). Only a hash of the code is stored.
    """

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: SHA-256 of the normalised code, hex
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: the teacher who issued it; None when issued from the shell
    issued_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: when the code was used, or withdrawn by a newer code
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class SetupToken(Model):
    """A one-time token printed by `quiz-app serve` on a fresh install: only whoever
    sees the console may create the first teacher. Stored hashed, in the database so
    every worker and server sees it.
    """

    __tablename__ = "setup_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the token, hex
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

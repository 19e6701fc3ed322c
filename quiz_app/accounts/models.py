"""Accounts: users and their roles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

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

    @property
    def is_teacher(self) -> bool:
        return self.role == Role.TEACHER

    @property
    def name(self) -> str:
        return self.display_name or self.username

    def get_id(self) -> str:
        # Flask-Login stores this in the session; including the token makes logout
        # revoke copied cookies.
        return f"{self.id}:{self.session_token}"

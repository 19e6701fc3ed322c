"""Limits: one row per counted event (a failed log-in, a sign-up, an attempt start)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quiz_app.extensions import Model, UtcDateTime


class LimitEvent(Model):
    __tablename__ = "limit_events"
    __table_args__ = (
        sa.Index("ix_limit_events_kind_key_at", "kind", "key", "at"),
        sa.Index("ix_limit_events_kind_address_at", "kind", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: what is counted: "login_failure", "signup", "attempt_start", "report"
    kind: Mapped[str] = mapped_column(sa.String(20))
    #: whom it is counted against: a casefolded username or a user id ("" for none)
    key: Mapped[str] = mapped_column(sa.String(80), default="")
    #: the client's address (request.remote_addr, after the proxy fix)
    address: Mapped[str] = mapped_column(sa.String(64), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)

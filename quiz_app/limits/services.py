"""Limits: count and record events in the database. Flushes, never commits."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from quiz_app.extensions import db
from quiz_app.limits.models import LimitEvent
from quiz_app.limits.policy import (
    Limit,
    LoginHistory,
    LoginPolicy,
    hourly_limit,
    wait_for,
)

LOGIN_FAILURE = "login_failure"
#: Events older than this are deleted as new ones are recorded.
KEEP = timedelta(days=1)


class LimitReached(Exception):
    """Too many of one thing too quickly; ``wait`` says how long until it fits."""

    def __init__(self, wait: timedelta) -> None:
        self.wait = wait
        super().__init__(f"Too many requests; try again in {wait}")

    @property
    def minutes(self) -> int:
        return max(1, -(-int(self.wait.total_seconds()) // 60))


def record_event(kind: str, *, key: str = "", address: str = "", now: datetime) -> None:
    """Count one event, and forget events older than a day."""
    db.session.execute(sa.delete(LimitEvent).where(LimitEvent.at < now - KEEP))
    db.session.add(LimitEvent(kind=kind, key=key, address=address[:64], at=now))
    db.session.flush()


def _times(*conditions: sa.ColumnElement[bool]) -> list[datetime]:
    return list(db.session.scalars(sa.select(LimitEvent.at).where(*conditions)))


def check_limit(
    limit: Limit, *, key: str = "", address: str | None = None, now: datetime
) -> None:
    """Raise LimitReached if one more event of this kind by this key (and address,
    when given) would exceed the limit.
    """
    conditions = [
        LimitEvent.kind == limit.kind,
        LimitEvent.key == key,
        LimitEvent.at > now - limit.window,
    ]
    if address is not None:
        conditions.append(LimitEvent.address == address)
    wait = wait_for(_times(*conditions), limit, now=now)
    if wait is not None:
        raise LimitReached(wait)


def login_history(
    username_key: str,
    address: str,
    *,
    known_device: bool,
    policy: LoginPolicy,
    now: datetime,
) -> LoginHistory:
    """What recent failed log-ins say about this try."""
    since = now - policy.window
    recent = [
        LimitEvent.kind == LOGIN_FAILURE,
        LimitEvent.at > since,
    ]
    count, last = db.session.execute(
        sa.select(sa.func.count(), sa.func.max(LimitEvent.at)).where(
            *recent, LimitEvent.key == username_key
        )
    ).one()
    address_failed = db.session.scalar(
        sa.select(LimitEvent.id).where(*recent, LimitEvent.address == address).limit(1)
    )
    return LoginHistory(
        account_address=_times(
            *recent, LimitEvent.key == username_key, LimitEvent.address == address
        ),
        account_failures=int(count or 0),
        account_last_failure=last,
        address_has_failures=address_failed is not None,
        known_device=known_device,
    )


def record_login_failure(username_key: str, address: str, *, now: datetime) -> None:
    """Count one wrong password for this account from this address."""
    record_event(LOGIN_FAILURE, key=username_key, address=address, now=now)


def clear_login_failures(username_key: str, address: str) -> None:
    """Forget this address's failures for an account it has just logged in to."""
    db.session.execute(
        sa.delete(LimitEvent).where(
            LimitEvent.kind == LOGIN_FAILURE,
            LimitEvent.key == username_key,
            LimitEvent.address == address,
        )
    )


def check_hourly(
    kind: str,
    settings: Any,
    *,
    key: str = "",
    address: str | None = None,
    now: datetime,
) -> None:
    """Raise LimitReached if one more ``kind`` would pass its hourly setting."""
    check_limit(hourly_limit(kind, settings), key=key, address=address, now=now)

"""Pure rate-limit rules: how long must this wait, given what happened recently.

No Flask, no database: the services count the events and pass them in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``max_events`` of one kind per key within ``window``."""

    kind: str
    max_events: int
    window: timedelta


def wait_for(
    recent: Sequence[datetime], limit: Limit, *, now: datetime
) -> timedelta | None:
    """How long until one more event fits the limit, or None if it fits now.

    :param recent: the times of this key's events, any order (older ones are ignored).
    """
    inside = sorted(t for t in recent if now - t < limit.window)
    if len(inside) < limit.max_events:
        return None
    return inside[-limit.max_events] + limit.window - now


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """How wrong passwords slow down further tries (OWASP ASVS 6.1.1).

    Per (account, address): after ``per_address`` failures within ``window`` that
    address may not try that account again until the oldest falls out of the window;
    other addresses, and browsers that have logged in to the account before, are not
    affected, so nobody can lock a classmate out from a shared address.

    Per account, across addresses: after ``per_account`` failures within ``window``
    the account is under attack, and a try from an address that has itself failed
    recently waits an exponential backoff (``base_delay`` doubling per failure, at most
    ``max_delay``) after the account's last failure. It is a slow-down, not a lock:
    the owner's browser, and any address without recent failures, still get in.
    """

    per_address: int = 10
    per_account: int = 30
    window: timedelta = timedelta(minutes=15)
    base_delay: timedelta = timedelta(seconds=1)
    max_delay: timedelta = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class LoginHistory:
    """What the database knows about recent failed log-ins, for one try."""

    #: failures for this account from this address, within the window
    account_address: Sequence[datetime]
    #: how many failures for this account from any address, within the window
    account_failures: int
    #: when this account last failed, from any address
    account_last_failure: datetime | None
    #: whether this address failed a log-in (any account) within the window
    address_has_failures: bool
    #: whether this browser has logged in to this account before (a signed cookie)
    known_device: bool


def login_wait(
    history: LoginHistory, policy: LoginPolicy, *, now: datetime
) -> timedelta | None:
    """How long this try must wait before the password is even checked, or None."""
    if history.known_device:
        return None
    per_address = wait_for(
        history.account_address,
        Limit("login", policy.per_address, policy.window),
        now=now,
    )
    if per_address is not None:
        return per_address
    if (
        history.account_failures < policy.per_account
        or not history.address_has_failures
        or history.account_last_failure is None
    ):
        return None
    excess = min(history.account_failures - policy.per_account, 30)
    delay = min(policy.base_delay * 2**excess, policy.max_delay)
    left = history.account_last_failure + delay - now
    return left if left > timedelta(0) else None


SIGNUP = "signup"
ATTEMPT_START = "attempt_start"
REPORT = "report"

#: The abuse limits: kind -> the setting giving its maximum per hour. Sign-ups count
#: per address, the others per user.
HOURLY_LIMIT_SETTINGS = {
    SIGNUP: "SIGNUPS_PER_ADDRESS_PER_HOUR",
    ATTEMPT_START: "ATTEMPT_STARTS_PER_HOUR",
    REPORT: "REPORTS_PER_HOUR",
}


def hourly_limit(kind: str, settings: Mapping[str, Any]) -> Limit:
    """The limit on ``kind`` that the app's settings give."""
    return Limit(kind, int(settings[HOURLY_LIMIT_SETTINGS[kind]]), timedelta(hours=1))

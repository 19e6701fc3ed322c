"""Pure assignment windows: may a student start a quiz now, and how to say when. No
Flask or DB.

A quiz set for any of the student's classes may be started only while at least one of
those assignments is open (``opens_at <= now < closes_at``, a missing bound being
unbounded). A quiz set for none of them is always open.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from quiz_app import dates, display


class Access(StrEnum):
    #: not set for any of the student's classes: open as any quiz
    FREE = "free"
    #: at least one of the student's assignments of it is open
    OPEN = "open"
    #: none is open yet; one opens later
    UPCOMING = "upcoming"
    #: every one has closed
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Window:
    """One assignment's dates (aware UTC); None is unbounded."""

    opens_at: datetime | None
    closes_at: datetime | None

    def is_open(self, now: datetime) -> bool:
        return (self.opens_at is None or self.opens_at <= now) and (
            self.closes_at is None or now < self.closes_at
        )


@dataclass(frozen=True, slots=True)
class Availability:
    access: Access
    #: UPCOMING: the soonest opening; CLOSED: the latest closing; else None
    at: datetime | None = None

    @property
    def can_start(self) -> bool:
        return self.access in (Access.FREE, Access.OPEN)


FREE = Availability(Access.FREE)

#: Quiz id -> (opens_at, closes_at) of each assignment of it to one of the student's
#: classes (``classes.services.list_quiz_windows_for_student``); absent: set for none.
Spans = Mapping[str, Sequence[tuple[datetime | None, datetime | None]]]


def availability(windows: Sequence[Window], *, now: datetime) -> Availability:
    """Whether a quiz with these assignment windows (the student's classes') is open."""
    if not windows:
        return FREE
    if any(w.is_open(now) for w in windows):
        return Availability(Access.OPEN)
    openings = [w.opens_at for w in windows if w.opens_at and now < w.opens_at]
    if openings:
        return Availability(Access.UPCOMING, min(openings))
    closings = [w.closes_at for w in windows if w.closes_at is not None]
    return Availability(Access.CLOSED, max(closings) if closings else None)


def quiz_availability(assigned: Spans, quiz_id: str, *, now: datetime) -> Availability:
    """Whether the student may start this quiz now, by its assignments to their
    classes.
    """
    return availability([Window(*w) for w in assigned.get(quiz_id, ())], now=now)


def unavailable_quizzes(assigned: Spans, *, now: datetime) -> dict[str, Availability]:
    """Quiz id -> availability, for the quizzes the student may not start now."""
    result = {
        quiz_id: availability([Window(*w) for w in spans], now=now)
        for quiz_id, spans in assigned.items()
    }
    return {quiz_id: a for quiz_id, a in result.items() if not a.can_start}


def format_moment(moment: datetime, tz_name: str, *, now: datetime) -> str:
    """``Mon 1 Dec, 08:00`` on the student's clock (the house format of
    :func:`quiz_app.display.format_moment`).
    """
    return display.format_moment(moment, tz_name, now=now)


def zone_name(tz_name: str) -> str:
    """The zone times are shown in (UTC for an unknown name, as the conversion does)."""
    return dates.zone(tz_name).key


def refusal(available: Availability, tz_name: str, *, now: datetime) -> str:
    """Why the quiz cannot be started now, naming date and zone; "" if it can."""
    if available.can_start or available.at is None:
        return ""
    when = format_moment(available.at, tz_name, now=now)
    zone = zone_name(tz_name)
    if available.access is Access.UPCOMING:
        return f"This quiz opens on {when} ({zone} time)."
    return (
        f"This quiz closed on {when} ({zone} time). "
        "Ask your teacher if you still need to take it."
    )


def badge(available: Availability, tz_name: str, *, now: datetime) -> str:
    """A short label for the catalogue (``Opens Mon 1 Dec, 08:00``); "" if open."""
    if available.can_start or available.at is None:
        return ""
    if available.access is Access.UPCOMING:
        return f"Opens {format_moment(available.at, tz_name, now=now)}"
    return "Closed"


def formatter(tz_name: str, *, now: datetime) -> Callable[[datetime], str]:
    """:func:`format_moment` bound to a zone and a now, for templates."""
    return functools.partial(format_moment, tz_name=tz_name, now=now)

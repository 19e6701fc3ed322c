"""Pure study statistics: reviews per local day, due forecast, card states, retention.

No Flask, DB or clock: ``now`` and the time zone are always passed in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "HEATMAP_WEEKS",
    "PHASE_NAMES",
    "DayCount",
    "Retention",
    "count_by_day",
    "due_forecast",
    "heat_level",
    "heatmap_start",
    "state_counts",
    "true_retention",
]

#: The review calendar covers about half a year.
HEATMAP_WEEKS = 26

#: scheduler.Phase values in display order (stats stay independent of the scheduler).
PHASE_NAMES: dict[int, str] = {0: "new", 1: "learning", 2: "review", 3: "relearning"}

_AGAIN = 1
_REVIEW_PHASE = 2


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True, slots=True)
class Retention:
    """Answers to cards in review: ``passed`` were anything but Again."""

    passed: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.passed / self.total if self.total else None


def heatmap_start(today: date, weeks: int = HEATMAP_WEEKS) -> date:
    """The Monday starting the calendar, so that ``today`` is in its last column."""
    return today - timedelta(days=today.weekday() + 7 * (weeks - 1))


def count_by_day(
    moments: Iterable[datetime], *, tz: ZoneInfo, start: date, end: date
) -> list[DayCount]:
    """How many ``moments`` fall on each local day, ``start`` to ``end`` inclusive."""
    counts = Counter(moment.astimezone(tz).date() for moment in moments)
    days = (end - start).days + 1
    return [
        DayCount(start + timedelta(days=n), counts[start + timedelta(days=n)])
        for n in range(max(days, 0))
    ]


def due_forecast(
    due_at: Iterable[datetime], *, now: datetime, tz: ZoneInfo, days: int = 30
) -> list[DayCount]:
    """Cards due on each of the next ``days`` local days; overdue ones count today."""
    today = now.astimezone(tz).date()
    last = today + timedelta(days=days - 1)
    counts: Counter[date] = Counter()
    for moment in due_at:
        day = max(moment.astimezone(tz).date(), today)
        if day <= last:
            counts[day] += 1
    return [
        DayCount(today + timedelta(days=n), counts[today + timedelta(days=n)])
        for n in range(days)
    ]


def heat_level(count: int, busiest: int) -> int:
    """The colour step 0..4 of a calendar cell: 0 is no reviews, 4 the busiest days."""
    if count <= 0 or busiest <= 0:
        return 0
    return min(4, 1 + (4 * (count - 1)) // busiest)


def state_counts(phases: Mapping[int, int], *, unseen: int) -> dict[str, int]:
    """Cards per state, with deck cards never studied counted as new."""
    result = {name: phases.get(phase, 0) for phase, name in PHASE_NAMES.items()}
    result["new"] += unseen
    return result


def true_retention(outcomes: Mapping[tuple[int, int], int]) -> Retention:
    """True retention from review counts keyed by (phase before, rating).

    Only reviews of cards in the review phase count: learning steps say nothing
    about memory after an interval, which is what desired retention aims at.
    """
    total = passed = 0
    for (phase_before, rating), count in outcomes.items():
        if phase_before != _REVIEW_PHASE:
            continue
        total += count
        if rating != _AGAIN:
            passed += count
    return Retention(passed=passed, total=total)

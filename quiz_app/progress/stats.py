"""Pure study statistics: reviews per local day, due forecast, card states, retention.

No Flask, DB or clock: ``now`` and the time zone are always passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from quiz_app.flashcards.scheduler import Phase, Rating

__all__ = [
    "HEATMAP_WEEKS",
    "PHASE_NAMES",
    "DayCount",
    "DayWindow",
    "Retention",
    "fill_days",
    "forecast_windows",
    "local_day_windows",
    "heat_level",
    "heatmap_start",
    "state_counts",
    "true_retention",
]

#: The review calendar covers about half a year.
HEATMAP_WEEKS = 26

#: Card phases in display order, with the names the page and its CSS use.
PHASE_NAMES: dict[int, str] = {
    Phase.NEW: "new",
    Phase.LEARNING: "learning",
    Phase.REVIEW: "review",
    Phase.RELEARNING: "relearning",
}


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True, slots=True)
class DayWindow:
    """One local day as UTC instants: ``start`` inclusive, ``end`` exclusive."""

    day: date
    start: datetime
    end: datetime


#: The start of the first forecast window, so overdue cards count on today.
_LONG_AGO = datetime(1970, 1, 1, tzinfo=UTC)


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


def local_day_windows(start: date, end: date, *, tz: ZoneInfo) -> list[DayWindow]:
    """The UTC span of every local day from ``start`` to ``end`` inclusive.

    Lets the database count per local day exactly, whatever the zone's offset
    or daylight-saving rules.
    """

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)

    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return [DayWindow(day, midnight(day), midnight(day + timedelta(1))) for day in days]


def forecast_windows(*, now: datetime, tz: ZoneInfo, days: int = 30) -> list[DayWindow]:
    """The next ``days`` local days; today's window also holds everything overdue."""
    today = now.astimezone(tz).date()
    windows = local_day_windows(today, today + timedelta(days=days - 1), tz=tz)
    if windows:
        windows[0] = DayWindow(windows[0].day, _LONG_AGO, windows[0].end)
    return windows


def fill_days(
    windows: Iterable[DayWindow], counts: Mapping[date, int]
) -> list[DayCount]:
    """A count for every window's day, zero where ``counts`` has none."""
    return [DayCount(w.day, counts.get(w.day, 0)) for w in windows]


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
        if phase_before != Phase.REVIEW:
            continue
        total += count
        if rating != Rating.AGAIN:
            passed += count
    return Retention(passed=passed, total=total)

"""Pure gradebook rules: the state of one student's work on one assignment, and the
gradebook's CSV rows. No Flask or DB.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from quiz_app import dates


class CellState(StrEnum):
    #: at least one graded attempt, the last one before the close date (or none)
    DONE = "done"
    #: graded, but submitted after the close date
    LATE = "late"
    #: an attempt is open and none is graded yet
    IN_PROGRESS = "in_progress"
    #: nothing yet, and the assignment has not closed
    NOT_STARTED = "not_started"
    #: nothing graded, and the close date has passed
    MISSING = "missing"


CELL_LABELS = {
    CellState.DONE: "Done",
    CellState.LATE: "Late",
    CellState.IN_PROGRESS: "In progress",
    CellState.NOT_STARTED: "Not started",
    CellState.MISSING: "Missing",
}


@dataclass(frozen=True, slots=True)
class AttemptFact:
    """What the gradebook needs of one attempt."""

    id: int
    started_at: datetime
    submitted_at: datetime | None  #: None while open
    percent: float | None  #: None while open


@dataclass(frozen=True, slots=True)
class Cell:
    state: CellState
    best: float | None = None  #: best percent of the graded attempts
    last: float | None = None  #: percent of the latest graded attempt
    #: the attempt a click opens: the last graded one, else the open one
    attempt_id: int | None = None
    attempts: int = 0  #: graded attempts
    last_submitted_at: datetime | None = None

    @property
    def label(self) -> str:
        return CELL_LABELS[self.state]


def cell(
    attempts: Sequence[AttemptFact], *, closes_at: datetime | None, now: datetime
) -> Cell:
    """The state of one student's attempts at one assignment at ``now``."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (UTC)")
    graded = sorted(
        (a for a in attempts if a.submitted_at is not None),
        key=lambda a: (a.submitted_at, a.id),
    )
    if graded:
        last = graded[-1]
        assert last.submitted_at is not None
        is_late = closes_at is not None and last.submitted_at > closes_at
        percents = [a.percent for a in graded if a.percent is not None]
        return Cell(
            CellState.LATE if is_late else CellState.DONE,
            best=max(percents) if percents else None,
            last=last.percent,
            attempt_id=last.id,
            attempts=len(graded),
            last_submitted_at=last.submitted_at,
        )
    open_ones = [a for a in attempts if a.submitted_at is None]
    if open_ones:
        return Cell(CellState.IN_PROGRESS, attempt_id=max(a.id for a in open_ones))
    if closes_at is not None and now >= closes_at:
        return Cell(CellState.MISSING)
    return Cell(CellState.NOT_STARTED)


def minute(moment: datetime | None, tz_name: str) -> str:
    """``2026-03-02 10:30`` on the teacher's clock; "" for None."""
    if moment is None:
        return ""
    return f"{dates.utc_to_local(moment, tz_name):%Y-%m-%d %H:%M}"


def csv_header(titles: Sequence[str], tz_name: str) -> list[str]:
    """One column per student field, then best/last/status/submitted per assignment."""
    header = ["username", "display_name"]
    for title in titles:
        header += [
            f"{title}: best %",
            f"{title}: last %",
            f"{title}: status",
            f"{title}: last submitted ({tz_name})",
        ]
    return header


def csv_row(
    username: str, display_name: str, cells: Sequence[Cell], tz_name: str
) -> list[str | float | None]:
    """A student's gradebook row for the CSV."""
    row: list[str | float | None] = [username, display_name]
    for c in cells:
        row += [c.best, c.last, c.label, minute(c.last_submitted_at, tz_name)]
    return row


def duration_text(started_at: datetime, submitted_at: datetime | None) -> str:
    """``23 min 5 s`` from start to submission; "" while open."""
    if submitted_at is None:
        return ""
    seconds = max(0, int((submitted_at - started_at).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"

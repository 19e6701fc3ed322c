"""Pure gradebook rules: cell states, best and last scores, CSV rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quiz_app.classes.gradebook import (
    AttemptFact,
    CellState,
    cell,
    csv_header,
    csv_row,
    minute,
)

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
CLOSE = NOW + timedelta(days=1)


def _graded(aid: int, percent: float, *, at: datetime) -> AttemptFact:
    return AttemptFact(aid, at - timedelta(minutes=20), at, percent)


def test_nothing_before_the_close_is_not_started_and_after_it_missing():
    assert cell([], closes_at=CLOSE, now=NOW).state is CellState.NOT_STARTED
    assert cell([], closes_at=None, now=NOW).state is CellState.NOT_STARTED
    assert cell([], closes_at=NOW, now=NOW).state is CellState.MISSING


def test_an_open_attempt_is_in_progress_even_after_the_close():
    open_one = AttemptFact(7, NOW, None, None)
    result = cell([open_one], closes_at=NOW - timedelta(hours=1), now=NOW)
    assert (result.state, result.attempt_id) == (CellState.IN_PROGRESS, 7)


def test_best_and_last_of_graded_attempts():
    attempts = [
        _graded(1, 80.0, at=NOW - timedelta(hours=3)),
        _graded(2, 50.0, at=NOW - timedelta(hours=1)),
        AttemptFact(3, NOW, None, None),
    ]
    result = cell(attempts, closes_at=CLOSE, now=NOW)
    assert result.state is CellState.DONE
    assert (result.best, result.last, result.attempt_id, result.attempts) == (
        80.0,
        50.0,
        2,
        2,
    )


def test_submitted_after_the_close_is_late():
    attempts = [_graded(1, 90.0, at=CLOSE + timedelta(minutes=1))]
    assert cell(attempts, closes_at=CLOSE, now=NOW).state is CellState.LATE


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        cell([], closes_at=None, now=NOW.replace(tzinfo=None))


def test_csv_times_are_in_the_teachers_zone_to_the_minute():
    moment = datetime(2026, 3, 2, 9, 30, 12, 345678, tzinfo=UTC)
    assert minute(moment, "Asia/Seoul") == "2026-03-02 18:30"
    assert minute(None, "UTC") == ""
    result = cell([_graded(4, 75.0, at=moment)], closes_at=None, now=NOW)
    assert csv_header(["Exam"], "Asia/Seoul") == [
        "username",
        "display_name",
        "Exam: best %",
        "Exam: last %",
        "Exam: status",
        "Exam: last submitted (Asia/Seoul)",
    ]
    assert csv_row("kim", "Kim", [result], "Asia/Seoul") == [
        "kim",
        "Kim",
        75.0,
        75.0,
        "Done",
        "2026-03-02 18:30",
    ]


def test_duration_text():
    from quiz_app.classes.gradebook import duration_text

    assert duration_text(NOW, None) == ""
    assert duration_text(NOW, NOW + timedelta(seconds=42)) == "42 s"
    assert duration_text(NOW, NOW + timedelta(minutes=23, seconds=5)) == "23 min 5 s"
    assert duration_text(NOW, NOW + timedelta(hours=1, minutes=2)) == "1 h 2 min"

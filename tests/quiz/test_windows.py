"""Assignment windows (pure): when a student may start a set quiz, and how it reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quiz_app.quiz.windows import (
    Access,
    Availability,
    Window,
    availability,
    badge,
    format_moment,
    refusal,
    zone_name,
)

NOW = datetime(2025, 11, 27, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("windows", "expected"),
    [
        ([], Availability(Access.FREE)),
        ([Window(None, None)], Availability(Access.OPEN)),
        ([Window(NOW, None)], Availability(Access.OPEN)),  # opens_at is inclusive
        ([Window(None, NOW + HOUR)], Availability(Access.OPEN)),
        ([Window(NOW + HOUR, None)], Availability(Access.UPCOMING, NOW + HOUR)),
        ([Window(None, NOW)], Availability(Access.CLOSED, NOW)),  # closes_at is not
        # Any open assignment opens it, whatever the others say.
        ([Window(None, NOW - HOUR), Window(NOW - HOUR, None)], Availability("open")),
        # The soonest opening; a later opening wins over a past closing.
        (
            [
                Window(NOW + 5 * HOUR, None),
                Window(None, NOW - HOUR),
                Window(NOW + 2 * HOUR, NOW + 3 * HOUR),
            ],
            Availability(Access.UPCOMING, NOW + 2 * HOUR),
        ),
        # All closed: the latest closing.
        (
            [Window(None, NOW - 3 * HOUR), Window(NOW - 5 * HOUR, NOW - HOUR)],
            Availability(Access.CLOSED, NOW - HOUR),
        ),
    ],
)
def test_availability(windows, expected):
    assert availability(windows, now=NOW) == expected
    assert expected.can_start == (expected.access in ("free", "open"))


def test_dates_read_on_the_students_clock_with_the_zone_named():
    monday = datetime(2025, 12, 1, 7, 0, tzinfo=UTC)  # 08:00 in Paris
    upcoming = Availability(Access.UPCOMING, monday)
    assert refusal(upcoming, "Europe/Paris", now=NOW) == (
        "This quiz opens on Mon 1 Dec, 08:00 (Europe/Paris time)."
    )
    assert badge(upcoming, "Europe/Paris", now=NOW) == "Opens Mon 1 Dec, 08:00"
    closed = Availability(Access.CLOSED, datetime(2025, 11, 21, 8, 0, tzinfo=UTC))
    assert refusal(closed, "Asia/Seoul", now=NOW).startswith(
        "This quiz closed on Fri 21 Nov, 17:00 (Asia/Seoul time)."
    )
    assert badge(closed, "Asia/Seoul", now=NOW) == "Closed"
    for open_ in (Availability(Access.OPEN), Availability(Access.FREE)):
        assert refusal(open_, "UTC", now=NOW) == badge(open_, "UTC", now=NOW) == ""


def test_another_year_is_named_and_an_unknown_zone_reads_as_utc():
    new_year = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    assert format_moment(new_year, "Nowhere/City", now=NOW) == "Mon 5 Jan 2026, 09:30"
    assert zone_name("Nowhere/City") == "UTC"
    # The year is the student's: 31 Dec 23:30 UTC is already next year in Seoul.
    eve = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    assert format_moment(eve, "Asia/Seoul", now=NOW) == "Thu 1 Jan 2026, 08:30"

"""The house wording of numbers and dates (pure, fixed clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from quiz_app.display import format_moment, format_percent, format_score

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (28.8333, "28.8"),
        (42.0, "42"),
        (0.8333, "0.8"),
        (0.96, "1"),
        (0, "0"),
        (None, "–"),
    ],
)
def test_scores_have_at_most_one_decimal(value, text):
    assert format_score(value) == text


@pytest.mark.parametrize(
    ("value", "of", "text"),
    [
        (0.9, 1, "90%"),
        (0.004, 1, "0%"),
        (1, 1, "100%"),
        (68.65, 100, "69%"),
        (None, 1, "–"),
    ],
)
def test_shares_read_as_whole_percentages(value, of, text):
    assert format_percent(value, of=of) == text


def test_a_moment_reads_on_the_readers_clock_with_the_year_only_when_not_this_one():
    moment = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert format_moment(moment, "UTC", now=NOW) == "Mon 2 Mar, 09:30"
    assert format_moment(moment, "America/New_York", now=NOW) == "Mon 2 Mar, 04:30"
    last_year = datetime(2025, 12, 3, 8, 0, tzinfo=UTC)
    assert format_moment(last_year, "UTC", now=NOW) == "Wed 3 Dec 2025, 08:00"
    assert format_moment(moment, "UTC", now=NOW, with_time=False) == "Mon 2 Mar"
    assert format_moment(date(2026, 3, 4), "Asia/Seoul", now=NOW) == "Wed 4 Mar"
    assert format_moment(None, "UTC", now=NOW) == "–"
    assert format_moment(moment, "Not/AZone", now=NOW) == "Mon 2 Mar, 09:30"


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="naive"):
        format_moment(datetime(2026, 3, 2, 9, 30), "UTC", now=NOW)

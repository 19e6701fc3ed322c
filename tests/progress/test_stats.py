"""Pure progress statistics with fixed clocks and zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from quiz_app.progress.stats import (
    DayCount,
    Retention,
    fill_days,
    forecast_windows,
    heat_level,
    heatmap_start,
    local_day_windows,
    state_counts,
    true_retention,
)

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # a Monday
SEOUL = ZoneInfo("Asia/Seoul")


def test_the_calendar_starts_on_a_monday_26_weeks_back():
    start = heatmap_start(date(2026, 3, 4))  # a Wednesday
    assert start.weekday() == 0
    assert start == date(2025, 9, 8)
    assert (date(2026, 3, 4) - start).days // 7 == 25


def test_local_day_windows_follow_the_zone_and_daylight_saving():
    seoul = local_day_windows(date(2026, 3, 1), date(2026, 3, 2), tz=SEOUL)
    assert [(w.day, w.start, w.end) for w in seoul] == [
        (
            date(2026, 3, 1),
            datetime(2026, 2, 28, 15, tzinfo=UTC),
            datetime(2026, 3, 1, 15, tzinfo=UTC),
        ),
        (
            date(2026, 3, 2),
            datetime(2026, 3, 1, 15, tzinfo=UTC),
            datetime(2026, 3, 2, 15, tzinfo=UTC),
        ),
    ]
    (spring,) = local_day_windows(
        date(2026, 3, 8), date(2026, 3, 8), tz=ZoneInfo("America/New_York")
    )
    assert spring.end - spring.start == timedelta(hours=23)


def test_the_forecast_starts_today_and_takes_in_everything_overdue():
    windows = forecast_windows(now=NOW, tz=SEOUL, days=30)
    assert len(windows) == 30
    assert windows[0].day == date(2026, 3, 2) and windows[0].start.year == 1970
    assert windows[0].end == windows[1].start == datetime(2026, 3, 2, 15, tzinfo=UTC)
    assert windows[-1].day == date(2026, 3, 31)


def test_fill_days_gives_every_day_a_count():
    windows = local_day_windows(date(2026, 3, 1), date(2026, 3, 3), tz=SEOUL)
    assert fill_days(windows, {date(2026, 3, 2): 4}) == [
        DayCount(date(2026, 3, 1), 0),
        DayCount(date(2026, 3, 2), 4),
        DayCount(date(2026, 3, 3), 0),
    ]


def test_heat_levels_run_from_zero_to_four():
    assert heat_level(0, 10) == 0
    assert heat_level(1, 10) == 1
    assert heat_level(10, 10) == 4
    assert heat_level(5, 0) == 0
    assert {heat_level(n, 40) for n in range(1, 41)} == {1, 2, 3, 4}


def test_state_counts_add_unseen_deck_cards_to_new():
    assert state_counts({0: 2, 2: 5, 3: 1}, unseen=10) == {
        "new": 12,
        "learning": 0,
        "review": 5,
        "relearning": 1,
    }


def test_true_retention_counts_only_reviews_of_review_cards():
    outcomes = {
        (2, 1): 2,  # review card, Again: forgotten
        (2, 3): 6,
        (2, 4): 2,
        (1, 1): 50,  # learning steps never count
        (0, 3): 9,
    }
    retention = true_retention(outcomes)
    assert retention == Retention(passed=8, total=10)
    assert retention.rate == 0.8
    assert true_retention({}).rate is None

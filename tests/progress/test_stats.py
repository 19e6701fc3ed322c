"""Pure progress statistics with fixed clocks and zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from quiz_app.progress.stats import (
    DayCount,
    Retention,
    count_by_day,
    due_forecast,
    heat_level,
    heatmap_start,
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


def test_reviews_are_counted_on_the_students_local_day():
    moments = [
        datetime(2026, 3, 1, 14, 59, tzinfo=UTC),  # 23:59 on 1 March in Seoul
        datetime(2026, 3, 1, 15, 0, tzinfo=UTC),  # 00:00 on 2 March in Seoul
        datetime(2026, 3, 1, 20, 0, tzinfo=UTC),
    ]
    days = count_by_day(moments, tz=SEOUL, start=date(2026, 3, 1), end=date(2026, 3, 3))
    assert days == [
        DayCount(date(2026, 3, 1), 1),
        DayCount(date(2026, 3, 2), 2),
        DayCount(date(2026, 3, 3), 0),
    ]
    utc_days = count_by_day(
        moments, tz=ZoneInfo("UTC"), start=date(2026, 3, 1), end=date(2026, 3, 1)
    )
    assert utc_days == [DayCount(date(2026, 3, 1), 3)]


def test_the_forecast_puts_overdue_cards_on_today_and_drops_later_ones():
    due = [
        NOW - timedelta(days=10),
        NOW,
        NOW + timedelta(days=1),
        NOW + timedelta(days=29),
        NOW + timedelta(days=30),
    ]
    forecast = due_forecast(due, now=NOW, tz=ZoneInfo("UTC"), days=30)
    assert len(forecast) == 30 and forecast[0].day == date(2026, 3, 2)
    assert [forecast[0].count, forecast[1].count, forecast[29].count] == [2, 1, 1]
    assert sum(d.count for d in forecast) == 4


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

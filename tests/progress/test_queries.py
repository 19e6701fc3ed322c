"""Progress queries: per-day counts done by the database, in the student's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from quiz_app.extensions import db
from quiz_app.flashcards.models import ReviewLog
from quiz_app.flashcards.scheduler import Rating, SchedulerParams
from quiz_app.flashcards.services import enqueue_missed, record_review
from quiz_app.progress import queries
from quiz_app.progress.stats import forecast_windows, local_day_windows
from tests.factories import make_schema_question
from tests.flashcards.conftest import plain_cards

SEOUL = ZoneInfo("Asia/Seoul")
PARAMS = SchedulerParams(enable_fuzzing=False)


def test_reviews_are_counted_on_the_students_local_day(make_bank, make_user):
    make_bank("p", cards=plain_cards("p", 3))
    user, other = make_user(), make_user("other")
    moments = [
        datetime(2026, 3, 1, 14, 59, tzinfo=UTC),  # 23:59 on 1 March in Seoul
        datetime(2026, 3, 1, 15, 0, tzinfo=UTC),  # 00:00 on 2 March in Seoul
        datetime(2026, 3, 1, 20, 0, tzinfo=UTC),
    ]
    for n, moment in enumerate(moments, start=1):
        record_review(
            user.id,
            f"p-c0{n}",
            Rating.GOOD,
            now=moment,
            seen_review_count=0,
            params=PARAMS,
        )
    record_review(
        other.id,
        "p-c01",
        Rating.GOOD,
        now=moments[0],
        seen_review_count=0,
        params=PARAMS,
    )
    assert db.session.query(ReviewLog).count() == 4
    seoul = local_day_windows(date(2026, 3, 1), date(2026, 3, 3), tz=SEOUL)
    assert queries.count_reviews_by_day(user.id, seoul) == {
        date(2026, 3, 1): 1,
        date(2026, 3, 2): 2,
    }
    utc = local_day_windows(date(2026, 3, 1), date(2026, 3, 1), tz=ZoneInfo("UTC"))
    assert queries.count_reviews_by_day(user.id, utc) == {date(2026, 3, 1): 3}
    assert queries.count_reviews_by_day(user.id, []) == {}


def test_due_counts_put_overdue_cards_on_today(make_bank, make_user, now):
    make_bank(
        "p",
        questions=(make_schema_question("p-q1"),),
        cards=plain_cards("p", 2),
    )
    user = make_user()
    enqueue_missed(user.id, "p-q1", now=now - timedelta(days=10))  # long overdue
    record_review(
        user.id, "p-c01", Rating.EASY, now=now, seen_review_count=0, params=PARAMS
    )
    windows = forecast_windows(now=now, tz=ZoneInfo("UTC"), days=30)
    counts = queries.count_due_by_day(user.id, windows)
    assert counts[date(2026, 3, 2)] == 1
    assert sum(counts.values()) == 2

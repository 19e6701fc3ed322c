"""Flashcard services against the database: the queue, reviews, stale answers, undo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz_app.extensions import db
from quiz_app.flashcards import services
from quiz_app.flashcards.bridge import to_state
from quiz_app.flashcards.models import CardProgress, ReviewLog
from quiz_app.flashcards.scheduler import Phase, Rating, SchedulerParams
from quiz_app.flashcards.services import (
    CardModified,
    CardNotInQueue,
    NothingToUndo,
    StudyPrefs,
    build_study_queue,
    count_due_today,
    enqueue_missed,
    get_progress,
    predicted_recall,
    record_review,
    undo_last_review,
)

PARAMS = SchedulerParams(enable_fuzzing=False)


def prefs(limit: int = 20, tz: str = "UTC") -> StudyPrefs:
    return StudyPrefs(desired_retention=0.9, new_cards_per_day=limit, timezone=tz)


def ids(queue) -> list[str]:
    return [item.card_id for item in queue.items]


def review(user, card_id, rating, when, seen=None):
    row = get_progress(user.id, card_id)
    return record_review(
        user.id,
        card_id,
        rating,
        now=when,
        seen_review_count=row.review_count if seen is None and row else (seen or 0),
        params=PARAMS,
    )


def test_new_deck_cards_are_offered_up_to_the_daily_limit(make_deck, make_user, now):
    make_deck(cards=5)
    user = make_user()
    q = build_study_queue(user, now=now, prefs=prefs(limit=3))
    assert ids(q) == ["deck-c01", "deck-c02", "deck-c03"]
    review(user, "deck-c01", Rating.EASY, now)
    review(user, "deck-c02", Rating.EASY, now)
    q = build_study_queue(user, now=now + timedelta(minutes=1), prefs=prefs(limit=3))
    assert ids(q) == ["deck-c03"] and q.new == 1


def test_the_new_card_allowance_resets_at_the_students_midnight(make_deck, make_user):
    make_deck(cards=6)
    user = make_user()
    seoul = prefs(limit=2, tz="Asia/Seoul")
    evening = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # 23:00 in Seoul
    for card_id in ("deck-c01", "deck-c02"):
        review(user, card_id, Rating.EASY, evening)
    assert build_study_queue(user, now=evening, prefs=seoul).new == 0
    after_midnight = evening + timedelta(hours=1, minutes=1)  # 00:01 in Seoul
    assert build_study_queue(user, now=after_midnight, prefs=seoul).new == 2
    # In UTC the same instant is still the same day: no new cards yet.
    assert build_study_queue(user, now=after_midnight, prefs=prefs(limit=2)).new == 0


def test_missed_questions_count_as_due_not_against_the_new_limit(
    make_deck, make_user, now
):
    make_deck(cards=2)
    user = make_user()
    enqueue_missed(user.id, "deck-q1", now=now)
    q = build_study_queue(user, now=now, prefs=prefs(limit=1))
    assert ids(q) == ["deck-q1", "deck-c01"]
    assert (q.review, q.new) == (1, 1)
    review(user, "deck-q1", Rating.GOOD, now)
    assert build_study_queue(user, now=now, prefs=prefs(limit=1)).new == 1


def test_retired_cards_never_appear(make_deck, make_user, now):
    make_deck(cards=2)
    user = make_user()
    review(user, "deck-c01", Rating.AGAIN, now)
    make_deck(cards=0, content_hash="hash-2")  # both cards leave the file
    later = now + timedelta(days=2)
    assert build_study_queue(user, now=later, prefs=prefs()).items == ()
    assert count_due_today(user, later) == 0
    with pytest.raises(CardNotInQueue):
        services.get_study_card(user.id, "deck-c02", now=later)


def test_study_one_bank_or_one_topic(make_bank, make_user, now):
    from tests.flashcards.conftest import plain_cards

    make_bank("a", cards=plain_cards("a", 2))
    make_bank("b", cards=plain_cards("b", 2, topic="topic-b"))
    user = make_user()
    assert ids(build_study_queue(user, now=now, prefs=prefs(), bank_id="b")) == [
        "b-c01",
        "b-c02",
    ]
    assert ids(build_study_queue(user, now=now, prefs=prefs(), topic="topic-a")) == [
        "a-c01",
        "a-c02",
    ]
    assert len(build_study_queue(user, now=now, prefs=prefs()).items) == 4


def test_a_review_is_logged_with_the_state_before_it(make_deck, make_user, now):
    make_deck(cards=1)
    user = make_user()
    log = record_review(
        user.id,
        "deck-c01",
        Rating.GOOD,
        now=now,
        seen_review_count=0,
        params=PARAMS,
        duration_ms=3200,
    )
    row = get_progress(user.id, "deck-c01")
    assert row.origin == "deck" and row.added_at == now and row.review_count == 1
    assert row.phase == Phase.LEARNING and row.due_at == now + timedelta(minutes=10)
    assert (log.rating, log.duration_ms, log.phase_before) == (3, 3200, 0)
    assert log.state_before["phase"] == 0
    assert log.interval_days == pytest.approx(10 / 1440)


def test_the_same_answer_twice_records_one_review(make_deck, make_user, now):
    make_deck(cards=1)
    user = make_user()
    review(user, "deck-c01", Rating.GOOD, now, seen=0)
    with pytest.raises(CardModified):
        review(user, "deck-c01", Rating.GOOD, now, seen=0)
    assert db.session.scalar(sa.select(sa.func.count(ReviewLog.id))) == 1


def test_cards_outside_the_deck_cannot_be_answered(make_deck, make_user, now):
    make_deck(cards=1)
    user = make_user()
    with pytest.raises(CardNotInQueue):
        review(user, "deck-q1", Rating.GOOD, now, seen=0)  # a question face not missed
    with pytest.raises(CardNotInQueue):
        review(user, "nope", Rating.GOOD, now, seen=0)


def test_undo_restores_the_state_and_deletes_the_log(make_deck, make_user, now):
    make_deck(cards=1)
    user = make_user()
    review(user, "deck-c01", Rating.GOOD, now)
    row = get_progress(user.id, "deck-c01")
    before = to_state(row)
    later = row.due_at
    review(user, "deck-c01", Rating.AGAIN, later)
    assert undo_last_review(user.id) == "deck-c01"
    db.session.expire_all()
    row = get_progress(user.id, "deck-c01")
    assert to_state(row) == before and row.review_count == 1
    assert db.session.scalar(sa.select(sa.func.count(ReviewLog.id))) == 1


def test_undoing_a_first_review_makes_the_card_new_again(make_deck, make_user, now):
    make_deck(cards=1)
    user = make_user()
    review(user, "deck-c01", Rating.GOOD, now)
    undo_last_review(user.id)
    assert get_progress(user.id, "deck-c01") is None
    q = build_study_queue(user, now=now, prefs=prefs(limit=1))
    assert ids(q) == ["deck-c01"] and q.new == 1
    with pytest.raises(NothingToUndo):
        undo_last_review(user.id)


def test_undo_only_touches_the_students_own_reviews(make_deck, make_user, now):
    make_deck(cards=1)
    alice, bob = make_user("alice"), make_user("bob")
    review(alice, "deck-c01", Rating.GOOD, now)
    with pytest.raises(NothingToUndo):
        undo_last_review(bob.id)
    assert get_progress(alice.id, "deck-c01") is not None


def test_count_due_today_counts_cards_due_before_local_midnight(
    make_deck, make_user, now
):
    make_deck(cards=3)
    user = make_user()
    review(user, "deck-c01", Rating.AGAIN, now)  # due in a minute
    review(user, "deck-c02", Rating.EASY, now)  # due in days
    assert count_due_today(user, now) == 1
    enqueue_missed(user.id, "deck-q1", now=now)
    assert count_due_today(user, now) == 2


def test_predicted_recall_averages_reviewed_cards(make_deck, make_user, now):
    make_deck(cards=2)
    user = make_user()
    assert predicted_recall(user, now) is None
    review(user, "deck-c01", Rating.EASY, now)
    review(user, "deck-c02", Rating.EASY, now)
    at_once = predicted_recall(user, now)
    assert at_once == pytest.approx(1.0)
    later = predicted_recall(user, now + timedelta(days=60))
    assert later is not None and 0 < later < at_once


def test_study_settings_default_then_saved(app, make_user, now):
    user = make_user()
    assert services.get_study_prefs(user) == StudyPrefs(0.9, 20, "UTC")
    services.update_study_prefs(
        user,
        desired_retention=0.85,
        new_cards_per_day=5,
        timezone="Asia/Seoul",
        now=now,
    )
    assert services.get_study_prefs(user) == StudyPrefs(0.85, 5, "Asia/Seoul")
    for bad in (
        {"desired_retention": 0.99},
        {"new_cards_per_day": 201},
        {"timezone": "Mars/Olympus"},
    ):
        values = {
            "desired_retention": 0.9,
            "new_cards_per_day": 20,
            "timezone": "UTC",
            **bad,
        }
        with pytest.raises(ValueError):
            services.update_study_prefs(user, now=now, **values)


def test_review_sequences_keep_due_after_the_last_review_and_survive_the_db(
    make_deck, make_user, now
):
    make_deck(cards=1)
    user = make_user("prop")
    ratings = st.sampled_from(list(Rating))
    gaps = st.integers(min_value=0, max_value=400 * 24 * 60)  # minutes after due

    @settings(max_examples=30, deadline=None)
    @given(steps=st.lists(st.tuples(ratings, gaps), min_size=1, max_size=8))
    def check(steps: list[tuple[Rating, int]]) -> None:
        db.session.execute(sa.delete(ReviewLog))
        db.session.execute(sa.delete(CardProgress))
        when = now
        for count, (rating, gap) in enumerate(steps):
            log = record_review(
                user.id,
                "deck-c01",
                rating,
                now=when,
                seen_review_count=count,
                params=PARAMS,
            )
            row = get_progress(user.id, "deck-c01")
            state = to_state(row)
            assert state.last_reviewed_at == when
            assert state.due_at > when
            assert log.interval_days > 0
            db.session.expire(row)
            assert to_state(get_progress(user.id, "deck-c01")) == state
            when = state.due_at + timedelta(minutes=gap)
        assert get_progress(user.id, "deck-c01").review_count == len(steps)

    check()

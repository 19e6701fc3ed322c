"""The DB bridge: progress rows round-trip through the scheduler state; missed questions
enter the queue.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz_app.extensions import db
from quiz_app.flashcards.bridge import apply_state, to_state
from quiz_app.flashcards.models import CardProgress
from quiz_app.flashcards.scheduler import CardState, Rating, SchedulerParams, schedule
from quiz_app.flashcards.services import enqueue_missed, get_progress
from tests.factories import make_schema_question


def test_missed_question_enters_the_queue_due_now(make_bank, make_user, now):
    make_bank("b", questions=(make_schema_question("b-q1"),))
    user = make_user()
    enqueue_missed(user.id, "b-q1", now=now)
    enqueue_missed(user.id, "b-q1", now=now + timedelta(minutes=5))  # counted once
    rows = db.session.scalars(sa.select(CardProgress)).all()
    assert len(rows) == 1
    assert rows[0].origin == "missed" and rows[0].due_at == now and rows[0].phase == 0


def test_missing_a_studied_card_again_makes_it_due_without_resetting_memory(
    make_bank, make_user, now
):
    make_bank("b", questions=(make_schema_question("b-q1"),))
    user = make_user()
    enqueue_missed(user.id, "b-q1", now=now)
    row = get_progress(user.id, "b-q1")
    params = SchedulerParams(enable_fuzzing=False)
    state = schedule(to_state(row), Rating.EASY, now=now, params=params)
    apply_state(row, state)
    later = now + timedelta(hours=2)
    enqueue_missed(user.id, "b-q1", now=later)
    assert row.due_at == later
    assert row.stability == state.stability


def test_state_survives_a_database_round_trip(make_bank, make_user, now):
    make_bank("rt", questions=(make_schema_question("rt-q1"),))
    user = make_user("rt-user")
    enqueue_missed(user.id, "rt-q1", now=now)
    row = get_progress(user.id, "rt-q1")
    params = SchedulerParams(enable_fuzzing=False)

    @settings(max_examples=40, deadline=None)
    @given(ratings=st.lists(st.sampled_from(list(Rating)), min_size=1, max_size=8))
    def check(ratings: list[Rating]) -> None:
        state = CardState.new(now)
        when = now
        for rating in ratings:
            state = schedule(state, rating, now=when, params=params)
            when = state.due_at
        apply_state(row, state)
        db.session.flush()
        db.session.expire(row)
        assert to_state(row) == state

    check()

"""Ratings racing each other (double clicks, a second tab) on a database that several
connections share: one review is recorded, the others are refused as stale, none fails.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from quiz_app.accounts.models import User
from quiz_app.extensions import db
from quiz_app.flashcards.models import CardProgress, ReviewLog
from quiz_app.flashcards.views import shown_token
from tests.conftest import logged_in_client, run_together, statuses


@pytest.fixture
def app(shared_app):
    """Every factory of these tests writes to the shared database."""
    return shared_app


def _form(card_id, seen):
    """The rating form as the page showing the card ``seen`` reviews in sends it."""
    user_id = db.session.scalar(sa.select(User.id).where(User.username == "kim"))
    return {"rating": "3", "seen": shown_token(user_id, card_id, seen)}


def _rate_together(app, card_id, *, seen, times=4):
    clients = [logged_in_client(app, "kim") for _ in range(times)]
    data = _form(card_id, seen)
    return run_together(
        app,
        [lambda c=c: c.post(f"/cards/{card_id}/answer", data=data) for c in clients],
    )


def _reviews(card_id):
    db.session.rollback()  # see what the racing requests committed
    logs = db.session.scalars(sa.select(ReviewLog).where(ReviewLog.card_id == card_id))
    row = db.session.scalar(
        sa.select(CardProgress).where(CardProgress.card_id == card_id)
    )
    return list(logs), row


def test_a_new_card_rated_four_times_at_once_is_reviewed_once(
    app, make_deck, make_user
):
    make_deck(cards=1)
    make_user("kim")
    db.session.commit()
    results = _rate_together(app, "deck-c01", seen=0)
    assert statuses(results) == [302] * 4
    logs, row = _reviews("deck-c01")
    assert len(logs) == 1
    assert row.review_count == 1


def test_a_studied_card_rated_four_times_at_once_loses_no_update(
    app, make_deck, make_user
):
    make_deck(cards=1)
    make_user("kim")
    db.session.commit()
    client = logged_in_client(app, "kim")
    with app.app_context():
        first = client.post("/cards/deck-c01/answer", data=_form("deck-c01", 0))
    assert first.status_code == 302
    results = _rate_together(app, "deck-c01", seen=1)
    assert statuses(results) == [302] * 4
    logs, row = _reviews("deck-c01")
    assert len(logs) == 2
    assert row.review_count == 2
    # the second review started from the first one's state, not from a stale copy
    assert logs[1].state_before["last_reviewed_at"] is not None

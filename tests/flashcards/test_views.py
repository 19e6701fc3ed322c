"""The review session in the web client: reveal, rate, limits, undo, settings."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from quiz_app.extensions import db
from quiz_app.flashcards.models import ReviewLog, StudySettings
from quiz_app.flashcards.services import enqueue_missed, get_progress
from quiz_app.flashcards.views import shown_token


@pytest.fixture
def clock(monkeypatch, now):
    """Freeze the views' clock at ``now``; set ``clock.now`` to move it."""

    class Clock:
        def __init__(self) -> None:
            self.now = now

    c = Clock()
    monkeypatch.setattr("quiz_app.flashcards.views.utcnow", lambda: c.now)
    return c


def card_id_on(page: str) -> str | None:
    match = re.search(r'data-card-id="([^"]+)"', page)
    return match.group(1) if match else None


def rate(client, card_id, rating, *, seen=0, shown=None, headers=None, query=""):
    """Post a rating as the page would after showing the card ``seen`` reviews in."""
    with client.session_transaction() as session:
        user_id = int(session["_user_id"].split(":")[0])
    data = {"rating": str(rating), "seen": shown_token(user_id, card_id, seen)}
    if shown is not None:
        data["shown"] = shown
    return client.post(
        f"/cards/{card_id}/answer{query}", data=data, headers=headers or {}
    )


def test_flashcards_need_a_login(client):
    response = client.get("/cards/")
    assert response.status_code == 302 and "/account/login" in response.location


def test_session_shows_front_then_reveals_back_with_intervals(
    client, auth, make_deck, clock
):
    make_deck(cards=2)
    auth.login()
    page = client.get("/cards/").get_data(as_text=True)
    assert card_id_on(page) == "deck-c01"
    assert "Front deck 1" in page and "Back deck 1" not in page
    assert 'aria-live="polite"' in page and "Keyboard shortcuts" in page
    assert "2 new" in page

    shown = re.search(r'name="shown" value="(\d+)"', page).group(1)
    page = client.get(f"/cards/deck-c01/answer?shown={shown}").get_data(as_text=True)
    assert "Back deck 1" in page
    buttons = re.findall(
        r'name="rating" value="(\d)".*?answer-name">(\w+)<.*?</span>([^<]+)</span>',
        page,
        re.S,
    )
    assert [(v, n, i.strip()) for v, n, i in buttons][:3] == [
        ("1", "Again", "1m"),
        ("2", "Hard", "6m"),
        ("3", "Good", "10m"),
    ]
    assert f'name="shown" value="{shown}"' in page


def test_rating_records_the_review_and_shows_the_next_card(
    client, auth, make_deck, clock, now
):
    make_deck(cards=2)
    user = auth.login()
    shown = str(int((now - timedelta(seconds=7)).timestamp() * 1000))
    response = rate(client, "deck-c01", 3, shown=shown)
    assert response.status_code == 302 and response.location.endswith("/cards/")
    log = db.session.scalar(sa.select(ReviewLog))
    assert (log.user_id, log.card_id, log.rating, log.duration_ms) == (
        user.id,
        "deck-c01",
        3,
        7000,
    )
    assert card_id_on(client.get("/cards/").get_data(as_text=True)) == "deck-c02"


def test_the_same_post_twice_records_one_review(client, auth, make_deck, clock):
    make_deck(cards=2)
    auth.login()
    rate(client, "deck-c01", 3)
    response = rate(client, "deck-c01", 3)
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(ReviewLog.id))) == 1
    page = client.get("/cards/").get_data(as_text=True)
    assert "already recorded" in page


def test_a_script_gets_the_next_card_as_a_fragment(client, auth, make_deck, clock):
    make_deck(cards=2)
    auth.login()
    response = rate(client, "deck-c01", 4, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 200
    assert response.headers["X-Fragment"] == "study"
    body = response.get_data(as_text=True)
    assert "<html" not in body and card_id_on(body) == "deck-c02"
    again = rate(client, "deck-c01", 4, headers={"X-Requested-With": "fetch"})
    assert "already recorded" in again.get_data(as_text=True)
    reveal = client.get(
        "/cards/deck-c02/answer", headers={"X-Requested-With": "fetch"}
    ).get_data(as_text=True)
    assert "Back deck 2" in reveal and "<html" not in reveal


def test_the_daily_new_limit_is_the_students_choice(
    client, auth, make_deck, clock, app
):
    make_deck(cards=5)
    user = auth.login()
    db.session.add(
        StudySettings(
            user_id=user.id,
            desired_retention=0.9,
            new_cards_per_day=2,
            updated_at=clock.now,
        )
    )
    db.session.commit()
    assert "2 new" in client.get("/cards/").get_data(as_text=True)
    rate(client, "deck-c01", 4)
    rate(client, "deck-c02", 4)
    page = client.get("/cards/").get_data(as_text=True)
    assert "0 new" in page and "All done for now" in page


def test_the_default_limit_comes_from_the_config(client, auth, make_deck, clock, app):
    app.config["DEFAULT_NEW_CARDS_PER_DAY"] = 1
    make_deck(cards=3)
    auth.login()
    assert "1 new" in client.get("/cards/").get_data(as_text=True)


def test_new_cards_return_after_local_midnight(client, auth, make_deck, clock):
    make_deck(cards=3)
    user = auth.login()
    user.timezone = "Asia/Seoul"
    db.session.add(
        StudySettings(
            user_id=user.id,
            desired_retention=0.9,
            new_cards_per_day=1,
            updated_at=clock.now,
        )
    )
    db.session.commit()
    clock.now = datetime(2026, 3, 2, 14, 58, tzinfo=UTC)  # 23:58 in Seoul
    rate(client, "deck-c01", 4)
    assert "0 new" in client.get("/cards/").get_data(as_text=True)
    clock.now = datetime(2026, 3, 2, 15, 1, tzinfo=UTC)  # 00:01 the next day
    page = client.get("/cards/").get_data(as_text=True)
    assert "1 new" in page and card_id_on(page) == "deck-c02"


def test_undo_brings_the_last_card_back(client, auth, make_deck, clock):
    make_deck(cards=2)
    user = auth.login()
    rate(client, "deck-c01", 4)
    assert "Undo last review" in client.get("/cards/").get_data(as_text=True)
    response = client.post("/cards/undo")
    assert response.status_code == 302
    assert get_progress(user.id, "deck-c01") is None
    page = client.get("/cards/").get_data(as_text=True)
    assert card_id_on(page) == "deck-c01" and "Last review undone." in page
    client.post("/cards/undo")
    assert "no review to undo" in client.get("/cards/").get_data(as_text=True)


def test_missed_question_is_studied_with_the_filter_kept(
    client, auth, make_deck, clock, now
):
    make_deck(cards=1)
    make_deck("other", cards=1)
    user = auth.login()
    enqueue_missed(user.id, "other-q1", now=now)
    db.session.commit()
    page = client.get("/cards/?bank=other").get_data(as_text=True)
    assert card_id_on(page) == "other-q1" and "1 due" in page
    response = rate(client, "other-q1", 3, query="?bank=other")
    assert response.location.endswith("/cards/?bank=other")


def test_unknown_or_foreign_cards_are_not_found(client, auth, make_deck, clock):
    make_deck(cards=1)
    auth.login()
    assert client.get("/cards/nope/answer").status_code == 404
    assert client.get("/cards/deck-q1/answer").status_code == 404  # not in the deck
    assert rate(client, "deck-q1", 3).status_code == 404


def test_a_malformed_rating_is_refused(client, auth, make_deck, clock):
    make_deck(cards=1)
    auth.login()
    response = client.post("/cards/deck-c01/answer", data={"rating": "9", "seen": "0"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(ReviewLog.id))) == 0


def test_settings_are_saved_and_validated(client, auth):
    user = auth.login()
    page = client.get("/cards/settings").get_data(as_text=True)
    assert "higher" in page.lower() and 'value="90"' in page
    assert "Desired retention (%)" in page and "from 70% to 97%" in page
    # Only places: not the server's own zone nor the tz database's placeholder.
    assert 'value="Asia/Seoul"' in page
    assert 'value="localtime"' not in page and 'value="Factory"' not in page
    response = client.post(
        "/cards/settings",
        data={
            "desired_retention": "85",
            "new_cards_per_day": "7",
            "timezone": "Asia/Seoul",
        },
    )
    assert response.status_code == 302
    row = db.session.scalar(sa.select(StudySettings))
    assert (row.desired_retention, row.new_cards_per_day) == (0.85, 7)
    assert user.timezone == "Asia/Seoul"

    for field, value in (
        ("desired_retention", "99"),
        ("desired_retention", "50"),
        ("desired_retention", "0.9"),
        ("desired_retention", "lots"),
        ("new_cards_per_day", "201"),
        ("new_cards_per_day", "-1"),
        ("timezone", "Mars/Olympus"),
    ):
        data = {
            "desired_retention": "90",
            "new_cards_per_day": "20",
            "timezone": "UTC",
            field: value,
        }
        response = client.post("/cards/settings", data=data)
        assert response.status_code == 200, (field, value)
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(sa.select(StudySettings)).new_cards_per_day == 7


def _reveal_seen(client, card_id):
    """The hidden ``seen`` value the reveal page puts in its answer form."""
    page = client.get(f"/cards/{card_id}/answer").get_data(as_text=True)
    return re.search(r'name="seen" value="([^"]+)"', page).group(1)


def test_a_card_is_rated_once_per_showing_and_only_when_due(
    client, auth, make_deck, clock
):
    """Forged posts (seen=0..29) once raised a card's stability to 3,105 days."""
    make_deck(cards=1)
    user = auth.login()
    seen = _reveal_seen(client, "deck-c01")
    client.post("/cards/deck-c01/answer", data={"rating": "4", "seen": seen})
    for forged in range(30):
        client.post("/cards/deck-c01/answer", data={"rating": "4", "seen": forged})
    shown_again = _reveal_seen(client, "deck-c01")  # not due: looking is allowed
    client.post("/cards/deck-c01/answer", data={"rating": "4", "seen": shown_again})
    assert get_progress(user.id, "deck-c01").review_count == 1
    assert db.session.scalar(sa.select(sa.func.count(ReviewLog.id))) == 1


def test_new_cards_past_the_daily_limit_are_refused_on_post(
    client, auth, make_deck, clock
):
    make_deck(cards=3)
    user = auth.login()
    db.session.add(
        StudySettings(
            user_id=user.id,
            desired_retention=0.9,
            new_cards_per_day=2,
            updated_at=clock.now,
        )
    )
    db.session.commit()
    for card_id in ("deck-c01", "deck-c02", "deck-c03"):
        seen = _reveal_seen(client, card_id)
        client.post(f"/cards/{card_id}/answer", data={"rating": "3", "seen": seen})
    assert get_progress(user.id, "deck-c03") is None
    assert "new cards for today" in client.get("/cards/").get_data(as_text=True)

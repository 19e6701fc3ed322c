"""The home page: a welcome for visitors, a dashboard for signed-in students."""

from __future__ import annotations

import re

from quiz_app.extensions import db
from tests.quiz.helpers import make_quiz_bank


def _start(client, quiz_id="bank-a-quiz"):
    response = client.post(f"/quiz/{quiz_id}/start")
    return int(re.search(r"/quiz/attempt/(\d+)", response.location).group(1))


def test_visitors_see_a_welcome_with_signup_login_and_banks(client, make_bank):
    make_quiz_bank(make_bank)
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert 'href="/account/signup"' in page and 'href="/account/login"' in page
    assert "Bank bank-a" in page and "Every type" in page
    assert "/quiz/bank-a-quiz" not in page  # quizzes open after logging in
    assert "Cards due today" not in page


def test_students_see_quizzes_attempts_in_progress_and_scores(client, auth, make_bank):
    make_quiz_bank(make_bank, max_attempts=3)
    db.session.commit()
    auth.login()
    page = client.get("/").get_data(as_text=True)
    assert 'href="/quiz/bank-a-quiz"' in page and "0/3 attempts" in page
    assert "No quiz in progress." in page and "No graded quiz yet." in page
    assert 'id="cards-due-today"' in page

    first = _start(client)
    client.post(
        f"/quiz/attempt/{first}/answer",
        data={"page": "1", "action": "review", "q1": "Right"},
    )
    client.post(f"/quiz/attempt/{first}/submit")
    second = _start(client)
    page = client.get("/").get_data(as_text=True)
    assert f'href="/quiz/attempt/{second}"' in page and "Resume" in page
    assert f'href="/quiz/attempt/{first}/results"' in page
    assert "14%" in page and "2/3 attempts" in page


def test_health_check(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_each_bank_links_to_its_flashcards_and_folds_its_description(
    client, auth, make_bank
):
    from quiz_app.banks import schema

    card = schema.Card(
        id="c1", front="NNSC", back="…", sources=("src",), topic="topic-a"
    )
    make_bank("with-cards", cards=(card,))
    make_bank("no-cards")
    db.session.commit()
    auth.login()
    page = client.get("/").get_data(as_text=True)
    assert 'href="/cards/?bank=with-cards"' in page
    assert "/cards/?bank=no-cards" not in page


def test_a_new_student_is_welcomed_and_a_returning_one_welcomed_back(
    client, auth, make_bank
):
    make_quiz_bank(make_bank)
    db.session.commit()
    student = auth.login()
    page = client.get("/").text
    assert f"<h1>Welcome, {student.name}</h1>" in page and "Welcome back" not in page
    _start(client)  # any attempt, even unfinished, makes them a returning student
    assert f"<h1>Welcome back, {student.name}</h1>" in client.get("/").text


def test_home_counts_due_and_new_cards_apart_as_the_flashcards_page_does(
    client, auth, make_bank
):
    from tests.flashcards.conftest import plain_cards

    make_bank("deck", cards=plain_cards("deck", 3))
    db.session.commit()
    auth.login()
    home = client.get("/").get_data(as_text=True)
    # Nothing is due yet, but three new cards wait: the home must not say "0 cards".
    assert "<strong>0</strong> due · <strong>3</strong> new" in home
    assert "Study flashcards" in home
    cards = client.get("/cards/").get_data(as_text=True)
    assert "0 due" in cards and "3 new" in cards

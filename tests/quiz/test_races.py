"""Quiz writes racing each other (double clicks, second tabs, a submit while an answer
is on its way) on a database that several connections share: the exact rows
afterwards, and no request fails."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from quiz_app.extensions import db
from quiz_app.quiz.models import AttemptAnswer, QuizAttempt
from tests.conftest import logged_in_client, run_together, statuses
from tests.quiz.helpers import all_type_questions, make_quiz_bank

QUESTIONS = len(all_type_questions())


@pytest.fixture
def app(shared_app):
    """Every factory of these tests writes to the shared database."""
    return shared_app


@pytest.fixture
def student(app, make_bank, make_user):
    """A quiz of every question type and a student; returns a client maker."""

    def _setup(**quiz):
        make_quiz_bank(make_bank, **quiz)
        make_user("kim")
        db.session.commit()
        return lambda: logged_in_client(app, "kim")

    return _setup


def _start(app, client):
    with app.app_context():
        response = client.post("/quiz/bank-a-quiz/start")
    assert response.status_code == 302
    return int(re.search(r"/quiz/attempt/(\d+)", response.location).group(1))


def _rows(model, **where):
    db.session.rollback()  # see what the racing requests committed
    query = sa.select(model).filter_by(**where)
    return list(db.session.scalars(query.order_by(model.id)))


def test_five_starts_at_once_make_one_attempt(app, student):
    new_client = student(max_attempts=1)
    clients = [new_client() for _ in range(5)]
    results = run_together(
        app, [lambda c=c: c.post("/quiz/bank-a-quiz/start") for c in clients]
    )
    assert statuses(results) == [302] * 5
    attempts = _rows(QuizAttempt)
    assert len(attempts) == 1
    assert {r.location for r in results} == {f"/quiz/attempt/{attempts[0].id}"}


def test_five_submits_at_once_grade_the_attempt_once(app, student):
    new_client = student()
    clients = [new_client() for _ in range(5)]
    attempt_id = _start(app, clients[0])
    url = f"/quiz/attempt/{attempt_id}/submit"
    results = run_together(app, [lambda c=c: c.post(url) for c in clients])
    assert statuses(results) == [302] * 5
    [attempt] = _rows(QuizAttempt)
    assert attempt.status == "submitted"
    assert len(_rows(AttemptAnswer, attempt_id=attempt_id)) == QUESTIONS


def test_the_same_answer_sent_four_times_at_once_is_one_row(app, student):
    new_client = student()
    clients = [new_client() for _ in range(4)]
    attempt_id = _start(app, clients[0])
    url = f"/quiz/attempt/{attempt_id}/answer"
    data = {"page": "1", "action": "next", "q1": "Right"}
    results = run_together(app, [lambda c=c: c.post(url, data=data) for c in clients])
    assert statuses(results) == [302] * 4
    [row] = _rows(AttemptAnswer, attempt_id=attempt_id)
    assert (row.question_id, row.response, row.score) == ("q-single", "Right", 1.0)


@pytest.mark.parametrize("round_", range(3))
def test_an_answer_racing_the_submit_is_graded_or_refused(app, student, round_):
    """Either the answer lands before the grading and counts, or it is refused as
    too late: never saved into a graded attempt without counting."""
    new_client = student()
    answering, submitting = new_client(), new_client()
    attempt_id = _start(app, answering)
    answer = {"page": "1", "action": "next", "q1": "Right"}
    results = run_together(
        app,
        [
            lambda: answering.post(f"/quiz/attempt/{attempt_id}/answer", data=answer),
            lambda: submitting.post(f"/quiz/attempt/{attempt_id}/submit"),
        ],
    )
    assert statuses(results) == [302, 302]
    [attempt] = _rows(QuizAttempt)
    rows = _rows(AttemptAnswer, attempt_id=attempt_id)
    assert attempt.status == "submitted" and len(rows) == QUESTIONS
    assert attempt.score == sum(row.score for row in rows)
    single = next(row for row in rows if row.question_id == "q-single")
    assert (attempt.score, single.response) in {(1.0, "Right"), (0.0, None)}

"""Sign-ups per address, attempt starts and problem reports per user are limited."""

from __future__ import annotations

import sqlalchemy as sa

from quiz_app.accounts.models import User
from quiz_app.extensions import db
from quiz_app.quiz.models import QuizAttempt
from quiz_app.reports.models import Report
from tests.conftest import PASSWORD
from tests.factories import make_schema_question
from tests.quiz.helpers import make_quiz_bank
from tests.teacher.helpers import take_quiz


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _signup(client, username, address="10.0.0.1"):
    client.post("/account/logout")  # the tests share one app context (and its g)
    return client.post(
        "/account/signup",
        data={"username": username, "password": PASSWORD, "confirm": PASSWORD},
        environ_base={"REMOTE_ADDR": address},
    )


def test_sign_ups_from_one_address_are_limited(app):
    app.config["SIGNUPS_PER_ADDRESS_PER_HOUR"] = 2
    client = app.test_client()
    assert _signup(client, "ann").status_code == 302
    assert _signup(client, "bob").status_code == 302
    refused = _signup(client, "cat")
    assert refused.status_code == 429
    assert "Too many accounts" in refused.text
    assert _signup(client, "dan", address="10.0.0.2").status_code == 302
    assert _count(User) == 3


def test_attempt_starts_per_student_are_limited_but_resuming_is_free(
    app, client, auth, make_bank
):
    app.config["ATTEMPT_STARTS_PER_HOUR"] = 2
    make_quiz_bank(make_bank)
    db.session.commit()
    auth.login()
    for _ in range(2):
        start = client.post("/quiz/bank-a-quiz/start")
        attempt_id = start.location.rsplit("/", 1)[1]
        resumed = client.post("/quiz/bank-a-quiz/start")  # the open one: not counted
        assert resumed.location == start.location
        client.post(f"/quiz/attempt/{attempt_id}/submit")
    refused = client.post("/quiz/bank-a-quiz/start")
    assert refused.location.endswith("/quiz/bank-a-quiz")
    assert "You have started many quizzes" in client.get(refused.location).text
    assert _count(QuizAttempt) == 2


def test_problem_reports_per_student_are_limited(app, client, auth, make_bank, now):
    app.config["REPORTS_PER_HOUR"] = 2
    make_bank(
        "bank-a", questions=tuple(make_schema_question(f"q{i}") for i in range(4))
    )
    student = auth.login()
    attempt = take_quiz(student, "bank-a-all", {}, now=now)
    db.session.commit()
    for qid in attempt.question_ids:
        client.post("/reports/new", data={"question_id": qid, "attempt_id": attempt.id})
    assert _count(Report) == 2

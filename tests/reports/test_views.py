"""Reports from students and each student's own data export."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from quiz_app.accounts.models import User
from quiz_app.extensions import db
from quiz_app.reports.models import Report
from tests.conftest import AuthActions
from tests.factories import make_schema_question
from tests.teacher.helpers import make_class, take_quiz


@pytest.fixture
def attempt(auth: AuthActions, make_bank: Callable[..., Any], now: datetime) -> Any:
    """The logged-in student's graded attempt at a one-question quiz, answered wrong."""
    make_bank("bank-a", questions=(make_schema_question("qa"),))
    student = auth.login()
    attempt = take_quiz(student, "bank-a-all", {"qa": "Wrong 1"}, now=now)
    db.session.commit()
    return attempt


def test_report_form_partial_renders_with_csrf(app: Any) -> None:
    from flask import render_template_string

    with app.test_request_context():
        html = render_template_string(
            '{% include "reports/_report_form.html" %}', question_id="qa", attempt_id=7
        )
    assert 'name="question_id" value="qa"' in html
    assert 'name="attempt_id" value="7"' in html
    assert 'maxlength="1000"' in html


def test_student_reports_a_question_and_teacher_closes_it(
    client: FlaskClient, auth: AuthActions, attempt: Any
) -> None:
    response = client.post(
        "/reports/new",
        data={
            "question_id": "qa",
            "attempt_id": attempt.id,
            "comment": "<b>Wrong</b> date?",
        },
    )
    assert response.status_code == 302
    assert f"/quiz/attempt/{attempt.id}/results#result-1" in response.location
    [report] = db.session.scalars(sa.select(Report))
    assert report.comment == "<b>Wrong</b> date?"
    again = client.post(
        "/reports/new", data={"question_id": "qa", "attempt_id": attempt.id}
    )
    assert again.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 1

    auth.logout()
    auth.login(role="teacher", username="teacher")
    page = client.get("/teach/reports").get_data(as_text=True)
    assert "&lt;b&gt;Wrong&lt;/b&gt; date?" in page  # escaped, never HTML
    assert "Wrong 1" in page  # the student's answer
    assert "A source" in page  # the question's source
    assert client.post(f"/teach/reports/{report.id}/close").status_code == 302
    db.session.refresh(report)
    assert not report.is_open
    assert "No open reports" in client.get("/teach/reports").get_data(as_text=True)
    assert client.post(f"/teach/reports/{report.id}/close").status_code == 404


def test_cannot_report_from_someone_elses_attempt(
    client: FlaskClient, auth: AuthActions, attempt: Any
) -> None:
    auth.logout()
    auth.login(username="mallory")
    client.post("/reports/new", data={"question_id": "qa", "attempt_id": attempt.id})
    assert db.session.scalars(sa.select(Report)).all() == []


def test_overlong_or_malformed_report_is_rejected(
    client: FlaskClient, attempt: Any
) -> None:
    too_long = client.post(
        "/reports/new",
        data={"question_id": "qa", "attempt_id": attempt.id, "comment": "x" * 1001},
    )
    assert too_long.status_code == 400
    bad_id = client.post("/reports/new", data={"question_id": "qa", "attempt_id": "x"})
    assert bad_id.status_code == 400
    assert db.session.scalars(sa.select(Report)).all() == []


def test_student_downloads_their_own_data(client: FlaskClient, attempt: Any) -> None:
    response = client.get("/account/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["user"]["username"] == "student"
    [exported] = data["attempts"]
    assert exported["id"] == attempt.id
    assert exported["answers"] == [
        {"question_id": "qa", "response": "Wrong 1", "score": 0.0, "is_correct": False}
    ]
    assert [c["card_id"] for c in data["cards"]] == ["qa"]  # the missed question
    assert data["reviews"] == []


def test_export_needs_a_login(client: FlaskClient) -> None:
    response = client.get("/account/export")
    assert response.status_code == 302
    assert "/account/login" in response.location


def test_only_the_students_own_teacher_sees_who_reported(
    client: FlaskClient,
    auth: AuthActions,
    attempt: Any,
    make_user: Callable[..., Any],
    now: datetime,
) -> None:
    student = db.session.scalar(sa.select(User).where(User.username == "student"))
    student.display_name = "Kim Jiwoo"
    make_class(make_user("owner", role="teacher"), student, now=now)
    db.session.commit()
    client.post("/reports/new", data={"question_id": "qa", "attempt_id": attempt.id})
    auth.logout()

    auth.login(role="teacher", username="stranger")
    page = client.get("/teach/reports").get_data(as_text=True)
    assert "Wrong 1" in page  # the report itself is for every teacher
    assert "Kim Jiwoo" not in page and "A student outside your classes" in page
    auth.logout()

    auth.login(role="teacher", username="owner")
    # The username beside the chosen name: a student cannot pass as someone else.
    assert "Kim Jiwoo (student)" in client.get("/teach/reports").get_data(as_text=True)

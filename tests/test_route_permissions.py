"""Every URL rule of the app, tried by every role.

* Anonymous visitors reach only PUBLIC endpoints; everything else sends them to the
  login page.
* Everything under the teacher blueprint is denied to students (403) by default: the
  rules are enumerated from ``app.url_map``, so a route added later is checked without
  editing this file.
* Another student gets 404 on every route with an ``attempt_id``, and a POST with
  someone else's ids (in the URL or a hidden field) changes nothing.
* Every POST route refuses a request without a CSRF token (nothing is exempted).
* A teacher gets 404 for another teacher's class on every class-scoped route (any rule
  with a ``class_id``), and the owning teacher reaches every teacher route.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from quiz_app.banks.models import Bank, UploadedBank
from quiz_app.banks.uploads import source_name
from quiz_app.classes import services as class_services
from quiz_app.clock import utcnow
from quiz_app.extensions import db
from quiz_app.quiz.models import QuizAttempt
from quiz_app.reports import services as report_services
from quiz_app.reports.models import Report
from tests.conftest import AuthActions
from tests.factories import make_schema_question
from tests.teacher.helpers import make_class, take_quiz

#: Endpoints a visitor may open without logging in.
PUBLIC = frozenset(
    {
        "static",
        "home.index",
        "home.health",
        "accounts.login",
        "accounts.signup",
        "accounts.setup",  # refuses (403) without the token `serve` printed
        "accounts.reset",  # a student who forgot their password uses a one-time code
        "classes.join_link",  # sends a visitor to sign-up with the code filled in
        "banks.media",  # question images, served like static files
    }
)

METHODS = ("GET", "POST")


@pytest.fixture
def world(
    app: Flask,
    make_user: Callable[..., Any],
    make_bank: Callable[..., Any],
    now: datetime,
) -> dict[str, Any]:
    """Two teachers, each with a class; a student in the owner's class with an attempt
    and a report.
    """
    make_bank("bank-a", questions=(make_schema_question("qa"),))
    _as_upload(app, "bank-a")  # so the owner may edit it in the browser
    owner = make_user("owner", role="teacher")
    owner.is_admin = True  # reaches the administrator's pages too
    other = make_user("other", role="teacher")
    bank = db.session.get(Bank, "bank-a")
    assert bank is not None
    bank.is_upload, bank.owner_id = True, owner.id  # the owner's upload
    student = make_user("student")
    mine = make_class(owner, student, now=now)
    theirs = make_class(other, now=now, name="Theirs")
    assignment = class_services.add_assignment(mine, quiz_id="bank-a-all", now=now)
    attempt = take_quiz(student, "bank-a-all", {"qa": "Wrong 1"}, now=now)
    report = report_services.create_report(
        student, question_id="qa", attempt_id=attempt.id, comment="", now=now
    )
    db.session.commit()
    return {
        "mine": mine,
        "theirs": theirs,
        "values": {
            "class_id": mine.id,
            "user_id": student.id,
            "teacher_id": other.id,
            "assignment_id": assignment.id,
            "report_id": report.id,
            "attempt_id": attempt.id,
            "quiz_id": "bank-a-all",
            "bank_id": "bank-a",
            "question_id": "qa",
            "card_id": "qa",
            "code": mine.join_code,
            "filename": "css/app.css",
            "fmt": "gift",
            "section": "questions",
            "item_id": "qa",
        },
    }


#: bank-a as its YAML file would say it (tests.factories.make_schema_question("qa")).
BANK_A = """\
format: 1
id: bank-a
title: Bank bank-a
topics:
  topic-a: Topic A
sources:
  src:
    title: A source
questions:
  - id: qa
    type: single_choice
    topic: topic-a
    prompt: Prompt of qa?
    choices: [Right, Wrong 1, Wrong 2]
    answer: Right
    explanation: Because the sources say so.
    sources: [src]
"""


def _as_upload(app: Flask, bank_id: str) -> None:
    """Store an imported bank's YAML as an upload (teachers may edit those)."""
    db.session.add(
        UploadedBank(
            bank_id=bank_id,
            text=BANK_A,
            content_hash=hashlib.sha256(BANK_A.encode()).hexdigest(),
            uploaded_at=utcnow(),
        )
    )
    bank = db.session.get(Bank, bank_id)
    assert bank is not None
    bank.source_path = source_name(bank_id)


def _rules(app: Flask) -> Iterator[tuple[Rule, str]]:
    for rule in app.url_map.iter_rules():
        for method in METHODS:
            if method in (rule.methods or ()):
                yield rule, method


def _url(app: Flask, rule: Rule, values: dict[str, Any]) -> str:
    missing = set(rule.arguments) - set(values)
    assert not missing, f"{rule.endpoint}: add sample values for {sorted(missing)}"
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{a: values[a] for a in rule.arguments})


def _request(client: FlaskClient, method: str, url: str) -> Any:
    response = client.open(url, method=method, data={})
    response.close()  # static files are streamed from an open file
    return response


def _is_login_redirect(response: Any) -> bool:
    return response.status_code in (301, 302, 303) and "/account/login" in (
        response.location or ""
    )


def test_anonymous_visitors_reach_only_public_pages(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    for rule, method in _rules(app):
        response = _request(client, method, _url(app, rule, world["values"]))
        if rule.endpoint in PUBLIC:
            assert response.status_code < 500, (rule.rule, method)
        else:
            assert _is_login_redirect(response), (
                f"{method} {rule.rule} ({rule.endpoint}) answered "
                f"{response.status_code} to an anonymous visitor; require a login or "
                "add it to PUBLIC"
            )


def test_students_are_denied_every_teacher_route(
    app: Flask, client: FlaskClient, auth: AuthActions, world: dict[str, Any]
) -> None:
    auth.login(username="student")
    teacher_rules = [
        (r, m) for r, m in _rules(app) if r.endpoint.startswith("teacher.")
    ]
    assert len(teacher_rules) >= 15
    for rule, method in teacher_rules:
        response = _request(client, method, _url(app, rule, world["values"]))
        assert response.status_code == 403, (rule.rule, method, response.status_code)


def test_students_use_the_other_routes_without_errors(
    app: Flask, client: FlaskClient, auth: AuthActions, world: dict[str, Any]
) -> None:
    auth.login(username="student")
    for rule, method in _rules(app):
        if rule.endpoint.startswith("teacher.") or rule.endpoint == "accounts.logout":
            continue
        response = _request(client, method, _url(app, rule, world["values"]))
        assert response.status_code < 500, (rule.rule, method)
        assert response.status_code != 403, (rule.rule, method)


def test_teachers_get_404_for_another_teachers_class(
    app: Flask, client: FlaskClient, auth: AuthActions, world: dict[str, Any]
) -> None:
    auth.login(role="teacher", username="other")
    scoped = [
        (r, m)
        for r, m in _rules(app)
        if r.endpoint.startswith("teacher.") and "class_id" in r.arguments
    ]
    assert len(scoped) >= 8
    for rule, method in scoped:
        response = _request(client, method, _url(app, rule, world["values"]))
        assert response.status_code == 404, (rule.rule, method, response.status_code)


#: Teacher routes that change a bank: only its owner and co-owners
#: (``banks.access.can_edit_bank``); another teacher gets 403.
BANK_CHANGES = frozenset(
    {
        "teacher.banks.add_co_owner",
        "teacher.banks.remove_co_owner",
        "teacher.banks.change_bank_state",
    }
)


def test_another_teacher_is_refused_every_bank_change(
    app: Flask, client: FlaskClient, auth: AuthActions, world: dict[str, Any]
) -> None:
    auth.login(role="teacher", username="other")
    changes = [
        (r, m)
        for r, m in _rules(app)
        if r.endpoint.startswith("teacher.banks.")
        and "bank_id" in r.arguments
        and m == "POST"
    ]
    assert {r.endpoint for r, _ in changes} >= BANK_CHANGES
    for rule, method in changes:
        response = _request(client, method, _url(app, rule, world["values"]))
        assert response.status_code == 403, (rule.rule, method, response.status_code)


def test_the_owning_teacher_reaches_every_teacher_route(
    app: Flask, client: FlaskClient, auth: AuthActions, world: dict[str, Any]
) -> None:
    auth.login(role="teacher", username="owner")
    # Pages first, removals last: they take away the student and the assignment that
    # the other routes work on.
    ordered = sorted(
        _rules(app), key=lambda rm: (rm[1] != "GET", "remove" in rm[0].endpoint)
    )
    for rule, method in ordered:
        if not rule.endpoint.startswith("teacher."):
            continue
        response = _request(client, method, _url(app, rule, world["values"]))
        # 400: a POST without its form data; everything else works or redirects.
        assert response.status_code in (200, 302, 400), (
            rule.rule,
            method,
            response.status_code,
        )


def test_a_teacher_route_added_without_a_guard_is_still_denied(
    app: Flask, client: FlaskClient, auth: AuthActions, world: dict[str, Any]
) -> None:
    # An endpoint named teacher.* belongs to the teacher blueprint, whose before_request
    # guard runs even though this view has no decorator at all.
    app.add_url_rule(
        "/teach/forgotten", endpoint="teacher.forgotten", view_func=lambda: "secret"
    )
    assert _is_login_redirect(client.get("/teach/forgotten"))
    auth.login(username="student")
    assert client.get("/teach/forgotten").status_code == 403


def test_another_student_gets_404_for_every_route_with_an_attempt_id(
    app: Flask, client: FlaskClient, auth: AuthActions, world: dict[str, Any]
) -> None:
    attempt = db.session.get_one(QuizAttempt, world["values"]["attempt_id"])
    before = (attempt.status, attempt.score, [a.response for a in attempt.answers])
    auth.login(username="mallory")
    # (teacher routes with an attempt_id are 403 for students: tested above)
    scoped = [
        (r, m)
        for r, m in _rules(app)
        if "attempt_id" in r.arguments and not r.endpoint.startswith("teacher.")
    ]
    assert len(scoped) >= 4
    # Form data that would change the attempt if the id were trusted.
    form = {"page": "1", "action": "finish", "qa": "Right"}
    for rule, method in scoped:
        url = _url(app, rule, world["values"])
        response = client.open(url, method=method, data=form)
        assert response.status_code == 404, (rule.rule, method, response.status_code)
    # Hidden fields are not trusted either: no report from someone else's attempt.
    client.post(
        "/reports/new",
        data={"question_id": "qa", "attempt_id": str(attempt.id), "comment": "x"},
    )
    db.session.expire_all()
    attempt = db.session.get_one(QuizAttempt, attempt.id)
    assert (attempt.status, attempt.score, [a.response for a in attempt.answers]) == (
        before
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 1


def test_every_post_route_needs_a_csrf_token(make_app: Callable[..., Flask]) -> None:
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    values = {"class_id": 1, "user_id": 1, "assignment_id": 1, "report_id": 1}
    values |= {"attempt_id": 1, "quiz_id": "q", "bank_id": "b", "question_id": "q"}
    values |= {"card_id": "c", "code": "C", "filename": "f.png", "teacher_id": 1}
    values |= {"section": "questions", "item_id": "q"}
    posts = [r for r, m in _rules(csrf_app) if m == "POST"]
    assert len(posts) >= 15
    with csrf_app.app_context():
        client = csrf_app.test_client()
        for rule in posts:
            response = client.post(_url(csrf_app, rule, values), data={})
            assert response.status_code == 400, (rule.rule, response.status_code)


#: Teacher pages only an administrator may open.
ADMIN_ONLY = frozenset(
    {
        "teacher.accounts.create_teacher",
        "teacher.accounts.remove_teacher",
        "teacher.accounts.issue_teacher_reset",
    }
)


def test_teachers_who_are_not_administrators_cannot_manage_teachers(
    app: Flask, client: FlaskClient, auth: AuthActions, world: dict[str, Any]
) -> None:
    auth.login(role="teacher", username="other")
    found = set()
    for rule, method in _rules(app):
        if rule.endpoint in ADMIN_ONLY:
            found.add(rule.endpoint)
            values = {**world["values"], "teacher_id": world["mine"].teacher_id}
            response = _request(client, method, _url(app, rule, values))
            assert response.status_code == 403, (rule.rule, method)
    assert found == ADMIN_ONLY

"""Accounts a class can recover: change password, reset codes from a teacher or the
shell, the account page, deleting an account."""

from __future__ import annotations

import re
from datetime import timedelta
from random import Random

import pytest
import sqlalchemy as sa
from flask import g

from quiz_app.accounts import services
from quiz_app.accounts.models import PasswordReset, User
from quiz_app.extensions import db
from quiz_app.flashcards.models import CardProgress, ReviewLog
from quiz_app.quiz.models import AttemptAnswer, QuizAttempt
from quiz_app.reports.models import Report
from tests.conftest import PASSWORD
from tests.factories import make_schema_question
from tests.teacher.helpers import make_class, take_quiz

NEW_PASSWORD = "seven lanterns drift east"


def _login(client, username, password=PASSWORD):
    g.pop("_login_user", None)  # see _is_logged_in
    return client.post(
        "/account/login", data={"username": username, "password": password}
    )


def _is_logged_in(client) -> bool:
    # The tests' requests share the fixture's app context, so Flask-Login's cached
    # user in g would outlive the request that set it; a real request starts without.
    g.pop("_login_user", None)
    return client.get("/account/").status_code == 200


# --------------------------------------------------------------------------------------
# Change password


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(
    app, client, make_user
):
    make_user("kim")
    db.session.commit()
    other_device = app.test_client()
    assert _login(client, "kim").status_code == 302
    assert _login(other_device, "kim").status_code == 302

    response = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _is_logged_in(client)
    assert not _is_logged_in(other_device)
    assert _login(app.test_client(), "kim", NEW_PASSWORD).status_code == 302
    assert _login(app.test_client(), "kim", PASSWORD).status_code == 200


@pytest.mark.parametrize(
    ("current", "new", "message"),
    [
        ("not my password", NEW_PASSWORD, "not your current password"),
        (PASSWORD, "letmein1", "most common"),
        (PASSWORD, "short", "at least 8"),
    ],
)
def test_a_password_change_is_refused_with_a_reason(
    client, auth, current, new, message
):
    auth.login()
    response = client.post(
        "/account/password", data={"current": current, "password": new, "confirm": new}
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _login(client.application.test_client(), "student").status_code == 302


def test_sign_up_refuses_a_common_password(client):
    response = client.post(
        "/account/signup",
        data={"username": "kim", "password": "11111111", "confirm": "11111111"},
    )
    assert "most common" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


# --------------------------------------------------------------------------------------
# Reset codes


def _issue(user, *, now, teacher=None, seed=1):
    code = services.issue_password_reset(
        user, issued_by=teacher, now=now, rng=Random(seed)
    )
    db.session.commit()
    return code


def test_a_reset_link_sets_a_new_password_once_and_ends_every_session(
    app, client, make_user, now, monkeypatch
):
    student = make_user("kim")
    db.session.commit()
    monkeypatch.setattr("quiz_app.accounts.views.utcnow", lambda: now)
    logged_in = app.test_client()
    _login(logged_in, "kim")
    code = _issue(student, now=now)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    stored = db.session.scalar(sa.select(PasswordReset))
    assert code not in stored.code_hash and stored.code_hash != code

    page = client.get(f"/account/reset/{code}")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "kim" in page.get_data(as_text=True)
    response = client.post(
        f"/account/reset/{code}",
        data={"code": code, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    assert not _is_logged_in(logged_in)
    assert _login(app.test_client(), "kim", NEW_PASSWORD).status_code == 302

    # The same code a second time does nothing.
    again = client.post(
        "/account/reset",
        data={"code": code, "password": "another fine phrase", "confirm": "x"},
    )
    assert "not valid" in again.get_data(as_text=True)
    assert "does not work" in client.get(f"/account/reset/{code}").get_data(
        as_text=True
    )


def test_a_typed_code_works_with_any_case_and_separators(make_user, now):
    student = make_user("kim")
    db.session.commit()
    code = _issue(student, now=now)
    typed = code.lower().replace("-", " ")
    user = services.reset_password(typed, NEW_PASSWORD, now=now)
    assert user.id == student.id


def test_a_reset_code_expires_after_24_hours(make_user, now):
    student = make_user("kim")
    db.session.commit()
    code = _issue(student, now=now)
    assert services.get_valid_reset(code, now=now + timedelta(hours=23, minutes=59))
    with pytest.raises(services.InvalidResetCode):
        services.reset_password(code, NEW_PASSWORD, now=now + timedelta(hours=24))


def test_a_newer_code_withdraws_the_older_one(make_user, now):
    student = make_user("kim")
    db.session.commit()
    first = _issue(student, now=now, seed=1)
    second = _issue(student, now=now, seed=2)
    assert services.get_valid_reset(first, now=now) is None
    assert services.get_valid_reset(second, now=now) is not None


def test_reset_password_command_prints_a_working_link(app, runner, make_user):
    make_user("kim")
    db.session.commit()
    app.config["PUBLIC_URL"] = "https://quiz.school.example/"
    result = runner.invoke(args=["reset-password", "KIM"])
    assert result.exit_code == 0, result.output
    link = re.search(
        r"https://quiz\.school\.example/account/reset/(\S+)", result.output
    )
    assert link, result.output
    assert services.reset_password(link.group(1), NEW_PASSWORD, now=_utcnow())
    assert runner.invoke(args=["reset-password", "nobody"]).exit_code != 0


def _utcnow():
    from quiz_app.clock import utcnow

    return utcnow()


def test_create_teacher_command_makes_the_first_teacher_administrator(runner):
    first = runner.invoke(args=["create-teacher", "lee", "--password", PASSWORD])
    second = runner.invoke(args=["create-teacher", "park", "--password", PASSWORD])
    assert "administrator" in first.output and second.exit_code == 0
    admins = db.session.scalars(sa.select(User.username).where(User.is_admin)).all()
    assert admins == ["lee"]


# --------------------------------------------------------------------------------------
# The account page


def test_the_account_page_saves_a_clean_name_and_a_time_zone(client, auth):
    user = auth.login()
    page = client.get("/account/")
    html = page.get_data(as_text=True)
    assert "data-timezone-prefill" in html and "js/timezone.js" in html
    assert "Download my data" in html and "Delete my account" in html
    response = client.post(
        "/account/",
        data={"display_name": "Kim\u202e \u200bJi-won\x00", "timezone": "Asia/Seoul"},
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.display_name == "Kim Ji-won"
    assert user.timezone == "Asia/Seoul"
    bad = client.post("/account/", data={"display_name": "", "timezone": "Mars/Base"})
    assert bad.status_code == 200
    db.session.refresh(user)
    assert user.timezone == "Asia/Seoul"


def test_sign_up_offers_the_time_zone_with_the_prefill_script(client):
    html = client.get("/account/signup").get_data(as_text=True)
    assert 'name="timezone"' in html and "data-timezone-prefill" in html
    assert "js/timezone.js" in html
    client.post(
        "/account/signup",
        data={
            "username": "kim",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "timezone": "Europe/Paris",
        },
    )
    assert db.session.scalar(sa.select(User.timezone)) == "Europe/Paris"


# --------------------------------------------------------------------------------------
# Deleting an account


@pytest.fixture
def student_with_history(make_user, make_bank, now):
    make_bank("bank-a", questions=(make_schema_question("qa"),))
    teacher = make_user("lee", role="teacher")
    student = make_user("kim")
    make_class(teacher, student, now=now)
    attempt = take_quiz(student, "bank-a-all", {"qa": "Wrong 1"}, now=now)
    from quiz_app.reports import services as report_services

    report_services.create_report(
        student, question_id="qa", attempt_id=attempt.id, comment="typo", now=now
    )
    db.session.commit()
    return student


def test_deleting_needs_the_password_and_the_box_ticked(client, student_with_history):
    _login(client, "kim")
    page = client.get("/account/delete").get_data(as_text=True)
    assert "without your name" in page  # the page says what stays
    for data in ({"password": PASSWORD}, {"password": "wrong one", "confirm": "y"}):
        assert client.post("/account/delete", data=data).status_code == 200
    assert db.session.get(User, student_with_history.id).deleted_at is None


def test_deleting_removes_personal_data_and_keeps_attempts_nameless(
    app, client, student_with_history
):
    uid = student_with_history.id
    _login(client, "kim")
    response = client.post(
        "/account/delete", data={"password": PASSWORD, "confirm": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, uid)
    assert user.is_deleted and user.username == f"deleted-{uid}"
    assert user.display_name == "" and "kim" not in user.username_key
    for model in (CardProgress, ReviewLog, Report):
        count = sa.select(sa.func.count()).select_from(model)
        assert db.session.scalar(count.where(model.user_id == uid)) == 0
    attempts = db.session.scalars(
        sa.select(QuizAttempt).where(QuizAttempt.user_id == uid)
    ).all()
    assert len(attempts) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AttemptAnswer))
    # Logged out, cannot log in again, and the name is free for someone new.
    assert not _is_logged_in(client)
    assert _login(app.test_client(), "kim").status_code == 200
    assert not services.is_username_taken("kim")


def test_a_teacher_is_sent_to_the_administrator_to_be_removed(client, auth):
    auth.login(role="teacher")
    page = client.get("/account/delete").get_data(as_text=True)
    assert "administrator" in page and 'name="password"' not in page

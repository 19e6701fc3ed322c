"""Sign up, log in, log out and the first-run setup, through the real forms."""

from __future__ import annotations

import re
from datetime import timedelta
from random import Random

import sqlalchemy as sa

from quiz_app.accounts import services
from quiz_app.accounts.models import User
from quiz_app.accounts.views import mark_setup_done
from quiz_app.clock import utcnow
from quiz_app.extensions import db
from tests.conftest import PASSWORD


def _signup(client, username="kim", password=PASSWORD, confirm=None):
    return client.post(
        "/account/signup",
        data={
            "username": username,
            "password": password,
            "confirm": confirm or password,
        },
    )


def test_first_visit_on_a_fresh_install_leads_to_setup(app, client):
    mark_setup_done(app, done=False)
    assert client.get("/").headers["Location"] == "/account/setup"
    assert client.get("/account/login").headers["Location"] == "/account/setup"
    assert client.get("/healthz").status_code == 200


def _setup_token() -> str:
    token = services.create_setup_token(now=utcnow(), rng=Random(1))
    db.session.commit()
    return token


def test_setup_refuses_without_the_printed_token(app, client):
    mark_setup_done(app, done=False)
    token = _setup_token()
    for url in ("/account/setup", "/account/setup?token=guess" + token[5:]):
        page = client.get(url)
        assert page.status_code == 403
        assert b"Create the teacher account" not in page.data
        assert b"quiz-app serve" in page.data
    # A stranger posting the form without the token creates nothing.
    response = client.post(
        "/account/setup",
        data={"username": "intruder", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_setup_creates_the_first_teacher_and_then_closes(app, client):
    mark_setup_done(app, done=False)
    token = _setup_token()
    page = client.get(f"/account/setup?token={token}")
    assert b"Create the teacher account" in page.data
    assert b"Name shown to students (optional)" in page.data
    response = client.post(
        "/account/setup",
        data={
            "username": "MsLee",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "token": token,
        },
    )
    assert response.status_code == 302
    teacher = db.session.scalar(sa.select(User))
    assert teacher.is_teacher and teacher.is_admin
    assert teacher.password_hash != PASSWORD
    assert not services.is_valid_setup_token(token)  # used up
    assert teacher.password_hash.startswith("$argon2id$")
    assert client.get("/").status_code == 200
    assert client.get("/account/setup").status_code == 302  # no second "first" teacher


def test_signup_creates_a_logged_in_student(client):
    assert _signup(client).status_code == 302
    user = db.session.scalar(sa.select(User))
    assert user.username == "kim" and not user.is_teacher
    assert b"Log out" in client.get("/").data


def test_usernames_are_unique_regardless_of_case(client, make_user):
    make_user("Kim")
    db.session.commit()
    response = _signup(client, username="kIM")
    assert response.status_code == 200
    assert b"already taken" in response.data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_bad_fields_are_reshown_with_messages_tied_to_them(client):
    response = _signup(client, username="ok-name", password="short", confirm="other")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="ok-name"' in html  # what the student typed is kept
    assert "at least 8" in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="password-hint password-error"' in html


def test_login_with_wrong_password_is_refused(client, make_user):
    make_user("kim")
    db.session.commit()
    response = client.post(
        "/account/login", data={"username": "kim", "password": "nope-nope"}
    )
    assert response.status_code == 200
    assert b"not right" in response.data


def test_login_is_case_insensitive_and_follows_a_local_next(client, make_user):
    make_user("kim")
    db.session.commit()
    response = client.post(
        "/account/login?next=/healthz", data={"username": "KIM", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/healthz"


def test_login_ignores_an_offsite_next(client, make_user):
    make_user("kim")
    db.session.commit()
    response = client.post(
        "/account/login?next=//evil.example/",
        data={"username": "kim", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_logout_revokes_a_copied_session_cookie(app, client, auth):
    auth.login()
    stolen = app.test_client()
    cookie = client.get_cookie("session")
    stolen.set_cookie("session", cookie.value)
    assert b"Log out" in stolen.get("/").data  # the copy works while logged in
    auth.logout()
    assert b"Log out" not in stolen.get("/").data  # and stops working after logout


def test_logout_needs_a_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        response = app.test_client().post("/account/logout")
        assert response.status_code == 400


def test_create_teacher_command(runner):
    result = runner.invoke(args=["create-teacher", "mrpark", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(
        sa.select(User).where(User.username == "mrpark")
    ).is_teacher
    again = runner.invoke(args=["create-teacher", "MRPARK", "--password", PASSWORD])
    assert again.exit_code == 1 and "already taken" in again.output


def test_create_teacher_rejects_a_weak_password(runner):
    result = runner.invoke(args=["create-teacher", "mrpark", "--password", "short"])
    assert result.exit_code == 1 and "at least 8" in result.output


def test_login_ignores_a_next_with_a_backslash(client, make_user):
    make_user("kim")
    db.session.commit()
    response = client.post(
        "/account/login?next=/%5Cevil.example/",
        data={"username": "kim", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_repeated_wrong_passwords_are_refused_for_a_while(app, client, make_user):
    app.config["LOGIN_MAX_FAILURES"] = 3
    make_user("kim")
    make_user("lee")
    db.session.commit()
    for _ in range(3):
        wrong = client.post(
            "/account/login", data={"username": "kim", "password": "not it at all"}
        )
        assert wrong.status_code == 200 and b"not right" in wrong.data
    refused = client.post(
        "/account/login", data={"username": "KIM", "password": PASSWORD}
    )
    assert refused.status_code == 429
    assert b"Too many wrong passwords" in refused.data
    assert b"Log out" not in client.get("/").data
    other = client.post(
        "/account/login", data={"username": "lee", "password": PASSWORD}
    )
    assert other.status_code == 302  # another username is not affected


def test_login_starts_a_fresh_session(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user("kim")
        db.session.commit()
        client = app.test_client()
        page = client.get("/account/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        with client.session_transaction() as before:
            planted = before["csrf_token"]
            before["planted"] = "by someone else"
        response = client.post(
            "/account/login",
            data={"username": "kim", "password": PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 302
        with client.session_transaction() as after:
            assert "_user_id" in after
            assert "planted" not in after
            assert after.get("csrf_token") != planted


def test_a_name_taken_between_check_and_insert_is_reshown_not_a_500(
    client, monkeypatch, make_user
):
    from quiz_app.accounts import services

    make_user("kim")
    db.session.commit()
    # The race: the form's check found the name free, then another sign-up took it.
    monkeypatch.setattr(services, "is_username_taken", lambda name: False)
    response = _signup(client, username="KIM")
    assert response.status_code == 200
    assert "already taken" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_login_ignores_a_next_that_a_browser_reads_as_another_host(client, make_user):
    make_user("kim")
    db.session.commit()
    # Browsers drop the tab: "/\t/evil.example/" becomes "//evil.example/".
    response = client.post(
        "/account/login?next=/%09/evil.example/",
        data={"username": "kim", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_activity_is_recorded_at_most_once_a_minute(client, auth, monkeypatch, now):
    user = auth.login()
    clock = {"now": now}
    monkeypatch.setattr("quiz_app.accounts.views.utcnow", lambda: clock["now"])

    def last_seen():
        db.session.expire_all()
        return db.session.get(User, user.id).last_seen_at

    client.get("/")
    assert last_seen() == now
    clock["now"] = now + timedelta(seconds=59)
    client.get("/progress/")
    assert last_seen() == now  # within the minute: not written again
    clock["now"] = now + timedelta(minutes=1)
    client.get("/static/css/app.css").close()
    assert last_seen() == now  # a static file is not activity
    client.get("/")
    assert last_seen() == now + timedelta(minutes=1)


def test_new_accounts_take_the_configured_default_time_zone(app, client, runner):
    app.config["DEFAULT_TIMEZONE"] = "Asia/Seoul"
    assert _signup(client).status_code == 302
    result = runner.invoke(args=["create-teacher", "mrpark", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    zones = db.session.execute(sa.select(User.username, User.timezone)).all()
    assert sorted(zones) == [("kim", "Asia/Seoul"), ("mrpark", "Asia/Seoul")]


def test_a_display_name_loses_its_direction_override(client):
    client.post(
        "/account/signup",
        data={
            "username": "kim",
            "display_name": "Ms\u202eeeL\u200b",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    user = db.session.scalar(sa.select(User).where(User.username_key == "kim"))
    assert user.display_name == "MseeL"

"""Structured logs: one line per request with its id (returned in a header), audit
lines for log-ins, resets, teacher actions and bank uploads, JSON or key=value, and
never a password, token, code or CSRF token."""

from __future__ import annotations

import io
import json
import logging
import re
from random import Random
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient

from quiz_app.accounts import services as account_services
from quiz_app.clock import utcnow
from quiz_app.extensions import db
from quiz_app.logs import REQUEST_ID_HEADER, KeyValueFormatter
from tests.conftest import PASSWORD

NEW_PASSWORD = "seven lanterns drift east"


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="quiz_app")
    return caplog


def _lines(caplog: pytest.LogCaptureFixture, logger: str) -> list[dict[str, Any]]:
    """The fields of each line a logger wrote, as the formatters see them."""
    return [
        {
            "event": r.getMessage(),
            "request_id": getattr(r, "request_id", None),
            "user_id": getattr(r, "user_id", None),
            **r.fields,
        }
        for r in caplog.records
        if r.name == logger
    ]


def _requests(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return _lines(caplog, "quiz_app.request")


def _audit(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return _lines(caplog, "quiz_app.audit")


def _login(client: FlaskClient, username: str, password: str = PASSWORD) -> Any:
    g.pop("_login_user", None)  # the tests' requests share one app context
    return client.post(
        "/account/login", data={"username": username, "password": password}
    )


def test_every_request_logs_one_line_with_its_id_in_a_header(
    client: FlaskClient, logs: pytest.LogCaptureFixture
) -> None:
    response = client.get("/account/login")
    (line,) = _requests(logs)
    assert line["method"] == "GET" and line["path"] == "/account/login"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    assert response.headers[REQUEST_ID_HEADER] == line["request_id"]
    assert line["user_id"] is None

    client.get("/no/such/page")
    assert _requests(logs)[-1]["status"] == 404
    assert _requests(logs)[-1]["request_id"] != line["request_id"]


@pytest.mark.parametrize(
    ("incoming", "reused"),
    [
        ("4bf92f3577b34da6a3ce929d0e0e4736", True),
        ("req-2026-12-05:lb1.7", True),
        ("short", False),
        ("evil level=error forged=1", False),
        ("x" * 200, False),
    ],
)
def test_an_incoming_request_id_is_reused_only_when_sane(
    client: FlaskClient, logs: pytest.LogCaptureFixture, incoming: str, reused: bool
) -> None:
    response = client.get("/account/login", headers={REQUEST_ID_HEADER: incoming})
    logged = _requests(logs)[-1]["request_id"]
    assert (logged == incoming) is reused
    assert response.headers[REQUEST_ID_HEADER] == logged


def test_the_line_names_the_logged_in_user(
    client: FlaskClient, auth: Any, logs: pytest.LogCaptureFixture
) -> None:
    user = auth.login()
    client.get("/account/")
    assert _requests(logs)[-1]["user_id"] == user.id


def test_a_reset_code_in_the_url_is_logged_as_its_rule(
    client: FlaskClient, logs: pytest.LogCaptureFixture
) -> None:
    client.get("/account/reset/ABCD-EFGH-JKLM")
    assert _requests(logs)[-1]["path"] == "/account/reset/<code>"
    client.get("/classes/join/SECRETCODE")
    assert _requests(logs)[-1]["path"] == "/classes/join/<code>"


def test_log_ins_are_audited_without_the_password(
    client: FlaskClient, make_user: Any, logs: pytest.LogCaptureFixture
) -> None:
    kim = make_user("kim")
    db.session.commit()
    assert _login(client, "kim", "wrong password here").status_code == 200
    assert _login(client, "nobody", "wrong password here").status_code == 200
    assert _login(client, "kim").status_code == 302
    failure, unknown, success = _audit(logs)
    assert (failure["event"], failure["username"]) == ("login.failure", "kim")
    assert failure["user_id"] is None
    # A username that names no account may be a password typed in the wrong box.
    assert (unknown["event"], unknown["username"]) == ("login.failure", None)
    assert (success["event"], success["username"]) == ("login.success", "kim")
    assert success["user_id"] == kim.id
    # Each audit line carries the id of the request it happened in.
    assert success["request_id"] == _requests(logs)[-1]["request_id"]


def test_password_changes_and_resets_are_audited(
    client: FlaskClient, auth: Any, make_user: Any, now: Any, logs: Any
) -> None:
    user = auth.login()
    client.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert _audit(logs)[-1]["event"] == "password.change"
    code = account_services.issue_password_reset(
        user, issued_by=None, now=utcnow(), rng=Random(1)
    )
    db.session.commit()
    client.post(
        "/account/reset",
        data={"code": code, "password": PASSWORD, "confirm": PASSWORD},
    )
    reset = _audit(logs)[-1]
    assert (reset["event"], reset["reset_user_id"]) == ("password.reset", user.id)
    assert "code" not in reset


def test_teacher_actions_are_audited(
    client: FlaskClient, auth: Any, logs: pytest.LogCaptureFixture
) -> None:
    teacher = auth.login(role="teacher", username="teacher")
    assert client.post("/teach/classes", data={"name": "7B"}).status_code == 302
    created = _audit(logs)[-1]
    assert created["event"] == "class.create" and created["name"] == "7B"
    assert created["user_id"] == teacher.id
    client.post("/teach/banks/reload")
    assert _audit(logs)[-1]["event"] == "bank.reload"
    assert _audit(logs)[-1]["imported"] > 0


def test_bank_uploads_are_audited(
    client: FlaskClient, auth: Any, logs: pytest.LogCaptureFixture
) -> None:
    from tests.teacher.test_banks import UPLOAD

    auth.login(role="teacher", username="teacher")
    client.post(
        "/teach/banks/upload",
        data={"file": (io.BytesIO(UPLOAD.encode()), "mine.yaml")},
        content_type="multipart/form-data",
    )
    line = _audit(logs)[-1]
    assert (line["event"], line["bank_id"], line["filename"]) == (
        "bank.upload",
        "uploaded",
        "mine.yaml",
    )
    assert line["created"] > 0


def _stderr_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line]


def test_json_lines_have_one_object_per_event(
    make_app: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app(LOG_JSON=True)
    capsys.readouterr()
    app.test_client().get("/account/login", headers={REQUEST_ID_HEADER: "a" * 32})
    lines = [json.loads(line) for line in _stderr_lines(capsys)]
    (line,) = [x for x in lines if x["logger"] == "quiz_app.request"]
    assert list(line)[:6] == [
        "ts",
        "level",
        "logger",
        "event",
        "request_id",
        "remote_addr",
    ]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["ts"])
    assert line["level"] == "info" and line["event"] == "request"
    assert line["request_id"] == "a" * 32
    assert (line["method"], line["path"], line["status"]) == (
        "GET",
        "/account/login",
        200,
    )
    assert isinstance(line["duration_ms"], float)


def test_plain_lines_are_key_value_pairs(
    make_app: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    capsys.readouterr()
    app.test_client().get("/account/login")
    (line,) = [x for x in _stderr_lines(capsys) if "logger=quiz_app.request" in x]
    assert re.fullmatch(
        r"ts=\S+Z level=info logger=quiz_app\.request event=request "
        r"request_id=[0-9a-f]{32} remote_addr=127\.0\.0\.1 method=GET "
        r"path=/account/login status=200 duration_ms=[0-9.]+",
        line,
    )


def test_a_value_cannot_forge_a_second_line_or_field() -> None:
    record = logging.LogRecord("quiz_app.audit", logging.INFO, "", 0, "x", (), None)
    record.fields = {"name": 'a b\nlevel=error "x"', "password": "hunter22"}
    line = KeyValueFormatter().format(record)
    assert "\n" not in line
    assert 'name="a b\\nlevel=error \\"x\\""' in line
    assert "hunter22" not in line and "password" not in line


def test_no_secret_is_ever_logged(
    make_app: Any, make_user: Any, now: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """A whole session with CSRF on, at both formats: the password, the CSRF token,
    the reset code and the session cookie appear in no line."""
    for json_lines in (False, True):
        app: Flask = make_app(WTF_CSRF_ENABLED=True, LOG_JSON=json_lines)
        client = app.test_client()
        secrets_seen: set[str] = {PASSWORD, NEW_PASSWORD}
        # One account per pass: on a shared test database the first pass's reset
        # changed the first one's password.
        kim = f"kim{int(json_lines)}"
        with app.app_context():
            if account_services.get_user_by_username(kim) is None:
                make_user(kim)
                db.session.commit()
        page = client.get("/account/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        secrets_seen.add(token)
        client.post(
            "/account/login",
            data={
                "username": kim,
                "password": "not " + PASSWORD,
                "csrf_token": token,
            },
        )
        client.post(
            "/account/login",
            data={"username": PASSWORD, "password": PASSWORD, "csrf_token": token},
        )
        client.post(
            "/account/login",
            data={"username": kim, "password": PASSWORD, "csrf_token": token},
        )
        cookie = client.get_cookie("session")
        assert cookie is not None
        secrets_seen.add(cookie.value)
        with app.app_context():
            user = account_services.get_user_by_username(kim)
            code = account_services.issue_password_reset(
                user, issued_by=None, now=utcnow(), rng=Random(7 + json_lines)
            )
            db.session.commit()
        secrets_seen.add(code)
        page = client.get(f"/account/reset/{code}").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        secrets_seen.add(token)
        client.post(
            f"/account/reset/{code}?token={code}",
            data={
                "code": code,
                "password": NEW_PASSWORD,
                "confirm": NEW_PASSWORD,
                "csrf_token": token,
            },
            headers={"X-CSRFToken": token},
        )
        out = capsys.readouterr().err
        assert "event=login.success" in out or '"login.success"' in out
        assert "password.reset" in out
        for secret in secrets_seen:
            assert secret not in out, secret


def test_mark_overrides_and_issued_resets_are_audited(
    client: FlaskClient,
    auth: Any,
    make_bank: Any,
    make_user: Any,
    now: Any,
    logs: pytest.LogCaptureFixture,
) -> None:
    from tests.factories import make_schema_question
    from tests.teacher.helpers import make_class, take_quiz

    make_bank("bank-a", questions=(make_schema_question("qa"),))
    teacher = make_user("teacher", role="teacher")
    kim = make_user("kim")
    school_class = make_class(teacher, kim, now=now)
    attempt = take_quiz(kim, "bank-a-all", {"qa": "Wrong 1"}, now=now)
    db.session.commit()
    auth.login(role="teacher")
    base = f"/teach/classes/{school_class.id}"
    client.post(
        f"{base}/attempts/{attempt.id}/marks",
        data={"question_id": "qa", "mark": "1", "reason": "A fair reading"},
    )
    override = _audit(logs)[-1]
    assert (override["event"], override["attempt_id"], override["mark"]) == (
        "mark.override",
        attempt.id,
        1.0,
    )
    assert override["user_id"] == teacher.id
    slip = client.post(f"{base}/students/{kim.id}/reset").get_data(as_text=True)
    issued = _audit(logs)[-1]
    assert (issued["event"], issued["for_user_id"]) == ("password.reset_issued", kim.id)
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", slip).group(0)
    assert code not in logs.text and all(code not in str(x) for x in _audit(logs))


def test_alembic_dialect_chatter_is_dropped_but_upgrades_are_logged():
    from quiz_app.logs import AlembicChatter

    def record(name: str, msg: str) -> logging.LogRecord:
        return logging.LogRecord(name, logging.INFO, __file__, 1, msg, (), None)

    keep = AlembicChatter().filter
    assert not keep(record("alembic.runtime.migration", "Context impl SQLiteImpl."))
    assert not keep(
        record("alembic.runtime.migration", "Will assume non-transactional DDL.")
    )
    assert keep(record("alembic.runtime.migration", "Running upgrade  -> 13bd, x"))
    assert keep(record("quiz_app.audit", "Context impl is a fine event name"))

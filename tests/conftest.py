"""Shared fixtures: an app on an in-memory database, its client, its CLI runner and
a fixed clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import settings

from quiz_app import create_app
from quiz_app.accounts.models import User
from quiz_app.accounts.views import mark_setup_done
from quiz_app.extensions import db

pytest_plugins = ["tests.factories"]

#: In CI (CI is set) property tests draw the same examples on every run, so a red build
#: is reproducible and never a new random draw; locally they keep exploring.
settings.register_profile("ci", derandomize=True, deadline=None, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

TESTS_DIR = Path(__file__).resolve().parent
DATA_DIR = TESTS_DIR / "data"


TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    "SQLALCHEMY_DATABASE_URI": "sqlite://",
    "WTF_CSRF_ENABLED": False,
    "BANKS_DIR": str(DATA_DIR / "banks" / "valid"),
}


def make_test_app(**overrides: Any) -> Flask:
    """An app on an in-memory database, past its first-run setup (most tests exercise
    an installed app; tests of the setup undo that with ``mark_setup_done(app,
    done=False)``)."""
    app = create_app({**TEST_CONFIG, **overrides})
    mark_setup_done(app)
    return app


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """A fresh app with its own data folder and an empty in-memory database."""
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path / "data"))
    app = make_test_app()
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def now() -> datetime:
    """A fixed UTC instant for tests that must not depend on the clock."""
    return datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


PASSWORD = "correct horse battery"


class AuthActions:
    """Log users in and out through the real forms."""

    def __init__(self, client: FlaskClient, make_user: Any) -> None:
        self._client = client
        self._make_user = make_user

    def login(self, role: str = "student", username: str | None = None) -> User:
        username = username or ("teacher" if role == "teacher" else "student")
        user = db.session.scalar(
            sa.select(User).where(User.username_key == username.casefold())
        )
        if user is None:
            user = self._make_user(username=username, role=role)
            db.session.commit()
        response = self._client.post(
            "/account/login", data={"username": username, "password": PASSWORD}
        )
        assert response.status_code == 302, "login failed"
        return user

    def logout(self) -> None:
        self._client.post("/account/logout")


@pytest.fixture
def auth(client: FlaskClient, make_user: Any) -> AuthActions:
    return AuthActions(client, make_user)

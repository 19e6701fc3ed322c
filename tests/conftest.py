"""Shared fixtures: an app on an in-memory database, its client and CLI runner, and a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from quiz_app import create_app
from quiz_app.extensions import db

pytest_plugins = ["tests.factories"]

TESTS_DIR = Path(__file__).resolve().parent
DATA_DIR = TESTS_DIR / "data"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """A fresh app with its own data folder and an empty in-memory database."""
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path / "data"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "WTF_CSRF_ENABLED": False,
            "BANKS_DIR": str(DATA_DIR / "banks" / "valid"),
        }
    )
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

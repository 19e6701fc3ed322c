"""Shared fixtures: an app on a clean database, its client, its CLI runner and a fixed
clock.

The suite runs on an in-memory SQLite database unless ``QUIZ_TEST_DATABASE_URL`` names
another one (``postgresql+psycopg://user@host:port/db``): the whole suite then runs
against it. That database is the suite's to wipe: its tables are dropped and created
once per session and emptied after every test. Tests of SQLite-only behaviour carry
``@pytest.mark.sqlite_only`` and are skipped there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
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


#: The database the suite runs against: None means a fresh in-memory SQLite per app.
TEST_DATABASE_URL: str | None = os.environ.get("QUIZ_TEST_DATABASE_URL") or None
#: The dialect name of that database ("sqlite" or "postgresql").
TEST_DIALECT = (
    sa.engine.make_url(TEST_DATABASE_URL).get_backend_name()
    if TEST_DATABASE_URL
    else "sqlite"
)

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or "sqlite://",
    "WTF_CSRF_ENABLED": False,
    "BANKS_DIR": str(DATA_DIR / "banks" / "valid"),
}

#: Apps built during the current test; their engines are disposed after it, so no
#: connection outlives the test that opened it.
_APPS: list[Flask] = []


def make_test_app(**overrides: Any) -> Flask:
    """An app on the test database, past its first-run setup (most tests exercise
    an installed app; tests of the setup undo that with ``mark_setup_done(app,
    done=False)``)."""
    app = create_app({**TEST_CONFIG, **overrides})
    mark_setup_done(app)
    _APPS.append(app)
    return app


def _empty_tables(app: Flask) -> None:
    """Delete every row of a shared test database and restart its id sequences."""
    with app.app_context():
        db.session.remove()
        tables = ", ".join(
            db.engine.dialect.identifier_preparer.format_table(table)
            for table in db.metadata.sorted_tables
        )
        with db.engine.begin() as conn:
            # A connection a test leaked inside a transaction would block TRUNCATE:
            # fail loudly instead of hanging the suite.
            conn.exec_driver_sql("SET LOCAL lock_timeout = '20s'")
            conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@pytest.fixture(scope="session", autouse=True)
def _test_database_schema() -> Iterator[None]:
    """On a shared test database, build the schema once for the whole session."""
    if TEST_DATABASE_URL is None:
        yield
        return
    import quiz_app.models  # noqa: F401 - every table in the metadata

    engine = sa.create_engine(TEST_DATABASE_URL)
    with engine.begin() as conn:
        stale = sa.MetaData()
        stale.reflect(conn)
        stale.drop_all(conn)
        db.metadata.create_all(conn)
    engine.dispose()
    yield


@pytest.fixture(autouse=True)
def _dispose_test_apps() -> Iterator[None]:
    """Close every connection the test's apps opened (after the app fixture ends)."""
    yield
    while _APPS:
        app = _APPS.pop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def pytest_collection_modifyitems(config: Any, items: list[pytest.Item]) -> None:
    """Skip SQLite-only tests when the suite runs on another database."""
    if TEST_DIALECT == "sqlite":
        return
    skip = pytest.mark.skip(reason=f"SQLite only; the suite runs on {TEST_DIALECT}")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def make_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Flask]]:
    """Build further apps on the test database, each with its tables ready (for
    tests that need other settings than the app fixture's, such as CSRF)."""
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path / "data"))
    built: list[Flask] = []

    def _make_app(**overrides: Any) -> Flask:
        app = make_test_app(**overrides)
        if TEST_DATABASE_URL is None:
            with app.app_context():
                db.create_all()
        built.append(app)
        return app

    yield _make_app
    if TEST_DATABASE_URL is not None and built:
        _empty_tables(built[0])


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """A fresh app with its own data folder and an empty database."""
    app = make_app()
    with app.app_context():
        yield app
        db.session.remove()


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


@pytest.fixture
def shared_app(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[Flask]:
    """An app whose database several connections share at once (for race tests): the
    test database, or a SQLite file when that is in memory (each connection to an
    in-memory SQLite database would get a database of its own)."""
    if TEST_DATABASE_URL is None:
        app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'race.sqlite'}")
        with app.app_context():
            db.create_all()
    else:
        app = make_app()
    with app.app_context():
        yield app
        db.session.remove()


def logged_in_client(app: Flask, username: str) -> FlaskClient:
    """A new client of ``app`` logged in as an existing user."""
    client = app.test_client()
    # A fresh app context: a request reuses the one already pushed, and Flask-Login
    # caches the user of an earlier request in its ``g``.
    with app.app_context():
        response = client.post(
            "/account/login", data={"username": username, "password": PASSWORD}
        )
    assert response.status_code == 302, "login failed"
    return client


def run_together(
    app: Flask, calls: list[Callable[[], Any]], *, timeout_s: float = 60
) -> list[Any]:
    """Run each call in its own thread (and so its own database session and
    connection), all released at the same instant; return their results in order.

    An exception a call raised (Flask propagates them while testing; on a real server
    each would be a 500) is returned in its place.
    """
    import threading

    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def _run(index: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=timeout_s)
                results[index] = calls[index]()
            except Exception as exc:  # noqa: BLE001 - the test asserts there is none
                results[index] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=_run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout_s)
    assert not any(t.is_alive() for t in threads), "a racing request hung"
    return results


def statuses(results: list[Any]) -> list[int | str]:
    """Each result's HTTP status, or the name of the exception it raised."""
    return [
        type(r).__name__ if isinstance(r, Exception) else r.status_code for r in results
    ]


def fresh_database_url(name: str) -> str:
    """The URL of an empty database of the suite's own, for tests that build a schema
    themselves (migrations, ``db copy``): a new PostgreSQL schema in the test database
    (named ``name``, dropped first if a previous run left it), reached through its
    ``search_path``. Only for a PostgreSQL test database."""
    assert TEST_DATABASE_URL is not None and TEST_DIALECT == "postgresql"
    engine = sa.create_engine(TEST_DATABASE_URL)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    engine.dispose()
    url = sa.engine.make_url(TEST_DATABASE_URL)
    return url.update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(
        hide_password=False
    )

"""Flask extension objects, the declarative Base and database plumbing.

Imports nothing from the domains.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import Flask, g, request
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

#: Alembic migrations ship inside the package so an installed wheel can upgrade its own
#: database.
MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), "migrations")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[datetime]):
    """Store aware datetimes as UTC and always return them aware (SQLite would drop the
    tzinfo).
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: sa.Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(
                "naive datetime given to a UtcDateTime column; "
                "pass an aware UTC datetime"
            )
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(
        self, value: datetime | None, dialect: sa.Dialect
    ) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


db = SQLAlchemy(model_class=Base)

if TYPE_CHECKING:

    class Model(Base):
        """What type checkers see of ``db.Model``: the declarative Base (at run time
        Flask-SQLAlchemy's subclass of it, which adds ``query`` and table names).
        """

        __abstract__ = True

else:
    #: The base class of every model: ``db.Model``, under a name type checkers follow.
    Model = db.Model
csrf = CSRFProtect()
login_manager = LoginManager()
migrate = Migrate()

#: Whether the current request or command will write. SQLite transactions then begin
#: IMMEDIATE, taking the
#: write lock up front: a deferred transaction that reads and then writes fails at once
#: with "database is
#: locked" when another worker wrote in between, whatever the busy timeout.
_write_intent: ContextVar[bool] = ContextVar("quiz_write_intent", default=False)

_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@contextmanager
def write_transaction() -> Iterator[None]:
    """Mark the enclosed database work (a CLI command, a script) as writing."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


@contextmanager
def read_transaction() -> Iterator[None]:
    """Mark the enclosed database work as reading, even in a POST (also a decorator).

    For a hot POST that reads much and writes little: read and check inside this, end
    the read transaction, then write in a short ``write_transaction()``, so the SQLite
    write lock is held for the write alone rather than the whole request.
    """
    token = _write_intent.set(False)
    try:
        yield
    finally:
        _write_intent.reset(token)


def make_private(database: str) -> None:
    """Make a SQLite database and its -wal/-shm files readable by their owner alone.

    SQLite creates -wal and -shm with the database file's permissions, so a private
    database keeps its journal private too; answers and password hashes live there.
    """
    for path in (database, f"{database}-wal", f"{database}-shm"):
        try:
            if os.stat(path).st_mode & 0o077:
                os.chmod(path, 0o600)
        except FileNotFoundError:
            continue


def _configure_sqlite(app: Flask) -> None:
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    busy_timeout_ms = int(float(app.config["SQLITE_BUSY_TIMEOUT_S"]) * 1000)
    synchronous = str(app.config["SQLITE_SYNCHRONOUS"]).upper()
    if synchronous not in ("FULL", "NORMAL", "EXTRA"):
        raise ValueError(
            f"SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA, not {synchronous}"
        )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite's own BEGIN
        # is always deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        if engine.url.database not in (None, "", ":memory:"):
            make_private(engine.url.database)
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def _render_migration_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write UtcDateTime columns as plain sa.DateTime() so migrations don't import app
    code.
    """
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime()"
    return False


def init_extensions(app: Flask) -> None:
    """Bind every extension to the app and install the per-request transaction hooks."""
    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    migrate.init_app(
        app,
        db,
        directory=MIGRATIONS_DIR,
        render_as_batch=True,
        render_item=_render_migration_item,
    )
    with app.app_context():
        _configure_sqlite(app)

    @app.before_request
    def _mark_write_requests() -> None:
        if request.method in _WRITE_METHODS:
            g._write_token = _write_intent.set(True)

    @app.teardown_request
    def _end_request(_exc: BaseException | None) -> None:
        # The view commits; anything left (an exception, a read-only request) is rolled
        # back here.
        db.session.rollback()
        token = g.pop("_write_token", None)
        if token is not None:
            _write_intent.reset(token)

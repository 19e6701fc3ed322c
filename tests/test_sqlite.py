"""SQLite runs with WAL, foreign keys, a busy timeout, and IMMEDIATE transactions for
writes.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from quiz_app import create_app
from quiz_app.extensions import db, write_transaction


def _file_app(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    return create_app()


def test_pragmas_on_a_file_database(tmp_path, monkeypatch):
    app = _file_app(tmp_path, monkeypatch)
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
        # FULL (2): an acknowledged answer survives a power cut, not only a crash.
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2


def test_synchronous_can_be_relaxed_and_rejects_nonsense(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_SQLITE_SYNCHRONOUS", "normal")
    app = _file_app(tmp_path, monkeypatch)
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1
    monkeypatch.setenv("QUIZ_SQLITE_SYNCHRONOUS", "OFF; DROP TABLE users")
    with pytest.raises(ValueError, match="SQLITE_SYNCHRONOUS"):
        _file_app(tmp_path / "other", monkeypatch)


def test_write_transactions_begin_immediate(tmp_path, monkeypatch):
    app = _file_app(tmp_path, monkeypatch)
    statements: list[str] = []
    with app.app_context():
        sa.event.listen(
            db.engine, "before_cursor_execute", lambda *a: statements.append(a[2])
        )
        db.session.execute(sa.text("SELECT 1"))
        db.session.rollback()
        with write_transaction():
            db.session.execute(sa.text("SELECT 1"))
            db.session.rollback()
    assert "BEGIN" in statements
    assert "BEGIN IMMEDIATE" in statements
    assert statements.index("BEGIN") < statements.index("BEGIN IMMEDIATE")


def test_post_requests_write_immediately(tmp_path, monkeypatch):
    app = _file_app(tmp_path, monkeypatch)
    app.config["WTF_CSRF_ENABLED"] = False
    statements: list[str] = []

    @app.post("/_probe")
    def probe() -> str:
        db.session.execute(sa.text("SELECT 1"))
        return "ok"

    with app.app_context():
        sa.event.listen(
            db.engine, "before_cursor_execute", lambda *a: statements.append(a[2])
        )
    app.test_client().post("/_probe")
    assert "BEGIN IMMEDIATE" in statements

"""The shipped migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from quiz_app import create_app
from quiz_app.extensions import MIGRATIONS_DIR, db


def test_migrations_match_the_models(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    app = create_app()
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == [], f"models changed without a migration: {diff}"


def test_limit_events_migration_goes_down_and_up_keeping_rows(tmp_path, monkeypatch):
    from flask_migrate import downgrade

    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    app = create_app()
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="13bd2f759335")
        with db.engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO users (username, username_key, display_name,"
                " password_hash, role, timezone, session_token, created_at)"
                " VALUES ('kim', 'kim', '', 'x', 'student', 'UTC', 't',"
                " '2026-01-01 00:00:00')"
            )
        upgrade(directory=MIGRATIONS_DIR, revision="a474a60e9a5c")
        with db.engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO limit_events (kind, key, address, at)"
                " VALUES ('signup', '', '10.0.0.1', '2026-01-01 00:00:00')"
            )
        downgrade(directory=MIGRATIONS_DIR, revision="13bd2f759335")
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT username FROM users").all() == [
                ("kim",)
            ]
            tables = conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='table'"
            ).scalars()
            assert "limit_events" not in set(tables)
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM users").scalar() == 1

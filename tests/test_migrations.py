"""The shipped migrations build exactly the schema the models describe, and keep every
row of a populated database on the way up and back down."""

from __future__ import annotations

import shutil
import sqlite3
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade

from quiz_app import create_app
from quiz_app.extensions import MIGRATIONS_DIR, db
from tests.conftest import TEST_CONFIG, TEST_DIALECT, fresh_database_url
from tests.migration_rows import ROWS_PER_TABLE, populate, snapshot


def _script() -> ScriptDirectory:
    return ScriptDirectory(
        MIGRATIONS_DIR, version_locations=[f"{MIGRATIONS_DIR}/versions"]
    )


def _revisions_oldest_first() -> list[str]:
    return [rev.revision for rev in reversed(list(_script().walk_revisions()))]


@pytest.fixture
def file_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Flask:
    """An app whose database is a SQLite file, as in production."""
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    return create_app()


@pytest.fixture
def empty_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """An app on an empty database of the kind the suite runs on: a SQLite file, or a
    schema of its own in the PostgreSQL test database."""
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    if TEST_DIALECT == "postgresql":
        url = fresh_database_url("migration_test")
        monkeypatch.setenv("QUIZ_SQLALCHEMY_DATABASE_URI", url)
        monkeypatch.setenv("QUIZ_SECRET_KEY", TEST_CONFIG["SECRET_KEY"])
    app = create_app()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_migrations_match_the_models(empty_app: Flask) -> None:
    with empty_app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == [], f"models changed without a migration: {diff}"


def test_there_is_one_head() -> None:
    assert len(_script().get_heads()) == 1


def test_every_row_survives_the_upgrade_and_the_way_back(empty_app: Flask) -> None:
    """Populate every table at the first revision, upgrade to the newest and back."""
    first = _revisions_oldest_first()[0]
    with empty_app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=first)
        with db.engine.begin() as conn:
            populate(conn)
        with db.engine.connect() as conn:
            before = snapshot(conn)
        assert before and all(len(rows) == ROWS_PER_TABLE for rows in before.values())

        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            upgraded = snapshot(conn)
        for table, rows in before.items():
            assert len(upgraded[table]) == len(rows), f"{table} lost rows on upgrade"

        downgrade(directory=MIGRATIONS_DIR, revision=first)
        with db.engine.connect() as conn:
            assert snapshot(conn) == before
            if conn.dialect.name == "sqlite":
                pragma = conn.exec_driver_sql
                assert pragma("PRAGMA foreign_key_check").fetchall() == []
                assert pragma("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()


REBUILD_USERS = '''"""Test only: widen display_name (rebuilds users in batch)."""
import sqlalchemy as sa
from alembic import op

revision = "test_rebuild_users"
down_revision = {head!r}


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.alter_column("display_name", type_=sa.String(200))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.alter_column("display_name", type_=sa.String(80))
'''


def _with_extra_migration(tmp_path: Path, source: str) -> str:
    """A copy of the shipped migrations with one more revision on top."""
    directory = tmp_path / "migrations"
    shutil.copytree(
        MIGRATIONS_DIR, directory, ignore=shutil.ignore_patterns("__pycache__")
    )
    head = _script().get_current_head()
    (directory / "versions" / "9999_test_extra.py").write_text(source.format(head=head))
    return str(directory)


@pytest.mark.sqlite_only
def test_a_batch_rebuild_of_users_keeps_every_students_history(
    file_app: Flask, tmp_path: Path
) -> None:
    """The measured failure: a rebuild of users cascaded through card_progress and
    review_logs, or stopped on a foreign key, while foreign keys were on."""
    directory = _with_extra_migration(tmp_path, REBUILD_USERS)
    with file_app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.begin() as conn:
            populate(conn)
        with db.engine.connect() as conn:
            before = snapshot(conn)
        upgrade(directory=directory)
        with db.engine.connect() as conn:
            after = snapshot(conn)
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert {t: len(r) for t, r in after.items()} == {
            t: len(r) for t, r in before.items()
        }
        assert after["review_logs"] == before["review_logs"]
        assert after["quiz_attempts"] == before["quiz_attempts"]
        downgrade(directory=directory, revision="-1")
        with db.engine.connect() as conn:
            assert snapshot(conn) == before
        db.engine.dispose()


ORPHAN_A_ROW = '''"""Test only: a migration that leaves a row pointing at nothing."""
from alembic import op

revision = "test_orphan"
down_revision = {head!r}


def upgrade():
    op.execute("DELETE FROM users WHERE id = 1")


def downgrade():
    pass
'''


@pytest.mark.sqlite_only
def test_a_migration_that_breaks_a_foreign_key_changes_nothing(
    file_app: Flask, tmp_path: Path
) -> None:
    directory = _with_extra_migration(tmp_path, ORPHAN_A_ROW)
    with file_app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.begin() as conn:
            populate(conn)
        with pytest.raises(SystemExit):  # Flask-Migrate logs the error, exits 1
            upgrade(directory=directory)
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM users")).scalar() == 3
        database = db.engine.url.database
        db.engine.dispose()
    with sqlite3.connect(database) as raw:
        (version,) = raw.execute("SELECT version_num FROM alembic_version").fetchone()
    assert version == _script().get_current_head()


@pytest.mark.sqlite_only
def test_serve_backs_up_the_database_before_a_migration_changes_it(
    file_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quiz_app import cli

    with file_app.app_context():
        cli.upgrade_database()  # a fresh database: nothing to back up
        backups = Path(file_app.instance_path) / "backups"
        assert not backups.exists() or not list(backups.iterdir())
        with db.engine.begin() as conn:
            populate(conn)
        monkeypatch.setattr(
            cli, "MIGRATIONS_DIR", _with_extra_migration(tmp_path, REBUILD_USERS)
        )
        cli.upgrade_database()
        (copy,) = backups.iterdir()
        assert copy.name.startswith("pre-upgrade-")
        with tarfile.open(copy) as tar:
            tar.extract("quiz.sqlite", tmp_path / "restored", filter="data")
        with sqlite3.connect(tmp_path / "restored" / "quiz.sqlite") as raw:
            assert raw.execute("SELECT count(*) FROM review_logs").fetchone() == (3,)
            assert raw.execute(
                "SELECT version_num FROM alembic_version"
            ).fetchone() == (_script().get_current_head(),)
        cli.upgrade_database()  # up to date: no second copy
        assert len(list(backups.iterdir())) == 1
        db.engine.dispose()


def test_attempts_left_open_twice_by_the_old_race_are_kept_one_open(
    empty_app: Flask,
) -> None:
    """Before the one-open-attempt index, a race could leave several attempts in
    progress for one student and quiz: the upgrade keeps every row, the newest open."""
    with empty_app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="13bd2f759335")
        with db.engine.begin() as conn:
            populate(conn)
            conn.execute(
                sa.text(
                    "UPDATE quiz_attempts SET status = 'in_progress', "
                    "submitted_at = NULL, user_id = (SELECT min(id) FROM users), "
                    "quiz_id = (SELECT min(id) FROM quizzes)"
                )
            )
        upgrade(directory=MIGRATIONS_DIR, revision="5c1e7a90d2b4")
        with db.engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT id, status FROM quiz_attempts ORDER BY id")
            ).all()
        db.engine.dispose()
    assert [status for _id, status in rows] == ["expired"] * 2 + ["in_progress"]


def test_the_oldest_teacher_of_an_existing_install_becomes_administrator(
    file_app: Flask,
) -> None:
    with file_app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="13bd2f759335")
        with db.engine.begin() as conn:
            for i, role in enumerate(["student", "teacher", "teacher"], start=1):
                conn.execute(
                    sa.text(
                        "INSERT INTO users (id, username, username_key, display_name,"
                        " password_hash, role, timezone, session_token, created_at)"
                        " VALUES (:i, :n, :n, '', 'x', :r, 'UTC', 't', '2026-01-01')"
                    ),
                    {"i": i, "n": f"user{i}", "r": role},
                )
        upgrade(directory=MIGRATIONS_DIR, revision="5d1c0a7e9b21")
        with db.engine.connect() as conn:
            admins = conn.execute(
                sa.text("SELECT id FROM users WHERE is_admin ORDER BY id")
            ).scalars()
            assert list(admins) == [2]
        db.engine.dispose()


def test_banks_uploaded_before_owners_are_marked_as_uploads_owned_by_nobody(
    file_app: Flask,
) -> None:
    with file_app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="5c1e7a90d2b4")
        with db.engine.begin() as conn:
            for bank_id, path in [
                ("bundled", "korean-armistice/origins.yaml"),
                ("uploaded", "/srv/quiz/data/banks/uploads/uploaded.yaml"),
            ]:
                conn.execute(
                    sa.text(
                        "INSERT INTO banks (id, title, description, authors, topics,"
                        " sources, source_path, content_hash, is_retired, imported_at)"
                        " VALUES (:i, :i, '', '[]', '{}', '{}', :p, 'h', 0,"
                        " '2026-01-01')"
                    ),
                    {"i": bank_id, "p": path},
                )
        upgrade(directory=MIGRATIONS_DIR, revision="b5729a8d93d9")
        with db.engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT id, is_upload, owner_id, is_hidden FROM banks ORDER BY id"
                )
            ).all()
        db.engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("bundled", False, None, False),
        ("uploaded", True, None, False),
    ]

"""Backups carry what a restore needs, rotate, and restore safely over a live folder."""

from __future__ import annotations

import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz_app.backups import (
    BackupError,
    DataFolder,
    backups_to_delete,
    create_backup,
    hold_serve_lock,
    integrity_problems,
    restore_backup,
)
from quiz_app.cli import main

NOW = datetime(2026, 3, 2, 9, 30)


def _name(when: datetime, prefix: str = "backup") -> str:
    return f"{prefix}-{when:%Y%m%d-%H%M%S}.tar.gz"


def _age(name: str) -> timedelta:
    return NOW - datetime.strptime(name[7:22], "%Y%m%d-%H%M%S")


def test_rotation_keeps_the_last_day_then_dailies_then_weeklies() -> None:
    last_day = [_name(NOW - timedelta(hours=h)) for h in range(0, 20, 4)]
    # Two a day, from two to forty days back.
    older = [
        _name(NOW - timedelta(days=d, hours=h)) for d in range(2, 40) for h in (2, 8)
    ]
    strangers = ["notes.txt", "quiz.sqlite"]
    deleted = set(backups_to_delete(last_day + older + strangers, now=NOW))

    assert not deleted & set(last_day)
    assert not deleted & set(strangers)
    kept = [n for n in older if n not in deleted]
    week = [n for n in kept if _age(n) <= timedelta(days=7)]
    # The newest of each day of the week (hours=2 is the later of a day's two).
    assert week == [_name(NOW - timedelta(days=d, hours=2)) for d in range(2, 7)]
    month = [n for n in kept if _age(n) > timedelta(days=7)]
    assert all(_age(n) <= timedelta(days=31) for n in month)
    weeks = [(NOW - _age(n)).isocalendar()[:2] for n in month]
    assert len(weeks) == len(set(weeks)) >= 3  # at most one a week, for the month


def test_rotation_never_deletes_the_only_backup() -> None:
    only = _name(NOW - timedelta(days=400))
    assert backups_to_delete([only], now=NOW) == []


def _folder(root: Path, rows: int) -> DataFolder:
    root.mkdir(parents=True, exist_ok=True)
    folder = DataFolder(root=root, database=root / "quiz.sqlite")
    with sqlite3.connect(folder.database) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE IF NOT EXISTS answers (id INTEGER PRIMARY KEY)")
        conn.executemany("INSERT INTO answers VALUES (?)", [(i,) for i in range(rows)])
    folder.secret_key.write_text("k" * 64)
    folder.uploads.mkdir(parents=True, exist_ok=True)
    (folder.uploads / "mine.yaml").write_text("id: mine\n")
    return folder


def _count(database: Path) -> int:
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT count(*) FROM answers").fetchone()[0]


def test_a_backup_carries_database_key_and_uploads_privately(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "data", rows=5)
    backup = create_backup(folder, tmp_path / "elsewhere", now=NOW)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600

    folder.secret_key.write_text("changed")
    (folder.uploads / "mine.yaml").write_text("id: changed\n")
    with sqlite3.connect(folder.database) as conn:
        conn.execute("DELETE FROM answers")
    aside = restore_backup(backup, folder, now=NOW)

    assert _count(folder.database) == 5
    assert folder.secret_key.read_text() == "k" * 64
    assert (folder.uploads / "mine.yaml").read_text() == "id: mine\n"
    assert stat.S_IMODE(folder.database.stat().st_mode) == 0o600
    assert (aside / "quiz.sqlite").exists()  # what was replaced is kept aside
    assert (aside / "secret_key").read_text() == "changed"


def test_a_restore_over_a_stale_wal_gives_an_intact_database(tmp_path: Path) -> None:
    """Measured before: copying a backup over quiz.sqlite with the old -wal beside it
    served pages and left a corrupt database."""
    folder = _folder(tmp_path / "data", rows=50)
    backup = create_backup(folder, tmp_path / "backups", now=NOW)
    # A server killed mid-write: a -wal full of later commits left beside the file.
    writer = sqlite3.connect(folder.database)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.executemany("INSERT INTO answers VALUES (?)", [(i,) for i in range(50, 500)])
    writer.commit()
    wal = folder.database.with_name("quiz.sqlite-wal")
    assert wal.stat().st_size > 0
    stale = wal.read_bytes()
    writer.close()
    wal.write_bytes(stale)

    restore_backup(backup, folder, now=NOW)

    assert not wal.exists()
    assert integrity_problems(folder.database) == []
    assert _count(folder.database) == 50


def test_restore_refuses_while_a_server_uses_the_folder(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "data", rows=1)
    backup = create_backup(folder, tmp_path / "backups", now=NOW)
    held = hold_serve_lock(folder.root)
    assert held is not None
    try:
        with pytest.raises(BackupError, match="a server is using"):
            restore_backup(backup, folder, now=NOW)
    finally:
        held.close()
    restore_backup(backup, folder, now=NOW)


def test_a_damaged_backup_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "data", rows=3)
    broken = tmp_path / "backup-20260302-093000.tar.gz"
    broken.write_bytes(b"not a tar file")
    with pytest.raises(BackupError, match="not a backup"):
        restore_backup(broken, folder, now=NOW)
    assert _count(folder.database) == 3


def test_the_commands_back_up_elsewhere_and_restore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("QUIZ_DATA_DIR", str(data))
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(main, ["backup", "--to", str(tmp_path / "usb")])
    assert result.exit_code == 0, result.output
    (backup,) = (tmp_path / "usb").iterdir()
    result = runner.invoke(main, ["restore", str(backup)])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    assert integrity_problems(data / "quiz.sqlite") == []


def test_serve_refuses_a_database_that_fails_quick_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "quiz.sqlite").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    monkeypatch.setenv("QUIZ_DATA_DIR", str(data))
    result = CliRunner().invoke(main, ["serve", "--port", "1"])
    assert result.exit_code != 0
    assert "quick_check" in result.output
    assert "quiz-app restore" in result.output


@pytest.mark.sqlite_only
def test_uploaded_banks_travel_in_the_database_of_a_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Uploads live in the database now: a backup restores them with it, and a data
    folder without an old uploads folder gets none from a restore."""
    from flask_migrate import upgrade

    from quiz_app import create_app
    from quiz_app.banks.uploads import read_bank_source, save_bank_source
    from quiz_app.clock import utcnow
    from quiz_app.extensions import MIGRATIONS_DIR, db
    from tests.banks.test_stored_uploads import PICTURED

    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path / "data"))
    app = create_app()
    folder = DataFolder(
        root=tmp_path / "data", database=tmp_path / "data" / "quiz.sqlite"
    )
    png = b"\x89PNG pretend"
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        save_bank_source(
            "pictured",
            PICTURED,
            bank_paths=[],
            max_bytes=100_000,
            now=utcnow(),
            images={"img/table.png": png},
        )
        db.session.commit()
        backup = create_backup(folder, tmp_path / "backups", now=NOW)
        save_bank_source(
            "pictured",
            PICTURED.replace("Nobody", "No one"),
            bank_paths=[],
            max_bytes=100_000,
            now=utcnow(),
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    restore_backup(backup, folder, now=NOW)
    with app.app_context():
        assert read_bank_source("pictured") == PICTURED
        db.engine.dispose()
    assert not folder.uploads.exists()

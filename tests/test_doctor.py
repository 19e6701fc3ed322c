"""`quiz-app doctor` finds a damaged database and says what to do."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from quiz_app.cli import main
from quiz_app.doctor import has_wal_reset_bug


@pytest.mark.parametrize(
    ("version", "affected"),
    [
        ((3, 6, 23), False),
        ((3, 7, 0), True),
        ((3, 40, 1), True),
        ((3, 44, 5), True),
        ((3, 44, 6), False),
        ((3, 50, 6), True),
        ((3, 50, 7), False),
        ((3, 51, 2), True),
        ((3, 51, 3), False),
        ((3, 53, 0), False),
    ],
)
def test_the_wal_reset_bug_range(version, affected):
    assert has_wal_reset_bug(version) is affected


def _upgraded(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    cli = CliRunner()
    assert cli.invoke(main, ["db", "upgrade"]).exit_code == 0
    return cli


def test_a_healthy_database_passes(tmp_path, monkeypatch):
    cli = _upgraded(tmp_path, monkeypatch)
    result = cli.invoke(main, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "integrity_check: ok" in result.output
    assert "no orphan rows" in result.output
    if has_wal_reset_bug(sqlite3.sqlite_version_info):
        assert "WAL-reset bug" in result.output and "what to do" in result.output


def test_orphan_rows_are_reported_with_advice(tmp_path, monkeypatch):
    cli = _upgraded(tmp_path, monkeypatch)
    conn = sqlite3.connect(tmp_path / "quiz.sqlite")
    conn.execute(
        "INSERT INTO classes (name, teacher_id, join_code, created_at)"
        " VALUES ('7B', 999, 'ABCDEF', '2026-01-01 00:00:00')"
    )
    conn.commit()
    conn.close()
    result = cli.invoke(main, ["doctor"])
    assert result.exit_code == 1
    assert "classes -> users: 1" in result.output
    assert "what to do" in result.output

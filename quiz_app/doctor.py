"""`quiz-app doctor`: check the database and say what to do about each problem.

The version rule is pure; the checks read the database; the command prints.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from quiz_app.extensions import db

#: SQLite's WAL-reset bug (sqlite.org/wal.html#walresetbug): a race between two
#: connections checkpointing and writing can corrupt a WAL database. It is in
#: 3.7.0 to 3.51.2, fixed in 3.51.3, and the fix was backported to 3.44.6 and 3.50.7.
WAL_RESET_BUG_FIRST = (3, 7, 0)
WAL_RESET_BUG_FIXED = (3, 51, 3)
WAL_RESET_BUG_BACKPORTS = ((3, 44, 6), (3, 50, 7))


def has_wal_reset_bug(version: tuple[int, int, int]) -> bool:
    """Whether this SQLite version has the WAL-reset corruption bug."""
    if not WAL_RESET_BUG_FIRST <= version < WAL_RESET_BUG_FIXED:
        return False
    return not any(
        version[:2] == fix[:2] and version >= fix for fix in WAL_RESET_BUG_BACKPORTS
    )


@dataclass(frozen=True, slots=True)
class Finding:
    """One result: ``level`` is "ok", "warning" or "problem"."""

    level: str
    what: str
    advice: str = ""


def check_database() -> list[Finding]:
    """Every check that applies to the configured database."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return [Finding("ok", f"{engine.dialect.name} database answers")]
    findings: list[Finding] = []
    with engine.connect() as conn:
        integrity = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
        if integrity == ["ok"]:
            findings.append(Finding("ok", "integrity_check: ok"))
        else:
            findings.append(
                Finding(
                    "problem",
                    "integrity_check: " + "; ".join(integrity[:5]),
                    "stop the server, copy the data folder, then restore the newest "
                    "backup (`quiz-app backup` makes them) or run "
                    "`sqlite3 quiz.sqlite .recover | sqlite3 recovered.sqlite`",
                )
            )
        orphans: dict[str, int] = {}
        for table, _rowid, parent, _fk in conn.exec_driver_sql(
            "PRAGMA foreign_key_check"
        ):
            key = f"{table} -> {parent}"
            orphans[key] = orphans.get(key, 0) + 1
        if orphans:
            findings.append(
                Finding(
                    "problem",
                    "rows pointing at nothing (foreign_key_check): "
                    + ", ".join(f"{k}: {n}" for k, n in sorted(orphans.items())),
                    "restore a backup, or ask for help before deleting rows: they "
                    "are students' history",
                )
            )
        else:
            findings.append(Finding("ok", "foreign keys: no orphan rows"))
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
    version = sqlite3.sqlite_version_info
    label = ".".join(map(str, version))
    if mode == "wal" and has_wal_reset_bug(version):
        findings.append(
            Finding(
                "warning",
                f"SQLite {label} has the WAL-reset bug (3.7.0-3.51.2; fixed in 3.51.3, "
                "3.50.7, 3.44.6): rare, but it can corrupt the database",
                "use a Python built with SQLite 3.51.3 or newer, keep daily backups "
                "(`quiz-app backup`), or move to PostgreSQL (`db copy`)",
            )
        )
    else:
        findings.append(Finding("ok", f"SQLite {label}, journal mode {mode}"))
    findings += _check_permissions(engine.url.database or "")
    return findings


def _check_permissions(database: str) -> list[Finding]:
    if not database or database == ":memory:" or not os.path.exists(database):
        return []
    loose = [
        path
        for path in (database, f"{database}-wal", f"{database}-shm")
        if os.path.exists(path) and stat.S_IMODE(os.stat(path).st_mode) & 0o077
    ]
    if not loose:
        return [Finding("ok", "database files readable by their owner only")]
    return [
        Finding(
            "warning",
            "readable by other users: " + ", ".join(os.path.basename(p) for p in loose),
            "run `chmod 600` on them (the app does so when it next opens them)",
        )
    ]


@click.command("doctor")
@with_appcontext
def doctor_command() -> None:
    """Check the database (integrity, orphan rows, SQLite version, permissions)."""
    findings = check_database()
    for finding in findings:
        click.echo(f"{finding.level:<8} {finding.what}")
        if finding.advice:
            click.echo(f"         what to do: {finding.advice}")
    if any(f.level == "problem" for f in findings):
        raise SystemExit(1)

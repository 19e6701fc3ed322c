"""Deployment steps run once per start, even when several servers start together:
upgrade the schema and import the banks under a lock the servers share (a PostgreSQL
advisory lock, or a lock file beside a SQLite database)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from quiz_app.extensions import db

#: pg_advisory_lock key of the deploy step ("quizapp1" as an int64): any number works,
#: as long as every server of one database uses the same one.
ADVISORY_LOCK_KEY = int.from_bytes(b"quizapp1", "big") & 0x7FFF_FFFF_FFFF_FFFF


#: pg_advisory_xact_lock key of uploads and edits of banks ("quizbank").
BANK_WRITES_LOCK_KEY = int.from_bytes(b"quizbank", "big") & 0x7FFF_FFFF_FFFF_FFFF


def lock_bank_writes() -> None:
    """Serialize uploads and edits of banks across servers until this transaction
    ends, as SQLite's one write lock does: two teachers uploading a new bank with
    the same id on two servers at once got a 500 (a unique key) instead of the
    clear refusal the second one gets when the first has finished.
    """
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            sa.select(sa.func.pg_advisory_xact_lock(BANK_WRITES_LOCK_KEY))
        )


@contextmanager
def deploy_lock() -> Iterator[None]:
    """Hold the deploy lock of this app's database while the block runs; a second
    server starting at the same moment waits here, then finds nothing left to do."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        # A session-level advisory lock on a connection of its own, held across the
        # upgrade's and the import's own transactions.
        with engine.connect() as conn:
            conn.execute(sa.select(sa.func.pg_advisory_lock(ADVISORY_LOCK_KEY)))
            conn.commit()
            try:
                yield
            finally:
                conn.execute(sa.select(sa.func.pg_advisory_unlock(ADVISORY_LOCK_KEY)))
                conn.commit()
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with _file_lock(Path(database).with_name(Path(database).name + ".deploy-lock")):
        yield


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on a file (released when the process dies, too)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows runs one waitress server
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

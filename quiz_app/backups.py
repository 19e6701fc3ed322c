"""Backups of a SQLite data folder, their rotation, and restoring one. Files only: no
Flask.

A backup is one ``.tar.gz`` holding everything a restore needs: the database (copied
with SQLite's online backup API, so it is consistent while the server writes; the banks
teachers uploaded and their images are in it), the secret key (sessions and reset links
stay valid), and a manifest (when, which schema revision, the database's checksum).
A data folder still holding the old uploads folder (``banks/uploads/``, before the
first start of a version that stores uploads in the database moves it there: the
``pre-upgrade`` backup is taken before that) has it carried too, and a restore puts it
back, for the next start to move.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

BACKUP_PATTERN = re.compile(r"^(?P<prefix>[a-z-]+)-(?P<when>\d{8}-\d{6})\.tar\.gz$")
DATABASE_MEMBER = "quiz.sqlite"
SECRET_KEY_MEMBER = "secret_key"
UPLOADS_MEMBER = "banks/uploads"
MANIFEST_MEMBER = "manifest.json"
#: The lock ``serve`` holds while it runs; restore refuses while someone holds it.
SERVE_LOCK = "serve.lock"

#: Rotation, after Anki's: every backup of the last day, then the newest of each
#: day for a week, then the newest of each week for a month. Older ones go.
KEEP_ALL_FOR = timedelta(days=1)
KEEP_DAILY_FOR = timedelta(days=7)
KEEP_WEEKLY_FOR = timedelta(days=31)


class BackupError(Exception):
    """A backup could not be made or restored; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class DataFolder:
    """Where a SQLite installation keeps what a backup must carry."""

    root: Path
    database: Path

    @property
    def secret_key(self) -> Path:
        return self.root / "secret_key"

    @property
    def uploads(self) -> Path:
        return self.root / "banks" / "uploads"


def _private_file(path: Path) -> None:
    """Create ``path`` readable by its owner only, before anything is written."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(path, 0o600)


def integrity_problems(database: Path) -> list[str]:
    """What ``PRAGMA integrity_check`` reports (empty when the database is sound)."""
    try:
        with contextlib.closing(
            sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        ) as c:
            rows = [row[0] for row in c.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def quick_check_problems(database: Path) -> list[str]:
    """What ``PRAGMA quick_check`` reports: the fast check ``serve`` runs at start."""
    try:
        with contextlib.closing(sqlite3.connect(database)) as conn:
            rows = [row[0] for row in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def _schema_revision(database: Path) -> str | None:
    with contextlib.closing(sqlite3.connect(database)) as conn:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            return None
    return row[0] if row else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def create_backup(
    folder: DataFolder, target_dir: Path, *, now: datetime, prefix: str = "backup"
) -> Path:
    """Write one backup of ``folder`` into ``target_dir`` and return its path."""
    if not folder.database.exists():
        raise BackupError(f"there is no database at {folder.database} to back up")
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{prefix}-{now:%Y%m%d-%H%M%S}.tar.gz"
    if target.exists():  # two in one second: keep both
        target = target_dir / f"{prefix}-{now:%Y%m%d-%H%M%S}-{os.getpid()}.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / DATABASE_MEMBER
        _private_file(copy)
        with (
            contextlib.closing(sqlite3.connect(folder.database)) as source,
            contextlib.closing(sqlite3.connect(copy)) as dest,
        ):
            source.backup(dest)
            # A backup is one self-contained file: no -wal beside it, ever.
            dest.execute("PRAGMA journal_mode=DELETE")
        problems = integrity_problems(copy)
        if problems:
            raise BackupError(
                "the database fails its integrity check, so no backup was made: "
                + "; ".join(problems[:5])
                + " (run `quiz-app doctor`)"
            )
        manifest = {
            "format": 1,
            "created_at": now.isoformat(),
            "schema_revision": _schema_revision(copy),
            "database_sha256": _sha256(copy),
        }
        _private_file(target)
        with tarfile.open(target, "w:gz") as tar:
            tar.add(copy, arcname=DATABASE_MEMBER)
            if folder.secret_key.exists():
                tar.add(folder.secret_key, arcname=SECRET_KEY_MEMBER)
            if folder.uploads.is_dir():
                tar.add(folder.uploads, arcname=UPLOADS_MEMBER)
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST_MEMBER)
            info.size = len(data)
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(data))
    return target


def _backup_time(path: Path) -> datetime | None:
    match = BACKUP_PATTERN.match(path.name)
    if not match:
        return None
    return datetime.strptime(match["when"], "%Y%m%d-%H%M%S")


def backups_to_delete(names: list[str], *, now: datetime) -> list[str]:
    """Which of these backup file names the rotation drops (pure).

    Keeps every backup of the last day, the newest of each day for a week and the
    newest of each ISO week for a month; names that are not ours are never touched.
    """
    now = now.replace(tzinfo=None)
    dated = sorted(
        ((when, name) for name in names if (when := _backup_time(Path(name)))),
        reverse=True,
    )
    keep: set[str] = set()
    days_seen: set[object] = set()
    weeks_seen: set[object] = set()
    for when, name in dated:
        age = now - when
        if age <= KEEP_ALL_FOR:
            keep.add(name)
        if age <= KEEP_DAILY_FOR and when.date() not in days_seen:
            days_seen.add(when.date())
            keep.add(name)
        week = when.isocalendar()[:2]
        if age <= KEEP_WEEKLY_FOR and week not in weeks_seen:
            weeks_seen.add(week)
            keep.add(name)
    if dated:  # never delete the only backup there is, however old
        keep.add(dated[0][1])
    return [name for _, name in dated if name not in keep]


def rotate_backups(target_dir: Path, *, now: datetime) -> list[Path]:
    """Delete the backups the rotation drops; return what was deleted."""
    names = [p.name for p in target_dir.iterdir()] if target_dir.is_dir() else []
    deleted = [target_dir / name for name in backups_to_delete(names, now=now)]
    for path in deleted:
        path.unlink()
    return deleted


def hold_serve_lock(root: Path) -> io.TextIOWrapper | None:
    """Take a shared hold on the data folder for a running server (several servers
    may share a folder); keep the returned file open while serving."""
    return _try_lock(root / SERVE_LOCK, exclusive=False)


@contextlib.contextmanager
def _exclusive_folder(root: Path) -> Iterator[None]:
    """Hold the data folder alone, or refuse because a server is using it."""
    handle = _try_lock(root / SERVE_LOCK, exclusive=True)
    if handle is None:
        raise BackupError(
            f"a server is using {root}; stop `quiz-app serve` before restoring"
        )
    try:
        yield
    finally:
        handle.close()


def _try_lock(path: Path, *, exclusive: bool) -> io.TextIOWrapper | None:
    """An open, locked file, or None when another process holds a conflicting lock."""
    handle = path.open("a")
    try:
        try:
            import fcntl

            mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - Windows has no shared locks
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
    except OSError:
        handle.close()
        return None
    return handle


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """The archive's members, refusing anything that is not one of ours."""
    members = tar.getmembers()
    for member in members:
        name = member.name
        if name.startswith("/") or ".." in Path(name).parts:
            raise BackupError(f"the backup holds an unsafe path: {name}")
        if not (member.isfile() or member.isdir()):
            raise BackupError(f"the backup holds a link or device: {name}")
        allowed = name in (DATABASE_MEMBER, SECRET_KEY_MEMBER, MANIFEST_MEMBER)
        if not allowed and not (name + "/").startswith(UPLOADS_MEMBER + "/"):
            raise BackupError(f"the backup holds an unexpected file: {name}")
    return members


def restore_backup(backup: Path, folder: DataFolder, *, now: datetime) -> Path:
    """Replace the data folder's database (and key and uploads) with a backup's.

    Refuses while a server holds the folder; checks the backup before and the
    restored database after; moves what it replaces into ``replaced-<time>/`` and
    returns that folder.
    """
    try:
        tar = tarfile.open(backup, "r:gz")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(
            f"{backup} is not a backup made by `quiz-app backup`: {exc}"
        ) from exc
    with _exclusive_folder(folder.root), tar, tempfile.TemporaryDirectory() as tmp:
        members = _safe_members(tar)
        if DATABASE_MEMBER not in {m.name for m in members}:
            raise BackupError(f"{backup} holds no database")
        tar.extractall(tmp, members=members, filter="data")
        staged = Path(tmp)
        manifest = json.loads((staged / MANIFEST_MEMBER).read_text())
        database = staged / DATABASE_MEMBER
        if _sha256(database) != manifest.get("database_sha256"):
            raise BackupError(f"{backup} is damaged: its database checksum differs")
        problems = integrity_problems(database)
        if problems:
            raise BackupError(f"the backup's database is damaged: {problems[:5]}")

        aside = folder.root / f"replaced-{now:%Y%m%d-%H%M%S}"
        aside.mkdir()
        # The old -wal and -shm go too: left beside a restored database, SQLite
        # would replay the old WAL into it and corrupt it.
        for suffix in ("", "-wal", "-shm", "-journal"):
            old = folder.database.with_name(folder.database.name + suffix)
            if old.exists():
                shutil.move(old, aside / old.name)
        if folder.secret_key.exists() and (staged / SECRET_KEY_MEMBER).exists():
            shutil.move(folder.secret_key, aside / "secret_key")
        if folder.uploads.is_dir() and (staged / UPLOADS_MEMBER).is_dir():
            shutil.move(folder.uploads, aside / "uploads")

        _private_file(folder.database)
        shutil.copyfile(database, folder.database)
        if (staged / SECRET_KEY_MEMBER).exists():
            _private_file(folder.secret_key)
            shutil.copyfile(staged / SECRET_KEY_MEMBER, folder.secret_key)
        if (staged / UPLOADS_MEMBER).is_dir():
            folder.uploads.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(staged / UPLOADS_MEMBER, folder.uploads)
    problems = integrity_problems(folder.database)
    if problems:  # pragma: no cover - the copy was checked above
        raise BackupError(f"the restored database fails its check: {problems[:5]}")
    return aside

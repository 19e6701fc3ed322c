"""Services: the one-time move of a data folder's old uploads folder into the database.

Before uploaded banks were stored in the database they were files in
``<data folder>/banks/uploads/``, on one server's disk. ``quiz-app serve`` and
``quiz-app deploy`` call :func:`move_upload_folder` on every start, under the deploy
lock: it stores each bank file found there (and the images its questions name) unless
the database already has a bank of that id, points the imported bank at its stored
copy, and then the folder is renamed ``uploads-moved-<time>`` so it is never read
again. A server without the folder has nothing to do, so with several servers the
one that holds the files moves them whenever it starts.

Flushes, never commits; the caller renames the folder after its commit.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from quiz_app.banks import uploads
from quiz_app.banks.files import walk_bank_files
from quiz_app.banks.imagefiles import safe_image_path
from quiz_app.banks.loader import parse_bank
from quiz_app.banks.models import Bank, UploadedBank
from quiz_app.banks.schema import BankError
from quiz_app.extensions import db


@dataclass
class FolderMove:
    """What a move stored, and what it left out (with the reason, for the console)."""

    stored: list[str] = field(default_factory=list)  #: bank ids
    images: int = 0
    left_out: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{len(self.stored)} uploaded banks and {self.images} images moved into "
            f"the database, {len(self.left_out)} files left out"
        )


def move_upload_folder(
    folder: Path, *, max_bytes: int, max_image_bytes: int, now: datetime
) -> FolderMove:
    """Store the bank files of an old uploads folder (and their images) in the
    database; returns what was stored and what was not (nothing when there is no
    folder). The files stay where they are: see :func:`retire_upload_folder`.
    """
    move = FolderMove()
    if not folder.is_dir():
        return move
    for path in walk_bank_files(folder):
        try:
            if os.path.getsize(path) > max_bytes:
                move.left_out.append(f"{path}: larger than {max_bytes} bytes")
                continue
            raw = Path(path).read_bytes()
            bank = parse_bank(raw, source=path, max_bytes=max_bytes)
            text = raw.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            move.left_out.append(f"{path}: cannot read it ({exc})")
            continue
        except BankError as exc:
            move.left_out.append(f"{exc.problems[0]} (and the file is not valid)")
            continue
        if uploads.is_uploaded(bank.id):
            move.left_out.append(
                f"{path}: the database already holds the bank {bank.id!r} (kept)"
            )
            continue
        db.session.add(
            UploadedBank(
                bank_id=bank.id,
                text=text,
                content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                uploaded_by_id=None,
                uploaded_at=now,
            )
        )
        db.session.flush()  # before its images
        names = sorted({q.image.file for q in bank.questions if q.image is not None})
        for name in names:
            image = safe_image_path(Path(path).parent, name)
            if image is None:
                move.left_out.append(f"{path}: image {name!r} missing or unsafe")
            elif image.stat().st_size > max_image_bytes:
                move.left_out.append(
                    f"{image}: larger than {max_image_bytes} bytes "
                    "(QUIZ_MAX_IMAGE_BYTES)"
                )
            else:
                uploads.store_image(bank.id, name, image.read_bytes(), now=now)
                move.images += 1
        row = db.session.get(Bank, bank.id)
        if row is not None and _lies_in(row.source_path, folder):
            row.source_path = uploads.source_name(bank.id)
        move.stored.append(bank.id)
    db.session.flush()
    return move


def _lies_in(source_path: str, folder: Path) -> bool:
    try:
        return Path(source_path).resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return False


def retire_upload_folder(folder: Path, *, now: datetime) -> Path | None:
    """Rename the old uploads folder once its banks are in the database (committed),
    so no start reads it again; returns the new name, or None without a folder."""
    if not folder.is_dir():
        return None
    target = folder.with_name(f"uploads-moved-{now:%Y%m%d-%H%M%S}")
    folder.rename(target)
    return target

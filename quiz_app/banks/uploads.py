"""Services: banks that teachers upload, stored in the database with their images (so
every server of a school serves them), the bank files a teacher sees (folders and
uploads, each validated and compared with the import), and saving a new version.

Flushes, never commits; folders and limits come from the caller, not the app config.
``read_bank_source`` and ``save_bank_source`` are the only ways to read and write an
uploaded bank's YAML (the upload page and the question editor both use them).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

import sqlalchemy as sa

from quiz_app.accounts.models import User
from quiz_app.banks import leaks, ownership, schema
from quiz_app.banks.archive import BankArchive, unpack_bank_archive
from quiz_app.banks.crossbank import resolve_quiz_questions
from quiz_app.banks.files import StoredSource, bank_file_paths, load_bank_files
from quiz_app.banks.loader import parse_bank
from quiz_app.banks.models import Bank, UploadedBank, UploadedImage
from quiz_app.banks.services import (
    UPLOAD_SOURCE_PREFIX,
    ImportSummary,
    import_bank,
    import_banks,
    is_upload_source,
)
from quiz_app.deploy import lock_bank_writes
from quiz_app.extensions import db

#: The media type each image suffix is served with.
IMAGE_MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


class NoBankSource(LookupError):
    """No uploaded bank has this id (it may come from a banks folder instead)."""


def source_name(bank_id: str) -> str:
    """The ``source_path`` (and the name in problems) of an uploaded bank."""
    return f"{UPLOAD_SOURCE_PREFIX}{bank_id}.yaml"


def media_type(name: str) -> str:
    """The media type of an image file name (one of the bank format's suffixes)."""
    return IMAGE_MEDIA_TYPES.get(PurePosixPath(name).suffix.lower(), "")


def read_bank_source(bank_id: str) -> str:
    """The YAML text of an uploaded bank, as last uploaded or saved.

    :raises NoBankSource: when no uploaded bank has this id.
    """
    row = db.session.get(UploadedBank, bank_id)
    if row is None:
        raise NoBankSource(bank_id)
    return row.text


def source_hash(text: str) -> str:
    """The version of a bank's text that ``save_bank_source(if_hash=...)`` expects."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def is_uploaded(bank_id: str) -> bool:
    """Whether the bank's YAML is stored in the database (a teacher's upload)."""
    return db.session.get(UploadedBank, bank_id) is not None


def get_uploaded_image(bank_id: str, name: str) -> UploadedImage | None:
    """An image stored with an uploaded bank, by the name its questions use."""
    return db.session.scalar(
        sa.select(UploadedImage).where(
            UploadedImage.bank_id == bank_id, UploadedImage.name == name
        )
    )


def _image_names(bank_id: str | None = None) -> dict[str, set[str]]:
    query = sa.select(UploadedImage.bank_id, UploadedImage.name)
    if bank_id is not None:
        query = query.where(UploadedImage.bank_id == bank_id)
    names: dict[str, set[str]] = defaultdict(set)
    for owner, name in db.session.execute(query):
        names[owner].add(name)
    return names


def stored_sources(*, exclude: str | None = None) -> list[StoredSource]:
    """Every uploaded bank as the loader takes it, by bank id (but ``exclude``)."""
    images = _image_names()
    query = sa.select(UploadedBank.bank_id, UploadedBank.text).order_by(
        UploadedBank.bank_id
    )
    return [
        StoredSource(
            source_name(bank_id),
            text.encode("utf-8"),
            frozenset(images.get(bank_id, ())),
        )
        for bank_id, text in db.session.execute(query)
        if bank_id != exclude
    ]


def load_all_banks(
    bank_paths: Sequence[str], *, max_bytes: int
) -> tuple[list[schema.Bank], list[schema.Problem]]:
    """Read and check the banks folders' files and the uploaded banks together; a
    file that clashes with an upload is the one left out."""
    return load_bank_files(
        bank_file_paths(bank_paths),
        max_bytes=max_bytes,
        stored=stored_sources(),
        stored_first=True,
    )


def import_all_banks(
    bank_paths: Sequence[str], *, max_bytes: int, now: datetime, force: bool = False
) -> tuple[ImportSummary, list[schema.Problem]]:
    """Validate and import the banks folders and the uploaded banks; banks with
    problems are left out (and their problems returned), the rest are imported.
    """
    banks, problems = load_all_banks(bank_paths, max_bytes=max_bytes)
    broken = {p.source for p in problems}
    good = [b for b in banks if b.source_path not in broken]
    summary = import_banks(good, now=now, force=force)
    _mark_uploads([b.id for b in good if is_upload_source(b.source_path)])
    return summary, problems


def _mark_uploads(bank_ids: Sequence[str]) -> None:
    """Banks whose YAML is stored here are uploads (see ``banks.ownership``)."""
    for bank_id in bank_ids:
        row = db.session.get(Bank, bank_id)
        if row is not None:
            row.is_upload = True
    db.session.flush()


@dataclass(frozen=True, slots=True)
class BankFile:
    """One bank file as the teacher's bank page shows it."""

    path: str
    bank_id: str | None
    title: str | None
    questions: int
    cards: int
    problems: list[schema.Problem]
    #: "new" (valid, never imported), "changed" (valid, differs from the import),
    #: "imported", "invalid"
    status: str
    is_upload: bool


def list_bank_files(bank_paths: Sequence[str], *, max_bytes: int) -> list[BankFile]:
    """Validate every bank (folders' files and uploads) and compare each with what is
    imported.
    """
    files = bank_file_paths(bank_paths)
    stored = stored_sources()
    banks, problems = load_bank_files(files, max_bytes=max_bytes, stored=stored)
    by_source: dict[str, list[schema.Problem]] = defaultdict(list)
    for problem in problems:
        by_source[problem.source].append(problem)
    parsed = {b.source_path: b for b in banks}
    imported = {b.id: b for b in db.session.scalars(sa.select(Bank))}
    result = []
    for path in [*files, *(s.source for s in stored)]:
        bank = parsed.get(path)
        if by_source.get(path) or bank is None:
            status = "invalid"
        elif bank.id not in imported or imported[bank.id].is_retired:
            status = "new"
        elif imported[bank.id].content_hash != bank.content_hash:
            status = "changed"
        else:
            status = "imported"
        result.append(
            BankFile(
                path=path,
                bank_id=bank.id if bank else None,
                title=bank.title if bank else None,
                questions=len(bank.questions) if bank else 0,
                cards=len(bank.cards) if bank else 0,
                problems=by_source.get(path, []),
                status=status,
                is_upload=is_upload_source(path),
            )
        )
    return result


def save_bank_source(
    bank_id: str,
    text: str,
    *,
    bank_paths: Sequence[str],
    max_bytes: int,
    now: datetime,
    uploaded_by_id: int | None = None,
    images: Mapping[str, bytes] | None = None,
    shown_as: str | None = None,
    if_hash: str | None = None,
) -> tuple[schema.Bank, ImportSummary]:
    """Check a new version of an uploaded bank (or a new bank) alone and against every
    other bank, store its text and images in the database, and import it.

    Import is by id, so students keep their progress. Images are added or replaced by
    name, never removed: retired questions (and past attempts) still show theirs.
    Only images the bank's questions name are stored.

    :param images: image bytes by the name the questions use (relative to the bank).
    :param shown_as: the file name problems name (default ``<bank id>.yaml``).
    :param if_hash: save only if the stored text is still this version (the
        ``source_hash`` of the text an editor opened); None saves whatever is stored.
        The stored row is locked until the caller's commit, so of two saves of one
        version on any servers the second is refused, not lost.
    :raises schema.BankError: with every problem; nothing is stored or imported.
    """
    shown = shown_as or f"{bank_id}.yaml"
    if if_hash is not None:
        stored = db.session.get(UploadedBank, bank_id, with_for_update=True)
        if stored is None or stored.content_hash != if_hash:
            raise schema.BankError(
                [
                    schema.Problem(
                        shown,
                        0,
                        0,
                        "the bank was changed (by another teacher or in another tab) "
                        "since you opened it; nothing was saved: open it again",
                    )
                ]
            )
    raw = text.encode("utf-8", "surrogatepass")
    if len(raw) > max_bytes:
        raise schema.BankError(
            [
                schema.Problem(
                    shown,
                    0,
                    0,
                    f"the file is larger than the limit of {max_bytes} bytes",
                )
            ]
        )
    images = dict(images or {})
    source = source_name(bank_id)
    available = frozenset(_image_names(bank_id).get(bank_id, set()) | images.keys())
    banks, problems = load_bank_files(
        bank_file_paths(bank_paths),
        max_bytes=max_bytes,
        stored=[
            *stored_sources(exclude=bank_id),
            StoredSource(source, raw, available),
        ],
    )
    mine = [
        dataclasses.replace(p, source=shown) for p in problems if p.source == source
    ]
    if mine:
        raise schema.BankError(mine)
    checked = next(b for b in banks if b.source_path == source)
    if checked.id != bank_id:
        raise schema.BankError(
            [
                schema.Problem(
                    shown,
                    0,
                    0,
                    f"this is the bank {bank_id!r}: its id cannot change to "
                    f"{checked.id!r} (upload a bank with a new id as a new file)",
                )
            ]
        )
    _store(checked, text, images, uploaded_by_id=uploaded_by_id, now=now)
    summary = import_bank(checked, now=now)
    _mark_uploads([checked.id])
    summary.warnings = leaks.warnings_about(
        checked.id, banks, resolve=resolve_quiz_questions, shown_as=shown
    )
    return checked, summary


def _store(
    bank: schema.Bank,
    text: str,
    images: Mapping[str, bytes],
    *,
    uploaded_by_id: int | None,
    now: datetime,
) -> None:
    row = db.session.get(UploadedBank, bank.id)
    if row is None:
        row = UploadedBank(bank_id=bank.id)
        db.session.add(row)
    row.text = text
    row.content_hash = bank.content_hash
    row.uploaded_by_id = uploaded_by_id
    row.uploaded_at = now
    db.session.flush()  # the images refer to it
    named = {q.image.file for q in bank.questions if q.image is not None}
    for name, data in images.items():
        if name in named:
            store_image(bank.id, name, data, now=now)


def store_image(bank_id: str, name: str, data: bytes, *, now: datetime) -> None:
    """Add or replace one image of an uploaded bank (the caller bounds its size)."""
    image = get_uploaded_image(bank_id, name)
    if image is None:
        image = UploadedImage(bank_id=bank_id, name=name)
        db.session.add(image)
    image.data = data
    image.media_type = media_type(name)
    image.size_bytes = len(data)
    image.sha256 = hashlib.sha256(data).hexdigest()
    image.uploaded_at = now
    db.session.flush()


def upload_bank(
    raw: bytes,
    *,
    filename: str,
    bank_paths: Sequence[str],
    max_bytes: int,
    max_image_bytes: int,
    now: datetime,
    uploader: User,
) -> tuple[schema.Bank, ImportSummary]:
    """Check an uploaded bank file (or a .zip of a bank file and its images) alone and
    against every other bank, store it in the database and import it.

    Only ``uploader`` may replace a bank they own or co-own (``banks.access``): a bank
    id, or a question, card or quiz id, of a bundled bank or of another teacher's
    upload is refused before anything is saved. A new bank becomes ``uploader``'s.
    A new version of a bank replaces the stored one (same id, whatever the file name);
    import is by id, so students keep their progress.

    :raises schema.BankError: with every problem, located in ``filename`` (or the
        bank file inside the .zip); nothing is stored or imported.
    """
    if filename.lower().endswith(".zip"):
        archive = unpack_bank_archive(
            raw, filename=filename, max_bytes=max_bytes, max_image_bytes=max_image_bytes
        )
    else:
        if len(raw) > max_bytes:
            raise schema.BankError(
                [
                    schema.Problem(
                        filename,
                        0,
                        0,
                        f"the file is larger than the limit of {max_bytes} bytes",
                    )
                ]
            )
        archive = BankArchive(filename, raw, {})
    bank = parse_bank(archive.bank_bytes, source=archive.bank_name, max_bytes=max_bytes)
    lock_bank_writes()  # before the checks read what other uploads wrote
    ownership.check_may_upload(uploader, bank, shown_as=archive.bank_name)
    ownership.prepare_reupload(bank.id)
    checked, summary = save_bank_source(
        bank.id,
        archive.bank_bytes.decode("utf-8-sig"),
        bank_paths=bank_paths,
        max_bytes=max_bytes,
        now=now,
        uploaded_by_id=uploader.id,
        images=archive.images,
        shown_as=archive.bank_name,
    )
    ownership.claim_upload(checked.id, uploader)
    return checked, summary


def save_edited_bank(
    bank_id: str,
    text: str,
    *,
    editor: User,
    bank_paths: Sequence[str],
    max_bytes: int,
    now: datetime,
) -> tuple[schema.Bank, ImportSummary]:
    """Check a new version of an uploaded bank's text, written in the browser editor,
    alone and against every other bank, then save and import it as ``editor``'s upload
    of the same file would (the same ownership checks).

    :raises schema.BankError: with every problem; nothing is saved or imported.
    """
    filename = f"{bank_id}.yaml"
    parsed = parse_bank(text, source=filename, max_bytes=max_bytes)
    if parsed.id != bank_id:
        raise schema.BankError(
            [schema.Problem(filename, 0, 0, f"the bank's id must stay {bank_id!r}")]
        )
    return upload_bank(
        text.encode("utf-8"),
        filename=filename,
        bank_paths=bank_paths,
        max_bytes=max_bytes,
        max_image_bytes=max_bytes,
        now=now,
        uploader=editor,
    )

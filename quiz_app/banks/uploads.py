"""Services: the bank files a teacher sees (folders and uploads, each validated and
compared with the import) and the upload of a new bank file.

Flushes, never commits; paths and limits come from the caller, not the app config.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from quiz_app.accounts.models import User
from quiz_app.banks import leaks, ownership, schema
from quiz_app.banks.crossbank import resolve_quiz_questions
from quiz_app.banks.files import bank_file_paths, load_bank_files
from quiz_app.banks.loader import parse_bank
from quiz_app.banks.models import Bank
from quiz_app.banks.services import ImportSummary, import_bank
from quiz_app.extensions import db


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


def list_bank_files(
    bank_paths: Sequence[str], *, uploads_dir: Path, max_bytes: int
) -> list[BankFile]:
    """Validate every bank file (configured folders and uploads) and compare each with
    what is imported.
    """
    files = bank_file_paths([*bank_paths, uploads_dir])
    banks, problems = load_bank_files(files, max_bytes=max_bytes) if files else ([], [])
    by_source: dict[str, list[schema.Problem]] = defaultdict(list)
    for problem in problems:
        by_source[problem.source].append(problem)
    parsed = {b.source_path: b for b in banks}
    imported = {b.id: b for b in db.session.scalars(sa.select(Bank))}
    result = []
    for path in files:
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
                is_upload=Path(path).parent == uploads_dir,
            )
        )
    return result


def upload_bank(
    raw: bytes,
    *,
    filename: str,
    bank_paths: Sequence[str],
    uploads_dir: Path,
    max_bytes: int,
    now: datetime,
    uploader: User,
) -> tuple[schema.Bank, ImportSummary]:
    """Check an uploaded bank alone and against every other bank file, save, import.

    Only ``uploader`` may replace a bank they own or co-own (``banks.access``): a bank
    id, or a question, card or quiz id, of a bundled bank or of another teacher's
    upload is refused before anything is saved. A new bank becomes ``uploader``'s.

    The file is saved as ``<uploads_dir>/<bank id>.yaml``, so uploading a new version of
    a bank replaces the old file; import is by id, so students keep their progress.

    :raises schema.BankError: with every problem, located in ``filename``; nothing is
        saved or imported.
    """
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
    bank = parse_bank(raw, source=filename, max_bytes=max_bytes)
    ownership.check_may_upload(uploader, bank, shown_as=filename)
    uploads_dir.mkdir(parents=True, exist_ok=True)
    target = uploads_dir / f"{bank.id}.yaml"
    # Hidden name: folder scans skip it until it is checked and renamed.
    fd, temp_name = tempfile.mkstemp(
        dir=uploads_dir, prefix=".incoming-", suffix=".yaml"
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
        others = [
            f for f in bank_file_paths([*bank_paths, uploads_dir]) if Path(f) != target
        ]
        banks, problems = load_bank_files([*others, temp_name], max_bytes=max_bytes)
        mine = [
            dataclasses.replace(p, source=filename)
            for p in problems
            if p.source == temp_name
        ]
        if mine:
            raise schema.BankError(mine)
        checked = next(b for b in banks if b.source_path == temp_name)
        ownership.prepare_reupload(checked.id)
        summary = import_bank(
            dataclasses.replace(checked, source_path=str(target)), now=now
        )
        ownership.claim_upload(checked.id, uploader)
        summary.warnings = leaks.warnings_about(
            checked.id, banks, resolve=resolve_quiz_questions, shown_as=filename
        )
        os.replace(temp_name, target)
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
    return checked, summary

"""Services: an uploaded bank's owner and co-owners, and what they may do with it
(hide it from students, archive it, download its file). Who may do it is decided by
:func:`quiz_app.banks.access.can_edit_bank`; the views ask it before calling these.

Flushes, never commits.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from quiz_app.accounts.models import Role, User
from quiz_app.banks import access, schema
from quiz_app.banks.models import Bank, BankCoOwner
from quiz_app.extensions import db


def check_may_upload(user: User, bank: schema.Bank, *, shown_as: str) -> None:
    """Refuse an upload that would replace a bank (or take over items of a bank) that
    ``user`` may not change.

    :raises schema.BankError: one problem naming the id and why; nothing is imported.
    """
    item_ids = [
        *(q.id for q in bank.questions),
        *(c.id for c in bank.cards),
        *(z.id for z in bank.quizzes),
    ]
    refusal = access.upload_refusal(user, bank.id, item_ids)
    if refusal is None:
        refusal = _named_bank_refusal(user, bank)
    if refusal is not None:
        raise schema.BankError([schema.Problem(shown_as, 0, 0, refusal)])


def _named_bank_refusal(user: User, bank: schema.Bank) -> str | None:
    """An uploaded quiz may name (``select.banks``) bundled banks and banks its
    teacher may change, never another teacher's upload.
    """
    for quiz in bank.quizzes:
        for name in quiz.select.banks:
            other = db.session.get(Bank, name)
            if (
                name != bank.id
                and other is not None
                and other.is_upload
                and not access.can_edit_bank(user, other)
            ):
                return (
                    f"Quiz {quiz.id!r} draws from the bank {name!r} ({other.title}), "
                    "which another teacher owns. Nothing was imported: draw from "
                    "bundled banks and your own, or ask its owner to make you a "
                    "co-owner."
                )
    return None


def prepare_reupload(bank_id: str) -> None:
    """An owner uploading an archived bank again brings it back."""
    row = db.session.get(Bank, bank_id)
    if row is not None and row.archived_at is not None:
        row.archived_at = None


def claim_upload(bank_id: str, user: User) -> None:
    """After an upload's import: the bank is an upload, and ``user``'s if it had no
    owner (a new bank, or one uploaded before banks had owners that an administrator
    replaced). Co-owners uploading a new version leave the owner as it is.
    """
    row = db.session.get(Bank, bank_id)
    if row is None:
        return
    row.is_upload = True
    if row.owner_id is None:
        row.owner_id = user.id
    db.session.flush()


def add_co_owner(bank: Bank, username: str, *, now: datetime) -> str | None:
    """Make the teacher called ``username`` a co-owner; return why not, or None."""
    teacher = _teacher_named(username)
    if teacher is None:
        return f"No teacher is called {username.strip()!r}."
    if teacher.id in access.editor_ids(bank) or teacher.id == bank.owner_id:
        return f"{teacher.name} can already change this bank."
    db.session.add(BankCoOwner(bank_id=bank.id, user_id=teacher.id, added_at=now))
    db.session.flush()
    db.session.refresh(bank)
    return None


def set_owner(bank_id: str, username: str) -> str:
    """Make the teacher called ``username`` the owner of an uploaded bank (from the
    shell: for uploads made before banks had owners); return what was done.

    :raises ValueError: for an unknown bank, a bundled bank or an unknown teacher.
    """
    bank = db.session.get(Bank, bank_id)
    if bank is None:
        raise ValueError(f"no bank {bank_id!r}")
    if not bank.is_upload:
        raise ValueError(f"{bank_id!r} is a bundled bank: bundled banks have no owner")
    teacher = _teacher_named(username)
    if teacher is None:
        raise ValueError(f"no teacher is called {username!r}")
    before = bank.owner.name if bank.owner else "nobody"
    bank.owner_id = teacher.id
    db.session.flush()
    return f"{bank_id}: owner {before} -> {teacher.name}"


def _teacher_named(username: str) -> User | None:
    return db.session.scalar(
        sa.select(User).where(
            User.username_key == username.strip().casefold(),
            User.role == Role.TEACHER,
            User.deleted_at.is_(None),
        )
    )


def remove_co_owner(bank: Bank, user_id: int) -> bool:
    """Remove a co-owner; return whether they were one."""
    row = db.session.scalar(
        sa.select(BankCoOwner).where(
            BankCoOwner.bank_id == bank.id, BankCoOwner.user_id == user_id
        )
    )
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    db.session.refresh(bank)
    return True


def set_hidden(bank: Bank, hidden: bool) -> None:
    """Hide the bank from every student (its teachers still see it), or show it."""
    bank.is_hidden = hidden
    db.session.flush()


def archive(bank: Bank, *, now: datetime) -> None:
    """Retire the bank: students no longer see it, their past attempts and reviews
    stay, and reloading its file leaves it archived. Nothing is deleted.
    """
    bank.archived_at = now
    bank.is_retired = True
    db.session.flush()


def unarchive(bank: Bank) -> None:
    """Bring an archived bank back."""
    bank.archived_at = None
    bank.is_retired = False
    db.session.flush()


def read_bank_file(bank: Bank, *, max_bytes: int) -> bytes | None:
    """The bank's YAML file as it was last imported, or None when it is gone."""
    if not bank.source_path:
        return None
    path = Path(bank.source_path)
    try:
        if not path.is_file() or path.stat().st_size > max_bytes:
            return None
        return path.read_bytes()
    except OSError:
        return None

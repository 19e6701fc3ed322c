"""Who may change a bank: the one rule that every page and command which replaces,
edits, hides, archives or shares a bank asks (:func:`can_edit_bank`), and the check an
upload passes before anything is imported (:func:`upload_refusal`).

The rule:

- A bundled bank (a file of the configured ``BANKS_DIR`` folders) is read-only in the
  browser, for everyone: it changes when its file changes on disk.
- An uploaded bank may be changed by its owner (the teacher who uploaded it) and its
  co-owners, and by nobody else. Administrators do not override a teacher's ownership.
- An uploaded bank without a live owner or co-owner (uploaded before banks had owners,
  or whose teachers' accounts were deleted) may be changed by administrators only; they
  can then add co-owners, who take it over.
- Students, visitors and deleted accounts change nothing.

Reads the rows it is given (and their owner and co-owner relationships); never writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from quiz_app.banks.models import Bank, Card, Question, Quiz
from quiz_app.extensions import db


def can_edit_bank(user: Any, bank: Bank | None) -> bool:
    """Whether ``user`` (the current user, possibly anonymous) may change ``bank``:
    upload a new version, edit its questions, hide, archive or share it.
    """
    if bank is None or not bank.is_upload or not _is_live_teacher(user):
        return False
    editors = editor_ids(bank)
    if editors:
        return user.id in editors
    return bool(user.is_admin)


def editor_ids(bank: Bank) -> set[int]:
    """The live teachers who own or co-own an uploaded bank (empty for bundled banks and
    for uploads nobody owns any more).
    """
    if not bank.is_upload:
        return set()
    people = [bank.owner, *(c.user for c in bank.co_owners)]
    return {p.id for p in people if p is not None and _is_live_teacher(p)}


def _is_live_teacher(user: Any) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and bool(getattr(user, "is_teacher", False))
        and not getattr(user, "is_deleted", True)
    )


def upload_refusal(user: Any, bank_id: str, item_ids: Iterable[str] = ()) -> str | None:
    """Why ``user`` may not upload a bank with this id and these question, card and quiz
    ids (None when they may): the id is a bundled bank's, or an upload ``user`` cannot
    change, or one of the items belongs to such a bank. Checked before anything is
    saved or imported, so a clash changes nothing.
    """
    existing = db.session.get(Bank, bank_id)
    if existing is not None and not can_edit_bank(user, existing):
        return _clash_message(f"bank id {bank_id!r}", existing)
    ids = list(dict.fromkeys(item_ids))
    for model, kind in ((Question, "question"), (Card, "card"), (Quiz, "quiz")):
        for start in range(0, len(ids), 500):  # SQLite's bound-parameter limit
            rows = db.session.execute(
                sa.select(model.id, model.bank_id).where(
                    model.id.in_(ids[start : start + 500]), model.bank_id != bank_id
                )
            )
            for item_id, other_id in rows:
                other = db.session.get(Bank, other_id)
                if other is not None and not can_edit_bank(user, other):
                    return _clash_message(f"{kind} id {item_id!r}", other)
    return None


def _clash_message(what: str, bank: Bank) -> str:
    if not bank.is_upload:
        return (
            f"The {what} is already used by the bundled bank {bank.id!r} "
            f"({bank.title}), which cannot be replaced from the browser. Nothing was "
            "imported: give your bank and its items ids of their own."
        )
    return (
        f"The {what} is already used by the bank {bank.id!r} ({bank.title}), which "
        "another teacher owns. Nothing was imported: give your bank and its items ids "
        "of their own, or ask its owner to make you a co-owner."
    )

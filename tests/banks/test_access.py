"""The one rule of who may change a bank (banks.access)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_login import AnonymousUserMixin

from quiz_app.banks.access import can_edit_bank, editor_ids, upload_refusal
from quiz_app.banks.models import Bank, BankCoOwner
from quiz_app.extensions import db


def _upload(make_bank: Any, bank_id: str, owner: Any) -> Bank:
    make_bank(bank_id)
    row = db.session.get(Bank, bank_id)
    assert row is not None
    row.is_upload = True
    row.owner_id = owner.id if owner else None
    db.session.flush()
    db.session.refresh(row)
    return row


def test_the_owner_may_edit_and_another_teacher_may_not(make_bank, make_user):
    ada = make_user("ada", role="teacher")
    bob = make_user("bob", role="teacher")
    bank = _upload(make_bank, "ada-bank", ada)
    assert can_edit_bank(ada, bank)
    assert not can_edit_bank(bob, bank)


def test_a_co_owner_may_edit(make_bank, make_user, now: datetime):
    ada = make_user("ada", role="teacher")
    bob = make_user("bob", role="teacher")
    bank = _upload(make_bank, "ada-bank", ada)
    db.session.add(BankCoOwner(bank_id=bank.id, user_id=bob.id, added_at=now))
    db.session.flush()
    db.session.refresh(bank)
    assert can_edit_bank(bob, bank)
    assert editor_ids(bank) == {ada.id, bob.id}


def test_students_visitors_and_deleted_teachers_may_not(make_bank, make_user, now):
    ada = make_user("ada", role="teacher")
    student = make_user("sam")
    bank = _upload(make_bank, "ada-bank", ada)
    assert not can_edit_bank(student, bank)
    assert not can_edit_bank(AnonymousUserMixin(), bank)
    ada.deleted_at = now
    assert not can_edit_bank(ada, bank)


def test_bundled_banks_are_read_only_even_for_administrators(make_bank, make_user):
    admin = make_user("ada", role="teacher")
    admin.is_admin = True
    make_bank("bundled")
    assert not can_edit_bank(admin, db.session.get(Bank, "bundled"))
    assert not can_edit_bank(admin, None)


def test_an_ownerless_upload_is_the_administrators(make_bank, make_user, now):
    admin = make_user("ada", role="teacher")
    admin.is_admin = True
    bob = make_user("bob", role="teacher")
    bank = _upload(make_bank, "old-upload", None)
    assert can_edit_bank(admin, bank)
    assert not can_edit_bank(bob, bank)
    # An administrator does not override a live owner.
    bank.owner_id = bob.id
    db.session.flush()
    db.session.refresh(bank)
    assert can_edit_bank(bob, bank)
    assert not can_edit_bank(admin, bank)
    # ... but takes over when the owner's account is gone.
    bob.deleted_at = now
    assert can_edit_bank(admin, bank)


def test_a_clash_with_another_teachers_bank_or_items_is_refused(make_bank, make_user):
    ada = make_user("ada", role="teacher")
    bob = make_user("bob", role="teacher")
    _upload(make_bank, "ada-bank", ada)
    make_bank("bundled")
    refusal = upload_refusal(bob, "ada-bank")
    assert refusal is not None
    assert "'ada-bank'" in refusal and "another teacher owns" in refusal
    assert upload_refusal(ada, "ada-bank") is None
    assert upload_refusal(bob, "bob-bank", ["ada-bank-q1"]) is not None
    assert "question id 'ada-bank-q1'" in (
        upload_refusal(bob, "bob-bank", ["ada-bank-q1"]) or ""
    )
    assert "bundled" in (upload_refusal(ada, "bundled") or "")
    assert upload_refusal(bob, "bob-bank", ["bob-q1"]) is None


def test_the_shell_sets_the_owner_of_an_old_upload(app, make_bank, make_user):
    ada = make_user("ada", role="teacher")
    make_user("sam")
    _upload(make_bank, "old-upload", None)
    make_bank("bundled")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["banks", "set-owner", "old-upload", "ADA"])
    assert result.exit_code == 0, result.output
    assert "old-upload: owner nobody -> ada" in result.output
    db.session.expire_all()
    bank = db.session.get(Bank, "old-upload")
    assert bank is not None and bank.owner_id == ada.id
    for args, message in [
        (["bundled", "ada"], "bundled bank"),
        (["old-upload", "sam"], "no teacher is called"),
        (["nope", "ada"], "no bank"),
    ]:
        result = runner.invoke(args=["banks", "set-owner", *args])
        assert result.exit_code == 1 and message in result.output

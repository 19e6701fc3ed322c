"""Services: which banks each class shows its students, and so which banks a student
sees (quizzes on the home page, new flashcards, quiz pages).

The rule:

- A class shows, by default, the bundled banks and the banks its teacher owns or
  co-owns. Its teacher can show or leave out any bank on the class's Banks page; a
  choice is stored only where it differs from that default (``ClassBankChoice``), so a
  bank added later follows the default.
- A hidden bank (its owners' choice) and a retired or archived one are shown to no
  student, whatever the class chose.
- A student sees the union over their classes. A student in no class sees the bundled
  banks only: before banks had owners they saw every bank, and teachers' uploads are
  for the classes that choose them.
- An assignment (of a quiz or a bank) needs its bank shown in the class (refused
  otherwise, saying so); once made it keeps its bank visible to the class's students
  if the class later leaves the bank out (unless it is hidden or archived).

Flushes, never commits.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from quiz_app.accounts.models import User
from quiz_app.banks.models import Bank, BankCoOwner, Quiz
from quiz_app.classes.models import (
    Assignment,
    ClassBankChoice,
    ClassMembership,
    SchoolClass,
)
from quiz_app.extensions import db


@dataclass(frozen=True, slots=True)
class ClassBank:
    """One bank as a class's Banks page lists it."""

    bank: Bank
    is_shown: bool
    is_default: bool  #: shown by default (bundled, or the teacher's own)
    is_own: bool  #: the class's teacher owns or co-owns it


def _offered_banks() -> list[Bank]:
    """Banks any class may show: live and not hidden, by title."""
    return list(
        db.session.scalars(
            sa.select(Bank)
            .where(Bank.is_retired.is_(False), Bank.is_hidden.is_(False))
            .order_by(Bank.title, Bank.id)
        )
    )


def _own_bank_ids(teacher_id: int) -> set[str]:
    owned = db.session.scalars(sa.select(Bank.id).where(Bank.owner_id == teacher_id))
    shared = db.session.scalars(
        sa.select(BankCoOwner.bank_id).where(BankCoOwner.user_id == teacher_id)
    )
    return {*owned, *shared}


def _choices(class_ids: Collection[int]) -> dict[int, dict[str, bool]]:
    found: dict[int, dict[str, bool]] = {}
    if not class_ids:
        return found
    rows = db.session.execute(
        sa.select(
            ClassBankChoice.class_id, ClassBankChoice.bank_id, ClassBankChoice.is_shown
        ).where(ClassBankChoice.class_id.in_(list(class_ids)))
    )
    for class_id, bank_id, shown in rows:
        found.setdefault(class_id, {})[bank_id] = shown
    return found


def list_class_banks(school_class: SchoolClass) -> list[ClassBank]:
    """Every bank the class could show, with whether it does."""
    own = _own_bank_ids(school_class.teacher_id)
    chosen = _choices([school_class.id]).get(school_class.id, {})
    result = []
    for bank in _offered_banks():
        default = not bank.is_upload or bank.id in own
        result.append(
            ClassBank(
                bank=bank,
                is_shown=chosen.get(bank.id, default),
                is_default=default,
                is_own=bank.id in own,
            )
        )
    return result


def shown_bank_ids(school_class: SchoolClass) -> set[str]:
    """The banks the class shows its students."""
    return {row.bank.id for row in list_class_banks(school_class) if row.is_shown}


def set_class_banks(
    school_class: SchoolClass, shown: Collection[str], *, now: datetime
) -> None:
    """Show exactly ``shown`` (of the banks the class could show), storing a choice
    only where it differs from the default.
    """
    existing = {
        row.bank_id: row
        for row in db.session.scalars(
            sa.select(ClassBankChoice).where(
                ClassBankChoice.class_id == school_class.id
            )
        )
    }
    for row in list_class_banks(school_class):
        want = row.bank.id in shown
        stored = existing.get(row.bank.id)
        if want == row.is_default:
            if stored is not None:
                db.session.delete(stored)
        elif stored is None:
            db.session.add(
                ClassBankChoice(
                    class_id=school_class.id,
                    bank_id=row.bank.id,
                    is_shown=want,
                    updated_at=now,
                )
            )
        elif stored.is_shown != want:
            stored.is_shown = want
            stored.updated_at = now
    db.session.flush()


def student_bank_ids(user: User) -> set[str]:
    """The banks a student sees: the union of their classes' choices, or the bundled
    banks for a student in no class.
    """
    classes = list(
        db.session.scalars(
            sa.select(SchoolClass)
            .join(ClassMembership, ClassMembership.class_id == SchoolClass.id)
            .where(ClassMembership.user_id == user.id)
        )
    )
    offered = _offered_banks()
    if not classes:
        return {bank.id for bank in offered if not bank.is_upload}
    chosen = _choices([c.id for c in classes])
    # An assignment keeps its bank visible when the class later leaves it out.
    seen = _assigned_bank_ids(user.id) & {bank.id for bank in offered}
    for school_class in classes:
        own = _own_bank_ids(school_class.teacher_id)
        mine = chosen.get(school_class.id, {})
        seen |= {
            bank.id
            for bank in offered
            if mine.get(bank.id, not bank.is_upload or bank.id in own)
        }
    return seen


def _assigned_bank_ids(user_id: int) -> set[str]:
    """Banks of the quizzes and banks assigned to the student's classes."""
    assigned = (
        sa.select(Assignment.bank_id, Assignment.quiz_id)
        .join(ClassMembership, ClassMembership.class_id == Assignment.class_id)
        .where(ClassMembership.user_id == user_id)
    )
    found: set[str] = set()
    quiz_ids = []
    for bank_id, quiz_id in db.session.execute(assigned):
        if bank_id is not None:
            found.add(bank_id)
        elif quiz_id is not None:
            quiz_ids.append(quiz_id)
    if quiz_ids:
        found |= set(
            db.session.scalars(sa.select(Quiz.bank_id).where(Quiz.id.in_(quiz_ids)))
        )
    return found


def visible_bank_ids(user: Any) -> set[str] | None:
    """The banks ``user`` (possibly anonymous) is offered, or None for all of them (a
    teacher). Visitors are offered what a student in no class is.
    """
    if getattr(user, "is_authenticated", False) and user.is_teacher:
        return None
    if not getattr(user, "is_authenticated", False):
        return {bank.id for bank in _offered_banks() if not bank.is_upload}
    return student_bank_ids(user)

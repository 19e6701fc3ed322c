"""Class services: create classes, join by code, manage members and assignments.
Flushes, never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from random import Random

import sqlalchemy as sa

from quiz_app import dates, joincode, sql
from quiz_app.accounts.models import User
from quiz_app.banks.models import Bank, Quiz
from quiz_app.classes import banks as class_banks
from quiz_app.classes.models import Assignment, ClassMembership, SchoolClass
from quiz_app.extensions import db
from quiz_app.quiz.review import Review

#: Attempts at finding an unused code before giving up (31**8 codes make a clash
#: vanishingly rare).
_CODE_TRIES = 20


class ClassError(Exception):
    """A user-facing problem with a class operation."""


class InvalidJoinCode(ClassError):
    def __init__(self) -> None:
        super().__init__("No class has that code. Check it with your teacher.")


class NotAStudent(ClassError):
    def __init__(self) -> None:
        super().__init__("Only student accounts can join a class.")


class InvalidAssignment(ClassError):
    pass


@dataclass(frozen=True, slots=True)
class StudentAssignment:
    """One assignment as a student sees it on their home page."""

    id: int
    class_name: str
    kind: str  #: "quiz" or "bank"
    target_id: str  #: the quiz or bank id
    title: str
    opens_at: datetime | None
    closes_at: datetime | None
    state: str  #: "open" or "upcoming"
    #: the dates on the student's wall clock (their time zone), for display
    opens_local: datetime | None = None
    closes_local: datetime | None = None


# --------------------------------------------------------------------------------------
# Classes


def _unused_code(rng: Random) -> str:
    for _ in range(_CODE_TRIES):
        code = joincode.generate_join_code(rng)
        if get_class_by_code(code) is None:
            return code
    raise ClassError("Could not find an unused join code; try again.")


def create_class(
    teacher: User, name: str, *, now: datetime, rng: Random
) -> SchoolClass:
    """Create a class owned by ``teacher`` with a fresh join code."""
    school_class = SchoolClass(
        name=name.strip(),
        teacher_id=teacher.id,
        join_code=_unused_code(rng),
        created_at=now,
    )
    db.session.add(school_class)
    db.session.flush()
    return school_class


def regenerate_code(school_class: SchoolClass, *, rng: Random) -> str:
    """Give the class a new join code; the old one stops working at once."""
    school_class.join_code = _unused_code(rng)
    db.session.flush()
    return school_class.join_code


def list_classes_for_teacher(teacher: User) -> list[SchoolClass]:
    """The classes this teacher owns, by name."""
    return list(
        db.session.scalars(
            sa.select(SchoolClass)
            .where(SchoolClass.teacher_id == teacher.id)
            .order_by(SchoolClass.name, SchoolClass.id)
        )
    )


def get_class_for_teacher(class_id: int, teacher: User) -> SchoolClass | None:
    """The class with this id if ``teacher`` owns it; another teacher's class is None,
    as if it did not exist.
    """
    school_class = db.session.get(SchoolClass, class_id)
    if school_class is None or school_class.teacher_id != teacher.id:
        return None
    return school_class


def get_class_by_code(code: str) -> SchoolClass | None:
    """The class whose current join code this is (typed in any case, with spaces or
    dashes).
    """
    normalised = joincode.normalise_join_code(code)
    if not joincode.is_well_formed(normalised):
        return None
    return db.session.scalar(
        sa.select(SchoolClass).where(SchoolClass.join_code == normalised)
    )


# --------------------------------------------------------------------------------------
# Members


def join_class_by_code(user: User, code: str, *, now: datetime) -> SchoolClass:
    """Make a student a member of the class with this code; joining twice changes
    nothing.

    :raises InvalidJoinCode: when no class has the code.
    :raises NotAStudent: for a teacher account.
    """
    if user.is_teacher:
        raise NotAStudent()
    school_class = get_class_by_code(code)
    if school_class is None:
        raise InvalidJoinCode()
    # ON CONFLICT: the same join sent twice at once (a double click, a second tab)
    # must not fail on the unique (class, student) pair.
    db.session.execute(
        sql.insert(ClassMembership)
        .values(class_id=school_class.id, user_id=user.id, joined_at=now)
        .on_conflict_do_nothing(index_elements=["class_id", "user_id"])
    )
    db.session.expire(school_class, ["memberships"])
    return school_class


def is_member(school_class: SchoolClass, user: User) -> bool:
    """Whether the user belongs to the class."""
    return (
        db.session.scalar(
            sa.select(ClassMembership.id).where(
                ClassMembership.class_id == school_class.id,
                ClassMembership.user_id == user.id,
            )
        )
        is not None
    )


def list_students(school_class: SchoolClass) -> list[User]:
    """The class's students, by name."""
    students = db.session.scalars(
        sa.select(User)
        .join(ClassMembership, ClassMembership.user_id == User.id)
        .where(ClassMembership.class_id == school_class.id)
    )
    return sorted(students, key=lambda u: (u.name.casefold(), u.id))


def get_student(school_class: SchoolClass, user_id: int) -> User | None:
    """A student of this class by id, or None if they are not in it."""
    return db.session.scalar(
        sa.select(User)
        .join(ClassMembership, ClassMembership.user_id == User.id)
        .where(
            ClassMembership.class_id == school_class.id,
            ClassMembership.user_id == user_id,
        )
    )


def transfer_classes(teacher: User, *, to: User) -> int:
    """Give every class of ``teacher`` to another teacher; return how many."""
    classes = list_classes_for_teacher(teacher)
    for school_class in classes:
        school_class.teacher_id = to.id
    db.session.flush()
    return len(classes)


def remove_student(school_class: SchoolClass, user_id: int) -> bool:
    """Take a student out of the class (their own progress stays); return whether they
    were in it.
    """
    membership = db.session.scalar(
        sa.select(ClassMembership).where(
            ClassMembership.class_id == school_class.id,
            ClassMembership.user_id == user_id,
        )
    )
    if membership is None:
        return False
    db.session.delete(membership)
    db.session.flush()
    return True


def list_classes_for_student(user: User) -> list[SchoolClass]:
    """The classes a student belongs to, by name."""
    return list(
        db.session.scalars(
            sa.select(SchoolClass)
            .join(ClassMembership)
            .where(ClassMembership.user_id == user.id)
            .order_by(SchoolClass.name)
        )
    )


# --------------------------------------------------------------------------------------
# Assignments


def add_assignment(
    school_class: SchoolClass,
    *,
    quiz_id: str | None = None,
    bank_id: str | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    time_limit_minutes: int | None = None,
    max_attempts: int | None = None,
    pass_mark: int | None = None,
    review: str | None = None,
    now: datetime,
) -> Assignment:
    """Assign a quiz or a bank (exactly one) to the class; a quiz may get its own time
    limit, attempts, pass mark and review option (None keeps the quiz's).

    :raises InvalidAssignment: for an unknown or retired target, none or both given,
        a window that closes before it opens, or settings given for a bank.
    """
    if (quiz_id is None) == (bank_id is None):
        raise InvalidAssignment("Choose either a quiz or a bank.")
    if quiz_id is not None:
        quiz = db.session.get(Quiz, quiz_id)
        if quiz is None or quiz.is_retired:
            raise InvalidAssignment("That quiz does not exist.")
    if bank_id is not None:
        bank = db.session.get(Bank, bank_id)
        if bank is None or bank.is_retired:
            raise InvalidAssignment("That bank does not exist.")
    target_id = bank_id
    if quiz_id is not None:
        target_id = db.session.get(Quiz, quiz_id).bank_id  # type: ignore[union-attr]
    target = db.session.get(Bank, target_id)
    if target is not None and target.id not in class_banks.shown_bank_ids(school_class):
        raise InvalidAssignment(
            f"{target.title} is not among the banks this class shows its students"
            f"{' (its owners hid it)' if target.is_hidden else ''}: show it on the "
            "class's Banks page first."
        )
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise InvalidAssignment("The closing date must come after the opening date.")
    settings = (time_limit_minutes, max_attempts, pass_mark, review)
    if bank_id is not None and any(s is not None for s in settings):
        raise InvalidAssignment("A time limit, attempts or review apply to quizzes.")
    if review is not None and review not in {r.value for r in Review}:
        raise InvalidAssignment("Choose what students see after an attempt.")
    assignment = Assignment(
        class_id=school_class.id,
        quiz_id=quiz_id,
        bank_id=bank_id,
        opens_at=opens_at,
        closes_at=closes_at,
        time_limit_minutes=time_limit_minutes,
        max_attempts=max_attempts,
        pass_mark=pass_mark,
        review=review,
        created_at=now,
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment


def remove_assignment(school_class: SchoolClass, assignment_id: int) -> bool:
    """Delete one of the class's assignments; return whether it existed."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.class_id != school_class.id:
        return False
    db.session.delete(assignment)
    db.session.flush()
    return True


def _local(moment: datetime | None, tz_name: str) -> datetime | None:
    return None if moment is None else dates.utc_to_local(moment, tz_name)


def assignment_state(assignment: Assignment, *, now: datetime) -> str:
    """``upcoming``, ``open`` or ``closed`` at ``now``."""
    if assignment.opens_at is not None and now < assignment.opens_at:
        return "upcoming"
    if assignment.closes_at is not None and now >= assignment.closes_at:
        return "closed"
    return "open"


def list_assignments_for_student(
    user: User, *, now: datetime
) -> list[StudentAssignment]:
    """The open and upcoming assignments of every class the student is in: open ones
    first, soonest deadline first.
    """
    assignments = db.session.scalars(
        sa.select(Assignment)
        .join(ClassMembership, ClassMembership.class_id == Assignment.class_id)
        .where(ClassMembership.user_id == user.id)
    )
    items: list[StudentAssignment] = []
    for a in assignments:
        state = assignment_state(a, now=now)
        target = a.quiz if a.quiz is not None else a.bank
        if state == "closed" or target is None or target.is_retired:
            continue
        items.append(
            StudentAssignment(
                id=a.id,
                class_name=a.school_class.name,
                kind=a.kind,
                target_id=target.id,
                title=a.title,
                opens_at=a.opens_at,
                closes_at=a.closes_at,
                state=state,
                opens_local=_local(a.opens_at, user.timezone),
                closes_local=_local(a.closes_at, user.timezone),
            )
        )
    far = datetime.max.replace(tzinfo=now.tzinfo)
    items.sort(
        key=lambda i: (
            i.state != "open",
            i.closes_at or far,
            i.opens_at or now,
            i.title,
        )
    )
    return items


def list_quiz_windows_for_student(
    user_id: int, *, quiz_id: str | None = None
) -> dict[str, list[tuple[datetime | None, datetime | None]]]:
    """Quiz id -> ``(opens_at, closes_at)`` of every assignment of it to a class the
    student is in (of one quiz when ``quiz_id`` is given). Quizzes set for none of
    their classes are absent.
    """
    query = (
        sa.select(Assignment.quiz_id, Assignment.opens_at, Assignment.closes_at)
        .join(ClassMembership, ClassMembership.class_id == Assignment.class_id)
        .where(ClassMembership.user_id == user_id, Assignment.quiz_id.is_not(None))
    )
    if quiz_id is not None:
        query = query.where(Assignment.quiz_id == quiz_id)
    windows: dict[str, list[tuple[datetime | None, datetime | None]]] = {}
    for target, opens_at, closes_at in db.session.execute(query):
        if target is not None:  # always, by the query; for the type checker
            windows.setdefault(target, []).append((opens_at, closes_at))
    return windows

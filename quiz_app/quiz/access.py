"""Quiz access services: which settings govern a student's quiz, whether they may see
and start it, what they may see of an attempt, and which answers are held back.
Reads only; the rules themselves are pure (:mod:`quiz_app.quiz.review`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from quiz_app.banks.models import Quiz
from quiz_app.classes.models import Assignment, ClassMembership
from quiz_app.extensions import db
from quiz_app.quiz import review, windows
from quiz_app.quiz.models import QuizAttempt


@dataclass(frozen=True, slots=True)
class StudentQuiz:
    """A quiz as one student meets it now: the settings that apply and the access."""

    settings: review.Settings  #: effective: overrides applied, defaults resolved
    #: the assignment an attempt started now would belong to (None: outside classes)
    assignment_id: int | None
    is_assigned: bool  #: set for at least one of the student's classes
    may_see: bool  #: visibility allows this student to list and start it
    availability: windows.Availability


def quiz_settings(quiz: Quiz) -> review.Settings:
    """The quiz's own settings as the bank states them (defaults unresolved)."""
    return review.Settings(
        time_limit_minutes=quiz.time_limit_minutes,
        max_attempts=quiz.max_attempts,
        pass_mark=quiz.pass_mark,
        review=review.Review(quiz.review) if quiz.review else None,
        visibility=review.Visibility(quiz.visibility) if quiz.visibility else None,
    )


def assignment_override(assignment: Assignment) -> review.Override:
    """An assignment's own settings (None keeps the quiz's)."""
    return review.Override(
        time_limit_minutes=assignment.time_limit_minutes,
        max_attempts=assignment.max_attempts,
        pass_mark=assignment.pass_mark,
        review=review.Review(assignment.review) if assignment.review else None,
        opens_at=assignment.opens_at,
        closes_at=assignment.closes_at,
    )


def effective_for(quiz: Quiz, assignment: Assignment | None) -> review.Settings:
    """The settings of the quiz under this assignment (or none)."""
    return review.effective_settings(
        quiz_settings(quiz),
        None if assignment is None else assignment_override(assignment),
    )


def list_student_assignments(
    user_id: int, *, quiz_ids: Iterable[str] | None = None
) -> dict[str, list[Assignment]]:
    """Quiz id -> the assignments of it to the student's classes (one query)."""
    query = (
        sa.select(Assignment)
        .join(ClassMembership, ClassMembership.class_id == Assignment.class_id)
        .where(ClassMembership.user_id == user_id, Assignment.quiz_id.is_not(None))
        .order_by(Assignment.id)
    )
    if quiz_ids is not None:
        query = query.where(Assignment.quiz_id.in_(list(quiz_ids)))
    found: dict[str, list[Assignment]] = {}
    for assignment in db.session.scalars(query):
        assert assignment.quiz_id is not None  # by the query
        found.setdefault(assignment.quiz_id, []).append(assignment)
    return found


def student_quiz(
    quiz: Quiz,
    assignments: Sequence[Assignment],
    *,
    now: datetime,
    is_teacher: bool = False,
) -> StudentQuiz:
    """How a student with these assignments of the quiz meets it at ``now``."""
    chosen_id = review.choose_assignment(
        ((a.id, a.opens_at, a.closes_at) for a in assignments), now=now
    )
    chosen = next((a for a in assignments if a.id == chosen_id), None)
    if chosen is None and assignments:
        # none open: show the settings of the one that opens next or closed last
        chosen = max(assignments, key=lambda a: (a.opens_at or now, a.id))
    settings = effective_for(quiz, chosen)
    assert settings.visibility is not None  # resolved
    may_see = review.may_start(
        settings.visibility,
        is_assigned_to_student=bool(assignments),
        is_teacher=is_teacher,
    )
    availability = windows.availability(
        [windows.Window(a.opens_at, a.closes_at) for a in assignments], now=now
    )
    return StudentQuiz(
        settings=settings,
        assignment_id=chosen_id,
        is_assigned=bool(assignments),
        may_see=may_see,
        availability=availability,
    )


def get_student_quiz(
    user_id: int, quiz: Quiz, *, now: datetime, is_teacher: bool = False
) -> StudentQuiz:
    """:func:`student_quiz` for one quiz, reading the student's assignments of it."""
    assignments = list_student_assignments(user_id, quiz_ids=[quiz.id]).get(quiz.id, [])
    return student_quiz(quiz, assignments, now=now, is_teacher=is_teacher)


def list_visible_quiz_ids(
    user_id: int | None, quizzes: Sequence[Quiz], *, is_teacher: bool = False
) -> set[str]:
    """The ids of these quizzes the user may list (anonymous: the ``everyone`` ones)."""
    assigned: set[str] = set()
    if user_id is not None:
        assigned = set(list_student_assignments(user_id))
    visible = set()
    for quiz in quizzes:
        visibility = review.effective_settings(quiz_settings(quiz)).visibility
        assert visibility is not None
        if review.may_start(
            visibility,
            is_assigned_to_student=quiz.id in assigned,
            is_teacher=is_teacher,
        ):
            visible.add(quiz.id)
    return visible


def attempt_settings(attempt: QuizAttempt) -> review.Settings:
    """The settings that govern an attempt: its quiz under its assignment."""
    return effective_for(attempt.quiz, attempt.assignment)


def attempt_disclosure(attempt: QuizAttempt, *, now: datetime) -> review.Disclosure:
    """What the student may see of this attempt at ``now``."""
    settings = attempt_settings(attempt)
    assert settings.review is not None
    return review.disclosure(
        settings.review,
        is_open=attempt.is_open,
        closes_at=settings.closes_at,
        now=now,
    )


def held_back_question_ids(user_id: int, *, now: datetime) -> frozenset[str]:
    """Questions whose right answer must not be shown to this student anywhere else
    now: those of their open tests, and of submitted tests that have not closed yet.

    One query: the student's open attempts and those whose assignment closes later.
    """
    attempts = db.session.scalars(
        sa.select(QuizAttempt)
        .outerjoin(Assignment, Assignment.id == QuizAttempt.assignment_id)
        .where(
            QuizAttempt.user_id == user_id,
            sa.or_(
                QuizAttempt.status == "in_progress",
                Assignment.closes_at > now,
            ),
        )
        .options(
            joinedload(QuizAttempt.quiz),
            joinedload(QuizAttempt.assignment),
        )
    )
    held: set[str] = set()
    for attempt in attempts:
        settings = attempt_settings(attempt)
        assert settings.review is not None
        if review.holds_back(
            settings.review,
            is_open=attempt.is_open,
            closes_at=settings.closes_at,
            now=now,
        ):
            held.update(attempt.question_ids)
    return frozenset(held)

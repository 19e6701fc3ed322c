"""Class queries: the gradebook of a class, built in a constant number of queries
whatever the size of the class. Reads only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from quiz_app.accounts.models import User
from quiz_app.classes import gradebook
from quiz_app.classes.models import Assignment, ClassMembership, SchoolClass
from quiz_app.extensions import db
from quiz_app.quiz.models import QuizAttempt


@dataclass(frozen=True, slots=True)
class Column:
    """One quiz assignment of the class."""

    assignment_id: int
    quiz_id: str
    title: str
    opens_at: datetime | None
    closes_at: datetime | None


@dataclass(frozen=True, slots=True)
class Row:
    student: User
    cells: list[gradebook.Cell]


@dataclass(frozen=True, slots=True)
class Gradebook:
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)


def build_gradebook(school_class: SchoolClass, *, now: datetime) -> Gradebook:
    """Students (by name) x the class's quiz assignments (oldest first): three queries.

    An attempt counts for the assignment it was started under; one started outside
    any of this class's assignments counts for an assignment of its quiz if it began
    after the quiz was assigned.
    """
    students = sorted(
        db.session.scalars(
            sa.select(User)
            .join(ClassMembership, ClassMembership.user_id == User.id)
            .where(ClassMembership.class_id == school_class.id)
        ),
        key=lambda u: (u.name.casefold(), u.id),
    )
    assignments = list(
        db.session.scalars(
            sa.select(Assignment)
            .where(
                Assignment.class_id == school_class.id,
                Assignment.quiz_id.is_not(None),
            )
            .options(joinedload(Assignment.quiz))
            .order_by(Assignment.created_at, Assignment.id)
        )
    )
    columns = [
        Column(a.id, a.quiz_id or "", a.title, a.opens_at, a.closes_at)
        for a in assignments
    ]
    if not students or not assignments:
        return Gradebook(columns, [Row(s, []) for s in students] if columns else [])
    members = sa.select(ClassMembership.user_id).where(
        ClassMembership.class_id == school_class.id
    )
    rows = db.session.execute(
        sa.select(
            QuizAttempt.id,
            QuizAttempt.user_id,
            QuizAttempt.quiz_id,
            QuizAttempt.assignment_id,
            QuizAttempt.started_at,
            QuizAttempt.submitted_at,
            QuizAttempt.score,
            QuizAttempt.max_score,
        ).where(
            QuizAttempt.user_id.in_(members),
            QuizAttempt.quiz_id.in_({a.quiz_id for a in assignments}),
        )
    )
    own_ids = {a.id for a in assignments}
    # An attempt is matched against its quiz's assignments only (not every column):
    # a year of a big class is tens of thousands of attempts.
    by_quiz: dict[str | None, list[Assignment]] = defaultdict(list)
    for a in assignments:
        by_quiz[a.quiz_id].append(a)
    facts: dict[tuple[int, int], list[gradebook.AttemptFact]] = defaultdict(list)
    for row in rows:
        fact = gradebook.AttemptFact(
            row.id,
            row.started_at,
            row.submitted_at,
            round(100 * row.score / row.max_score, 1)
            if row.score is not None and row.max_score
            else (0.0 if row.submitted_at is not None else None),
        )
        for a in by_quiz[row.quiz_id]:
            if row.assignment_id == a.id or (
                row.assignment_id not in own_ids
                and row.quiz_id == a.quiz_id
                and row.started_at >= a.created_at
            ):
                facts[(row.user_id, a.id)].append(fact)
    return Gradebook(
        columns,
        [
            Row(
                s,
                [
                    gradebook.cell(facts[(s.id, a.id)], closes_at=a.closes_at, now=now)
                    for a in assignments
                ],
            )
            for s in students
        ],
    )


def gradebook_csv_rows(
    book: Gradebook, *, tz_name: str
) -> tuple[list[str], list[list[str | float | None]]]:
    """The gradebook as a CSV header and one row per student."""
    header = gradebook.csv_header([c.title for c in book.columns], tz_name)
    return header, [
        gradebook.csv_row(r.student.username, r.student.name, r.cells, tz_name)
        for r in book.rows
    ]


def get_class_attempt(school_class: SchoolClass, attempt_id: int) -> QuizAttempt | None:
    """The attempt if its student is in this class or it was made for one of the
    class's assignments (a student who left keeps their work there); else None.
    """
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None:
        return None
    if (
        attempt.assignment is not None
        and attempt.assignment.class_id == school_class.id
    ):
        return attempt
    member = db.session.scalar(
        sa.select(ClassMembership.id).where(
            ClassMembership.class_id == school_class.id,
            ClassMembership.user_id == attempt.user_id,
        )
    )
    return attempt if member is not None else None


def seconds_between_saves(attempt: QuizAttempt) -> dict[str, int]:
    """Question id -> whole seconds from the previous save (or the start) to this
    answer's last save: roughly the time spent on it.
    """
    saved = sorted(
        (a for a in attempt.answers if a.answered_at is not None),
        key=lambda a: a.answered_at,  # type: ignore[arg-type, return-value]
    )
    result: dict[str, int] = {}
    previous = attempt.started_at
    for answer in saved:
        assert answer.answered_at is not None
        result[answer.question_id] = max(
            0, int((answer.answered_at - previous).total_seconds())
        )
        previous = answer.answered_at
    return result

"""Services for the teacher's first hour and the projector: the getting-started
checklist, a class's results without names, one student's page. Reads only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from quiz_app import paging
from quiz_app.accounts.models import User
from quiz_app.classes.models import Assignment, ClassMembership, SchoolClass
from quiz_app.extensions import db
from quiz_app.flashcards import services as flashcard_services
from quiz_app.flashcards.models import CardProgress
from quiz_app.flashcards.scheduler import Phase
from quiz_app.quiz.models import AttemptStatus, QuizAttempt

if TYPE_CHECKING:
    from quiz_app.reports.models import Report

# --------------------------------------------------------------------------------------
# The checklist


@dataclass(frozen=True, slots=True)
class Checklist:
    """The first steps of a new teacher, each done or not."""

    has_class: bool
    has_student: bool  #: someone joined one of the classes: the link was shared
    has_assignment: bool

    @property
    def is_done(self) -> bool:
        return self.has_class and self.has_student and self.has_assignment


def get_checklist(teacher: User) -> Checklist:
    """Which of the first steps this teacher has done."""
    mine = sa.select(SchoolClass.id).where(SchoolClass.teacher_id == teacher.id)

    def exists(query: sa.Select[Any]) -> bool:
        return db.session.scalar(query.limit(1)) is not None

    return Checklist(
        has_class=exists(mine),
        has_student=exists(
            sa.select(ClassMembership.id).where(ClassMembership.class_id.in_(mine))
        ),
        has_assignment=exists(
            sa.select(Assignment.id).where(Assignment.class_id.in_(mine))
        ),
    )


# --------------------------------------------------------------------------------------
# The projector: results without names

#: Score bands of the projector's histogram: (label, lowest percent included).
BANDS: tuple[tuple[str, float], ...] = (
    ("0–49%", 0.0),
    ("50–69%", 50.0),
    ("70–89%", 70.0),
    ("90–100%", 90.0),
)


def score_bands(percents: Sequence[float]) -> list[tuple[str, int]]:
    """How many scores fall in each band of BANDS."""
    counts = [0] * len(BANDS)
    for percent in percents:
        index = max(i for i, (_, low) in enumerate(BANDS) if percent >= low)
        counts[index] += 1
    return [(label, n) for (label, _), n in zip(BANDS, counts, strict=True)]


@dataclass(frozen=True, slots=True)
class QuizSummary:
    """One assigned quiz on the projector: nobody's name, only counts."""

    title: str
    students: int
    finished: int  #: students with at least one graded attempt
    mean_best: float | None  #: mean of each student's best percent
    bands: list[tuple[str, int]] = field(default_factory=list)


def summarise_quizzes(school_class: SchoolClass) -> list[QuizSummary]:
    """The class's assigned quizzes with how many finished and how they scored."""
    student_ids = list(
        db.session.scalars(
            sa.select(ClassMembership.user_id).where(
                ClassMembership.class_id == school_class.id
            )
        )
    )
    summaries = []
    seen: set[str] = set()
    for assignment in school_class.assignments:
        if assignment.quiz_id is None or assignment.quiz_id in seen:
            continue
        seen.add(assignment.quiz_id)
        best: dict[int, float] = defaultdict(float)
        if student_ids:
            rows = db.session.execute(
                sa.select(
                    QuizAttempt.user_id, QuizAttempt.score, QuizAttempt.max_score
                ).where(
                    QuizAttempt.quiz_id == assignment.quiz_id,
                    QuizAttempt.user_id.in_(student_ids),
                    QuizAttempt.status != AttemptStatus.IN_PROGRESS,
                )
            )
            for user_id, score, max_score in rows:
                percent = 100.0 * (score or 0.0) / max_score if max_score else 0.0
                best[user_id] = max(best[user_id], percent)
        percents = list(best.values())
        summaries.append(
            QuizSummary(
                title=assignment.title,
                students=len(student_ids),
                finished=len(percents),
                mean_best=sum(percents) / len(percents) if percents else None,
                bands=score_bands(percents),
            )
        )
    return summaries


# --------------------------------------------------------------------------------------
# One student's page


#: Graded attempts per page of a student's page: a year of quizzes is many.
ATTEMPTS_PER_PAGE = 25


@dataclass(frozen=True, slots=True)
class StudentPage:
    """What a teacher sees of one student of their class."""

    student: User
    open_attempts: list[QuizAttempt]
    attempts: paging.Page[QuizAttempt]  #: graded, newest first
    cards_by_phase: dict[str, int]
    cards_due_today: int
    recall: float | None  #: mean predicted recall now, 0..1
    reports: list[Report]  #: newest first
    reports_total: int  #: all the student's reports, of which ``reports`` is the newest


def get_student_page(
    student: User,
    *,
    now: datetime,
    reports: Sequence[Report],
    reports_total: int | None = None,
    page: int = 1,
) -> StudentPage:
    """A student's attempts (a page of them), flashcards and reports, for their
    teacher: a fixed number of queries, however long the student's history.

    :param reports: the student's newest reports, newest first
        (``reports.services.list_reports_by``; reports sit above classes).
    :param reports_total: how many reports the student made (default: those given).
    """
    with_quiz = (joinedload(QuizAttempt.quiz),)
    open_attempts = list(
        db.session.scalars(
            sa.select(QuizAttempt)
            .where(
                QuizAttempt.user_id == student.id,
                QuizAttempt.status == AttemptStatus.IN_PROGRESS,
            )
            .options(*with_quiz)
            .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
        )
    )
    graded = sa.and_(
        QuizAttempt.user_id == student.id,
        QuizAttempt.status != AttemptStatus.IN_PROGRESS,
    )
    total = (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(QuizAttempt).where(graded)
        )
        or 0
    )
    where = paging.window(page, size=ATTEMPTS_PER_PAGE, total=total)
    attempts = list(
        db.session.scalars(
            sa.select(QuizAttempt)
            .where(graded)
            .options(*with_quiz)
            .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
            .offset(where.offset)
            .limit(where.limit)
        )
    )
    phases = dict(
        db.session.execute(
            sa.select(CardProgress.phase, sa.func.count())
            .where(CardProgress.user_id == student.id)
            .group_by(CardProgress.phase)
        ).all()
    )
    cards = flashcard_services.card_summaries([student], now=now)[student.id]
    return StudentPage(
        student=student,
        open_attempts=open_attempts,
        attempts=paging.Page(attempts, where.number, where.size, total),
        cards_by_phase={
            phase.name.lower(): phases.get(int(phase), 0) for phase in Phase
        },
        cards_due_today=cards.due_today,
        recall=cards.recall,
        reports=list(reports),
        reports_total=len(reports) if reports_total is None else reports_total,
    )

"""Services: the teacher's class dashboard (students, topics, quizzes) and the class's
results as CSV.

Reads other domains' tables for one class. Flushes nothing, commits nothing, and reads
neither the clock nor the request: views pass ``now`` in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from quiz_app import csvexport, dates
from quiz_app.accounts.models import User
from quiz_app.banks.models import Bank, Card, Question, Quiz
from quiz_app.classes import gradebook
from quiz_app.classes import services as class_services
from quiz_app.classes.models import SchoolClass
from quiz_app.extensions import db
from quiz_app.flashcards import services as flashcard_services
from quiz_app.flashcards.bridge import to_state
from quiz_app.flashcards.models import CardProgress, ReviewLog
from quiz_app.flashcards.scheduler import Phase, SchedulerParams, retrievability
from quiz_app.quiz.models import AttemptAnswer, AttemptStatus, QuizAttempt

#: A card this long past its due date counts as overdue, not merely due.
OVERDUE_AFTER = timedelta(days=1)

_PARAMS = SchedulerParams()

#: Topic mastery (0..1) from which the dashboard shows a topic as secure (green)...
MASTERY_SECURE = 0.7
#: ...and as developing (amber); below it, as weak (red).
MASTERY_DEVELOPING = 0.4


def mastery_band(value: float) -> str:
    """The band a mastery (0..1) is drawn in: "good", "warn" or "bad" (CSS classes)."""
    if value >= MASTERY_SECURE:
        return "good"
    return "warn" if value >= MASTERY_DEVELOPING else "bad"


# --------------------------------------------------------------------------------------
# Class dashboard


@dataclass(frozen=True, slots=True)
class StudentRow:
    user_id: int
    name: str
    username: str
    quizzes_taken: int  #: graded attempts
    best_percent: float | None
    last_percent: float | None
    cards_due: int  #: due by the end of the student's day, overdue included
    cards_overdue: int  #: due more than OVERDUE_AFTER ago
    recall: float | None  #: mean FSRS retrievability now over reviewed cards, 0..1
    last_active_at: datetime | None


@dataclass(frozen=True, slots=True)
class TopicRow:
    bank_id: str
    bank_title: str
    topic: str
    title: str
    answers: int  #: graded answers by the class's students
    mean_score: float | None  #: 0..1, mean question score
    cards: int  #: reviewed cards of the class's students
    mean_recall: float | None  #: 0..1

    @property
    def mastery(self) -> float | None:
        """The mean of the score and recall that exist, 0..1."""
        values = [v for v in (self.mean_score, self.mean_recall) if v is not None]
        return sum(values) / len(values) if values else None


#: Rows per page of the student table: whole classes fit, a year group pages.
STUDENTS_PER_PAGE = 100

#: ?sort= keys of the student table -> the row attribute they sort on.
SORT_KEYS: dict[str, str] = {
    "name": "name",
    "quizzes": "quizzes_taken",
    "best": "best_percent",
    "last": "last_percent",
    "due": "cards_due",
    "overdue": "cards_overdue",
    "recall": "recall",
    "active": "last_active_at",
}


def sort_students(
    rows: Sequence[StudentRow], *, key: str, descending: bool
) -> list[StudentRow]:
    """Rows sorted by a SORT_KEYS key (unknown keys sort by name); missing values always
    last.
    """
    attr = SORT_KEYS.get(key, "name")

    def value(row: StudentRow) -> Any:
        v = getattr(row, attr)
        return v.casefold() if isinstance(v, str) else v

    present = [r for r in rows if getattr(r, attr) is not None]
    missing = [r for r in rows if getattr(r, attr) is None]
    present.sort(key=lambda r: (value(r), r.name.casefold()), reverse=descending)
    missing.sort(key=lambda r: r.name.casefold())
    return present + missing


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _recall(row: CardProgress, now: datetime) -> float | None:
    if row.phase == Phase.NEW or row.last_reviewed_at is None:
        return None
    return retrievability(to_state(row), now=now, params=_PARAMS)


def list_student_rows(students: Sequence[User], *, now: datetime) -> list[StudentRow]:
    """One dashboard row per student, from their attempts, cards and reviews."""
    ids = [s.id for s in students]
    # Columns, not attempts: a year of history is many rows, and each attempt carries
    # its drawn question ids.
    percents: dict[int, list[float]] = defaultdict(list)
    taken: dict[int, int] = defaultdict(int)
    last_submit: dict[int, datetime] = {}
    for user_id, score, max_score, submitted_at in db.session.execute(
        sa.select(
            QuizAttempt.user_id,
            QuizAttempt.score,
            QuizAttempt.max_score,
            QuizAttempt.submitted_at,
        )
        .where(
            QuizAttempt.user_id.in_(ids),
            QuizAttempt.status != AttemptStatus.IN_PROGRESS,
        )
        .order_by(QuizAttempt.submitted_at, QuizAttempt.id)
    ):
        taken[user_id] += 1
        if score is not None and max_score:
            percents[user_id].append(round(100 * score / max_score, 1))
        if submitted_at is not None:
            last_submit[user_id] = submitted_at
    overdue: dict[int, int] = dict(
        db.session.execute(
            sa.select(CardProgress.user_id, sa.func.count())
            .join(Card, Card.id == CardProgress.card_id)
            .where(
                CardProgress.user_id.in_(ids),
                Card.is_retired.is_(False),
                CardProgress.due_at <= now - OVERDUE_AFTER,
            )
            .group_by(CardProgress.user_id)
        ).all()
    )
    last_review = dict(
        db.session.execute(
            sa.select(ReviewLog.user_id, sa.func.max(ReviewLog.reviewed_at))
            .where(ReviewLog.user_id.in_(ids))
            .group_by(ReviewLog.user_id)
        ).all()
    )
    cards_of = flashcard_services.card_summaries(students, now=now)
    rows = []
    for student in students:
        scored = percents[student.id]
        moments = [
            student.last_seen_at,
            last_review.get(student.id),
            last_submit.get(student.id),
        ]
        rows.append(
            StudentRow(
                user_id=student.id,
                name=student.name,
                username=student.username,
                quizzes_taken=taken[student.id],
                best_percent=max(scored) if scored else None,
                last_percent=scored[-1] if scored else None,
                cards_due=cards_of[student.id].due_today,
                cards_overdue=overdue.get(student.id, 0),
                recall=cards_of[student.id].recall,
                last_active_at=max(
                    (_as_utc(m) for m in moments if m is not None), default=None
                ),
            )
        )
    return rows


def _as_utc(moment: datetime | str) -> datetime:
    # A value from sa.func.max() bypasses UtcDateTime and comes back naive (or as text)
    # on SQLite.
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _closed_attempts(
    user_ids: Sequence[int], *, quiz_id: str | None = None
) -> list[QuizAttempt]:
    """Graded attempts of these users, oldest first."""
    query = (
        sa.select(QuizAttempt)
        .where(
            QuizAttempt.user_id.in_(user_ids),
            QuizAttempt.status != AttemptStatus.IN_PROGRESS,
        )
        .order_by(QuizAttempt.submitted_at, QuizAttempt.id)
    )
    if quiz_id is not None:
        query = query.where(QuizAttempt.quiz_id == quiz_id)
    return list(db.session.scalars(query))


def list_topic_rows(students: Sequence[User], *, now: datetime) -> list[TopicRow]:
    """The class's mastery per topic: mean question score and mean recall, for topics
    with any data.
    """
    ids = [s.id for s in students]
    scores: dict[tuple[str, str], list[float]] = defaultdict(list)
    # One query for every graded answer of the class (it was one per attempt and one
    # per question): the database joins, Python only sums.
    answers = db.session.execute(
        sa.select(Question.bank_id, Question.topic, AttemptAnswer.score)
        .join(AttemptAnswer, AttemptAnswer.question_id == Question.id)
        .join(QuizAttempt, QuizAttempt.id == AttemptAnswer.attempt_id)
        .where(
            QuizAttempt.user_id.in_(ids),
            QuizAttempt.status != AttemptStatus.IN_PROGRESS,
            AttemptAnswer.score.is_not(None),
        )
    )
    for bank_id, topic, score in answers:
        if score is not None:  # filtered above; typed as nullable
            scores[(bank_id, topic)].append(score)
    recalls: dict[tuple[str, str], list[float]] = defaultdict(list)
    rows = db.session.execute(
        sa.select(CardProgress, Card.bank_id, Card.topic)
        .join(Card, Card.id == CardProgress.card_id)
        .where(CardProgress.user_id.in_(ids))
    )
    for progress, bank_id, topic in rows:
        value = _recall(progress, now)
        if value is not None:
            recalls[(bank_id, topic)].append(value)
    keys = set(scores) | set(recalls)
    banks = {
        b.id: b
        for b in db.session.scalars(
            sa.select(Bank).where(Bank.id.in_({k[0] for k in keys}))
        )
    }
    result = []
    for bank_id, topic in keys:
        bank = banks.get(bank_id)
        result.append(
            TopicRow(
                bank_id=bank_id,
                bank_title=bank.title if bank else bank_id,
                topic=topic,
                title=(bank.topics.get(topic, topic) if bank else topic),
                answers=len(scores[(bank_id, topic)]),
                mean_score=_mean(scores[(bank_id, topic)]),
                cards=len(recalls[(bank_id, topic)]),
                mean_recall=_mean(recalls[(bank_id, topic)]),
            )
        )
    result.sort(key=lambda r: (r.bank_title.casefold(), r.title.casefold()))
    return result


def list_class_quizzes(school_class: SchoolClass) -> list[Quiz]:
    """Quizzes assigned to the class or taken by any of its students, by title."""
    ids = [s.id for s in class_services.list_students(school_class)]
    taken = set(
        db.session.scalars(
            sa.select(QuizAttempt.quiz_id)
            .where(
                QuizAttempt.user_id.in_(ids),
                QuizAttempt.status != AttemptStatus.IN_PROGRESS,
            )
            .distinct()
        )
    )
    taken |= {a.quiz_id for a in school_class.assignments if a.quiz_id}
    quizzes = db.session.scalars(sa.select(Quiz).where(Quiz.id.in_(taken)))
    return sorted(quizzes, key=lambda q: q.title.casefold())


def class_results_csv(school_class: SchoolClass, *, tz_name: str = "UTC") -> str:
    """Every graded attempt of the class's students, one row each, oldest first; times
    on the teacher's clock to the minute.
    """
    students = {s.id: s for s in class_services.list_students(school_class)}
    rows = [
        (
            students[a.user_id].name,
            students[a.user_id].username,
            a.quiz_id,
            a.quiz.title,
            a.status,
            gradebook.minute(a.started_at, tz_name),
            gradebook.minute(a.submitted_at, tz_name),
            a.score,
            a.max_score,
            a.percent,
            a.is_passed,
        )
        for a in _closed_attempts(list(students))
    ]
    header = [
        "name",
        "username",
        "quiz_id",
        "quiz",
        "status",
        f"started ({dates.zone(tz_name).key})",
        f"submitted ({dates.zone(tz_name).key})",
        "score",
        "max_score",
        "percent",
        "passed",
    ]
    return csvexport.to_csv(header, rows)

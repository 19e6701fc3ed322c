"""Teacher services: class dashboards, item analysis, exports and bank files.

Built on other domains' services and models. Flushes, never commits. Nothing here reads
the clock, the request or the app config: views pass ``now``, paths and limits in.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from quiz_app.accounts.models import User
from quiz_app.banks import leaks, schema
from quiz_app.banks.loader import load_bank_files, parse_bank, resolve_quiz_questions
from quiz_app.banks.models import Bank, Card, Question, Quiz
from quiz_app.banks.services import ImportSummary, bank_file_paths, import_bank
from quiz_app.classes import dates, gradebook
from quiz_app.classes import services as class_services
from quiz_app.classes.models import SchoolClass
from quiz_app.extensions import db
from quiz_app.flashcards import services as flashcard_services
from quiz_app.flashcards.models import CardProgress, ReviewLog
from quiz_app.flashcards.scheduler import Phase, SchedulerParams, retrievability
from quiz_app.flashcards.services import to_state
from quiz_app.quiz import selection
from quiz_app.quiz.grading import QUESTION_TYPES
from quiz_app.quiz.models import AttemptStatus, QuizAttempt
from quiz_app.quiz.services import PresentedQuestion
from quiz_app.teacher import csvexport, itemstats

#: A card this long past its due date counts as overdue, not merely due.
OVERDUE_AFTER = timedelta(days=1)

_PARAMS = SchedulerParams()


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
    attempts: dict[int, list[QuizAttempt]] = defaultdict(list)
    for attempt in _closed_attempts(ids):
        attempts[attempt.user_id].append(attempt)
    progress: dict[int, list[CardProgress]] = defaultdict(list)
    for row in db.session.scalars(
        sa.select(CardProgress)
        .join(Card, Card.id == CardProgress.card_id)
        .where(CardProgress.user_id.in_(ids), Card.is_retired.is_(False))
    ):
        progress[row.user_id].append(row)
    last_review = dict(
        db.session.execute(
            sa.select(ReviewLog.user_id, sa.func.max(ReviewLog.reviewed_at))
            .where(ReviewLog.user_id.in_(ids))
            .group_by(ReviewLog.user_id)
        ).all()
    )
    rows = []
    for student in students:
        taken = attempts[student.id]
        percents = [a.percent for a in taken if a.percent is not None]
        cards = progress[student.id]
        moments = [student.last_seen_at, last_review.get(student.id)]
        moments += [a.submitted_at for a in taken]
        rows.append(
            StudentRow(
                user_id=student.id,
                name=student.name,
                username=student.username,
                quizzes_taken=len(taken),
                best_percent=max(percents) if percents else None,
                last_percent=percents[-1] if percents else None,
                cards_due=flashcard_services.count_due_today(student, now),
                cards_overdue=sum(1 for c in cards if c.due_at <= now - OVERDUE_AFTER),
                recall=flashcard_services.predicted_recall(student, now),
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
    for attempt in _closed_attempts(ids):
        for answer in attempt.answers:
            if answer.score is not None:
                question = answer.question
                scores[(question.bank_id, question.topic)].append(answer.score)
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


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a horizontal SVG bar chart, in chart units."""

    label: str
    value: float  #: 0..1
    y: float
    width: float


@dataclass(frozen=True, slots=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int


def topic_chart(
    topics: Sequence[TopicRow],
    *,
    width: int = 640,
    label_width: int = 240,
    bar_height: int = 28,
) -> BarChart:
    """Bar geometry for the topic mastery chart (the template draws the SVG)."""
    plot = width - label_width - 60
    bars = [
        Bar(
            label=t.title,
            value=t.mastery or 0.0,
            y=i * (bar_height + 8),
            width=round(plot * (t.mastery or 0.0), 1),
        )
        for i, t in enumerate(topics)
    ]
    return BarChart(
        bars=bars,
        width=width,
        height=max(1, len(bars)) * (bar_height + 8),
        label_width=label_width,
        bar_height=bar_height,
    )


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


# --------------------------------------------------------------------------------------
# Item analysis


@dataclass(frozen=True, slots=True)
class ItemRow:
    question: Question
    stat: itemstats.ItemStat


@dataclass(frozen=True, slots=True)
class QuizAnalysis:
    quiz: Quiz
    attempts: int  #: first finished attempts analysed
    mean_percent: float | None
    items: list[ItemRow] = field(default_factory=list)


def _item_info(question: Question) -> itemstats.ItemInfo:
    data = question.data
    if question.type == "single_choice":
        return itemstats.ItemInfo(
            question.id,
            question.type,
            tuple(data["choices"]),
            frozenset({data["answer"]}),
        )
    if question.type == "multi_choice":
        return itemstats.ItemInfo(
            question.id,
            question.type,
            tuple(data["choices"]),
            frozenset(data["answers"]),
        )
    if question.type == "true_false":
        return itemstats.ItemInfo(
            question.id,
            question.type,
            ("true", "false"),
            frozenset({"true" if data["answer"] else "false"}),
        )
    return itemstats.ItemInfo(question.id, question.type)


def first_attempts(user_ids: Sequence[int], quiz_id: str) -> list[QuizAttempt]:
    """Each student's first attempt at the quiz, when it is finished (a first attempt
    still open is left out).
    """
    first: dict[int, QuizAttempt] = {}
    for attempt in db.session.scalars(
        sa.select(QuizAttempt)
        .where(QuizAttempt.user_id.in_(user_ids), QuizAttempt.quiz_id == quiz_id)
        .order_by(QuizAttempt.started_at, QuizAttempt.id)
    ):
        first.setdefault(attempt.user_id, attempt)
    return [a for a in first.values() if a.status != AttemptStatus.IN_PROGRESS]


def analyse_quiz(school_class: SchoolClass, quiz: Quiz) -> QuizAnalysis:
    """Moodle-style item statistics over the class's first finished attempts."""
    ids = [s.id for s in class_services.list_students(school_class)]
    records = []
    drawn: list[str] = []
    for attempt in first_attempts(ids, quiz.id):
        answers = {a.question_id: a for a in attempt.answers}
        items = {}
        for qid in attempt.question_ids:
            answer = answers.get(qid)
            items[qid] = itemstats.ItemResponse(
                score=(answer.score or 0.0) if answer is not None else 0.0,
                response=answer.response if answer is not None else None,
            )
            if qid not in drawn:
                drawn.append(qid)
        records.append(itemstats.AttemptRecord(attempt.id, items))
    questions = {
        q.id: q
        for q in db.session.scalars(sa.select(Question).where(Question.id.in_(drawn)))
    }
    ordered = sorted(questions.values(), key=lambda q: (q.bank_id, q.position))
    stats = itemstats.analyse_quiz([_item_info(q) for q in ordered], records)
    return QuizAnalysis(
        quiz=quiz,
        attempts=len(records),
        mean_percent=itemstats.mean_percent(records),
        items=[ItemRow(q, s) for q, s in zip(ordered, stats, strict=True)],
    )


def item_stats_csv(analysis: QuizAnalysis) -> str:
    """The item analysis as CSV, one row per question; options as "text: share%" joined
    by " | ".
    """
    header = [
        "question_id",
        "type",
        "topic",
        "prompt",
        "responses",
        "facility",
        "discrimination",
        "flags",
        "options",
    ]
    rows = [
        (
            row.question.id,
            row.question.type,
            row.question.topic,
            " ".join(row.question.prompt.split()),
            row.stat.responses,
            None if row.stat.facility is None else round(row.stat.facility, 1),
            None
            if row.stat.discrimination is None
            else round(row.stat.discrimination, 3),
            "; ".join(row.stat.flags),
            " | ".join(f"{o.option}: {100 * o.share:.0f}%" for o in row.stat.options),
        )
        for row in analysis.items
    ]
    return csvexport.to_csv(header, rows)


# --------------------------------------------------------------------------------------
# Banks on disk


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
) -> tuple[schema.Bank, ImportSummary]:
    """Check an uploaded bank alone and against every other bank file, save, import.

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
        summary = import_bank(
            dataclasses.replace(checked, source_path=str(target)), now=now
        )
        summary.warnings = leaks.warnings_about(
            checked.id, banks, resolve=resolve_quiz_questions, shown_as=filename
        )
        os.replace(temp_name, target)
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
    return checked, summary


# --------------------------------------------------------------------------------------
# Question preview and teachers


def get_question(question_id: str) -> Question | None:
    """A question by id, retired or not."""
    return db.session.get(Question, question_id)


def get_bank(bank_id: str) -> Bank | None:
    """A bank by id, retired or not."""
    return db.session.get(Bank, bank_id)


def get_quiz(quiz_id: str) -> Quiz | None:
    """A quiz by id, retired or not (past attempts can still be analysed)."""
    return db.session.get(Quiz, quiz_id)


def describe_answer(question: Question) -> str:
    """The question's correct answer as Markdown."""
    return QUESTION_TYPES[question.type].describe_answer(question.data)


def preview_question(question: Question) -> PresentedQuestion:
    """The question as a student would see it in an attempt (options in a fixed shuffled
    order), unanswered.
    """
    return PresentedQuestion(
        position=0,
        question=question,
        options=selection.presented_options(
            question.type,
            question.data,
            rng=selection.attempt_rng(0, f"options:{question.id}"),
        ),
        answer=None,
    )


def list_questions(bank_id: str) -> list[Question]:
    """A bank's live questions in file order."""
    return list(
        db.session.scalars(
            sa.select(Question)
            .where(Question.bank_id == bank_id, Question.is_retired.is_(False))
            .order_by(Question.position)
        )
    )

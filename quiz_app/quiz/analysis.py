"""Services: item analysis of a quiz over a group of students' first attempts, and its
CSV. The statistics themselves are pure, in :mod:`quiz_app.quiz.itemstats`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from quiz_app import csvexport
from quiz_app.banks.models import Question, Quiz
from quiz_app.extensions import db
from quiz_app.questions.grading import item_analysis
from quiz_app.quiz import itemstats
from quiz_app.quiz.models import AttemptStatus, QuizAttempt


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
    options, correct = item_analysis(question.type).options(question.data)
    return itemstats.ItemInfo(question.id, question.type, options, correct)


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


def analyse_quiz(user_ids: Sequence[int], quiz: Quiz) -> QuizAnalysis:
    """Moodle-style item statistics over these students' first finished attempts (the
    view passes a class's students).
    """
    ids = list(user_ids)
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

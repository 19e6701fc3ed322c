"""Services: item analysis of a quiz over a group of students' first attempts, and its
CSV. The statistics themselves are pure, in :mod:`quiz_app.quiz.itemstats`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from quiz_app import csvexport
from quiz_app.banks.models import Question, Quiz
from quiz_app.extensions import db
from quiz_app.questions.grading import item_analysis
from quiz_app.quiz import itemstats
from quiz_app.quiz.models import AttemptAnswer, AttemptStatus, QuizAttempt


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


@dataclass(frozen=True, slots=True)
class FirstAttempt:
    """The columns of a first finished attempt that the analysis reads."""

    id: int
    user_id: int
    question_ids: list[str]


def first_attempts(user_ids: Sequence[int], quiz_id: str) -> list[FirstAttempt]:
    """Each student's first attempt at the quiz, when it is finished (a first attempt
    still open is left out): one query, however many students and attempts.
    """
    first: dict[int, FirstAttempt | None] = {}
    for attempt_id, user_id, status, question_ids in db.session.execute(
        sa.select(
            QuizAttempt.id,
            QuizAttempt.user_id,
            QuizAttempt.status,
            QuizAttempt.question_ids,
        )
        .where(QuizAttempt.user_id.in_(user_ids), QuizAttempt.quiz_id == quiz_id)
        .order_by(QuizAttempt.started_at, QuizAttempt.id)
    ):
        if user_id not in first:
            first[user_id] = (
                None
                if status == AttemptStatus.IN_PROGRESS
                else FirstAttempt(attempt_id, user_id, question_ids)
            )
    return [a for a in first.values() if a is not None]


def analyse_quiz(user_ids: Sequence[int], quiz: Quiz) -> QuizAnalysis:
    """Moodle-style item statistics over these students' first finished attempts (the
    view passes a class's students). Three queries, whatever the class or its history.
    """
    attempts = first_attempts(list(user_ids), quiz.id)
    answers: dict[int, dict[str, tuple[float | None, Any]]] = defaultdict(dict)
    if attempts:
        for attempt_id, question_id, score, response in db.session.execute(
            sa.select(
                AttemptAnswer.attempt_id,
                AttemptAnswer.question_id,
                AttemptAnswer.score,
                AttemptAnswer.response,
            ).where(AttemptAnswer.attempt_id.in_([a.id for a in attempts]))
        ):
            answers[attempt_id][question_id] = (score, response)
    records = []
    drawn: dict[str, None] = {}
    for attempt in attempts:
        given = answers[attempt.id]
        items = {}
        for qid in attempt.question_ids:
            score, response = given.get(qid, (None, None))
            items[qid] = itemstats.ItemResponse(score=score or 0.0, response=response)
            drawn[qid] = None
        records.append(itemstats.AttemptRecord(attempt.id, items))
    questions = {
        q.id: q
        for q in db.session.scalars(
            sa.select(Question).where(Question.id.in_(list(drawn)))
        )
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

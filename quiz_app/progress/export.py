"""Services: everything the app keeps about a student's learning, as JSON-ready data
(a GDPR-style export, served at /account/export). Reads only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from quiz_app.accounts.models import User
from quiz_app.classes import services as class_services
from quiz_app.extensions import db
from quiz_app.flashcards.models import CardProgress, ReviewLog
from quiz_app.quiz import access as quiz_access
from quiz_app.quiz import queries as quiz_queries
from quiz_app.quiz.models import AttemptAnswer
from quiz_app.quiz.review import Disclosure
from quiz_app.reports.models import Report

#: Version of the export's JSON layout, bumped when fields change meaning.
EXPORT_FORMAT = 1


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _exported_answer(
    question_id: str, answer: AttemptAnswer | None, *, shown: bool
) -> dict[str, Any]:
    """One answer of the export; its marks only when the results page shows them."""
    row: dict[str, Any] = {
        "question_id": question_id,
        "response": None if answer is None else answer.response,
    }
    if shown and answer is not None:
        row.update(score=answer.final_score, is_correct=answer.is_correct)
        if answer.mark_reason:
            row["mark_reason"] = answer.mark_reason
    return row


def export_user_data(user: User, *, now: datetime) -> dict[str, Any]:
    """Everything the app keeps about a student's learning, as JSON-ready data (GDPR-
    style export).
    """
    attempts = []
    held = quiz_access.held_back_question_ids(user.id, now=now)
    for attempt in reversed(quiz_queries.list_closed_attempts(user.id)):
        answers = {a.question_id: a for a in attempt.answers}
        # marks tell the answer away as much as the results page would
        full = quiz_access.attempt_disclosure(attempt, now=now) is Disclosure.FULL
        attempts.append(
            {
                "id": attempt.id,
                "quiz_id": attempt.quiz_id,
                "status": attempt.status,
                "started_at": _iso(attempt.started_at),
                "submitted_at": _iso(attempt.submitted_at),
                "score": attempt.score,
                "max_score": attempt.max_score,
                "is_passed": attempt.is_passed,
                "answers_shown": full,
                "answers": [
                    _exported_answer(
                        qid, answers.get(qid), shown=full and qid not in held
                    )
                    for qid in attempt.question_ids
                ],
            }
        )
    reviews = db.session.scalars(
        sa.select(ReviewLog)
        .where(ReviewLog.user_id == user.id)
        .order_by(ReviewLog.reviewed_at, ReviewLog.id)
    )
    cards = db.session.scalars(
        sa.select(CardProgress)
        .where(CardProgress.user_id == user.id)
        .order_by(CardProgress.card_id)
    )
    reports = db.session.scalars(
        sa.select(Report).where(Report.user_id == user.id).order_by(Report.id)
    )
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _iso(now),
        "user": {
            "username": user.username,
            "display_name": user.display_name,
            "timezone": user.timezone,
            "created_at": _iso(user.created_at),
        },
        "classes": [c.name for c in class_services.list_classes_for_student(user)],
        "attempts": attempts,
        "cards": [
            {
                "card_id": c.card_id,
                "phase": c.phase,
                "stability": c.stability,
                "difficulty": c.difficulty,
                "due_at": _iso(c.due_at),
                "last_reviewed_at": _iso(c.last_reviewed_at),
                "review_count": c.review_count,
                "lapse_count": c.lapse_count,
                "origin": c.origin,
            }
            for c in cards
        ],
        "reviews": [
            {
                "card_id": r.card_id,
                "rating": r.rating,
                "reviewed_at": _iso(r.reviewed_at),
                "duration_ms": r.duration_ms,
                "interval_days": r.interval_days,
            }
            for r in reviews
        ],
        "reports": [
            {
                "question_id": r.question_id,
                "comment": r.comment,
                "created_at": _iso(r.created_at),
                "closed_at": _iso(r.closed_at),
                "reply": r.reply,
                "replied_at": _iso(r.replied_at),
            }
            for r in reports
        ],
    }

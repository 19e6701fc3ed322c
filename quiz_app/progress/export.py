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
from quiz_app.quiz import queries as quiz_queries
from quiz_app.reports.models import Report

#: Version of the export's JSON layout, bumped when fields change meaning.
EXPORT_FORMAT = 1


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def export_user_data(user: User, *, now: datetime) -> dict[str, Any]:
    """Everything the app keeps about a student's learning, as JSON-ready data (GDPR-
    style export).
    """
    attempts = []
    for attempt in reversed(quiz_queries.list_closed_attempts(user.id)):
        answers = {a.question_id: a for a in attempt.answers}
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
                "answers": [
                    {
                        "question_id": qid,
                        "response": answers[qid].response if qid in answers else None,
                        "score": answers[qid].score if qid in answers else None,
                        "is_correct": answers[qid].is_correct
                        if qid in answers
                        else None,
                    }
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
            }
            for r in reports
        ],
    }

"""Web layer: the home page (a student dashboard or a welcome) and the health check."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user

from quiz_app.banks import services as bank_services
from quiz_app.banks.models import Quiz
from quiz_app.classes import services as class_services
from quiz_app.clock import utcnow
from quiz_app.flashcards import services as flashcard_services
from quiz_app.quiz import queries as quiz_queries
from quiz_app.quiz import windows

bp = Blueprint("home", __name__)

#: How many graded attempts the home page lists.
RECENT_SCORES = 5


@bp.get("/")
def index() -> str:
    """Show the banks and quizzes, and a signed-in student's attempts and scores."""
    quizzes_by_bank: dict[str, list[Quiz]] = {}
    for quiz in bank_services.list_quizzes():
        quizzes_by_bank.setdefault(quiz.bank_id, []).append(quiz)
    student: dict[str, Any] = {}
    if current_user.is_authenticated:
        now = utcnow()
        tz_name = current_user.timezone
        attempts_used = quiz_queries.count_attempts_by_quiz(current_user.id)
        student = {
            "open_attempts": quiz_queries.list_open_attempts(current_user.id),
            "recent": quiz_queries.list_closed_attempts(
                current_user.id, limit=RECENT_SCORES
            ),
            "attempts_used": attempts_used,
            "is_returning": bool(attempts_used)
            or flashcard_services.has_reviews(current_user.id),
            "not_open": {
                quiz_id: windows.badge(available, tz_name, now=now)
                for quiz_id, available in quiz_queries.list_unavailable_quizzes(
                    current_user.id, now=now
                ).items()
            },
            "when": windows.formatter(tz_name, now=now),
            "timezone": windows.zone_name(tz_name),
            "banks_with_cards": bank_services.list_bank_ids_with_cards(),
            "cards_due_today": flashcard_services.count_due_today(current_user, now),
            "assignments": class_services.list_assignments_for_student(
                current_user, now=now
            ),
        }
    return render_template(
        "home/index.html",
        banks=bank_services.list_banks(),
        quizzes_by_bank=quizzes_by_bank,
        **student,
    )


@bp.get("/healthz")
def health() -> dict[str, str]:
    """Tell a monitor the app is up."""
    return {"status": "ok"}

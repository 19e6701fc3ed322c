"""Web layer: the home page (a student dashboard or a welcome) and the health check."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from quiz_app.banks import services as bank_services
from quiz_app.banks.models import Quiz
from quiz_app.classes import banks as class_banks
from quiz_app.classes import services as class_services
from quiz_app.clock import utcnow
from quiz_app.extensions import ping_database
from quiz_app.flashcards import services as flashcard_services
from quiz_app.quiz import access as quiz_access
from quiz_app.quiz import queries as quiz_queries
from quiz_app.quiz import windows
from quiz_app.reports import services as report_services

bp = Blueprint("home", __name__)

#: How many graded attempts the home page lists.
RECENT_SCORES = 5


@bp.get("/")
def index() -> str:
    """Show the banks and quizzes, and a signed-in student's attempts and scores."""
    shown = class_banks.visible_bank_ids(current_user)
    quizzes = [
        quiz
        for quiz in bank_services.list_quizzes()
        if shown is None or quiz.bank_id in shown
    ]
    signed_in = current_user.is_authenticated
    visible = quiz_access.list_visible_quiz_ids(
        current_user.id if signed_in else None,
        quizzes,
        is_teacher=signed_in and current_user.is_teacher,
    )
    quizzes_by_bank: dict[str, list[Quiz]] = {}
    for quiz in quizzes:
        if quiz.id in visible:  # assigned-only tests are for their classes
            quizzes_by_bank.setdefault(quiz.bank_id, []).append(quiz)
    student: dict[str, Any] = {}
    if current_user.is_authenticated:
        now = utcnow()
        tz_name = current_user.timezone
        attempts_used = quiz_queries.count_attempts_by_quiz(current_user.id)
        cards = flashcard_services.build_study_queue(
            current_user,
            now=now,
            prefs=flashcard_services.get_study_prefs(
                current_user,
                default_new_cards_per_day=current_app.config[
                    "DEFAULT_NEW_CARDS_PER_DAY"
                ],
            ),
            shown_banks=shown,
        )
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
                for quiz_id, available in windows.unavailable_quizzes(
                    class_services.list_quiz_windows_for_student(current_user.id),
                    now=now,
                ).items()
            },
            "when": windows.formatter(tz_name, now=now),
            "timezone": windows.zone_name(tz_name),
            "banks_with_cards": {
                bank_id
                for bank_id in bank_services.list_bank_ids_with_cards()
                if shown is None or bank_id in shown
            },
            # as the flashcards page counts them: due (learning and review) and new
            "cards_due": cards.learning + cards.review,
            "cards_new": cards.new,
            "best_percent": quiz_queries.list_best_percent_by_quiz(current_user.id),
            "assignments": class_services.list_assignments_for_student(
                current_user, now=now
            ),
            "replies": report_services.list_replies(current_user.id)[:RECENT_SCORES],
        }
    return render_template(
        "home/index.html",
        banks=[
            bank
            for bank in bank_services.list_banks()
            if shown is None or bank.id in shown
        ],
        quizzes_by_bank=quizzes_by_bank,
        **student,
    )


@bp.get("/healthz")
def health() -> tuple[dict[str, str], int]:
    """Tell a monitor whether the app can reach its database (503 when it cannot)."""
    if not ping_database():
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200

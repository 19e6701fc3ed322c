"""Web layer: the home page and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template

from quiz_app.banks import services as bank_services

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    """Show the banks and their quizzes."""
    banks = bank_services.list_banks()
    quizzes_by_bank: dict[str, list[object]] = {}
    for quiz in bank_services.list_quizzes():
        quizzes_by_bank.setdefault(quiz.bank_id, []).append(quiz)
    return render_template(
        "home/index.html", banks=banks, quizzes_by_bank=quizzes_by_bank
    )


@bp.get("/healthz")
def health() -> dict[str, str]:
    """Tell a monitor the app is up."""
    return {"status": "ok"}

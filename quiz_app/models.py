"""Every domain's models, imported in one place so Alembic and db.create_all() see all tables."""

from __future__ import annotations

from quiz_app.accounts.models import User
from quiz_app.banks.models import Bank, Card, Question, Quiz
from quiz_app.flashcards.models import CardProgress, ReviewLog

__all__ = ["Bank", "Card", "CardProgress", "Question", "Quiz", "ReviewLog", "User"]

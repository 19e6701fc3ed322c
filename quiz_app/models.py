"""Every domain's models, imported in one place so Alembic and db.create_all() see all
tables.
"""

from __future__ import annotations

from quiz_app.accounts.models import PasswordReset, SetupToken, User
from quiz_app.banks.models import (
    Bank,
    BankCoOwner,
    Card,
    Question,
    Quiz,
    UploadedBank,
    UploadedImage,
)
from quiz_app.classes.models import (
    Assignment,
    ClassBankChoice,
    ClassMembership,
    SchoolClass,
)
from quiz_app.flashcards.models import CardProgress, ReviewLog, StudySettings
from quiz_app.limits.models import LimitEvent
from quiz_app.quiz.models import AcceptedAnswer, AttemptAnswer, QuizAttempt
from quiz_app.reports.models import Report

__all__ = [
    "AcceptedAnswer",
    "Assignment",
    "AttemptAnswer",
    "Bank",
    "BankCoOwner",
    "Card",
    "CardProgress",
    "ClassBankChoice",
    "ClassMembership",
    "LimitEvent",
    "PasswordReset",
    "Question",
    "Quiz",
    "QuizAttempt",
    "Report",
    "ReviewLog",
    "SchoolClass",
    "SetupToken",
    "StudySettings",
    "UploadedBank",
    "UploadedImage",
    "User",
]

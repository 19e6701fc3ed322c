"""Services: delete a student's account, keeping their graded attempts nameless for
item statistics (the counterpart of the data export). Flushes, never commits.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from quiz_app.accounts import services as account_services
from quiz_app.accounts.models import User
from quiz_app.classes.models import ClassMembership
from quiz_app.extensions import db
from quiz_app.flashcards.models import CardProgress, ReviewLog, StudySettings
from quiz_app.quiz.models import AttemptStatus, QuizAttempt
from quiz_app.reports.models import Report


def erase_user_data(user: User, *, now: datetime) -> None:
    """Delete a student's account: their name, classes, cards, reviews, reports and
    settings go; their graded attempts stay, attached to a nameless account, so that
    question statistics do not change. Attempts still in progress are deleted.
    """
    uid = user.id
    for model in (ClassMembership, CardProgress, ReviewLog, StudySettings, Report):
        db.session.execute(sa.delete(model).where(model.user_id == uid))
    for attempt in db.session.scalars(
        sa.select(QuizAttempt).where(
            QuizAttempt.user_id == uid,
            QuizAttempt.status == AttemptStatus.IN_PROGRESS,
        )
    ):
        db.session.delete(attempt)
    account_services.anonymise_user(user, now=now)
    db.session.flush()

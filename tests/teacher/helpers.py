"""Teacher test helpers: classes with students, and quiz attempts taken through the quiz
services.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from random import Random
from typing import Any

from quiz_app.accounts.models import User
from quiz_app.classes import services as class_services
from quiz_app.classes.models import SchoolClass
from quiz_app.quiz import services as quiz_services
from quiz_app.quiz.models import QuizAttempt
from tests.quiz.helpers import save_answers

GRACE = timedelta(seconds=30)


def make_class(
    teacher: User, *students: User, now: datetime, name: str = "10B"
) -> SchoolClass:
    """A class owned by ``teacher`` with these students in it."""
    school_class = class_services.create_class(teacher, name, now=now, rng=Random(1))
    for student in students:
        class_services.join_class_by_code(student, school_class.join_code, now=now)
    return school_class


def take_quiz(
    user: User, quiz_id: str, responses: dict[str, Any], *, now: datetime, seed: int = 1
) -> QuizAttempt:
    """Start, answer and submit an attempt; unanswered questions score 0."""
    attempt, _ = quiz_services.start_attempt(
        user.id,
        quiz_id,
        now=now,
        rng=Random(seed),
        grace=GRACE,
    )
    wanted = {q: r for q, r in responses.items() if q in attempt.question_ids}
    save_answers(attempt, wanted, now=now, grace=GRACE)
    return quiz_services.submit_attempt(attempt, now=now, grace=GRACE)

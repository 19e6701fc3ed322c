"""Quiz test helpers: a bank with one question of every type, the right answers, and
saving a page of answers the way the answer POST does."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from quiz_app.banks import schema
from quiz_app.banks.models import Question
from quiz_app.extensions import db
from quiz_app.quiz import services
from quiz_app.quiz.models import QuizAttempt
from tests.factories import make_schema_question

MATCH_PAIRS = (
    ("Nam Il", "KPA/CPV chief delegate"),
    ("C. Turner Joy", "First UNC senior delegate"),
    ("William K. Harrison Jr.", "UNC senior delegate from May 1952"),
)

#: question id -> the fully correct response shape
RIGHT_RESPONSES: dict[str, Any] = {
    "q-single": "Right",
    "q-multi": ["Kaesong", "Panmunjom"],
    "q-tf": False,
    "q-short": "Panmunjom",
    "q-numeric": "1953",
    "q-order": ["Stalin dies", "Little Switch", "Armistice signed"],
    "q-match": dict(MATCH_PAIRS),
}


def all_type_questions() -> tuple[schema.Question, ...]:
    """One question per type: single, multi, tf, short, numeric, order, match."""
    return (
        make_schema_question("q-single", tags=("people",)),
        make_schema_question(
            "q-multi",
            type="multi_choice",
            data={
                "choices": ("Kaesong", "Panmunjom", "Geneva", "Tokyo"),
                "answers": ("Kaesong", "Panmunjom"),
                "shuffle": True,
            },
        ),
        make_schema_question(
            "q-tf", type="true_false", topic="topic-b", data={"answer": False}
        ),
        make_schema_question(
            "q-short",
            type="short_text",
            prompt="Where was the Armistice signed?",
            data={"answers": ("Panmunjom",)},
        ),
        make_schema_question(
            "q-numeric",
            type="numeric",
            data={"answer": 1953, "tolerance": 0, "unit": ""},
        ),
        make_schema_question(
            "q-order",
            type="ordering",
            data={"items": ("Stalin dies", "Little Switch", "Armistice signed")},
        ),
        make_schema_question(
            "q-match",
            type="matching",
            data={"pairs": MATCH_PAIRS, "distractors": ("Swiss NNSC member",)},
        ),
    )


def make_quiz_bank(
    make_bank: Callable[..., schema.Bank], bank_id: str = "bank-a", **quiz: Any
) -> schema.Bank:
    """Import a bank with every question type and one quiz ``<bank_id>-quiz``.

    The quiz is open to everyone and shows answers at once unless told otherwise: the
    tests using it are about timing and grading; review options have their own tests.
    """
    quiz.setdefault("shuffle", False)
    quiz.setdefault("visibility", "everyone")
    quiz.setdefault("review", "immediately")
    return make_bank(
        bank_id,
        questions=all_type_questions(),
        quizzes=(schema.QuizDef(id=f"{bank_id}-quiz", title="Every type", **quiz),),
    )


def save_answers(
    attempt: QuizAttempt,
    responses: Mapping[str, Any],
    *,
    now: datetime,
    grace: timedelta,
) -> None:
    """Grade and store one page of answers (question id -> response), as the answer
    POST does: :func:`services.grade_responses`, then :func:`services.store_answers`.
    """
    questions = db.session.scalars(
        sa.select(Question).where(Question.id.in_(list(responses)))
    )
    pending = services.grade_responses(list(questions), responses)
    services.store_answers(attempt.id, pending, now=now, grace=grace)

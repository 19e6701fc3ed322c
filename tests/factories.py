"""Factory fixtures in Indico's style: each returns a callable that builds and flushes
one object.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from quiz_app.accounts.models import Role, User
from quiz_app.accounts.services import create_user
from quiz_app.banks import schema
from quiz_app.banks.services import import_bank
from quiz_app.extensions import db


def make_schema_question(qid: str = "q-1", **overrides: Any) -> schema.Question:
    """A valid single-choice question as the loader would return it."""
    values: dict[str, Any] = {
        "id": qid,
        "type": "single_choice",
        "prompt": f"Prompt of {qid}?",
        "explanation": "Because the sources say so.",
        "sources": ("src",),
        "topic": "topic-a",
        "data": {
            "choices": ("Right", "Wrong 1", "Wrong 2"),
            "answer": "Right",
            "shuffle": True,
        },
    }
    values.update(overrides)
    return schema.Question(**values)


@pytest.fixture
def make_bank(app: Any, now: datetime) -> Callable[..., schema.Bank]:
    """Import a bank built in Python (no YAML) and return its schema object."""

    def _make_bank(
        bank_id: str = "bank-a",
        *,
        questions: tuple[schema.Question, ...] | None = None,
        cards: tuple[schema.Card, ...] = (),
        quizzes: tuple[schema.QuizDef, ...] | None = None,
        content_hash: str = "hash-1",
    ) -> schema.Bank:
        questions = (
            questions
            if questions is not None
            else (make_schema_question(f"{bank_id}-q1"),)
        )
        if quizzes is None:
            quizzes = (
                schema.QuizDef(
                    id=f"{bank_id}-all", title="All questions", is_default=True
                ),
            )
        bank = schema.Bank(
            id=bank_id,
            title=f"Bank {bank_id}",
            source_path=f"{bank_id}.yaml",
            topics={"topic-a": "Topic A"},
            sources={"src": schema.Source(key="src", title="A source")},
            questions=questions,
            cards=cards,
            quizzes=quizzes,
            content_hash=content_hash,
        )
        import_bank(bank, now=now)
        db.session.flush()
        return bank

    return _make_bank


@pytest.fixture
def make_user(app: Any, now: datetime) -> Callable[..., User]:
    """Create a user whose password is ``tests.conftest.PASSWORD``."""

    def _make_user(username: str = "student", *, role: str = "student") -> User:
        return create_user(username, "correct horse battery", role=Role(role), now=now)

    return _make_user

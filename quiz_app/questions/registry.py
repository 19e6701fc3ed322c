"""Pure registry of question types: ``QUESTION_TYPES`` and the lookups of their parts.
No Flask or DB.

The types register themselves from their modules in :mod:`quiz_app.questions.kinds`;
import :mod:`quiz_app.questions.grading` (or ``kinds``) to have them all registered.
"""

from __future__ import annotations

from typing import Any

from quiz_app.questions.types import (
    Interchange,
    ItemAnalysis,
    LeakCheck,
    QuestionType,
    QuizForm,
)

QUESTION_TYPES: dict[str, QuestionType] = {}


def register(qtype: QuestionType) -> QuestionType:
    """Add a type to the registry.

    :raises ValueError: for a duplicate key or a type that leaves out a part (both
        programming errors, found when the module is imported).
    """
    if qtype.key in QUESTION_TYPES:
        raise ValueError(f"question type {qtype.key!r} registered twice")
    missing = qtype.missing_parts()
    if missing:
        raise ValueError(f"question type {qtype.key!r} leaves out {', '.join(missing)}")
    QUESTION_TYPES[qtype.key] = qtype
    return qtype


def _part(type_key: str, name: str) -> Any:
    part = getattr(QUESTION_TYPES[type_key], name)
    if part is None:  # only a hand-built double in QUESTION_TYPES, never register()
        raise LookupError(f"question type {type_key!r} has no {name}")
    return part


def quiz_form(type_key: str) -> QuizForm:
    """How questions of this type are asked and read back."""
    part: QuizForm = _part(type_key, "quiz")
    return part


def item_analysis(type_key: str) -> ItemAnalysis:
    """What item analysis counts for this type."""
    part: ItemAnalysis = _part(type_key, "analysis")
    return part


def leak_check(type_key: str) -> LeakCheck:
    """What the answer-leak check compares for this type."""
    part: LeakCheck = _part(type_key, "leaks")
    return part


def interchange(type_key: str) -> Interchange:
    """This type in GIFT, Moodle XML, CSV and Anki."""
    part: Interchange = _part(type_key, "interchange")
    return part

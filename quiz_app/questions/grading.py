"""Pure question-type registry, filled: import ``QUESTION_TYPES`` (and the lookups of a
type's parts) from here. No Flask or DB.

Each type is one module of :mod:`quiz_app.questions.kinds`; the interface every type
declares is documented in :mod:`quiz_app.questions.types`; reading a student's text
(normalising, numbers) is in :mod:`quiz_app.questions.answers`.
"""

from __future__ import annotations

from quiz_app.questions.kinds import ALL
from quiz_app.questions.registry import (
    QUESTION_TYPES,
    interchange,
    item_analysis,
    leak_check,
    quiz_form,
    register,
)

__all__ = [
    "ALL",
    "QUESTION_TYPES",
    "interchange",
    "item_analysis",
    "leak_check",
    "quiz_form",
    "register",
]

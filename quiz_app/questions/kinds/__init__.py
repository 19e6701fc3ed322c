"""Pure question types, one module each: everything a type means (validation, grading,
descriptions, quiz form, item analysis, answer leaks, GIFT / Moodle XML / CSV / Anki).
No Flask or DB.

Each module defines its :class:`~quiz_app.questions.types.QuestionType` as ``TYPE``;
this package registers them, in the order teachers see them (the JSON Schema and the
bank-format reference follow it). A new type is a new module here, its line in
``ALL`` and its template ``templates/quiz/questions/<key>.html``.
"""

from __future__ import annotations

from quiz_app.questions.kinds import (
    matching,
    multi_choice,
    numeric,
    ordering,
    short_text,
    single_choice,
    true_false,
)
from quiz_app.questions.registry import QUESTION_TYPES, register
from quiz_app.questions.types import QuestionType

ALL: tuple[QuestionType, ...] = (
    single_choice.TYPE,
    multi_choice.TYPE,
    true_false.TYPE,
    short_text.TYPE,
    numeric.TYPE,
    ordering.TYPE,
    matching.TYPE,
)

for _qtype in ALL:
    register(_qtype)

__all__ = ["ALL", "QUESTION_TYPES"]

"""Pure question-type registry: spec fields, checks and grading for every question type. No Flask or DB.

Interface contract (the bank loader depends on it):

* ``QUESTION_TYPES[key]`` is a :class:`QuestionType`.
* ``QuestionType.fields`` maps each type-specific YAML key to a :class:`FieldKind`; the loader converts the
  YAML node to the Python value named there and reports kind mismatches with the node's line:
  TEXT -> str (the scalar exactly as written, never a YAML bool/number), TEXT_LIST -> tuple[str, ...],
  BOOL -> bool (only the literals true/false), NUMBER -> int | float, TEXT_MAP -> tuple[tuple[str, str], ...]
  (a mapping of text to text, file order kept).
* ``QuestionType.required`` are the keys that must be present; ``defaults`` fills absent optional ones.
* ``QuestionType.check(data)`` gets the converted fields and returns ``[(key, message), ...]`` for cross-field
  rules (answer among the choices, counts, distinct items); the loader locates each at that key's node.
* ``QuestionType.grade(data, response)`` is pure and returns a :class:`Grade`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class FieldKind(StrEnum):
    TEXT = "text"
    TEXT_LIST = "text_list"
    BOOL = "bool"
    NUMBER = "number"
    TEXT_MAP = "text_map"


@dataclass(frozen=True, slots=True)
class Grade:
    score: float  #: 0.0 .. 1.0
    is_correct: bool  #: full marks only
    feedback: str = ""


Check = Callable[[Mapping[str, Any]], list[tuple[str, str]]]
Grader = Callable[[Mapping[str, Any], Any], Grade]


@dataclass(frozen=True, slots=True)
class QuestionType:
    key: str
    label: str  #: shown to teachers, e.g. "Single choice"
    fields: Mapping[str, FieldKind]
    required: frozenset[str]
    check: Check
    grade: Grader
    defaults: Mapping[str, Any] = field(default_factory=dict)

    @property
    def template(self) -> str:
        return f"quiz/questions/{self.key}.html"


QUESTION_TYPES: dict[str, QuestionType] = {}


def register(qtype: QuestionType) -> QuestionType:
    """Add a type to the registry; a duplicate key is a programming error."""
    if qtype.key in QUESTION_TYPES:
        raise ValueError(f"question type {qtype.key!r} registered twice")
    QUESTION_TYPES[qtype.key] = qtype
    return qtype

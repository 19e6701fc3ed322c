"""Pure question-type interface: what every type declares. No Flask or DB.

The registry itself, ``QUESTION_TYPES``, is filled in :mod:`quiz_app.questions.grading`.

Interface contract (the bank loader depends on it):

* ``QUESTION_TYPES[key]`` is a :class:`QuestionType`.
* ``QuestionType.fields`` maps each type-specific YAML key to a :class:`FieldKind`; the
  loader converts the YAML node to the Python value named there and reports kind
  mismatches with the node's line: TEXT -> str (the scalar exactly as written, never a
  YAML bool/number), TEXT_LIST -> tuple[str, ...], BOOL -> bool (only the literals
  true/false), NUMBER -> int | float, TEXT_MAP -> tuple[tuple[str, str], ...] (a mapping
  of text to text, file order kept).
* ``QuestionType.required`` are the keys that must be present; ``defaults`` fills absent
  optional ones.
* ``QuestionType.check(data)`` gets the converted fields and returns
  ``[(key, message), ...]`` for cross-field rules (answer among the choices, counts,
  distinct items); the loader locates each at that key's node.
* ``QuestionType.grade(data, response)`` is pure and returns a :class:`Grade`.
* ``QuestionType.describe_answer(data)`` and ``describe_response(data, response)``
  return Markdown-safe text (user text is backslash-escaped) for results pages and
  derived flashcards. Ordering and matching give a Markdown list, one line per item;
  the other types give one line.

Response shapes (the web layer builds these from the submitted form):

* ``single_choice``: ``str | None``, the chosen choice text.
* ``multi_choice``: a collection of ``str``, the ticked choice texts (order and
  duplicates do not matter; a bare ``str`` counts as one tick).
* ``true_false``: ``bool | None``.
* ``short_text``: ``str``, the text typed.
* ``numeric``: ``str``, the text typed (an ``int``/``float`` is accepted too). Spaces
  are ignored, so is a trailing unit equal to the question's ``unit`` or to its first
  words (``8 July`` for the unit ``July 1951``); ``−`` counts as minus. Commas
  followed by groups of three digits separate thousands (``75,823``, ``1,953.5``;
  ``1.234.567`` and ``1.234,5`` the other way round); otherwise one comma or point is
  the decimal separator (``4,5`` = ``4.5``). Anything else is "not a number" and
  scores 0.
* ``ordering``: a sequence of ``str``, the items in the student's order; ``None`` or
  ``""`` for an unfilled slot.
* ``matching``: a mapping of left text -> chosen right-hand text (or ``None``).

Grading never raises on a missing or malformed response: it scores 0 with feedback.
The question data is assumed to have passed ``check``.
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
    #: partial credit counted in parts: (right, out of, what), e.g. (5, 6, "pairs")
    tally: tuple[int, int, str] | None = None


Check = Callable[[Mapping[str, Any]], list[tuple[str, str]]]
Grader = Callable[[Mapping[str, Any], Any], Grade]
AnswerDescriber = Callable[[Mapping[str, Any]], str]
ResponseDescriber = Callable[[Mapping[str, Any], Any], str]


@dataclass(frozen=True, slots=True)
class QuestionType:
    key: str
    label: str  #: shown to teachers, e.g. "Single choice"
    fields: Mapping[str, FieldKind]
    required: frozenset[str]
    check: Check
    grade: Grader
    describe_answer: AnswerDescriber  #: the correct answer, Markdown-safe
    describe_response: ResponseDescriber  #: what the student answered, Markdown-safe
    defaults: Mapping[str, Any] = field(default_factory=dict)

    @property
    def template(self) -> str:
        return f"quiz/questions/{self.key}.html"


NO_ANSWER = "(no answer)"
NO_ANSWER_FEEDBACK = "No answer given."

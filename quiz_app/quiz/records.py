"""Pure data of the quiz domain: its errors and the frozen records that pages, grading
and the answer POST pass around. No Flask or DB imports (models only for types).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from quiz_app.questions.grading import QUESTION_TYPES
from quiz_app.quiz import rules

if TYPE_CHECKING:
    from quiz_app.banks.models import Question
    from quiz_app.quiz.models import AttemptAnswer


class QuizError(Exception):
    """A user-facing reason why a quiz action cannot happen."""


class QuizUnavailable(QuizError):
    """The quiz does not exist or was retired."""


class NoQuestions(QuizError):
    """The quiz's selection matches no live question."""


class AttemptsExhausted(QuizError):
    """Every allowed attempt of this quiz has been used."""


class QuizNotOpen(QuizError):
    """The quiz is set for the student's classes and none of those assignments is
    open now.
    """


class AttemptClosed(QuizError):
    """The attempt was already submitted or expired."""


class TimeUp(AttemptClosed):
    """The answer came after the deadline plus grace; the attempt got closed."""


@dataclass(frozen=True, slots=True)
class AttemptRef:
    """The parts of an attempt that never change (its questions and seed), read with
    one Core query for the answer POST. Its status is checked under the write lock by
    :func:`store_answers`.
    """

    id: int
    seed: int
    question_ids: list[str]


@dataclass(frozen=True, slots=True)
class QuestionContent:
    """What answering and grading need of a question: fixed for a (id, version)."""

    id: str
    version: int
    type: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class PresentedQuestion:
    """One question as this attempt shows it: place, option order and saved answer."""

    position: int  #: 0-based place in the attempt
    #: the full row for pages; only its content when answers are being saved
    question: Question | QuestionContent
    options: dict[str, list[str]]
    answer: AttemptAnswer | None

    @property
    def number(self) -> int:
        return self.position + 1

    @property
    def template(self) -> str:
        return QUESTION_TYPES[self.question.type].template

    @property
    def response(self) -> Any:
        return None if self.answer is None else self.answer.response

    @property
    def is_answered(self) -> bool:
        """A saved answer that can be graded (a numeric one that is not a number
        counts as unanswered: it would score nothing).
        """
        return not rules.is_blank(self.response) and not self.is_unreadable

    @property
    def is_unreadable(self) -> bool:
        """A saved numeric answer that is not a number (it would score 0)."""
        return rules.is_unreadable(self.question, self.response)


@dataclass(frozen=True, slots=True)
class PendingAnswer:
    """A graded response waiting to be stored (graded before taking the write lock)."""

    question_id: str
    question_version: int
    response: Any
    score: float
    is_correct: bool


@dataclass(frozen=True, slots=True)
class ResultItem:
    """One question on a results page: both answers (Markdown), feedback, sources."""

    number: int
    question: Question
    answer: AttemptAnswer | None
    your_answer: str  #: Markdown
    right_answer: str  #: Markdown
    feedback: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    #: a test of the student's is open (or not yet closed) with this question: its
    #: right answer, mark and explanation are not shown here either
    is_held_back: bool = False
    #: partial credit in parts, e.g. (5, 6, "pairs"): see ``types.Grade.tally``
    tally: tuple[int, int, str] | None = None

    @property
    def score(self) -> float:
        if self.answer is None:
            return 0.0
        final = self.answer.final_score
        return 0.0 if final is None else final

    @property
    def outcome(self) -> str:
        """correct, partial or wrong (names of the CSS result classes)."""
        if self.score >= 1:
            return "correct"
        return "partial" if self.score > 0 else "wrong"

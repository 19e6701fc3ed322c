"""Pure review rules: a quiz's settings under an assignment, who may start it and what a
student may see of an attempt at ``now``. No Flask or DB.

Moodle's "review options" are the anchor: after an attempt a student sees everything
(``immediately``), only the score until the quiz closes (``after_close``), or only the
score for good (``score_only``). A practice quiz (no time or attempt limit) defaults to
``immediately``; a test to ``after_close``, or ``score_only`` when nothing closes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import IntEnum
from typing import TypeVar

from quiz_app.banks.schema import Review, Visibility

T = TypeVar("T")
K = TypeVar("K")


class Disclosure(IntEnum):
    """How much of an attempt its student sees, least first."""

    #: still open: nothing graded yet
    NOTHING = 0
    #: the score and pass/fail; no answers, marks or explanations
    SCORE = 1
    #: every answer, its mark, the right answer and the explanation
    FULL = 2


REVIEW_LABELS = {
    Review.IMMEDIATELY: "Answers shown as soon as you submit",
    Review.AFTER_CLOSE: "Score at once; answers after the quiz closes",
    Review.SCORE_ONLY: "Score only; answers are not shown",
}


@dataclass(frozen=True, slots=True)
class Settings:
    """What governs an attempt. ``review``/``visibility`` None means "the default"."""

    time_limit_minutes: int | None = None
    max_attempts: int | None = None
    pass_mark: int = 60
    review: Review | None = None
    visibility: Visibility | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None

    @property
    def is_test(self) -> bool:
        """A time or attempt limit makes a quiz a test rather than practice."""
        return self.time_limit_minutes is not None or self.max_attempts is not None


@dataclass(frozen=True, slots=True)
class Override:
    """An assignment's own settings; None keeps the quiz's."""

    time_limit_minutes: int | None = None
    max_attempts: int | None = None
    pass_mark: int | None = None
    review: Review | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None


def default_review(settings: Settings) -> Review:
    """Practice: immediately; a test: after it closes, or score only with no close."""
    if not settings.is_test:
        return Review.IMMEDIATELY
    return Review.AFTER_CLOSE if settings.closes_at is not None else Review.SCORE_ONLY


def default_visibility(settings: Settings) -> Visibility:
    """Tests are for the classes they are assigned to; practice is for everyone."""
    return Visibility.ASSIGNED if settings.is_test else Visibility.EVERYONE


def effective_settings(quiz: Settings, override: Override | None = None) -> Settings:
    """The quiz's settings with an assignment's overrides applied and every default
    resolved (``review`` and ``visibility`` are never None in the result).
    """
    merged = quiz
    if override is not None:
        merged = replace(
            quiz,
            time_limit_minutes=_pick(
                override.time_limit_minutes, quiz.time_limit_minutes
            ),
            max_attempts=_pick(override.max_attempts, quiz.max_attempts),
            pass_mark=_pick(override.pass_mark, quiz.pass_mark),
            review=_pick(override.review, quiz.review),
            opens_at=_pick(override.opens_at, quiz.opens_at),
            closes_at=_pick(override.closes_at, quiz.closes_at),
        )
    return replace(
        merged,
        review=merged.review or default_review(merged),
        visibility=merged.visibility or default_visibility(merged),
    )


def _pick(first: T | None, second: T) -> T:
    return second if first is None else first


def disclosure(
    review: Review, *, is_open: bool, closes_at: datetime | None, now: datetime
) -> Disclosure:
    """What the student may see of their attempt at ``now``.

    ``after_close`` with no close date never reaches FULL: nothing ends the test.
    """
    _require_aware(now)
    if is_open:
        return Disclosure.NOTHING
    if review is Review.IMMEDIATELY:
        return Disclosure.FULL
    if review is Review.AFTER_CLOSE and closes_at is not None and now >= closes_at:
        return Disclosure.FULL
    return Disclosure.SCORE


def holds_back(
    review: Review, *, is_open: bool, closes_at: datetime | None, now: datetime
) -> bool:
    """Whether this attempt's questions must not show their answers anywhere else.

    An open test holds them back; after submitting, until its close date passes (so the
    practice quiz or the flashcard of an exam question does not give it away while
    the class is still sitting it).
    """
    _require_aware(now)
    if review is Review.IMMEDIATELY:
        return False
    if is_open:
        return True
    return closes_at is not None and now < closes_at


def release_at(review: Review, *, closes_at: datetime | None) -> datetime | None:
    """When a submitted attempt's answers become visible; None if never (or now)."""
    if review is Review.AFTER_CLOSE:
        return closes_at
    return None


def may_start(
    visibility: Visibility, *, is_assigned_to_student: bool, is_teacher: bool = False
) -> bool:
    """Whether a quiz is listed for and startable by this user at all (dates aside)."""
    return is_teacher or visibility is Visibility.EVERYONE or is_assigned_to_student


def choose_assignment(
    windows: Iterable[tuple[K, datetime | None, datetime | None]], *, now: datetime
) -> K | None:
    """Which of a student's assignments of one quiz governs an attempt started now:
    an open one, latest closing first (None = never closes, latest of all); None when
    none is open.
    """
    _require_aware(now)
    best: tuple[bool, datetime, K] | None = None
    for key, opens_at, closes_at in windows:
        if (opens_at is not None and now < opens_at) or (
            closes_at is not None and now >= closes_at
        ):
            continue
        rank = (closes_at is None, closes_at or now)
        if best is None or rank > best[:2]:
            best = (rank[0], rank[1], key)
    return None if best is None else best[2]


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (UTC)")

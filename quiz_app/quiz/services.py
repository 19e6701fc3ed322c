"""Quiz services: start attempts, save answers, grade and close them. Flushes only.

Time always arrives as ``now=`` (taken by the view when the request arrived) and the
grace period as ``grace=``; a late answer is refused here, on the server, whatever the
browser's countdown said. Never commits: the caller owns the transaction.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random
from typing import Any

import sqlalchemy as sa

from quiz_app.banks.models import Bank, Question, Quiz
from quiz_app.classes import services as class_services
from quiz_app.extensions import db
from quiz_app.flashcards import services as flashcard_services
from quiz_app.quiz import access, review, selection, windows
from quiz_app.quiz.grading import QUESTION_TYPES, parse_number
from quiz_app.quiz.models import (
    AcceptedAnswer,
    AttemptAnswer,
    AttemptStatus,
    QuizAttempt,
)

ALL_BANKS = "all"


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


class NotInAttempt(QuizError):
    """The answered question is not one of the attempt's questions."""


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
        return not is_blank(self.response) and not self.is_unreadable

    @property
    def is_unreadable(self) -> bool:
        """A saved numeric answer that is not a number (it would score 0)."""
        return is_unreadable_number(self.question, self.response)


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
    #: partial credit in parts, e.g. (5, 6, "pairs"): see ``grading.Grade.tally``
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


# --------------------------------------------------------------------------------------
# Reading


def get_quiz(quiz_id: str) -> Quiz | None:
    """The live quiz with this id, or None if unknown or retired."""
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or quiz.is_retired or quiz.bank.is_retired:
        return None
    return quiz


def get_attempt(attempt_id: int, *, user_id: int) -> QuizAttempt | None:
    """The attempt if it belongs to this user; another user's attempt is None."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != user_id:
        return None
    return attempt


def get_attempt_ref(attempt_id: int, *, user_id: int) -> AttemptRef | None:
    """The attempt's fixed parts if it belongs to this user (else None), for saving
    answers.
    """
    row = _run(_ATTEMPT_REF, {"attempt_id": attempt_id, "user_id": user_id}).first()
    if row is None:
        return None
    return AttemptRef(id=row.id, seed=row.seed, question_ids=row.question_ids)


def get_open_attempt(user_id: int, quiz_id: str) -> QuizAttempt | None:
    """The user's in-progress attempt at this quiz, if any."""
    return db.session.scalar(
        sa.select(QuizAttempt)
        .where(
            QuizAttempt.user_id == user_id,
            QuizAttempt.quiz_id == quiz_id,
            QuizAttempt.status == AttemptStatus.IN_PROGRESS,
        )
        .order_by(QuizAttempt.id.desc())
        .limit(1)
    )


def count_attempts(user_id: int, quiz_id: str) -> int:
    """How many attempts (any status) the user has started at this quiz."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(QuizAttempt)
            .where(QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz_id)
        )
        or 0
    )


def count_attempts_by_quiz(user_id: int) -> dict[str, int]:
    """Attempts started per quiz id, for showing "2 of 3 attempts used"."""
    rows = db.session.execute(
        sa.select(QuizAttempt.quiz_id, sa.func.count())
        .where(QuizAttempt.user_id == user_id)
        .group_by(QuizAttempt.quiz_id)
    )
    return {quiz_id: n for quiz_id, n in rows}


def list_best_percent_by_quiz(user_id: int) -> dict[str, float]:
    """The best graded percentage per quiz the user has finished (0-100)."""
    best: dict[str, float] = {}
    for attempt in list_closed_attempts(user_id):
        best[attempt.quiz_id] = max(
            best.get(attempt.quiz_id, 0.0), attempt.percent or 0
        )
    return best


def list_open_attempts(user_id: int) -> list[QuizAttempt]:
    """The user's attempts in progress, newest first."""
    return list(
        db.session.scalars(
            sa.select(QuizAttempt)
            .where(
                QuizAttempt.user_id == user_id,
                QuizAttempt.status == AttemptStatus.IN_PROGRESS,
            )
            .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
        )
    )


def list_closed_attempts(
    user_id: int, *, limit: int | None = None
) -> list[QuizAttempt]:
    """The user's graded attempts, newest first."""
    query = (
        sa.select(QuizAttempt)
        .where(
            QuizAttempt.user_id == user_id,
            QuizAttempt.status != AttemptStatus.IN_PROGRESS,
        )
        .order_by(QuizAttempt.submitted_at.desc(), QuizAttempt.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def get_availability(
    user_id: int, quiz_id: str, *, now: datetime
) -> windows.Availability:
    """Whether the student may start this quiz now, by its assignments to their
    classes.
    """
    found = class_services.list_quiz_windows_for_student(user_id, quiz_id=quiz_id)
    return windows.availability(
        [windows.Window(*w) for w in found.get(quiz_id, ())], now=now
    )


def list_unavailable_quizzes(
    user_id: int, *, now: datetime
) -> dict[str, windows.Availability]:
    """Quiz id -> availability, for the quizzes the student may not start now."""
    found = class_services.list_quiz_windows_for_student(user_id)
    result = {
        quiz_id: windows.availability([windows.Window(*w) for w in spans], now=now)
        for quiz_id, spans in found.items()
    }
    return {quiz_id: a for quiz_id, a in result.items() if not a.can_start}


def is_unreadable_number(question: Question | QuestionContent, response: Any) -> bool:
    """Whether a response to a numeric question is text that is not a number."""
    return (
        question.type == "numeric"
        and isinstance(response, str)
        and not is_blank(response)
        and parse_number(response, unit=question.data.get("unit") or "") is None
    )


def list_unreadable_numbers(
    items: Sequence[PresentedQuestion], responses: Mapping[str, Any]
) -> list[tuple[int, str]]:
    """(question number, text) of each numeric answer on a page that is not a number."""
    return [
        (item.number, responses[item.question.id])
        for item in items
        if is_unreadable_number(item.question, responses.get(item.question.id))
    ]


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    """Something wrong with an answer on a page, said before it is saved."""

    number: int
    question_id: str
    message: str
    #: the answer is not saved at all (a number that is not one); else saved, but
    #: pointed out (an item placed twice)
    is_blocking: bool


def check_responses(
    items: Sequence[PresentedQuestion], responses: Mapping[str, Any]
) -> list[AnswerProblem]:
    """What to tell the student about the answers on a page before saving them: a
    numeric answer that is not a number (not saved), an item picked twice.
    """
    problems = []
    for item in items:
        response = responses.get(item.question.id)
        if is_unreadable_number(item.question, response):
            problems.append(
                AnswerProblem(
                    item.number,
                    item.question.id,
                    f"Question {item.number}: “{response}” is not a number, so it was"
                    " not saved. Type digits only, for example 1953 or 2.5.",
                    is_blocking=True,
                )
            )
        picked = (
            list(response.values())
            if isinstance(response, Mapping)
            else response
            if item.question.type == "ordering" and isinstance(response, list)
            else []
        )
        chosen = [p for p in picked if isinstance(p, str) and p]
        twice = sorted({p for p in chosen if chosen.count(p) > 1})
        if twice:
            problems.append(
                AnswerProblem(
                    item.number,
                    item.question.id,
                    f"Question {item.number}: “{twice[0]}” is picked more than once."
                    " Each item belongs in one place only.",
                    is_blocking=False,
                )
            )
    return problems


def select_question_ids(quiz: Quiz) -> list[str]:
    """The live questions a quiz's selection matches, in bank then file order.

    Banks: none named = the quiz's own bank, ``all`` = every live bank. Topics, tags
    and ids combine as "any of"; with none of them, every question of those banks
    is selected.
    """
    chosen: Mapping[str, Sequence[str]] = quiz.selection or {}
    bank_ids = list(chosen.get("banks") or [quiz.bank_id])
    query = (
        sa.select(Question)
        .join(Bank)
        .where(Question.is_retired.is_(False), Bank.is_retired.is_(False))
        .order_by(Bank.title, Bank.id, Question.position)
    )
    if ALL_BANKS not in bank_ids:
        query = query.where(Question.bank_id.in_(bank_ids))
    questions = list(db.session.scalars(query))
    if ALL_BANKS not in bank_ids:
        rank = {bank_id: i for i, bank_id in enumerate(bank_ids)}
        questions.sort(key=lambda q: (rank[q.bank_id], q.position))
    topics = set(chosen.get("topics") or ())
    tags = set(chosen.get("tags") or ())
    ids = set(chosen.get("ids") or ())
    if topics or tags or ids:
        questions = [
            q
            for q in questions
            if q.topic in topics or q.id in ids or tags.intersection(q.tags)
        ]
    return [q.id for q in questions]


def variant_groups(question_ids: Sequence[str]) -> dict[str, str]:
    """Question id -> variant group, for those of these questions that have one."""
    rows = db.session.execute(
        sa.select(Question.id, Question.variant_group).where(
            Question.id.in_(question_ids), Question.variant_group.is_not(None)
        )
    )
    return {qid: group for qid, group in rows}


def deadline_with_grace(attempt: QuizAttempt, *, grace: timedelta) -> datetime | None:
    """The last moment an answer to this attempt is accepted, or None when untimed."""
    return None if attempt.deadline_at is None else attempt.deadline_at + grace


def seconds_left(attempt: QuizAttempt, *, now: datetime) -> int | None:
    """Whole seconds until the deadline (never negative), or None when untimed."""
    if attempt.deadline_at is None:
        return None
    return max(0, int((attempt.deadline_at - now).total_seconds()))


def is_overdue(attempt: QuizAttempt, *, now: datetime, grace: timedelta) -> bool:
    """Whether an open attempt's time, grace included, has run out."""
    last = deadline_with_grace(attempt, grace=grace)
    return attempt.is_open and last is not None and now > last


def is_blank(response: Any) -> bool:
    """Whether a response says nothing (no choice, empty text, every slot empty)."""
    if response is None:
        return True
    if isinstance(response, bool):
        return False
    if isinstance(response, str):
        return not response.strip()
    if isinstance(response, Mapping):
        return all(is_blank(v) for v in response.values())
    if isinstance(response, list | tuple):
        return all(is_blank(v) for v in response)
    return False


def present_questions(
    attempt: QuizAttempt, *, positions: Sequence[int] | None = None
) -> list[PresentedQuestion]:
    """The attempt's questions (or those at ``positions``) with options and answers."""
    wanted = range(len(attempt.question_ids)) if positions is None else positions
    ids = [attempt.question_ids[p] for p in wanted]
    questions = _questions_by_id(ids)
    answers = _answers_by_question(attempt)
    return [
        _present(p, questions[qid], seed=attempt.seed, answer=answers.get(qid))
        for p, qid in zip(wanted, ids, strict=True)
    ]


def present_for_answering(
    attempt: AttemptRef, *, positions: Sequence[int]
) -> list[PresentedQuestion]:
    """The questions at ``positions`` as shown, without saved answers: what a submitted
    page is read and graded against. Core queries only, this is the answer POST.
    """
    ids = [attempt.question_ids[p] for p in positions]
    rows = _run(_QUESTION_CONTENT, {"ids": ids})
    questions = {
        row.id: QuestionContent(
            id=row.id, version=row.version, type=row.type, data=row.data
        )
        for row in rows
    }
    return [
        _present(p, questions[qid], seed=attempt.seed, answer=None)
        for p, qid in zip(positions, ids, strict=True)
    ]


def _present(
    position: int,
    question: Question | QuestionContent,
    *,
    seed: int,
    answer: AttemptAnswer | None,
) -> PresentedQuestion:
    return PresentedQuestion(
        position=position,
        question=question,
        options=selection.presented_options(
            question.type,
            question.data,
            rng=selection.attempt_rng(seed, f"options:{question.id}"),
        ),
        answer=answer,
    )


def answered_positions(attempt: QuizAttempt) -> set[int]:
    """Positions of the questions with a saved gradable answer, for the navigator."""
    answers = _answers_by_question(attempt)
    filled = {
        p: qid
        for p, qid in enumerate(attempt.question_ids)
        if qid in answers and not is_blank(answers[qid].response)
    }
    questions = _questions_by_id(list(filled.values()))
    return {
        p
        for p, qid in filled.items()
        if not is_unreadable_number(questions[qid], answers[qid].response)
    }


def first_unanswered_position(attempt: QuizAttempt) -> int:
    """Where to resume: the first question without a gradable answer (0 if all have
    one, so the student starts again at the top to check).
    """
    answered = answered_positions(attempt)
    return next((p for p in range(len(attempt.question_ids)) if p not in answered), 0)


def list_results(
    attempt: QuizAttempt, *, held_back: Set[str] = frozenset()
) -> list[ResultItem]:
    """Every question of a graded attempt with both answers and the sources; those in
    ``held_back`` are marked so the page keeps their answers back.
    """
    questions = _questions_by_id(attempt.question_ids)
    answers = _answers_by_question(attempt)
    items = []
    for number, qid in enumerate(attempt.question_ids, start=1):
        question = questions[qid]
        qtype = QUESTION_TYPES[question.type]
        row = answers.get(qid)
        response = None if row is None else row.response
        bank_sources = question.bank.sources
        grade = qtype.grade(question.data, response)
        items.append(
            ResultItem(
                number=number,
                question=question,
                answer=row,
                your_answer=qtype.describe_response(question.data, response),
                right_answer=qtype.describe_answer(question.data),
                feedback=grade.feedback,
                tally=grade.tally,
                sources=[
                    bank_sources[k] for k in question.sources if k in bank_sources
                ],
                is_held_back=qid in held_back,
            )
        )
    return items


def sparkline_points(
    values: Sequence[float], *, width: int = 240, height: int = 48, pad: int = 4
) -> str:
    """SVG polyline points for percentages (0-100) drawn left to right, oldest first."""
    if not values:
        return ""
    step = (width - 2 * pad) / max(1, len(values) - 1)
    span = height - 2 * pad
    return " ".join(
        f"{pad + i * step:.1f},{pad + span * (1 - min(100.0, max(0.0, v)) / 100):.1f}"
        for i, v in enumerate(values)
    )


# --------------------------------------------------------------------------------------
# Writing


def start_attempt(
    user_id: int,
    quiz_id: str,
    *,
    now: datetime,
    rng: Random,
    grace: timedelta,
    tz_name: str = "UTC",
    is_teacher: bool = False,
) -> tuple[QuizAttempt, bool]:
    """Start an attempt or resume the one in progress; returns it and "was resumed".

    An attempt in progress is resumed even when its assignment has closed meanwhile.
    The settings that apply (time limit, attempts, pass mark) are the quiz's under the
    open assignment of the student's class that closes last (:mod:`.access`).

    :param tz_name: the student's time zone, for the dates in a refusal.
    :raises QuizUnavailable: unknown or retired quiz.
    :raises QuizNotOpen: set for the student's classes, and no assignment is open.
    :raises AttemptsExhausted: ``max_attempts`` already started (overdue ones count).
    :raises NoQuestions: the selection matches no live question.
    """
    quiz = get_quiz(quiz_id)
    if quiz is None:
        raise QuizUnavailable("This quiz is not available.")
    current = get_open_attempt(user_id, quiz_id)
    if current is not None and not close_if_overdue(current, now=now, grace=grace):
        return current, True
    met = access.get_student_quiz(user_id, quiz, now=now, is_teacher=is_teacher)
    if not met.may_see:
        raise QuizUnavailable("This quiz is only for the classes it is set for.")
    if not met.availability.can_start:
        raise QuizNotOpen(windows.refusal(met.availability, tz_name, now=now))
    settings = met.settings
    if (
        settings.max_attempts is not None
        and count_attempts(user_id, quiz_id) >= settings.max_attempts
    ):
        raise AttemptsExhausted(
            f"You have used all {settings.max_attempts} attempts at “{quiz.title}”."
        )
    candidates = select_question_ids(quiz)
    if not candidates:
        raise NoQuestions(f"“{quiz.title}” has no questions at the moment.")
    seed = rng.randrange(2**62)
    question_ids = selection.order_questions(
        candidates,
        count=quiz.count,
        shuffle=quiz.shuffle,
        rng=selection.attempt_rng(seed, "questions"),
        groups=variant_groups(candidates),
    )
    attempt = QuizAttempt(
        user_id=user_id,
        quiz_id=quiz.id,
        seed=seed,
        question_ids=question_ids,
        started_at=now,
        deadline_at=(
            now + timedelta(minutes=settings.time_limit_minutes)
            if settings.time_limit_minutes
            else None
        ),
        status=AttemptStatus.IN_PROGRESS,
        pass_mark=settings.pass_mark,
        assignment_id=met.assignment_id,
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt, False


def grade_responses(
    questions: Sequence[Question | QuestionContent], responses: Mapping[str, Any]
) -> list[PendingAnswer]:
    """Grade the responses (question id -> response) of these questions; no writes."""
    pending = []
    for question in questions:
        response = responses[question.id]
        grade = QUESTION_TYPES[question.type].grade(question.data, response)
        pending.append(
            PendingAnswer(
                question_id=question.id,
                question_version=question.version,
                response=response,
                score=grade.score,
                is_correct=grade.is_correct,
            )
        )
    return pending


def store_answers(
    attempt_id: int,
    pending: Sequence[PendingAnswer],
    *,
    now: datetime,
    grace: timedelta,
) -> None:
    """Upsert graded answers of the attempt's questions: one row per question, however
    often it is resubmitted.

    A blank response only updates an answer saved before (clearing it); it never adds a
    row. ``answered_at`` is when the answer was last saved. Grades are provisional: the
    attempt is graded again when it closes (the bank may change meanwhile). This is the
    hot path of a quiz, kept to two statements: check the attempt is open, then upsert.

    :raises AttemptClosed: the attempt is no longer open; nothing is saved.
    :raises TimeUp: the deadline plus grace has passed; nothing is saved and the
        attempt is closed and graded with what was saved before (commit it).
    """
    db.session.flush()  # the check below reads the table, not the ORM's objects
    state = _run(_ATTEMPT_STATE, {"attempt_id": attempt_id}).one()
    status, deadline_at = state.status, state.deadline_at
    if status != AttemptStatus.IN_PROGRESS or (
        deadline_at is not None and now > deadline_at + grace
    ):
        attempt = db.session.get_one(QuizAttempt, attempt_id)
        db.session.refresh(attempt)
        _ensure_open(attempt, now=now, grace=grace)
    rows = [
        {
            "attempt_id": attempt_id,
            "question_id": p.question_id,
            "question_version": p.question_version,
            "response": p.response,
            "score": p.score,
            "is_correct": p.is_correct,
            "answered_at": now,
        }
        for p in pending
    ]
    filled = [
        row for row, p in zip(rows, pending, strict=True) if not is_blank(p.response)
    ]
    cleared = [
        row for row, p in zip(rows, pending, strict=True) if is_blank(p.response)
    ]
    if filled:
        _run(_upsert_statement(db.session.get_bind().dialect.name), filled)
    for row in cleared:
        db.session.execute(
            sa.update(AttemptAnswer)
            .where(
                AttemptAnswer.attempt_id == row["attempt_id"],
                AttemptAnswer.question_id == row["question_id"],
            )
            .values({k: row[k] for k in _UPSERT_COLUMNS})
        )
    # The statements bypassed the ORM: answers already loaded in this session are stale.
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, AttemptAnswer):
            db.session.expire(obj)
        elif isinstance(obj, QuizAttempt) and sa.inspect(obj).identity == (attempt_id,):
            db.session.expire(obj, ["answers"])


def save_answers(
    attempt: QuizAttempt,
    responses: Mapping[str, Any],
    *,
    now: datetime,
    grace: timedelta,
) -> None:
    """Grade and store the answers of one page (question id -> response).

    :raises AttemptClosed, TimeUp, NotInAttempt: as :func:`store_answers`.
    """
    _ensure_open(attempt, now=now, grace=grace)
    unknown = [qid for qid in responses if qid not in attempt.question_ids]
    if unknown:
        raise NotInAttempt(f"Question {unknown[0]!r} is not part of this attempt.")
    questions = _questions_by_id(list(responses))
    pending = grade_responses(list(questions.values()), responses)
    store_answers(attempt.id, pending, now=now, grace=grace)


_UPSERT_COLUMNS = ("question_version", "response", "score", "is_correct", "answered_at")


@functools.cache
def _upsert_statement(dialect_name: str) -> Any:
    """INSERT .. ON CONFLICT (attempt_id, question_id) DO UPDATE, built once.

    Building ``excluded`` copies the table's columns, which costs more than running the
    statement; the answer POST is the hottest path of the app.
    """
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if dialect_name == "postgresql" else sqlite
    table: sa.Table = AttemptAnswer.__table__  # type: ignore[assignment]
    statement = dialect.insert(table)
    return statement.on_conflict_do_update(
        index_elements=["attempt_id", "question_id"],
        set_={k: statement.excluded[k] for k in _UPSERT_COLUMNS},
    )


def submit_attempt(
    attempt: QuizAttempt, *, now: datetime, grace: timedelta
) -> QuizAttempt:
    """Grade and close the attempt; a closed one is returned unchanged (double submit).

    Submitted after the deadline plus grace, it is closed as expired (graded all the
    same).
    """
    if not attempt.is_open:
        return attempt
    if not close_if_overdue(attempt, now=now, grace=grace):
        _grade_and_close(
            attempt, status=AttemptStatus.SUBMITTED, closed_at=now, now=now
        )
    return attempt


def close_if_overdue(attempt: QuizAttempt, *, now: datetime, grace: timedelta) -> bool:
    """Close and grade an open attempt whose time ran out; returns whether it did.

    The attempt counts as closed at its deadline, so closing it later changes nothing
    but when it is noticed.
    """
    if not is_overdue(attempt, now=now, grace=grace):
        return False
    assert attempt.deadline_at is not None  # is_overdue implies a deadline
    _grade_and_close(
        attempt, status=AttemptStatus.EXPIRED, closed_at=attempt.deadline_at, now=now
    )
    return True


def _ensure_open(attempt: QuizAttempt, *, now: datetime, grace: timedelta) -> None:
    if close_if_overdue(attempt, now=now, grace=grace):
        raise TimeUp(
            "Time was up, so that answer was not saved. "
            "The quiz was graded with your earlier answers."
        )
    if not attempt.is_open:
        raise AttemptClosed("This attempt has already been submitted.")


def _grade_and_close(
    attempt: QuizAttempt, *, status: AttemptStatus, closed_at: datetime, now: datetime
) -> None:
    questions = _questions_by_id(attempt.question_ids)
    answers = _answers_by_question(attempt)
    accepted = list_accepted_responses(attempt.question_ids)
    settings = access.attempt_settings(attempt)
    # Score-only results never show answers: a missed question's flashcard would.
    enqueue = settings.review is not review.Review.SCORE_ONLY
    total = 0.0
    missed: list[str] = []
    unanswered: list[dict[str, Any]] = []
    for qid in attempt.question_ids:
        question = questions[qid]
        row = answers.get(qid)
        response = row.response if row is not None else None
        version = row.question_version if row is not None else question.version
        grade = QUESTION_TYPES[question.type].grade(question.data, response)
        is_accepted = (qid, version, response_key(response)) in accepted
        score = 1.0 if is_accepted else grade.score
        is_correct = is_accepted or grade.is_correct
        if row is None:  # never answered: record it, so every question has a graded row
            unanswered.append(
                {
                    "attempt_id": attempt.id,
                    "question_id": qid,
                    "question_version": version,
                    "response": None,
                    "score": score,
                    "is_correct": is_correct,
                }
            )
            total += score
        else:
            row.score = score
            row.is_correct = is_correct
            total += row.final_score or 0.0
        if enqueue and not is_correct:
            missed.append(qid)
    if unanswered:
        # One executemany: ORM objects were inserted one statement each.
        db.session.execute(sa.insert(AttemptAnswer), unanswered)
        db.session.expire(attempt, ["answers"])
    # One batch after the loop: a query per missed question, each flushing every
    # graded row so far, made a long quiz's submit quadratic (7,092 questions: 30 s).
    flashcard_services.enqueue_missed_many(attempt.user_id, missed, now=now)
    attempt.score = round(total, 4)
    attempt.max_score = float(len(attempt.question_ids))
    percent = 100 * attempt.score / attempt.max_score if attempt.max_score else 0.0
    attempt.is_passed = percent >= attempt.pass_mark
    attempt.status = status
    attempt.submitted_at = closed_at
    db.session.flush()


def response_key(response: Any) -> str:
    """A response as comparable text (JSON with sorted keys)."""
    return json.dumps(response, sort_keys=True, ensure_ascii=False)


def list_accepted_responses(question_ids: Sequence[str]) -> set[tuple[str, int, str]]:
    """(question id, version, response key) of every answer a teacher accepted for
    these questions.
    """
    if not question_ids:
        return set()
    rows = db.session.execute(
        sa.select(
            AcceptedAnswer.question_id,
            AcceptedAnswer.question_version,
            AcceptedAnswer.response,
        ).where(AcceptedAnswer.question_id.in_(list(question_ids)))
    )
    return {(qid, version, response_key(resp)) for qid, version, resp in rows}


#: Prebuilt statements of the answer POST (building one costs more than running it).
_ATTEMPT_REF = sa.select(
    QuizAttempt.id, QuizAttempt.seed, QuizAttempt.question_ids
).where(
    QuizAttempt.id == sa.bindparam("attempt_id"),
    QuizAttempt.user_id == sa.bindparam("user_id"),
)
_ATTEMPT_STATE = sa.select(QuizAttempt.status, QuizAttempt.deadline_at).where(
    QuizAttempt.id == sa.bindparam("attempt_id")
)
_QUESTION_CONTENT = sa.select(
    Question.id, Question.version, Question.type, Question.data
).where(Question.id.in_(sa.bindparam("ids", expanding=True)))


def _run(statement: sa.Executable, params: Any) -> sa.CursorResult[Any]:
    """Run a Core statement on the session's connection, in the request's transaction.

    Unlike ``db.session.execute`` this skips the ORM's per-statement work (and its
    autoflush), which on the answer POST cost more than the SQL itself.
    """
    return db.session.connection().execute(statement, params)


def _questions_by_id(ids: Sequence[str]) -> dict[str, Question]:
    if not ids:
        return {}
    return {
        q.id: q
        for q in db.session.scalars(sa.select(Question).where(Question.id.in_(ids)))
    }


def _answers_by_question(attempt: QuizAttempt) -> dict[str, AttemptAnswer]:
    return {a.question_id: a for a in attempt.answers}

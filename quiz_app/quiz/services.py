"""Quiz writes: start attempts, save answers, grade and close them. Flushes only.

Time always arrives as ``now=`` (taken by the view when the request arrived) and the
grace period as ``grace=``; a late answer is refused here, on the server, whatever the
browser's countdown said. Never commits: the caller owns the transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from random import Random
from typing import Any

import sqlalchemy as sa

from quiz_app.banks.models import Question
from quiz_app.extensions import db
from quiz_app.flashcards import services as flashcard_services
from quiz_app.questions.grading import QUESTION_TYPES
from quiz_app.quiz import access, queries, review, rules, selection, windows
from quiz_app.quiz.models import AttemptAnswer, AttemptStatus, QuizAttempt
from quiz_app.quiz.queries import (
    answers_by_question,
    questions_by_id,
    run_core,
)
from quiz_app.quiz.records import (
    AttemptClosed,
    AttemptsExhausted,
    NoQuestions,
    PendingAnswer,
    QuestionContent,
    QuizNotOpen,
    QuizUnavailable,
    TimeUp,
)


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
    quiz = queries.get_quiz(quiz_id)
    if quiz is None:
        raise QuizUnavailable("This quiz is not available.")
    current = queries.get_open_attempt(user_id, quiz_id)
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
        and queries.count_attempts(user_id, quiz_id) >= settings.max_attempts
    ):
        raise AttemptsExhausted(
            f"You have used all {settings.max_attempts} attempts at “{quiz.title}”."
        )
    candidates = queries.select_question_ids(quiz)
    if not candidates:
        raise NoQuestions(f"“{quiz.title}” has no questions at the moment.")
    seed = rng.randrange(2**62)
    question_ids = selection.order_questions(
        candidates,
        count=quiz.count,
        shuffle=quiz.shuffle,
        rng=selection.attempt_rng(seed, "questions"),
        groups=queries.variant_groups(candidates),
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
    state = run_core(_ATTEMPT_STATE, {"attempt_id": attempt_id}).one()
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
        row
        for row, p in zip(rows, pending, strict=True)
        if not rules.is_blank(p.response)
    ]
    cleared = [
        row for row, p in zip(rows, pending, strict=True) if rules.is_blank(p.response)
    ]
    if filled:
        run_core(_upsert_statement(db.session.get_bind().dialect.name), filled)
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
    if not rules.is_overdue(attempt, now=now, grace=grace):
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
    questions = questions_by_id(attempt.question_ids)
    answers = answers_by_question(attempt)
    accepted = queries.list_accepted_responses(attempt.question_ids)
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
        is_accepted = (qid, version, queries.response_key(response)) in accepted
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


_ATTEMPT_STATE = sa.select(QuizAttempt.status, QuizAttempt.deadline_at).where(
    QuizAttempt.id == sa.bindparam("attempt_id")
)

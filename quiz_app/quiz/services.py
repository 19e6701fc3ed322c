"""Quiz writes: start attempts, save answers, grade and close them. Flushes only.

Time always arrives as ``now=`` (taken by the view when the request arrived) and the
grace period as ``grace=``; a late answer is refused here, on the server, whatever the
browser's countdown said. Never commits: the caller owns the transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random
from typing import Any

import sqlalchemy as sa

from quiz_app.banks.models import Question
from quiz_app.extensions import db
from quiz_app.flashcards import services as flashcard_services
from quiz_app.questions.grading import QUESTION_TYPES
from quiz_app.quiz import access, queries, review, rules, scoring, selection, windows
from quiz_app.quiz.models import AttemptAnswer, AttemptStatus, QuizAttempt
from quiz_app.quiz.queries import run_core
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
        # A start racing this one may have added the attempt counted here: resume it.
        racing = queries.get_open_attempt(user_id, quiz_id)
        if racing is not None:
            return racing, True
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
    try:
        # The partial unique index admits one attempt in progress per student and
        # quiz: of two starts at once the second fails here, and resumes the first.
        with db.session.begin_nested():
            db.session.add(attempt)
    except sa.exc.IntegrityError:
        current = queries.get_open_attempt(user_id, quiz_id)
        if current is None:
            raise
        return current, True
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
    attempt: QuizAttempt,
    *,
    now: datetime,
    grace: timedelta,
    graded: Grading | None = None,
) -> QuizAttempt:
    """Grade and close the attempt; a closed one is returned unchanged (double submit).

    Submitted after the deadline plus grace, it is closed as expired (graded all the
    same).

    :param graded: the attempt graded beforehand, outside the write lock, by
        :func:`grade_for_close`; only answers saved since are graded here.
    """
    if not attempt.is_open:
        return attempt
    if not close_if_overdue(attempt, now=now, grace=grace, graded=graded):
        _grade_and_close(
            attempt,
            status=AttemptStatus.SUBMITTED,
            closed_at=now,
            now=now,
            graded=graded,
        )
    return attempt


def close_if_overdue(
    attempt: QuizAttempt,
    *,
    now: datetime,
    grace: timedelta,
    graded: Grading | None = None,
) -> bool:
    """Close and grade an open attempt whose time ran out; returns whether it did.

    The attempt counts as closed at its deadline, so closing it later changes nothing
    but when it is noticed.
    """
    if not rules.is_overdue(attempt, now=now, grace=grace):
        return False
    assert attempt.deadline_at is not None  # is_overdue implies a deadline
    _grade_and_close(
        attempt,
        status=AttemptStatus.EXPIRED,
        closed_at=attempt.deadline_at,
        now=now,
        graded=graded,
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


@dataclass(frozen=True, slots=True)
class Grading:
    """An attempt graded from one read of its answers (:func:`grade_for_close`)."""

    attempt_id: int
    questions: dict[str, QuestionContent]
    answers: dict[str, scoring.SavedAnswer]
    accepted: set[tuple[str, int, str]]
    grades: dict[str, scoring.Grade]


def grade_for_close(attempt: QuizAttempt) -> Grading:
    """Grade every drawn question of the attempt from its answers as saved now.

    Reads only: the submit view calls it before taking the write lock, so grading a
    long quiz never holds up other students' saves. The close re-reads the answers
    under the lock and grades again only those saved since.
    """
    questions = _question_contents(attempt.question_ids)
    answers = _saved_answers(attempt.id)
    accepted = queries.list_accepted_responses(attempt.question_ids)
    return Grading(
        attempt_id=attempt.id,
        questions=questions,
        answers=answers,
        accepted=accepted,
        grades=scoring.grade_attempt(
            attempt.question_ids, questions, answers, accepted
        ),
    )


def _question_contents(ids: Sequence[str]) -> dict[str, QuestionContent]:
    """The drawn questions as plain records (they outlive the read transaction)."""
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Question.id, Question.version, Question.type, Question.data).where(
            Question.id.in_(list(ids))
        )
    )
    return {
        qid: QuestionContent(qid, version, qtype, data)
        for qid, version, qtype, data in rows
    }


def _saved_answers(attempt_id: int) -> dict[str, scoring.SavedAnswer]:
    """The attempt's answer rows as plain records, in one query."""
    rows = run_core(_SAVED_ANSWERS, {"attempt_id": attempt_id})
    return {
        row.question_id: scoring.SavedAnswer(
            row_id=row.id,
            question_id=row.question_id,
            question_version=row.question_version,
            response=row.response,
            answered_at=row.answered_at,
            score=row.score,
            is_correct=row.is_correct,
            mark_override=row.mark_override,
        )
        for row in rows
    }


_SAVED_ANSWERS = sa.select(
    AttemptAnswer.id,
    AttemptAnswer.question_id,
    AttemptAnswer.question_version,
    AttemptAnswer.response,
    AttemptAnswer.answered_at,
    AttemptAnswer.score,
    AttemptAnswer.is_correct,
    AttemptAnswer.mark_override,
).where(AttemptAnswer.attempt_id == sa.bindparam("attempt_id"))

_UPDATE_GRADE = (
    sa.update(AttemptAnswer)
    .where(AttemptAnswer.id == sa.bindparam("row_id"))
    .values(score=sa.bindparam("new_score"), is_correct=sa.bindparam("new_correct"))
)


def _grade_and_close(
    attempt: QuizAttempt,
    *,
    status: AttemptStatus,
    closed_at: datetime,
    now: datetime,
    graded: Grading | None = None,
) -> None:
    # Lock the attempt's row and read it and its answers afresh: of two closes at
    # once (a double submit) the second waits for the first, then finds it closed; an
    # answer being saved (it holds a share lock) is either in before the grading or
    # refused after it.
    db.session.flush()
    db.session.expire_all()
    db.session.refresh(attempt, with_for_update=True)
    if not attempt.is_open:
        return
    if graded is None or graded.attempt_id != attempt.id:
        graded = grade_for_close(attempt)
        answers = graded.answers
        grades = graded.grades
    else:
        # Graded before the lock: grade again only the answers saved since.
        answers = _saved_answers(attempt.id)
        grades = dict(graded.grades)
        for qid in scoring.changed_since(graded.answers, answers):
            grades[qid] = scoring.grade_question(
                graded.questions[qid], answers[qid], graded.accepted
            )
    closing = scoring.plan_closing(attempt.question_ids, grades, answers)
    connection = db.session.connection()
    if closing.updates:
        connection.execute(
            _UPDATE_GRADE,
            [
                {"row_id": row_id, "new_score": score, "new_correct": correct}
                for row_id, score, correct in closing.updates
            ],
        )
    if closing.inserts:
        # One executemany: ORM objects were inserted one statement each.
        connection.execute(
            sa.insert(AttemptAnswer),
            [
                {
                    "attempt_id": attempt.id,
                    "question_id": g.question_id,
                    "question_version": g.question_version,
                    "response": None,
                    "score": g.score,
                    "is_correct": g.is_correct,
                }
                for g in closing.inserts
            ],
        )
    db.session.expire(attempt, ["answers"])
    # Score-only results never show answers: a missed question's flashcard would.
    if access.attempt_settings(attempt).review is not review.Review.SCORE_ONLY:
        # One batch: a query per missed question, each flushing every graded row so
        # far, made a long quiz's submit quadratic (7,092 questions: 30 s).
        flashcard_services.enqueue_missed_many(attempt.user_id, closing.missed, now=now)
    attempt.score = closing.total
    attempt.max_score = float(len(attempt.question_ids))
    percent = 100 * attempt.score / attempt.max_score if attempt.max_score else 0.0
    attempt.is_passed = percent >= attempt.pass_mark
    attempt.status = status
    attempt.submitted_at = closed_at
    db.session.flush()


#: FOR SHARE on PostgreSQL (SQLite's writers are serialised anyway): the attempt cannot
#: be graded and closed while this answer is being saved.
_ATTEMPT_STATE = (
    sa.select(QuizAttempt.status, QuizAttempt.deadline_at)
    .where(QuizAttempt.id == sa.bindparam("attempt_id"))
    .with_for_update(read=True)
)

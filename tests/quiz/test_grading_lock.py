"""Submitting grades outside the write lock, in work linear in the questions, and a
7,000-question quiz submits (issue 13: it failed with a 500 after 30 s).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from random import Random
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from quiz_app.extensions import db
from quiz_app.questions.grading import QUESTION_TYPES
from quiz_app.quiz import services
from quiz_app.quiz.models import AttemptAnswer, AttemptStatus, QuizAttempt
from tests.conftest import AuthActions
from tests.factories import make_schema_question
from tests.quiz.helpers import save_answers

GRACE = timedelta(seconds=30)


@contextmanager
def events(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """In order: each statement, each commit and rollback, and each question graded."""
    log: list[str] = []
    original = QUESTION_TYPES["single_choice"]

    def grade(data: Any, response: Any) -> Any:
        log.append("grade")
        return original.grade(data, response)

    monkeypatch.setitem(
        QUESTION_TYPES, "single_choice", dataclasses.replace(original, grade=grade)
    )

    def statement(_conn: Any, _cursor: Any, text: str, *_args: Any) -> None:
        log.append(text.split(None, 2)[0].upper() + " " + text[6:16].strip())

    listeners: list[tuple[str, Callable[..., None]]] = [
        ("before_cursor_execute", statement),
        ("commit", lambda *_: log.append("COMMIT")),
        ("rollback", lambda *_: log.append("ROLLBACK")),
    ]
    for name, fn in listeners:
        sa.event.listen(db.engine, name, fn)
    try:
        yield log
    finally:
        for name, fn in listeners:
            sa.event.remove(db.engine, name, fn)
        monkeypatch.setitem(QUESTION_TYPES, "single_choice", original)


def _quiz(make_bank: Callable[..., Any], questions: int, bank_id: str = "big") -> str:
    make_bank(
        bank_id,
        questions=tuple(
            make_schema_question(f"{bank_id}-q{n}") for n in range(questions)
        ),
    )
    db.session.commit()
    return f"{bank_id}-all"


def _start(client: FlaskClient, quiz_id: str) -> int:
    response = client.post(f"/quiz/{quiz_id}/start")
    assert response.status_code == 302, response.status_code
    return int(response.location.split("/attempt/")[1].split("?")[0].split("/")[0])


def _answer_half(attempt_id: int, now: datetime) -> QuizAttempt:
    attempt = db.session.get_one(QuizAttempt, attempt_id)
    save_answers(
        attempt,
        {qid: "Right" for qid in attempt.question_ids[::2]},
        now=now,
        grace=GRACE,
    )
    db.session.commit()
    return attempt


def _submit(client: FlaskClient, attempt_id: int) -> None:
    response = client.post(f"/quiz/attempt/{attempt_id}/submit")
    assert response.status_code == 302
    assert response.location.endswith(f"/quiz/attempt/{attempt_id}/results")


@pytest.mark.sqlite_only  # BEGIN IMMEDIATE is how SQLite takes its one write lock
def test_the_submit_grades_before_it_takes_the_write_lock(
    client: FlaskClient,
    auth: AuthActions,
    make_bank: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quiz_id = _quiz(make_bank, 20)
    auth.login()
    attempt_id = _start(client, quiz_id)
    _answer_half(attempt_id, datetime.now().astimezone())
    with events(monkeypatch) as log:
        _submit(client, attempt_id)
    locked = False
    graded_under_lock = 0
    for event in log:
        if event.startswith("BEGIN") and "IMMEDIATE" in event:
            locked = True
        elif event in ("COMMIT", "ROLLBACK"):
            locked = False
        elif event == "grade":
            graded_under_lock += locked
    assert log.count("grade") == 20
    assert graded_under_lock == 0, [e for e in log if e != "grade"]
    assert any("IMMEDIATE" in e for e in log)  # the results were written under it


def test_submit_work_is_linear_in_the_questions(
    client: FlaskClient,
    auth: AuthActions,
    make_bank: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    auth.login()
    work = {}
    for size in (50, 500):
        quiz_id = _quiz(make_bank, size, bank_id=f"b{size}")
        attempt_id = _start(client, quiz_id)
        _answer_half(attempt_id, datetime.now().astimezone())
        with events(monkeypatch) as log:
            _submit(client, attempt_id)
        work[size] = (
            log.count("grade"),
            len([e for e in log if e not in ("grade", "COMMIT", "ROLLBACK")]),
        )
    # each question graded exactly once, in the same statements whatever the size
    assert work[50][0] == 50 and work[500][0] == 500
    assert work[500][1] == work[50][1], work


def test_a_7000_question_quiz_submits(
    client: FlaskClient, auth: AuthActions, make_bank: Callable[..., Any]
) -> None:
    quiz_id = _quiz(make_bank, 7000)
    auth.login()
    attempt_id = _start(client, quiz_id)
    _answer_half(attempt_id, datetime.now().astimezone())
    _submit(client, attempt_id)
    db.session.expire_all()
    attempt = db.session.get_one(QuizAttempt, attempt_id)
    assert attempt.status == AttemptStatus.SUBMITTED
    assert (attempt.score, attempt.max_score) == (3500.0, 7000.0)
    rows = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AttemptAnswer)
        .where(AttemptAnswer.attempt_id == attempt_id)
    )
    assert rows == 7000


def test_an_answer_saved_after_the_grading_counts(make_bank, make_user, now) -> None:
    quiz_id = _quiz(make_bank, 3)
    user = make_user("kim")
    attempt, _ = services.start_attempt(
        user.id, quiz_id, now=now, rng=Random(1), grace=GRACE
    )
    first, second, _third = attempt.question_ids
    save_answers(attempt, {first: "Wrong 1", second: "Right"}, now=now, grace=GRACE)
    graded = services.grade_for_close(attempt)
    # Saved while the submit waited for the lock: changed, and newly answered.
    later = now + timedelta(seconds=5)
    save_answers(attempt, {first: "Right", _third: "Right"}, now=later, grace=GRACE)
    services.submit_attempt(attempt, now=later, grace=GRACE, graded=graded)
    assert attempt.score == 3.0
    scores = dict(
        db.session.execute(
            sa.select(AttemptAnswer.question_id, AttemptAnswer.score).where(
                AttemptAnswer.attempt_id == attempt.id
            )
        ).all()
    )
    assert scores == {first: 1.0, second: 1.0, _third: 1.0}


def test_an_attempt_closed_after_the_grading_is_left_as_it_is(
    make_bank, make_user, now
) -> None:
    quiz_id = _quiz(make_bank, 2)
    user = make_user("kim")
    attempt, _ = services.start_attempt(
        user.id, quiz_id, now=now, rng=Random(1), grace=GRACE
    )
    save_answers(attempt, {attempt.question_ids[0]: "Right"}, now=now, grace=GRACE)
    graded = services.grade_for_close(attempt)
    services.submit_attempt(attempt, now=now, grace=GRACE)  # a double submit won
    closed_at = attempt.submitted_at
    services.submit_attempt(
        attempt, now=now + timedelta(seconds=9), grace=GRACE, graded=graded
    )
    assert (attempt.score, attempt.submitted_at) == (1.0, closed_at)
    rows = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AttemptAnswer)
        .where(AttemptAnswer.attempt_id == attempt.id)
    )
    assert rows == 2


@pytest.mark.sqlite_only
def test_an_answer_is_graded_before_the_write_lock(
    client: FlaskClient,
    auth: AuthActions,
    make_bank: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Loading the logged-in user began the POST's transaction with BEGIN IMMEDIATE, so
    # the answer page's "read and grade first" ran under the write lock all the same.
    quiz_id = _quiz(make_bank, 3)
    auth.login()
    attempt_id = _start(client, quiz_id)
    with events(monkeypatch) as log:
        response = client.post(
            f"/quiz/attempt/{attempt_id}/answer",
            data={"page": "1", "action": "save", "q1": "Right"},
        )
    assert response.status_code == 302
    locked = graded_under_lock = 0
    for event in log:
        if event.startswith("BEGIN") and "IMMEDIATE" in event:
            locked = 1
        elif event in ("COMMIT", "ROLLBACK"):
            locked = 0
        elif event == "grade":
            graded_under_lock += locked
    assert log.count("grade") == 1
    assert graded_under_lock == 0, log

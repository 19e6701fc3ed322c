"""A teacher's mark override and answers accepted for everyone."""

from __future__ import annotations

import pytest

from quiz_app.banks.models import Question
from quiz_app.extensions import db
from quiz_app.quiz import marking
from quiz_app.quiz import services as quiz_services
from tests.factories import make_schema_question
from tests.teacher.helpers import take_quiz


@pytest.fixture
def world(app, make_bank, make_user):
    make_bank(
        "bank-a",
        questions=(
            make_schema_question("qa"),
            make_schema_question("qb"),
        ),
    )
    return {
        "teacher": make_user("teacher", role="teacher"),
        "kim": make_user("kim"),
        "lee": make_user("lee"),
    }


def test_override_changes_the_score_and_keeps_the_reason(world, now):
    attempt = take_quiz(
        world["kim"], "bank-a-all", {"qa": "Right", "qb": "Wrong 1"}, now=now
    )
    assert attempt.score == 1.0 and attempt.is_passed is False
    answer = marking.override_mark(
        attempt,
        "qb",
        mark=1.0,
        reason="Fair reading",
        teacher=world["teacher"],
        now=now,
    )
    assert answer.mark_reason == "Fair reading" and answer.score == 0.0
    assert attempt.score == 2.0 and attempt.is_passed is True
    marking.override_mark(
        attempt, "qb", mark=None, reason="", teacher=world["teacher"], now=now
    )
    assert attempt.score == 1.0 and answer.mark_reason is None


@pytest.mark.parametrize(
    ("mark", "reason", "message"),
    [(1.5, "x", "between 0 and 1"), (0.5, "  ", "reason"), (-0.1, "x", "between")],
)
def test_override_refuses_bad_marks(world, now, mark, reason, message):
    attempt = take_quiz(world["kim"], "bank-a-all", {}, now=now)
    with pytest.raises(marking.MarkingError, match=message):
        marking.override_mark(
            attempt, "qa", mark=mark, reason=reason, teacher=world["teacher"], now=now
        )


def test_accept_for_everyone_regrades_the_same_response_only(world, now):
    kim = take_quiz(world["kim"], "bank-a-all", {"qa": "Wrong 1"}, now=now)
    lee = take_quiz(world["lee"], "bank-a-all", {"qa": "Wrong 2"}, now=now, seed=2)
    question = db.session.get(Question, "qa")
    change = marking.accept_for_everyone(
        question,
        version=question.version,
        response="Wrong 1",
        teacher=world["teacher"],
        now=now,
    )
    assert (change.regraded, change.attempts) == (1, 1)
    assert kim.score == 1.0 and lee.score == 0.0
    assert change.accepted.response_text  # described for the question page
    # twice: nothing more
    again = marking.accept_for_everyone(
        question,
        version=question.version,
        response="Wrong 1",
        teacher=world["teacher"],
        now=now,
    )
    assert again.regraded == 0
    # a later attempt with that response is graded right at once
    later = take_quiz(world["lee"], "bank-a-all", {"qa": "Wrong 1"}, now=now, seed=3)
    assert later.score == 1.0
    assert [a.response for a in marking.list_accepted_answers("qa")] == ["Wrong 1"]


def test_open_attempt_cannot_be_marked(world, now):
    import random

    attempt, _ = quiz_services.start_attempt(
        world["kim"].id,
        "bank-a-all",
        now=now,
        rng=random.Random(1),
        grace=__import__("datetime").timedelta(seconds=30),
    )
    with pytest.raises(marking.MarkingError, match="still open"):
        marking.override_mark(
            attempt, "qa", mark=1, reason="x", teacher=world["teacher"], now=now
        )

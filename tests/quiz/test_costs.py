"""Submitting costs a fixed number of queries, however long the quiz."""

from __future__ import annotations

from datetime import timedelta
from random import Random

import sqlalchemy as sa

from quiz_app.extensions import db
from quiz_app.flashcards.models import CardProgress
from quiz_app.quiz import services
from tests.factories import make_schema_question
from tests.quiz.helpers import save_answers

GRACE = timedelta(seconds=30)


def _submit_counting_queries(make_bank, make_user, now, *, questions: int) -> int:
    bank_id = f"b{questions}"
    make_bank(
        bank_id,
        questions=tuple(
            make_schema_question(f"{bank_id}-q{n}") for n in range(questions)
        ),
    )
    user = make_user(f"u{questions}")
    attempt, _ = services.start_attempt(
        user.id, f"{bank_id}-all", now=now, rng=Random(1), grace=GRACE
    )
    # Half answered wrong, half not at all: every question is missed.
    wanted = {qid: "Wrong 1" for qid in attempt.question_ids[::2]}
    save_answers(attempt, wanted, now=now, grace=GRACE)
    db.session.flush()
    count = 0

    def on_execute(*_args):
        nonlocal count
        count += 1

    sa.event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        services.submit_attempt(attempt, now=now, grace=GRACE)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", on_execute)
    missed = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(CardProgress)
        .where(CardProgress.user_id == user.id)
    )
    assert missed == questions  # every missed question joined the student's cards
    return count


def test_submit_runs_the_same_queries_for_5_or_50_questions(make_bank, make_user, now):
    small = _submit_counting_queries(make_bank, make_user, now, questions=5)
    large = _submit_counting_queries(make_bank, make_user, now, questions=50)
    assert large <= small + 2, (small, large)

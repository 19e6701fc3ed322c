"""Quiz services on the database with a fixed clock: start, answer, grade, expire."""

from __future__ import annotations

from datetime import timedelta
from random import Random

import pytest
import sqlalchemy as sa

from quiz_app.banks import schema
from quiz_app.banks.models import Question
from quiz_app.extensions import db
from quiz_app.flashcards.models import CardProgress
from quiz_app.quiz import queries, records, rules, services
from quiz_app.quiz.models import AttemptAnswer, AttemptStatus, QuizAttempt
from tests.factories import make_schema_question
from tests.quiz.helpers import RIGHT_RESPONSES, make_quiz_bank, save_answers

GRACE = timedelta(seconds=30)


@pytest.fixture
def student(make_user):
    return make_user("alice")


def _start(user, quiz_id="bank-a-quiz", *, now, seed=1):
    return services.start_attempt(
        user.id,
        quiz_id,
        now=now,
        rng=Random(seed),
        grace=GRACE,
    )


def test_start_draws_the_selected_questions_in_order(make_bank, student, now):
    make_quiz_bank(make_bank)
    attempt, resumed = _start(student, now=now)
    assert not resumed
    assert attempt.question_ids == list(RIGHT_RESPONSES)
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert attempt.started_at == now and attempt.deadline_at is None


def test_start_shuffles_and_draws_count_stably_per_seed(make_bank, student, now):
    make_quiz_bank(make_bank, shuffle=True, count=4)
    first, _ = _start(student, now=now, seed=7)
    again = queries.select_question_ids(first.quiz)
    assert len(first.question_ids) == 4 and set(first.question_ids) <= set(again)
    from quiz_app.quiz import selection

    assert first.question_ids == selection.order_questions(
        again, count=4, shuffle=True, rng=selection.attempt_rng(first.seed, "questions")
    )


def test_start_resumes_the_attempt_in_progress(make_bank, student, now):
    make_quiz_bank(make_bank)
    first, _ = _start(student, now=now)
    second, resumed = _start(student, now=now + timedelta(hours=2), seed=2)
    assert resumed and second.id == first.id
    assert queries.count_attempts(student.id, "bank-a-quiz") == 1


def test_start_refused_when_attempts_are_used_up(make_bank, student, now):
    make_quiz_bank(make_bank, max_attempts=1)
    attempt, _ = _start(student, now=now)
    services.submit_attempt(attempt, now=now, grace=GRACE)
    with pytest.raises(records.AttemptsExhausted):
        _start(student, now=now + timedelta(minutes=1))


def test_start_unknown_or_retired_quiz_is_unavailable(make_bank, student, now):
    make_quiz_bank(make_bank)
    with pytest.raises(records.QuizUnavailable):
        _start(student, "no-such-quiz", now=now)
    queries.get_quiz("bank-a-quiz").is_retired = True
    with pytest.raises(records.QuizUnavailable):
        _start(student, now=now)


def test_start_with_no_live_question_is_refused(make_bank, student, now):
    make_quiz_bank(make_bank)
    for question in db.session.scalars(sa.select(Question)):
        question.is_retired = True
    with pytest.raises(records.NoQuestions):
        _start(student, now=now)


def test_time_limit_sets_the_deadline(make_bank, student, now):
    make_quiz_bank(make_bank, time_limit_minutes=15)
    attempt, _ = _start(student, now=now)
    assert attempt.deadline_at == now + timedelta(minutes=15)
    assert rules.seconds_left(attempt, now=now + timedelta(minutes=5)) == 600
    assert rules.seconds_left(attempt, now=now + timedelta(hours=1)) == 0


@pytest.mark.parametrize(
    ("select", "expected"),
    [
        ({}, list(RIGHT_RESPONSES)),
        ({"topics": ("topic-b",)}, ["q-tf"]),
        ({"tags": ("people",)}, ["q-single"]),
        ({"ids": ("q-order", "q-short")}, ["q-short", "q-order"]),
        ({"topics": ("topic-b",), "ids": ("q-match",)}, ["q-tf", "q-match"]),
    ],
)
def test_selection_combines_topics_tags_and_ids_as_any_of(
    make_bank, now, select, expected
):
    make_quiz_bank(make_bank, select=schema.Selection(**select))
    assert queries.select_question_ids(queries.get_quiz("bank-a-quiz")) == expected


def test_selection_across_banks_skips_retired_questions(make_bank, now):
    make_bank("bank-b", questions=(make_schema_question("b-1"),))
    make_bank(
        "bank-c",
        questions=(make_schema_question("c-1"), make_schema_question("c-2")),
        quizzes=(
            schema.QuizDef(
                id="named",
                title="Named",
                select=schema.Selection(banks=("bank-c", "bank-b")),
            ),
            schema.QuizDef(
                id="every", title="All", select=schema.Selection(banks=("all",))
            ),
        ),
    )
    db.session.get(Question, "c-2").is_retired = True
    assert queries.select_question_ids(queries.get_quiz("named")) == ["c-1", "b-1"]
    assert queries.select_question_ids(queries.get_quiz("every")) == ["b-1", "c-1"]


def test_saving_the_same_answer_twice_keeps_one_row(make_bank, student, now):
    make_quiz_bank(make_bank)
    attempt, _ = _start(student, now=now)
    for _ in range(2):
        save_answers(attempt, {"q-single": "Right"}, now=now, grace=GRACE)
    later = now + timedelta(minutes=1)
    save_answers(attempt, {"q-single": "Wrong 1"}, now=later, grace=GRACE)
    rows = db.session.scalars(sa.select(AttemptAnswer)).all()
    assert len(rows) == 1
    assert rows[0].response == "Wrong 1" and rows[0].answered_at == later
    assert rows[0].question_version == 1


def test_blank_answers_are_not_stored_but_can_clear_one(make_bank, student, now):
    make_quiz_bank(make_bank)
    attempt, _ = _start(student, now=now)
    blank = {"q-single": None, "q-order": [None, None, None], "q-short": ""}
    save_answers(attempt, blank, now=now, grace=GRACE)
    assert attempt.answers == []
    save_answers(attempt, {"q-short": "Kaesong"}, now=now, grace=GRACE)
    save_answers(attempt, {"q-short": ""}, now=now, grace=GRACE)
    assert [a.response for a in attempt.answers] == [""]
    assert queries.answered_positions(attempt) == set()


def test_submit_grades_every_type_and_passes(make_bank, student, now):
    make_quiz_bank(make_bank)
    attempt, _ = _start(student, now=now)
    save_answers(attempt, RIGHT_RESPONSES, now=now, grace=GRACE)
    services.submit_attempt(attempt, now=now + timedelta(minutes=3), grace=GRACE)
    assert attempt.status == AttemptStatus.SUBMITTED
    assert (attempt.score, attempt.max_score, attempt.percent) == (7.0, 7.0, 100.0)
    assert attempt.is_passed and attempt.submitted_at == now + timedelta(minutes=3)
    assert all(a.is_correct for a in attempt.answers)
    assert db.session.scalars(sa.select(CardProgress)).all() == []


def test_submit_scores_partial_credit_and_enqueues_missed_questions(
    make_bank, student, now
):
    make_quiz_bank(make_bank, pass_mark=50)
    attempt, _ = _start(student, now=now)
    responses = {
        **RIGHT_RESPONSES,
        "q-multi": ["Kaesong"],  # half the correct ticks
        "q-order": ["Little Switch", "Armistice signed", "Stalin dies"],  # 1 of 2 pairs
        "q-numeric": "1,953.5",
    }
    del responses["q-short"]  # never answered
    save_answers(attempt, responses, now=now, grace=GRACE)
    services.submit_attempt(attempt, now=now, grace=GRACE)
    scores = {a.question_id: a.score for a in attempt.answers}
    assert scores == {
        "q-single": 1.0,
        "q-multi": 0.5,
        "q-tf": 1.0,
        "q-short": 0.0,
        "q-numeric": 0.0,
        "q-order": 0.5,
        "q-match": 1.0,
    }
    assert attempt.score == 4.0 and attempt.is_passed  # 57% >= 50%
    queued = {p.card_id for p in db.session.scalars(sa.select(CardProgress))}
    assert queued == {"q-multi", "q-short", "q-numeric", "q-order"}


def test_failing_below_the_pass_mark(make_bank, student, now):
    make_quiz_bank(make_bank, pass_mark=60)
    attempt, _ = _start(student, now=now)
    save_answers(attempt, {"q-single": "Right"}, now=now, grace=GRACE)
    services.submit_attempt(attempt, now=now, grace=GRACE)
    assert attempt.score == 1.0 and not attempt.is_passed


def test_double_submit_is_idempotent(make_bank, student, now):
    make_quiz_bank(make_bank)
    attempt, _ = _start(student, now=now)
    services.submit_attempt(attempt, now=now, grace=GRACE)
    services.submit_attempt(attempt, now=now + timedelta(minutes=5), grace=GRACE)
    assert attempt.submitted_at == now
    assert len(attempt.answers) == 7
    with pytest.raises(records.AttemptClosed):
        save_answers(attempt, {"q-single": "Right"}, now=now, grace=GRACE)


def test_answer_within_grace_is_saved(make_bank, student, now):
    make_quiz_bank(make_bank, time_limit_minutes=10)
    attempt, _ = _start(student, now=now)
    late = now + timedelta(minutes=10, seconds=30)
    save_answers(attempt, {"q-single": "Right"}, now=late, grace=GRACE)
    services.submit_attempt(attempt, now=late, grace=GRACE)
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.score == 1.0


def test_answer_after_grace_is_refused_and_the_attempt_closed(make_bank, student, now):
    make_quiz_bank(make_bank, time_limit_minutes=10)
    attempt, _ = _start(student, now=now)
    save_answers(attempt, {"q-single": "Right"}, now=now, grace=GRACE)
    too_late = now + timedelta(minutes=10, seconds=31)
    with pytest.raises(records.TimeUp):
        save_answers(attempt, {"q-tf": False}, now=too_late, grace=GRACE)
    assert attempt.status == AttemptStatus.EXPIRED
    assert attempt.submitted_at == attempt.deadline_at
    assert attempt.score == 1.0  # only the answer saved in time
    assert {a.question_id: a.response for a in attempt.answers}["q-tf"] is None


def test_late_submit_closes_as_expired(make_bank, student, now):
    make_quiz_bank(make_bank, time_limit_minutes=10)
    attempt, _ = _start(student, now=now)
    services.submit_attempt(attempt, now=now + timedelta(hours=1), grace=GRACE)
    assert attempt.status == AttemptStatus.EXPIRED and attempt.score == 0.0


def test_overdue_attempt_counts_and_a_new_one_starts(make_bank, student, now):
    make_quiz_bank(make_bank, time_limit_minutes=5, max_attempts=2)
    first, _ = _start(student, now=now)
    second, resumed = _start(student, now=now + timedelta(hours=1))
    assert not resumed and second.id != first.id
    assert first.status == AttemptStatus.EXPIRED
    services.submit_attempt(second, now=now + timedelta(hours=1), grace=GRACE)
    with pytest.raises(records.AttemptsExhausted):
        _start(student, now=now + timedelta(hours=2))


def test_attempts_are_private(make_bank, student, make_user, now):
    make_quiz_bank(make_bank)
    attempt, _ = _start(student, now=now)
    bob = make_user("bob")
    assert queries.get_attempt(attempt.id, user_id=student.id) is attempt
    assert queries.get_attempt(attempt.id, user_id=bob.id) is None
    assert queries.get_attempt(attempt.id + 1, user_id=student.id) is None


def test_option_order_is_stable_per_attempt(make_bank, student, make_user, now):
    make_quiz_bank(make_bank)
    attempt, _ = _start(student, now=now)
    shown = [p.options for p in queries.present_questions(attempt)]
    assert shown == [p.options for p in queries.present_questions(attempt)]
    single = queries.present_questions(attempt, positions=[0])[0]
    assert single.question.id == "q-single"
    assert sorted(single.options["choices"]) == ["Right", "Wrong 1", "Wrong 2"]
    order = queries.present_questions(attempt, positions=[5])[0].options["items"]
    assert order != list(RIGHT_RESPONSES["q-order"])  # never shown solved


def test_results_describe_both_answers_and_cite_sources(make_bank, student, now):
    make_quiz_bank(make_bank)
    attempt, _ = _start(student, now=now)
    save_answers(attempt, {"q-single": "Wrong 1"}, now=now, grace=GRACE)
    services.submit_attempt(attempt, now=now, grace=GRACE)
    items = queries.list_results(attempt)
    assert [i.number for i in items] == list(range(1, 8))
    first = items[0]
    assert (first.your_answer, first.right_answer, first.outcome) == (
        "Wrong 1",
        "Right",
        "wrong",
    )
    assert first.sources == [{"title": "A source", "url": None, "note": None}]
    assert items[1].your_answer == "(no answer)"


def test_history_lists_closed_attempts_newest_first(make_bank, student, now):
    make_quiz_bank(make_bank)
    first, _ = _start(student, now=now)
    services.submit_attempt(first, now=now, grace=GRACE)
    second, _ = _start(student, now=now + timedelta(days=1))
    assert queries.list_open_attempts(student.id) == [second]
    services.submit_attempt(second, now=now + timedelta(days=1), grace=GRACE)
    assert queries.list_closed_attempts(student.id) == [second, first]
    assert queries.count_attempts_by_quiz(student.id) == {"bank-a-quiz": 2}


@pytest.mark.parametrize(
    ("response", "blank"),
    [
        (None, True),
        ("  ", True),
        ([], True),
        ([None, ""], True),
        ({"a": None}, True),
        (False, False),
        ("x", False),
        (["x", None], False),
    ],
)
def test_is_blank(response, blank):
    assert rules.is_blank(response) is blank


def test_attempt_rows_round_trip_aware_datetimes(make_bank, student, now):
    make_quiz_bank(make_bank, time_limit_minutes=1)
    attempt, _ = _start(student, now=now)
    db.session.commit()
    db.session.expire_all()
    row = db.session.get(QuizAttempt, attempt.id)
    assert row.started_at == now and row.started_at.tzinfo is not None
    assert row.question_ids == list(RIGHT_RESPONSES)


def test_an_attempt_asks_at_most_one_question_of_a_variant_group(
    make_bank, student, now
):
    make_bank(
        questions=(
            make_schema_question("plain"),
            make_schema_question("dup-1", variant_group="same-fact"),
            make_schema_question("dup-2", variant_group="same-fact"),
            make_schema_question("dup-3", variant_group="same-fact"),
        ),
        quizzes=(schema.QuizDef(id="grouped", title="Grouped"),),
    )
    kept = set()
    for seed in range(12):
        attempt, _ = _start(student, "grouped", now=now, seed=seed)
        drawn = attempt.question_ids
        assert "plain" in drawn and len(drawn) == 2
        kept |= set(drawn) - {"plain"}
        attempt.status = AttemptStatus.SUBMITTED
        db.session.flush()
    assert kept == {"dup-1", "dup-2", "dup-3"}  # each variant gets its turn

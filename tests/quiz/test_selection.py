"""Tests for pure question selection and per-attempt shuffling."""

from __future__ import annotations

from random import Random
from typing import Any

import pytest

from quiz_app.quiz.selection import (
    attempt_rng,
    one_per_group,
    order_questions,
    presented_options,
    scrambled,
    shuffled_options,
)

IDS = [f"q{i}" for i in range(1, 11)]


def test_attempt_rng_is_deterministic_per_seed_and_salt() -> None:
    first = [attempt_rng(42, "questions").random() for _ in range(3)]
    again = [attempt_rng(42, "questions").random() for _ in range(3)]
    assert first == again


@pytest.mark.parametrize(
    ("seed", "salt"),
    [(43, "questions"), (42, "options:q1"), (42, "questions ")],
)
def test_attempt_rng_differs_by_seed_and_salt(seed: int, salt: str) -> None:
    assert attempt_rng(seed, salt).random() != attempt_rng(42, "questions").random()


def test_attempt_rng_golden_orders() -> None:
    # Pins the derivation: changing it would reshuffle every attempt in progress.
    assert attempt_rng(1, "questions").getrandbits(32) == 692395286
    shuffled = order_questions(
        IDS, count=None, shuffle=True, rng=attempt_rng(1, "questions")
    )
    assert shuffled == ["q8", "q6", "q5", "q4", "q10", "q7", "q1", "q2", "q9", "q3"]
    drawn = order_questions(
        IDS, count=4, shuffle=False, rng=attempt_rng(1, "questions")
    )
    assert drawn == ["q1", "q2", "q3", "q9"]


def test_every_question_in_file_order_without_count_or_shuffle() -> None:
    assert order_questions(IDS, count=None, shuffle=False, rng=Random(1)) == IDS


def test_shuffle_keeps_every_question_once() -> None:
    ordered = order_questions(IDS, count=None, shuffle=True, rng=Random(1))
    assert sorted(ordered) == sorted(IDS)
    assert ordered != IDS


@pytest.mark.parametrize("seed", range(20))
def test_count_draws_distinct_questions_kept_in_file_order(seed: int) -> None:
    drawn = order_questions(IDS, count=4, shuffle=False, rng=Random(seed))
    assert len(drawn) == 4
    assert drawn == [qid for qid in IDS if qid in drawn]


@pytest.mark.parametrize("seed", range(20))
def test_count_with_shuffle_draws_distinct_questions(seed: int) -> None:
    drawn = order_questions(IDS, count=4, shuffle=True, rng=Random(seed))
    assert len(set(drawn)) == 4
    assert set(drawn) <= set(IDS)


def test_count_draws_differ_between_attempts() -> None:
    draws = {
        tuple(order_questions(IDS, count=3, shuffle=False, rng=attempt_rng(seed, "q")))
        for seed in range(30)
    }
    assert len(draws) > 10


@pytest.mark.parametrize("count", [10, 11, 100])
def test_count_at_least_the_number_of_questions_takes_them_all(count: int) -> None:
    assert order_questions(IDS, count=count, shuffle=False, rng=Random(1)) == IDS


def test_count_zero_gives_no_questions() -> None:
    assert order_questions(IDS, count=0, shuffle=True, rng=Random(1)) == []


def test_negative_count_raises() -> None:
    with pytest.raises(ValueError, match="count must be 0 or more"):
        order_questions(IDS, count=-1, shuffle=True, rng=Random(1))


def test_repeated_ids_count_once() -> None:
    assert order_questions(
        ["a", "b", "a", "c"], count=None, shuffle=False, rng=Random(1)
    ) == [
        "a",
        "b",
        "c",
    ]


def test_empty_selection() -> None:
    assert order_questions([], count=5, shuffle=True, rng=Random(1)) == []


def test_same_seed_gives_the_same_order_on_reload() -> None:
    def attempt() -> list[str]:
        return order_questions(
            IDS, count=5, shuffle=True, rng=attempt_rng(7, "questions")
        )

    assert attempt() == attempt()


def test_shuffled_options_is_a_permutation_and_leaves_input_alone() -> None:
    options = ("Yakov Malik", "Zhou Enlai", "Matthew Ridgway", "Syngman Rhee")
    shuffled = shuffled_options(options, rng=Random(3))
    assert sorted(shuffled) == sorted(options)
    assert options == ("Yakov Malik", "Zhou Enlai", "Matthew Ridgway", "Syngman Rhee")
    assert shuffled == shuffled_options(options, rng=Random(3))


def test_each_question_gets_its_own_stable_option_order() -> None:
    options = [str(i) for i in range(8)]
    orders = {
        qid: shuffled_options(options, rng=attempt_rng(99, f"options:{qid}"))
        for qid in ("q1", "q2", "q3")
    }
    assert len({tuple(order) for order in orders.values()}) > 1
    assert orders["q1"] == shuffled_options(options, rng=attempt_rng(99, "options:q1"))


@pytest.mark.parametrize("seed", range(50))
def test_scrambled_never_shows_the_right_order(seed: int) -> None:
    items = ["a", "b", "c"]
    result = scrambled(items, rng=Random(seed))
    assert sorted(result) == items
    assert result != items


@pytest.mark.parametrize("items", [[], ["a"], ["a", "a"]])
def test_scrambled_with_no_other_order_returns_the_items(items: list[str]) -> None:
    assert scrambled(items, rng=Random(1)) == items


SINGLE: dict[str, Any] = {
    "choices": ("A", "B", "C", "D", "E"),
    "answer": "A",
    "shuffle": True,
}


def test_presented_choices_are_shuffled_by_default() -> None:
    shown = presented_options("single_choice", SINGLE, rng=Random(5))
    assert sorted(shown["choices"]) == list(SINGLE["choices"])
    assert shown == presented_options("single_choice", SINGLE, rng=Random(5))
    assert any(
        presented_options("single_choice", SINGLE, rng=Random(s))["choices"]
        != list(SINGLE["choices"])
        for s in range(5)
    )


@pytest.mark.parametrize("key", ["single_choice", "multi_choice"])
def test_presented_choices_keep_file_order_with_shuffle_false(key: str) -> None:
    data = {**SINGLE, "answers": ("A",), "shuffle": False}
    assert presented_options(key, data, rng=Random(5)) == {
        "choices": list(SINGLE["choices"])
    }


def test_presented_ordering_items_are_scrambled() -> None:
    data = {"items": ("1950", "1951", "1952", "1953")}
    shown = presented_options("ordering", data, rng=Random(0))
    assert sorted(shown["items"]) == list(data["items"])
    assert shown["items"] != list(data["items"])


def test_presented_matching_mixes_distractors_into_the_right_hand_side() -> None:
    data = {
        "pairs": (("Nam Il", "KPA"), ("Joy", "UNC"), ("Harrison", "UNC 1952")),
        "distractors": ("NNSC",),
    }
    shown = presented_options("matching", data, rng=Random(2))
    assert shown["lefts"] == ["Nam Il", "Joy", "Harrison"]
    assert sorted(shown["rights"]) == sorted(["KPA", "UNC", "UNC 1952", "NNSC"])


@pytest.mark.parametrize("key", ["true_false", "short_text", "numeric"])
def test_types_without_options_present_none(key: str) -> None:
    assert presented_options(key, {"answer": 1}, rng=Random(1)) == {}


GROUPED = ["a", "b1", "c", "b2", "b3", "d"]
GROUPS = {"b1": "b", "b2": "b", "b3": "b", "d": "solo"}


@pytest.mark.parametrize("seed", range(20))
def test_one_question_of_each_variant_group(seed: int) -> None:
    kept = one_per_group(GROUPED, GROUPS, rng=Random(seed))
    assert [q for q in kept if q.startswith("b")] in (["b1"], ["b2"], ["b3"])
    assert [q for q in kept if not q.startswith("b")] == ["a", "c", "d"]
    assert kept == [q for q in GROUPED if q in kept]  # file order kept


def test_every_variant_can_be_drawn() -> None:
    drawn = {
        q
        for seed in range(40)
        for q in one_per_group(GROUPED, GROUPS, rng=Random(seed))
    }
    assert drawn == set(GROUPED)


def test_groups_of_one_and_no_groups_leave_the_random_stream_alone() -> None:
    rng = Random(3)
    assert one_per_group(GROUPED, {"d": "solo"}, rng=rng) == GROUPED
    assert rng.random() == Random(3).random()


@pytest.mark.parametrize("seed", range(10))
def test_count_counts_a_variant_group_once(seed: int) -> None:
    drawn = order_questions(
        GROUPED, count=4, shuffle=True, rng=Random(seed), groups=GROUPS
    )
    assert len(drawn) == 4
    assert sum(q.startswith("b") for q in drawn) == 1
    assert set(drawn) >= {"a", "c", "d"}

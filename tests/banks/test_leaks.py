"""Tests for the pure answer-leak check: which question gives away which answer."""

from __future__ import annotations

from typing import Any

import pytest

from quiz_app.banks.crossbank import resolve_quiz_questions
from quiz_app.banks.leaks import (
    Leak,
    UnknownOverlap,
    check_banks,
    find_bank_leaks,
    find_leaks,
    find_pair_leak,
)
from quiz_app.banks.loader import parse_bank
from quiz_app.banks.schema import Bank, Question, QuizDef, Selection


def question(
    qid: str, qtype: str, prompt: str = "A question?", **data: Any
) -> Question:
    extra = {
        key: data.pop(key) for key in ("variant_group", "allow_overlap") if key in data
    }
    return Question(
        id=qid,
        type=qtype,
        prompt=prompt,
        explanation="Why.",
        sources=("s",),
        topic="t",
        data=data,
        line=7,
        **extra,
    )


NAM_IL = question(
    "nam-il",
    "short_text",
    "Who led the KPA/CPV delegation?",
    answers=("Nam Il", "General Nam Il"),
)
PEOPLE = question(
    "people",
    "matching",
    "Match each person to his role.",
    pairs=(
        ("Nam Il", "Chief delegate"),
        ("C. Turner Joy", "First UNC delegate"),
        ("Mark W. Clark", "Commander"),
    ),
    distractors=(),
)
JOY = question(
    "joy",
    "single_choice",
    "Who was the first UNC senior delegate?",
    choices=("C. Turner Joy", "Mark W. Clark"),
    answer="C. Turner Joy",
)
NAMES = question(
    "names",
    "multi_choice",
    "Which of these were delegates?",
    choices=("C. Turner Joy", "Nam Il", "Mark W. Clark"),
    answers=("C. Turner Joy", "Nam Il"),
)
MAC_SIZE = question(
    "mac-size", "numeric", "How many officers sat on the MAC?", answer=10
)
YEAR = question("year", "numeric", "In what year was it signed?", answer=1953)
BODIES = question(
    "bodies",
    "matching",
    "Match each feature to its body.",
    pairs=(
        ("Ten senior officers", "MAC"),
        ("Four officers", "NNSC"),
        ("Teams", "NNIT"),
    ),
    distractors=(),
)
ORDER = question(
    "order",
    "ordering",
    "Put these in order.",
    items=("Malik's broadcast", "The armistice is signed in 1953", "Geneva"),
)
TRUE_FALSE = question("tf", "true_false", "Nam Il led the talks.", answer=True)


@pytest.mark.parametrize(
    ("shown_in", "answer_of", "expected"),
    [
        # Matching and ordering items are the usual culprits.
        (PEOPLE, NAM_IL, ("Nam Il", "pairs")),
        (PEOPLE, JOY, ("C. Turner Joy", "pairs")),
        (ORDER, YEAR, ("1953", "items")),
        # A hidden (typed) answer leaks from a list of choices too ...
        (NAMES, NAM_IL, ("Nam Il", "choices")),
        # ... but a choice answer is on screen anyway: another list of choices gives
        # nothing away, a prompt that names it does.
        (NAMES, JOY, None),
        (
            question("p", "true_false", "C. Turner Joy opened the talks.", answer=True),
            JOY,
            ("C. Turner Joy", "prompt"),
        ),
        # A small number leaks as a word from pairs and items, never as digits.
        (BODIES, MAC_SIZE, ("ten", "pairs")),
        (
            question("p", "true_false", "The talks lasted ten days.", answer=False),
            MAC_SIZE,
            None,
        ),
        (
            question("p", "true_false", "It had 10 members.", answer=True),
            MAC_SIZE,
            None,
        ),
        # multi_choice, true_false, ordering and matching: no answer text to give away.
        (PEOPLE, NAMES, None),
        (PEOPLE, TRUE_FALSE, None),
        (NAM_IL, PEOPLE, None),
        # Word boundaries: "Joy" is not in "enjoyed", "Nam Il" not in "Vietnam Illinois"
        (
            question(
                "p", "true_false", "Everyone enjoyed Vietnam Illinois.", answer=True
            ),
            question("a", "short_text", answers=("Joy", "Nam Il")),
            None,
        ),
        # Normalised like the grader: case, accents, punctuation, romanisation.
        (
            question("p", "true_false", "They met at P'ANMUNJŎM.", answer=True),
            question("a", "short_text", answers=("Panmunjeom",)),
            ("Panmunjeom", "prompt"),
        ),
        # Thousands separators do not split a number.
        (
            question("p", "true_false", "About 75,823 went home.", answer=True),
            question("a", "numeric", answer=75823),
            ("75823", "prompt"),
        ),
        # Trivially short answers are ignored.
        (
            question("p", "true_false", "The UN met.", answer=True),
            question("a", "short_text", answers=("UN",)),
            None,
        ),
    ],
)
def test_find_pair_leak(
    shown_in: Question, answer_of: Question, expected: tuple[str, str] | None
) -> None:
    assert find_pair_leak(shown_in, answer_of) == expected


def quiz(qid: str = "q", count: int | None = None) -> QuizDef:
    return QuizDef(id=qid, title="Quiz", count=count)


def test_each_leaking_pair_is_reported_once_with_every_quiz_that_draws_both() -> None:
    pool = [NAM_IL, PEOPLE, JOY]
    leaks = find_leaks(
        [(quiz("test"), pool), (quiz("practice", count=2), pool)],
        sources={"people": "origins.yaml"},
    )
    assert leaks == [
        Leak(
            "origins.yaml",
            7,
            "people",
            "joy",
            "C. Turner Joy",
            "pairs",
            ("test", "practice"),
        ),
        Leak(
            "origins.yaml",
            7,
            "people",
            "nam-il",
            "Nam Il",
            "pairs",
            ("test", "practice"),
        ),
    ]
    assert str(leaks[1]) == (
        "origins.yaml:7:0: warning: questions (people): its pairs give away "
        "'Nam Il', the answer of nam-il, and quizzes test, practice can draw both; "
        "reword one, put both in one 'variant_group', or list nam-il in "
        "'allow_overlap'"
    )


def test_a_quiz_of_one_question_cannot_leak() -> None:
    assert find_leaks([(quiz(count=1), [NAM_IL, PEOPLE])], sources={}) == []


def test_questions_of_different_quizzes_do_not_leak() -> None:
    assert find_leaks([(quiz("a"), [NAM_IL]), (quiz("b"), [PEOPLE])], sources={}) == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"variant_group": "nam-il"}, {"variant_group": "nam-il"}),
        ({"allow_overlap": ("people",)}, {}),
        ({}, {"allow_overlap": ("nam-il",)}),
    ],
)
def test_variant_groups_and_allowed_overlaps_silence_a_pair(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    nam_il = question("nam-il", "short_text", answers=("Nam Il",), **first)
    people = question(
        "people",
        "matching",
        pairs=(("Nam Il", "Chief"), ("Joy", "First"), ("Clark", "Commander")),
        distractors=(),
        **second,
    )
    assert find_leaks([(quiz(), [nam_il, people])], sources={}) == []


def test_different_variant_groups_still_leak() -> None:
    nam_il = question("nam-il", "short_text", answers=("Nam Il",), variant_group="a")
    people = question(
        "people",
        "matching",
        pairs=(("Nam Il", "Chief"), ("Joy", "First"), ("Clark", "Commander")),
        distractors=(),
        variant_group="b",
    )
    assert len(find_leaks([(quiz(), [nam_il, people])], sources={})) == 1


BANK_A = """\
format: 1
id: bank-a
title: A
topics: {t: T}
sources: {s: {title: S}}
questions:
  - id: a-signed
    type: short_text
    topic: t
    prompt: Where was the Armistice signed?
    answers: [Panmunjom]
    explanation: x
    sources: [s]
    allow_overlap: [no-such-question]
"""
BANK_B = """\
format: 1
id: bank-b
title: B
topics: {t: T}
sources: {s: {title: S}}
questions:
  - id: b-talks
    type: true_false
    topic: t
    prompt: The talks moved to Panmunjom in October 1951.
    answer: true
    explanation: x
    sources: [s]
quizzes:
  - id: final
    title: Final
    select: {banks: [all]}
"""


def banks() -> list[Bank]:
    return [
        parse_bank(BANK_A, source="a.yaml"),
        parse_bank(BANK_B, source="b.yaml"),
    ]


def test_a_final_exam_across_banks_is_checked_as_one_quiz() -> None:
    found = find_bank_leaks(banks(), resolve=resolve_quiz_questions)
    assert found == [
        UnknownOverlap("a.yaml", 7, "a-signed", "no-such-question"),
        Leak("b.yaml", 7, "b-talks", "a-signed", "Panmunjom", "prompt", ("final",)),
    ]
    # Each bank's own default quiz holds one question, so only the final exam leaks.
    assert check_banks(banks(), resolve=resolve_quiz_questions)[0] == (
        "a.yaml:7:0: warning: questions (a-signed): 'allow_overlap' names "
        "'no-such-question', which is no question"
    )


def test_selection_rules_decide_what_one_quiz_can_draw() -> None:
    only_a = QuizDef(id="only-a", title="A", select=Selection(banks=("bank-a",)))
    a, b = banks()
    b = Bank(**{**{f: getattr(b, f) for f in b.__slots__}, "quizzes": (only_a,)})
    assert [
        x
        for x in find_bank_leaks([a, b], resolve=resolve_quiz_questions)
        if isinstance(x, Leak)
    ] == []


def test_validate_prints_leaks_as_warnings_and_still_passes(tmp_path) -> None:
    from quiz_app.banks.cli import validate_paths as validate_command

    bank_a = tmp_path / "a.yaml"
    bank_a.write_text(BANK_A.replace("    allow_overlap: [no-such-question]\n", ""))
    (tmp_path / "b.yaml").write_text(BANK_B)
    lines: list[str] = []
    assert validate_command([str(tmp_path)], lines.append) == 0
    assert lines == [
        f"{tmp_path / 'b.yaml'}:7:0: warning: questions (b-talks): its prompt gives "
        "away 'Panmunjom', the answer of a-signed, and quiz final can draw both; "
        "reword one, put both in one 'variant_group', or list a-signed in "
        "'allow_overlap'",
        "2 banks, 2 questions, 0 cards, 2 quizzes: OK, 1 warning",
    ]
    # The author judges the overlap harmless: silent.
    bank_a.write_text(BANK_A.replace("no-such-question", "b-talks"))
    lines.clear()
    assert validate_command([str(tmp_path)], lines.append) == 0
    assert lines == ["2 banks, 2 questions, 0 cards, 2 quizzes: OK"]

"""Tests for the pure question-type registry: checks, grading, normalisation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz_app.questions.answers import (
    answer_words,
    escape_markdown,
    normalise_answer,
    parse_number,
)
from quiz_app.questions.grading import QUESTION_TYPES, register
from quiz_app.questions.types import NO_ANSWER, FieldKind, Grade, QuestionType

SINGLE: dict[str, Any] = {
    "choices": ("Yakov Malik", "Zhou Enlai", "Matthew Ridgway", "Syngman Rhee"),
    "answer": "Yakov Malik",
    "shuffle": True,
}
MULTI: dict[str, Any] = {
    "choices": ("Sweden", "Switzerland", "Poland", "Czechoslovakia", "India"),
    "answers": ("Sweden", "Switzerland", "Poland", "Czechoslovakia"),
    "shuffle": True,
}
TRUE_FALSE: dict[str, Any] = {"answer": True}
SHORT: dict[str, Any] = {"answers": ("Panmunjom",)}
ART_118: dict[str, Any] = {"answers": ("Article 118", "Art. 118", "118")}
YEAR: dict[str, Any] = {"answer": 1953, "tolerance": 0, "unit": ""}
DISTANCE: dict[str, Any] = {"answer": 4, "tolerance": 0.5, "unit": "km"}
FRACTION: dict[str, Any] = {"answer": 0.1, "tolerance": 0.2, "unit": ""}
ORDER: dict[str, Any] = {
    "items": (
        "Stalin dies",
        "Zhou Enlai's statement of 30 March",
        "Little Switch begins",
        "Armistice signed",
    )
}
A, B, C, D = ORDER["items"]
MATCH: dict[str, Any] = {
    "pairs": (
        ("Nam Il", "Chief delegate of the KPA/CPV side"),
        ("C. Turner Joy", "First UNC senior delegate"),
        ("William K. Harrison Jr.", "UNC senior delegate from May 1952"),
        ("Mark W. Clark", "UN Commander who signed"),
    ),
    "distractors": ("Swiss member of the NNSC",),
}
NAM, JOY, HARRISON, CLARK = (left for left, _ in MATCH["pairs"])
RIGHT = dict(MATCH["pairs"])


def grade(key: str, data: dict[str, Any], response: Any) -> Grade:
    return QUESTION_TYPES[key].grade(data, response)


def check(key: str, **data: Any) -> list[tuple[str, str]]:
    qtype = QUESTION_TYPES[key]
    return qtype.check({**qtype.defaults, **data})


# ------------------------------------------------------------------------------------
# Registry


def test_registry_has_exactly_the_documented_types() -> None:
    assert set(QUESTION_TYPES) == {
        "single_choice",
        "multi_choice",
        "true_false",
        "short_text",
        "numeric",
        "ordering",
        "matching",
    }


@pytest.mark.parametrize("key", sorted(QUESTION_TYPES))
def test_every_type_is_complete(key: str) -> None:
    qtype = QUESTION_TYPES[key]
    assert qtype.key == key
    assert qtype.label
    assert qtype.template == f"quiz/questions/{key}.html"
    assert qtype.required <= set(qtype.fields)
    assert set(qtype.defaults) <= set(qtype.fields) - qtype.required
    assert all(isinstance(kind, FieldKind) for kind in qtype.fields.values())
    for func in (
        qtype.check,
        qtype.grade,
        qtype.describe_answer,
        qtype.describe_response,
    ):
        assert callable(func)


@pytest.mark.parametrize(
    ("key", "fields", "required", "defaults"),
    [
        (
            "single_choice",
            {"choices": "text_list", "answer": "text", "shuffle": "bool"},
            {"choices", "answer"},
            {"shuffle": True},
        ),
        (
            "multi_choice",
            {"choices": "text_list", "answers": "text_list", "shuffle": "bool"},
            {"choices", "answers"},
            {"shuffle": True},
        ),
        ("true_false", {"answer": "bool"}, {"answer"}, {}),
        ("short_text", {"answers": "text_list"}, {"answers"}, {}),
        (
            "numeric",
            {"answer": "number", "tolerance": "number", "unit": "text"},
            {"answer"},
            {"tolerance": 0, "unit": ""},
        ),
        ("ordering", {"items": "text_list"}, {"items"}, {}),
        (
            "matching",
            {"pairs": "text_map", "distractors": "text_list"},
            {"pairs"},
            {"distractors": ()},
        ),
    ],
)
def test_type_fields_match_the_bank_format(
    key: str, fields: dict[str, str], required: set[str], defaults: dict[str, Any]
) -> None:
    qtype = QUESTION_TYPES[key]
    assert dict(qtype.fields) == fields
    assert qtype.required == required
    assert dict(qtype.defaults) == defaults


def test_registering_a_duplicate_key_raises() -> None:
    existing = QUESTION_TYPES["true_false"]
    clone = QuestionType(
        key="true_false",
        label="Again",
        fields={},
        required=frozenset(),
        check=existing.check,
        grade=existing.grade,
        describe_answer=existing.describe_answer,
        describe_response=existing.describe_response,
    )
    with pytest.raises(ValueError, match="registered twice"):
        register(clone)
    assert QUESTION_TYPES["true_false"] is existing


def test_the_bank_format_example_questions_pass_their_checks() -> None:
    assert check("single_choice", **SINGLE) == []
    assert check("multi_choice", **MULTI) == []
    assert check("true_false", answer=False) == []
    assert check("short_text", **ART_118) == []
    assert check("numeric", **DISTANCE) == []
    assert check("ordering", **ORDER) == []
    assert check("matching", **MATCH) == []


# ------------------------------------------------------------------------------------
# Checks: each case lists every problem expected


@pytest.mark.parametrize(
    ("key", "data", "expected"),
    [
        (
            "single_choice",
            {"choices": ("Yakov Malik", "Zhou Enlai"), "answer": "Yakov Malick"},
            [
                (
                    "answer",
                    "'answer' is not one of the choices (did you mean 'Yakov Malik'?)",
                )
            ],
        ),
        (
            "single_choice",
            {"choices": ("Yakov Malik", "Zhou Enlai"), "answer": "yakov  malik"},
            [
                (
                    "answer",
                    "'answer' is not one of the choices (did you mean 'Yakov Malik'?)",
                )
            ],
        ),
        (
            "single_choice",
            {"choices": ("Yakov Malik", "Zhou Enlai"), "answer": "Kim Il Sung"},
            [("answer", "'answer' is not one of the choices")],
        ),
        # A year one digit off is another answer, not a typo: no hint steers the
        # author to a wrong choice.
        (
            "single_choice",
            {"choices": ("1949", "1950", "1953"), "answer": "1948"},
            [("answer", "'answer' is not one of the choices")],
        ),
        (
            "multi_choice",
            {
                "choices": ("Article 117", "Article 118", "Article 119"),
                "answers": ("Article 118", "Article 188"),
            },
            [("answers", "'answers': 'Article 188' is not one of the choices")],
        ),
        (
            "single_choice",
            {"choices": ("Yes",), "answer": "Yes"},
            [
                (
                    "choices",
                    "'choices' has 1 entry; a single_choice question needs 2 to 8",
                )
            ],
        ),
        (
            "single_choice",
            {"choices": tuple("ABCDEFGHI"), "answer": "A"},
            [
                (
                    "choices",
                    "'choices' has 9 entries; a single_choice question needs 2 to 8",
                )
            ],
        ),
        (
            "single_choice",
            {"choices": ("No", "No", "Maybe"), "answer": "No"},
            [("choices", "'choices' lists 'No' twice")],
        ),
        (
            "single_choice",
            {"choices": ("Kaesong", "kaesong ", "Seoul"), "answer": "Seoul"},
            [
                (
                    "choices",
                    "'choices' lists 'Kaesong' and 'kaesong ', "
                    "which differ only in case or spacing",
                )
            ],
        ),
        (
            "single_choice",
            {"choices": ("Seoul", " "), "answer": "Seoul"},
            [("choices", "'choices' item 2 is empty")],
        ),
        (
            "multi_choice",
            {"choices": ("A", "B"), "answers": ("A",)},
            [
                (
                    "choices",
                    "'choices' has 2 entries; a multi_choice question needs 3 to 10",
                )
            ],
        ),
        (
            "multi_choice",
            {"choices": tuple("ABCDEFGHIJK"), "answers": ("A",)},
            [
                (
                    "choices",
                    "'choices' has 11 entries; a multi_choice question needs 3 to 10",
                )
            ],
        ),
        (
            "multi_choice",
            {"choices": ("A", "B", "C"), "answers": ()},
            [("answers", "'answers' is empty; list at least one correct choice")],
        ),
        (
            "multi_choice",
            {"choices": ("A", "B", "C"), "answers": ("A", "B", "C")},
            [
                (
                    "answers",
                    "'answers' lists every choice; leave at least one choice wrong",
                )
            ],
        ),
        (
            "multi_choice",
            {"choices": ("Sweden", "Poland", "India"), "answers": ("Swedan", "Poland")},
            [
                (
                    "answers",
                    "'answers': 'Swedan' is not one of the choices "
                    "(did you mean 'Sweden'?)",
                )
            ],
        ),
        (
            "multi_choice",
            {"choices": ("A", "B", "C"), "answers": ("A", "A")},
            [("answers", "'answers' lists 'A' twice")],
        ),
        (
            "short_text",
            {"answers": ()},
            [("answers", "'answers' is empty; list at least one accepted answer")],
        ),
        (
            "short_text",
            {"answers": ("Panmunjom", "—")},
            [
                (
                    "answers",
                    "'answers': '—' has no letters or digits, so nothing can match it",
                )
            ],
        ),
        (
            "numeric",
            {"answer": 4, "tolerance": -0.5},
            [("tolerance", "'tolerance' is -0.5; use a number of 0 or more")],
        ),
        (
            "numeric",
            {"answer": float("nan")},
            [("answer", "'answer' must be a finite number")],
        ),
        (
            "numeric",
            {"answer": 1, "tolerance": float("inf")},
            [("tolerance", "'tolerance' must be a finite number")],
        ),
        (
            "ordering",
            {"items": ("A", "B")},
            [("items", "'items' has 2 entries; an ordering question needs 3 to 8")],
        ),
        (
            "ordering",
            {"items": tuple("ABCDEFGHI")},
            [("items", "'items' has 9 entries; an ordering question needs 3 to 8")],
        ),
        (
            "ordering",
            {"items": ("A", "B", "A")},
            [("items", "'items' lists 'A' twice")],
        ),
        (
            "matching",
            {"pairs": (("a", "1"), ("b", "2"))},
            [("pairs", "'pairs' has 2 entries; a matching question needs 3 to 8")],
        ),
        (
            "matching",
            {"pairs": tuple((str(i), f"r{i}") for i in range(9))},
            [("pairs", "'pairs' has 9 entries; a matching question needs 3 to 8")],
        ),
        (
            "matching",
            {"pairs": (("a", "1"), ("b", "1"), ("c", "3"))},
            [("pairs", "'pairs' (right) lists '1' twice")],
        ),
        (
            "matching",
            {"pairs": (("Nam Il", "1"), ("nam il", "2"), ("c", "3"))},
            [
                (
                    "pairs",
                    "'pairs' (left) lists 'Nam Il' and 'nam il', "
                    "which differ only in case or spacing",
                )
            ],
        ),
        (
            "matching",
            {
                "pairs": (("a", "1"), ("b", "2"), ("c", "3")),
                "distractors": ("3", "4", "4"),
            },
            [
                ("distractors", "'distractors' lists '4' twice"),
                (
                    "distractors",
                    "'distractors': '3' is also the right-hand text of a pair ('3')",
                ),
            ],
        ),
    ],
)
def test_check_reports_each_broken_rule(
    key: str, data: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert check(key, **data) == expected


@pytest.mark.parametrize("key", sorted(QUESTION_TYPES))
def test_check_leaves_missing_required_keys_to_the_loader(key: str) -> None:
    assert QUESTION_TYPES[key].check(dict(QUESTION_TYPES[key].defaults)) == []


@pytest.mark.parametrize(
    ("key", "data"),
    [
        ("single_choice", {"answer": "Nobody"}),
        ("multi_choice", {"answers": ("Nobody",)}),
    ],
)
def test_check_needs_the_choices_to_check_the_answer(
    key: str, data: dict[str, Any]
) -> None:
    assert check(key, **data) == []


def test_check_allows_spelling_variants_that_normalise_alike() -> None:
    assert check("short_text", answers=("Panmunjom", "P'anmunjŏm", "Panmunjeom")) == []


def test_check_collects_every_problem_at_once() -> None:
    problems = check("single_choice", choices=("A", "A", "B"), answer="Z")
    assert [key for key, _ in problems] == ["choices", "answer"]


# ------------------------------------------------------------------------------------
# Grading: (type, data, response) -> (score, is_correct); feedback tested separately


@pytest.mark.parametrize(
    ("key", "data", "response", "score"),
    [
        # single_choice
        ("single_choice", SINGLE, "Yakov Malik", 1.0),
        ("single_choice", SINGLE, "Zhou Enlai", 0.0),
        ("single_choice", SINGLE, "yakov malik", 0.0),  # not a choice as posted
        ("single_choice", SINGLE, None, 0.0),
        ("single_choice", SINGLE, "", 0.0),
        ("single_choice", SINGLE, ["Yakov Malik"], 0.0),
        ("single_choice", SINGLE, 3, 0.0),
        # multi_choice: (right - wrong) / 4 correct, floored at 0
        (
            "multi_choice",
            MULTI,
            ["Sweden", "Switzerland", "Poland", "Czechoslovakia"],
            1.0,
        ),
        (
            "multi_choice",
            MULTI,
            ("Czechoslovakia", "Poland", "Switzerland", "Sweden"),
            1.0,
        ),
        ("multi_choice", MULTI, {"Sweden", "Switzerland", "Poland"}, 0.75),
        (
            "multi_choice",
            MULTI,
            ["Sweden", "Switzerland", "Poland", "Czechoslovakia", "India"],
            0.75,
        ),
        ("multi_choice", MULTI, ["Sweden", "India"], 0.0),
        ("multi_choice", MULTI, ["India"], 0.0),
        ("multi_choice", MULTI, ["Sweden", "Sweden", "Sweden"], 0.25),
        ("multi_choice", MULTI, ["Sweden", "Atlantis"], 0.25),  # unknown ticks ignored
        ("multi_choice", MULTI, "Sweden", 0.25),  # a bare string is one tick
        ("multi_choice", MULTI, [], 0.0),
        ("multi_choice", MULTI, None, 0.0),
        ("multi_choice", MULTI, {"Sweden": True}, 0.0),
        ("multi_choice", MULTI, 7, 0.0),
        # true_false
        ("true_false", TRUE_FALSE, True, 1.0),
        ("true_false", TRUE_FALSE, False, 0.0),
        ("true_false", {"answer": False}, False, 1.0),
        ("true_false", TRUE_FALSE, None, 0.0),
        ("true_false", TRUE_FALSE, "true", 0.0),
        ("true_false", TRUE_FALSE, 1, 0.0),
        # short_text: lenient matching
        ("short_text", SHORT, "Panmunjom", 1.0),
        ("short_text", SHORT, "  p'anmunjŏm ", 1.0),
        ("short_text", SHORT, "Panmunjeom", 1.0),
        ("short_text", SHORT, "PAN MUN JOM", 1.0),
        ("short_text", SHORT, "Kaesong", 0.0),
        ("short_text", SHORT, "", 0.0),
        ("short_text", SHORT, "?!", 0.0),
        ("short_text", SHORT, None, 0.0),
        ("short_text", SHORT, 42, 0.0),
        ("short_text", ART_118, "art 118", 1.0),
        ("short_text", ART_118, "118", 1.0),
        ("short_text", ART_118, "ARTICLE 118.", 1.0),
        ("short_text", ART_118, "Article 117", 0.0),
        # numeric
        ("numeric", YEAR, "1953", 1.0),
        ("numeric", YEAR, " 1953 ", 1.0),
        ("numeric", YEAR, "1,953", 1.0),
        ("numeric", YEAR, "1 953", 1.0),
        ("numeric", YEAR, "+1953", 1.0),
        ("numeric", YEAR, "1953.0", 1.0),
        ("numeric", YEAR, "1953,0", 1.0),
        ("numeric", YEAR, 1953, 1.0),
        ("numeric", YEAR, 1953.0, 1.0),
        ("numeric", YEAR, "1952", 0.0),
        ("numeric", YEAR, "1953.01", 0.0),
        ("numeric", YEAR, "nineteen fifty-three", 0.0),
        ("numeric", YEAR, "1953 AD", 0.0),
        ("numeric", YEAR, "", 0.0),
        ("numeric", YEAR, None, 0.0),
        ("numeric", YEAR, True, 0.0),
        ("numeric", YEAR, float("nan"), 0.0),
        ("numeric", YEAR, ["1953"], 0.0),
        # numeric tolerance is inclusive at both ends, without float error
        ("numeric", DISTANCE, "4", 1.0),
        ("numeric", DISTANCE, "4.5", 1.0),
        ("numeric", DISTANCE, "3.5", 1.0),
        ("numeric", DISTANCE, "3,5", 1.0),
        ("numeric", DISTANCE, "4.5 km", 1.0),
        ("numeric", DISTANCE, "4KM", 1.0),
        ("numeric", DISTANCE, "4.500001", 0.0),
        ("numeric", DISTANCE, "3.49", 0.0),
        ("numeric", DISTANCE, "4 miles", 0.0),
        ("numeric", FRACTION, "0.3", 1.0),  # 0.3 - 0.1 > 0.2 in floats
        ("numeric", FRACTION, "-0.1", 1.0),
        ("numeric", FRACTION, "−0.1", 1.0),  # typographic minus
        ("numeric", FRACTION, "0.30001", 0.0),
        ("numeric", {"answer": 75823, "tolerance": 0}, "75,823", 1.0),
        ("numeric", {"answer": 75823, "tolerance": 0}, "75 823", 1.0),
        ("numeric", {"answer": 1234.5, "tolerance": 0}, "1.234,5", 1.0),
        ("numeric", {"answer": 1234.5, "tolerance": 0}, "1,234.5", 1.0),
        # ordering: share of the 3 neighbouring pairs in the right order
        ("ordering", ORDER, [A, B, C, D], 1.0),
        ("ordering", ORDER, (A, B, C, D), 1.0),
        ("ordering", ORDER, [B, C, D, A], 0.6667),  # one misplaced event costs little
        ("ordering", ORDER, [A, C, B, D], 0.0),
        ("ordering", ORDER, [A, B, D, C], 0.3333),
        ("ordering", ORDER, [D, C, B, A], 0.0),  # reversed
        ("ordering", ORDER, [A, B, None, D], 0.3333),
        ("ordering", ORDER, [A, B, "", ""], 0.3333),
        ("ordering", ORDER, [A, B], 0.3333),
        ("ordering", ORDER, [A, B, A, B], 0.3333),  # a repeated pair counts once
        ("ordering", ORDER, [A, "Atlantis", C, D], 0.3333),
        ("ordering", ORDER, [None, None, None, None], 0.0),
        ("ordering", ORDER, [], 0.0),
        ("ordering", ORDER, None, 0.0),
        ("ordering", ORDER, "ABCD", 0.0),
        ("ordering", ORDER, {A: 1}, 0.0),
        ("ordering", ORDER, 4, 0.0),
        # matching: share of the 4 pairs right
        ("matching", MATCH, RIGHT, 1.0),
        ("matching", MATCH, {**RIGHT, "Someone else": "x"}, 1.0),
        ("matching", MATCH, {**RIGHT, NAM: RIGHT[JOY], JOY: RIGHT[NAM]}, 0.5),
        ("matching", MATCH, {**RIGHT, CLARK: "Swiss member of the NNSC"}, 0.75),
        ("matching", MATCH, {**RIGHT, CLARK: None}, 0.75),
        ("matching", MATCH, {NAM: RIGHT[NAM]}, 0.25),
        ("matching", MATCH, {NAM: RIGHT[CLARK]}, 0.0),
        ("matching", MATCH, {NAM: None, JOY: ""}, 0.0),
        ("matching", MATCH, {}, 0.0),
        ("matching", MATCH, None, 0.0),
        ("matching", MATCH, [NAM, JOY], 0.0),
        ("matching", MATCH, "Nam Il", 0.0),
    ],
)
def test_grade(key: str, data: dict[str, Any], response: Any, score: float) -> None:
    result = grade(key, data, response)
    assert result.score == score
    assert result.is_correct is (score == 1.0)


@pytest.mark.parametrize(
    ("key", "data", "response", "feedback"),
    [
        ("single_choice", SINGLE, "Yakov Malik", ""),
        ("single_choice", SINGLE, None, "No answer given."),
        ("single_choice", SINGLE, "Atlantis", "That is not one of the choices."),
        ("multi_choice", MULTI, [], "No answer given."),
        (
            "multi_choice",
            MULTI,
            ["Sweden", "India"],
            "You ticked 1 of 4 correct answers and 1 wrong one.",
        ),
        (
            "multi_choice",
            MULTI,
            ["Sweden", "Poland"],
            "You ticked 2 of 4 correct answers.",
        ),
        ("multi_choice", MULTI, 7, "That answer could not be read."),
        ("true_false", TRUE_FALSE, None, "No answer given."),
        ("true_false", TRUE_FALSE, "yes", "Answer true or false."),
        ("short_text", SHORT, "  ", "No answer given."),
        ("short_text", SHORT, ["x"], "That answer could not be read."),
        ("numeric", YEAR, "soon", "Not a number."),
        ("numeric", YEAR, "", "No answer given."),
        (
            "ordering",
            ORDER,
            [B, C, D, A],
            "2 of 3 neighbouring pairs are in the right order.",
        ),
        (
            "ordering",
            ORDER,
            [A, B, None, ""],
            "1 of 3 neighbouring pairs are in the right order. 2 places left empty.",
        ),
        (
            "ordering",
            ORDER,
            [A, B],
            "1 of 3 neighbouring pairs are in the right order. 2 places left empty.",
        ),
        ("ordering", ORDER, "ABCD", "That answer could not be read."),
        ("matching", MATCH, {NAM: RIGHT[NAM]}, "1 of 4 pairs matched correctly."),
        ("matching", MATCH, {}, "No answer given."),
        ("matching", MATCH, 3, "That answer could not be read."),
    ],
)
def test_grade_feedback(
    key: str, data: dict[str, Any], response: Any, feedback: str
) -> None:
    assert grade(key, data, response).feedback == feedback


def test_grading_does_not_change_the_response() -> None:
    response = [B, C, D, A]
    grade("ordering", ORDER, response)
    assert response == [B, C, D, A]


# ------------------------------------------------------------------------------------
# Short-answer normalisation


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Panmunjom", "panmunjom"),
        ("P'anmunjŏm", "panmunjom"),
        ("P’anmunjŏm", "panmunjom"),
        ("Pʼanmunjŏm", "panmunjom"),
        ("P‘anmunjom", "panmunjom"),
        ("Panmunjeom", "panmunjom"),
        ("PANMUNJEOM", "panmunjom"),
        ("Pan-mun-jom", "panmunjom"),
        ("  Panmunjom.  ", "panmunjom"),
        ("Nam Il", "namil"),
        ("Nam-il", "namil"),
        ("NAM IL", "namil"),
        ("nam\til", "namil"),
        ("Kaesŏng", "kaesong"),
        ("Kaeseong", "kaesong"),
        ("Kaesong", "kaesong"),
        ("Ŭiju", "uiju"),
        ("Se-oul", "soul"),
        ("Seoul", "soul"),
        ("Euiju", "uiju"),
        ("“Little Switch”", "littleswitch"),
        ("Syngman Rhee", "syngmanrhee"),
        ("Zhōu Ēnlái", "zhouenlai"),
        ("Straße", "strasse"),
        ("Art. 118", "art118"),
        ("Article 118", "article118"),
        ("３８th parallel", "38thparallel"),
        ("", ""),
        ("—!?", ""),
    ],
)
def test_normalise_answer(text: str, normalised: str) -> None:
    assert normalise_answer(text) == normalised


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Panmunjom", "P'anmunjŏm"),
        ("Panmunjom", "Panmunjeom"),
        ("Nam Il", "Nam-il"),
        ("Nam Il", "NAM IL"),
        ("Kaesŏng", "Kaesong"),
        ("Kaesŏng", "Kaeseong"),
        ("Mark W. Clark", "mark w clark"),
    ],
)
def test_spelling_variants_match(first: str, second: str) -> None:
    assert normalise_answer(first) == normalise_answer(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Art. 118", "Article 118"),  # teachers list such variants themselves
        ("Panmunjom", "Kaesong"),
        ("Article 118", "Article 119"),
        ("Nam Il", "Nam Ir"),
    ],
)
def test_different_answers_stay_different(first: str, second: str) -> None:
    assert normalise_answer(first) != normalise_answer(second)


# ------------------------------------------------------------------------------------
# Number parsing


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("1953", "", Decimal("1953")),
        (" 1,953 ", "", Decimal("1953")),
        ("1\u00a0953", "", Decimal("1953")),
        ("75,823", "", Decimal("75823")),
        ("1,234,567", "", Decimal("1234567")),
        ("1.234.567", "", Decimal("1234567")),
        ("1,234.5", "", Decimal("1234.5")),
        ("1.234,5", "", Decimal("1234.5")),
        ("4,5", "", Decimal("4.5")),
        ("1,95", "", Decimal("1.95")),
        ("1.953", "", Decimal("1.953")),
        (".5", "", Decimal("0.5")),
        ("5.", "", Decimal("5")),
        ("-3", "", Decimal("-3")),
        ("−3.5", "", Decimal("-3.5")),
        ("4 km", "km", Decimal("4")),
        ("4 KM", "km", Decimal("4")),
        ("38 °", "°", Decimal("38")),
        ("4 km", "", None),
        ("1,2,3", "", None),
        ("12,34,567", "", None),
        ("1e3", "", None),
        ("0x10", "", None),
        ("--3", "", None),
        ("-", "", None),
        ("km", "km", None),
        ("", "", None),
        ("1" * 65, "", None),
        ("Infinity", "", None),
        ("NaN", "", None),
        # the start of the unit may follow the number; other words may not
        ("8 July", "July 1951", Decimal("8")),
        ("8 july 1951", "July 1951", Decimal("8")),
        ("35,000 troops", "troops per month", Decimal("35000")),
        ("4 miles", "km", None),
        ("22:00", "hours", None),
        ("8 July", "", None),
    ],
)
def test_parse_number(text: str, unit: str, value: Decimal | None) -> None:
    assert parse_number(text, unit=unit) == value


# ------------------------------------------------------------------------------------
# Describing answers and responses


@pytest.mark.parametrize(
    ("key", "data", "described"),
    [
        ("single_choice", SINGLE, "Yakov Malik"),
        ("multi_choice", MULTI, "Sweden; Switzerland; Poland; Czechoslovakia"),
        ("true_false", TRUE_FALSE, "True"),
        ("true_false", {"answer": False}, "False"),
        ("short_text", ART_118, "Article 118"),
        ("numeric", YEAR, "1953"),
        ("numeric", {"answer": 1953.0, "tolerance": 0, "unit": ""}, "1953"),
        ("numeric", DISTANCE, "4 km (± 0.5)"),
        ("numeric", {"answer": 0.1, "tolerance": 0.05}, "0.1 (± 0.05)"),
        (
            "ordering",
            ORDER,
            "1. Stalin dies\n2. Zhou Enlai's statement of 30 March\n"
            "3. Little Switch begins\n4. Armistice signed",
        ),
        (
            "matching",
            MATCH,
            "- Nam Il → Chief delegate of the KPA/CPV side\n"
            "- C. Turner Joy → First UNC senior delegate\n"
            "- William K. Harrison Jr. → UNC senior delegate from May 1952\n"
            "- Mark W. Clark → UN Commander who signed",
        ),
        ("single_choice", {"choices": ("*a*", "b"), "answer": "*a*"}, r"\*a\*"),
    ],
)
def test_describe_answer(key: str, data: dict[str, Any], described: str) -> None:
    assert QUESTION_TYPES[key].describe_answer(data) == described


@pytest.mark.parametrize(
    ("key", "data", "response", "described"),
    [
        ("single_choice", SINGLE, "Zhou Enlai", "Zhou Enlai"),
        ("single_choice", SINGLE, None, NO_ANSWER),
        ("single_choice", SINGLE, 5, NO_ANSWER),
        ("multi_choice", MULTI, ["Poland", "India", "Atlantis"], "Poland; India"),
        ("multi_choice", MULTI, [], NO_ANSWER),
        ("multi_choice", MULTI, None, NO_ANSWER),
        ("true_false", TRUE_FALSE, False, "False"),
        ("true_false", TRUE_FALSE, None, NO_ANSWER),
        ("short_text", SHORT, "  Pan_mun_jom ", r"Pan\_mun\_jom"),
        ("short_text", SHORT, "", NO_ANSWER),
        ("short_text", SHORT, None, NO_ANSWER),
        ("numeric", YEAR, " 1,953 ", "1,953"),
        ("numeric", YEAR, 1953, "1953"),
        ("numeric", YEAR, True, NO_ANSWER),
        (
            "ordering",
            ORDER,
            [B, None, A],
            "1. Zhou Enlai's statement of 30 March ✗ *(wrong)*\n2. —\n"
            "3. Stalin dies ✗ *(wrong)*",
        ),
        (
            "ordering",
            ORDER,
            [A, B, D, C],
            "1. Stalin dies\n2. Zhou Enlai's statement of 30 March\n"
            "3. Armistice signed ✗ *(wrong)*\n4. Little Switch begins ✗ *(wrong)*",
        ),
        ("ordering", ORDER, [None, ""], NO_ANSWER),
        ("ordering", ORDER, "ABCD", NO_ANSWER),
        (
            "matching",
            MATCH,
            {NAM: RIGHT[JOY], JOY: None},
            "- Nam Il → First UNC senior delegate ✗ *(wrong)*\n"
            f"- C. Turner Joy → {NO_ANSWER}\n"
            f"- William K. Harrison Jr. → {NO_ANSWER}\n"
            f"- Mark W. Clark → {NO_ANSWER}",
        ),
        ("matching", MATCH, None, NO_ANSWER),
    ],
)
def test_describe_response(
    key: str, data: dict[str, Any], response: Any, described: str
) -> None:
    assert QUESTION_TYPES[key].describe_response(data, response) == described


def test_a_right_row_of_matching_or_ordering_carries_no_mark() -> None:
    matched = {left: right for left, right in MATCH["pairs"][:2]}
    described = QUESTION_TYPES["matching"].describe_response(MATCH, matched)
    assert described.splitlines()[0] == f"- Nam Il → {MATCH['pairs'][0][1]}"
    assert "✗" not in QUESTION_TYPES["ordering"].describe_response(ORDER, [A, B, C, D])


def test_partial_credit_is_counted_in_pairs() -> None:
    half = {left: right for left, right in MATCH["pairs"][:3]}
    assert QUESTION_TYPES["matching"].grade(MATCH, half).tally == (3, 4, "pairs")
    grade = QUESTION_TYPES["ordering"].grade(ORDER, [A, B, D, C])
    assert grade.tally == (1, 3, "pairs in order")
    assert QUESTION_TYPES["single_choice"].grade(SINGLE, "x").tally is None


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Yakov Malik", "Yakov Malik"),
        ("*Art* 118", r"\*Art\* 118"),
        ("[link](http://x)", r"\[link\](http://x)"),
        ("<script>", r"\<script\>"),
        ("1. Stalin dies", r"1\. Stalin dies"),
        ("1953) signed", r"1953\) signed"),
        ("- a dash", r"\- a dash"),
        ("# heading", r"\# heading"),
        ("a_b `c`", r"a\_b \`c\`"),
        ("two\nlines", "two lines"),
        ("AT&T", r"AT\&T"),
        ("C. Turner Joy", "C. Turner Joy"),
        ("0.5", "0.5"),
        ("-3", "-3"),
        ("---", r"\---"),
        ("+ plus", r"\+ plus"),
        ("38", "38"),
    ],
)
def test_escape_markdown(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped


# ------------------------------------------------------------------------------------
# Properties

EXAMPLES: dict[str, dict[str, Any]] = {
    "single_choice": SINGLE,
    "multi_choice": MULTI,
    "true_false": TRUE_FALSE,
    "short_text": ART_118,
    "numeric": DISTANCE,
    "ordering": ORDER,
    "matching": MATCH,
}
RESPONSES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(
            st.text(max_size=10) | st.sampled_from([NAM, JOY]), inner, max_size=4
        )
    ),
    max_leaves=10,
)


@given(key=st.sampled_from(sorted(EXAMPLES)), response=RESPONSES)
def test_grading_any_response_never_raises(key: str, response: Any) -> None:
    qtype = QUESTION_TYPES[key]
    result = qtype.grade(EXAMPLES[key], response)
    assert 0.0 <= result.score <= 1.0
    assert result.is_correct is (result.score == 1.0)
    assert isinstance(qtype.describe_response(EXAMPLES[key], response), str)


@given(st.text())
def test_normalise_answer_is_idempotent(text: str) -> None:
    once = normalise_answer(text)
    assert normalise_answer(once) == once


@given(st.text(max_size=40))
def test_parse_number_never_raises(text: str) -> None:
    value = parse_number(text, unit="km")
    assert value is None or value.is_finite()


# ------------------------------------------------------------------------------------
# Short answers as students write them (issue 14)

ROBERTSON: dict[str, Any] = {"answers": ("Walter Robertson", "Robertson")}
DULLES: dict[str, Any] = {"answers": ("John Foster Dulles", "Dulles")}
UNC: dict[str, Any] = {"answers": ("United Nations Command", "UN Command", "UNC")}
UNC_NO_ABBREVIATION: dict[str, Any] = {"answers": ("United Nations Command",)}
NLL: dict[str, Any] = {"answers": ("Northern Limit Line (NLL)",)}
KUMSONG: dict[str, Any] = {"answers": ("Kumsong", "Kumsong salient", "Geumseong")}
CLARK: dict[str, Any] = {"answers": ("Robert Clark",)}
JOY_FULL: dict[str, Any] = {"answers": ("C. Turner Joy", "Turner Joy")}
ARTICLE_I: dict[str, Any] = {"answers": ("Article I",)}
MARK_CLARK: dict[str, Any] = {"answers": ("Mark W. Clark",)}


@pytest.mark.parametrize(
    ("data", "typed"),
    [
        # middle initials, either side
        (ROBERTSON, "Walter S. Robertson"),
        (ROBERTSON, "walter s robertson"),
        (DULLES, "John F. Dulles"),
        (DULLES, "J. F. Dulles"),
        (MARK_CLARK, "Mark Clark"),
        (MARK_CLARK, "Mark Wayne Clark"),
        # an abbreviation in brackets, after or before the name
        (UNC, "United Nations Command (UNC)"),
        (UNC_NO_ABBREVIATION, "United Nations Command (UNC)"),
        (UNC_NO_ABBREVIATION, "UNC (United Nations Command)"),
        (NLL, "Northern Limit Line (NLL)"),
        (NLL, "Northern Limit Line"),
        (NLL, "the Northern Limit Line (NLL)"),
        # the abbreviation alone where the bank lists it
        (UNC, "UNC"),
        (UNC, "U.N.C."),
        # a leading article
        (UNC, "the United Nations Command"),
        (UNC, "The UN Command"),
        (KUMSONG, "the Kumsong salient"),
        # romanisations the bank lists
        (KUMSONG, "Geumseong"),
        (KUMSONG, "Kŭmsŏng"),
        (JOY_FULL, "Turner Joy"),
    ],
)
def test_short_answer_accepts_what_students_write(
    data: dict[str, Any], typed: str
) -> None:
    assert grade("short_text", data, typed).is_correct


@pytest.mark.parametrize(
    ("data", "typed"),
    [
        (DULLES, "John Foster"),  # a full word is never dropped
        (DULLES, "John F."),
        (CLARK, "Robert Murphy"),  # a different person
        (CLARK, "Mark Clark"),
        (ROBERTSON, "S. Robertson"),  # a wrong initial for a full first name
        (ROBERTSON, "Walter"),
        (ROBERTSON, "Robertson (Nam Il)"),  # the bracket must agree with the name
        (UNC, "UN"),  # a different abbreviation
        (UNC, "United Nations"),
        (UNC, "United Nations Command (UN)"),
        (UNC_NO_ABBREVIATION, "UNC"),  # the abbreviation alone only when listed
        (NLL, "NLL"),
        (KUMSONG, "Geumseong offensive"),
        (KUMSONG, "the"),
        (ARTICLE_I, "Article"),  # a trailing numeral is not a middle initial
        (ARTICLE_I, "Article II"),
        (JOY_FULL, "Joy"),
        (MARK_CLARK, "W. Clark"),
        (MARK_CLARK, "J. W. Clark"),
    ],
)
def test_short_answer_near_misses_stay_wrong(data: dict[str, Any], typed: str) -> None:
    assert not grade("short_text", data, typed).is_correct


def test_answer_words_normalise_each_word_like_the_grader() -> None:
    assert answer_words("the Korean People's Army (KPA)") == (
        "the",
        "korean",
        "poples",
        "army",
        "kpa",
    )
    assert answer_words("P'anmunjŏm, 75,823 men") == ("panmunjom", "75823", "men")
    # Words split at hyphens; whole answers still compare as normalise_answer does.
    assert answer_words("Se-oul") == ("se", "oul")
    assert grade("short_text", {"answers": ("Seoul",)}, "Se-oul").is_correct

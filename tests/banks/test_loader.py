"""Tests of the pure bank loader: every problem with its line, and the objects built."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from quiz_app.banks.cli import validate_paths as validate_command
from quiz_app.banks.crossbank import resolve_quiz_questions
from quiz_app.banks.files import load_bank_files
from quiz_app.banks.loader import parse_bank
from quiz_app.banks.schema import (
    Bank,
    BankError,
    CardFace,
    Difficulty,
    Image,
    Layout,
    Problem,
    Question,
    QuizDef,
    Selection,
    Source,
)
from quiz_app.questions.grading import QUESTION_TYPES

DATA = Path(__file__).resolve().parent.parent / "data" / "banks"
VALID = DATA / "valid"
INVALID = DATA / "invalid"

HEADER = """\
format: 1
id: test-bank
title: Test bank
topics:
  signing: The signing
  prisoners: Prisoners
sources:
  agreement-text:
    title: Korean Armistice Agreement
"""


def problems_of(text: str | bytes, source: str = "bank.yaml") -> list[str]:
    """The problems of a bank as "line:column: message" strings (fails if it parses)."""
    with pytest.raises(BankError) as info:
        parse_bank(text, source=source)
    assert all(p.source == source for p in info.value.problems)
    return [f"{p.line}:{p.column}: {p.message}" for p in info.value.problems]


def question(body: str, *, qid: str = "q-1") -> str:
    """A bank with one question of the given YAML body (indented under the list "
    "item)."""
    lines = body.strip("\n").splitlines()
    item = "\n".join(f"    {line}" for line in lines)
    return (
        f"{HEADER}questions:\n  - id: {qid}\n    topic: signing\n"
        f"    explanation: Explained.\n    sources: [agreement-text]\n{item}\n"
    )


# --------------------------------------------------------------------------------------
# Invalid files: the full list of problems, with lines and columns

EXPECTED_PROBLEMS: dict[str, list[str]] = {
    "bank-level.yaml": [
        "1:9: unsupported format 2; this version reads format 1",
        "2:5: 'id' 'all' is reserved (select.banks: all means every bank)",
        "3:8: 'title' is empty",
        "4:10: 'authors' must be a list of text, not the text 'Armistice Study team' "
        "(write [Armistice Study team])",
        "6:3: topic key 'Signing Day' must be a lowercase slug (a-z, 0-9 and '-'), "
        "at most 80 characters",
        "7:13: 'topics.prisoners' is empty",
        "10:5: missing required key 'sources.agreement-text.title'",
        "10:10: 'sources.agreement-text.url' must be a web address starting with "
        "http:// or https://",
        "11:11: 'sources.hermes' must be a mapping (key: value lines), not the text "
        "'Hermes, Truce Tent and Fighting Front'",
        "12:12: 'questions' must be a list (lines starting with '- '), not a mapping",
    ],
    "duplicates.yaml": [
        "6:3: duplicate key 'signing' in 'topics' (lines 5 and 6)",
        "17:5: questions[0] (signed-where): duplicate key 'answer' in a question "
        "(lines 16 and 17)",
        "20:9: questions[1] (signed-where): duplicate id 'signed-where': "
        "questions[0] at line 11 has it too",
        "28:9: cards[0] (signed-where): duplicate id 'signed-where': questions[0] at "
        "line 11 has it too",
        "36:9: quizzes[1] (signing-quiz): duplicate id 'signing-quiz': quizzes[0] at "
        "line 34 has it too",
    ],
    "empty.yaml": [
        "1:1: the file is empty; a bank starts with 'format: 1'",
    ],
    "missing-and-kinds.yaml": [
        "2:5: 'id' is 'Missing_And_Kinds'; it must be a lowercase slug (a-z, 0-9 and "
        "'-'), at most 80 characters",
        "3:8: 'title' must be text, not a list",
        "10:5: questions[0]: missing required key 'explanation'",
        "10:5: questions[0]: missing required key 'id'",
        "10:5: questions[0]: missing required key 'prompt'",
        "17:12: questions[1] (wrong-kinds): 'topic' must be text, not a list",
        "18:12: questions[1] (wrong-kinds): 'prompt' is empty",
        "19:14: questions[1] (wrong-kinds): 'answers' must be a list of text, not "
        "the text 'Panmunjom' (write [Panmunjom])",
        "20:18: questions[1] (wrong-kinds): 'explanation' is empty",
        "21:14: questions[1] (wrong-kinds): 'sources' must be a list of ids, not the "
        "text 'agreement-text' (write [agreement-text])",
        "22:17: questions[1] (wrong-kinds): 'difficulty' is 'extreme'; use one of "
        "easy, medium, hard",
        "23:9: questions[2] "
        "(unresolved-references-and-a-very-long-id-that-goes-on-and-on-and-on-well-pa"
        "st-t…): 'id' is 87 characters long; the limit is 80",
        "25:12: questions[2] "
        "(unresolved-references-and-a-very-long-id-that-goes-on-and-on-and-on-well-pa"
        "st-t…): topic 'singing' is not a key of 'topics'",
        "29:15: questions[2] "
        "(unresolved-references-and-a-very-long-id-that-goes-on-and-on-and-on-well-pa"
        "st-t…): source 'agreement-txt' is not a key of 'sources' (did you mean "
        "'agreement-text'?)",
        "36:14: questions[3] (bad-image): 'sources' needs at least 1 entry",
        "38:7: questions[3] (bad-image): missing required key 'image.alt'",
        "38:13: questions[3] (bad-image): 'image.file' must not contain '..': keep "
        "images beside the bank file",
        "46:19: questions[4] (bad-image-ext): 'image.file' must end in one of .png, "
        ".jpg, .jpeg, .gif, .svg, .webp",
        "47:5: questions[5]: a question must be a mapping (key: value lines), not "
        "the text 'just a string'",
    ],
    "no-content.yaml": [
        "1:1: the bank has no questions or cards; add some, or define quizzes that "
        "draw from other banks (select.banks)",
    ],
    "not-a-mapping.yaml": [
        "1:1: a bank file must be a mapping (key: value lines), not a list",
    ],
    "quizzes.yaml": [
        "26:5: quizzes[0] (selects-nothing): the quiz selects no question",
        "32:5: quizzes[1] (count-too-big): 'count' is 2 but the selection has only 1 "
        "question",
        "36:16: quizzes[2] (unknown-refs): topic 'signin' is not a key of 'topics' "
        "(did you mean 'signing'?)",
        "37:13: quizzes[2] (unknown-refs): no question has id 'signed-yaer' (did you "
        "mean 'signed-year'?)",
        "37:26: quizzes[2] (unknown-refs): 'card-nnsc' is a card; quizzes select "
        "questions",
        "40:12: quizzes[3] (bad-values): 'count' is 0; it must be at least 1",
        "41:13: quizzes[3] (bad-values): 'layout' is 'one-per-page'; use one of "
        "one_per_page, all_on_one_page (did you mean 'one_per_page'?)",
        "42:16: quizzes[3] (bad-values): 'pass_mark' is 101; it must be from 0 to 100",
        "43:25: quizzes[3] (bad-values): 'time_limit_minutes' must be a whole "
        "number, not '1.5'",
        "44:14: quizzes[3] (bad-values): 'shuffle' must be true or false, not 'no' "
        "(YAML 1.1 reads yes/no/on/off as booleans; this format accepts only true "
        "and false)",
        "48:14: quizzes[4] (bad-banks): 'select.banks' lists 'all' together with "
        "other banks; use 'all' alone",
        "52:14: quizzes[5] (banks-scalar): 'select.banks' must be 'all' or a list of "
        "bank ids, not the text 'quizzes' (write [quizzes])",
    ],
    "syntax-error.yaml": [
        "5:1: YAML syntax error: found unexpected end of stream (while scanning a "
        "quoted scalar at line 3, column 8)",
    ],
    "type-checks.yaml": [
        "15:5: questions[0] (answer-not-a-choice): 'answer' is not one of the "
        "choices (did you mean 'Panmunjom'?)",
        "22:5: questions[1] (too-few-items): 'items' has 2 entries; an ordering "
        "question needs 3 to 8",
        "29:5: questions[2] (matching-too-few): 'pairs' has 2 entries; a matching "
        "question needs 3 to 8",
        "39:5: questions[3] (negative-tolerance): 'tolerance' is -1; use a number of "
        "0 or more",
        "50:7: questions[4] (flashcard-bad): missing required key 'flashcard.back'",
    ],
    "unknown-keys.yaml": [
        "1:1: missing required key 'title'",
        "3:1: unknown key 'titel' (did you mean 'title'?)",
        "9:5: unknown key 'sources.agreement-text.uri' (did you mean 'url'?)",
        "11:5: questions[0] (typo-prompt): missing required key 'prompt'",
        "14:5: questions[0] (typo-prompt): unknown key 'promt' (did you mean "
        "'prompt'?)",
        "19:5: questions[1] (other-type-key): missing required key 'answer'",
        "24:5: questions[1] (other-type-key): 'answers' is not a key of "
        "single_choice questions (did you mean 'answer'?); it belongs to "
        "multi_choice, short_text",
        "28:11: questions[2] (unknown-type): unknown type 'single' (did you mean "
        "'single_choice'?); use one of single_choice, multi_choice, true_false, "
        "short_text, numeric, ordering, matching",
        "38:7: questions[2] (unknown-type): unknown key 'image.caption'",
        "44:5: cards[0] (card-with-choices): 'choices' is a question key; a card has "
        "id, topic, front, back, sources, tags (put questions under 'questions')",
        "50:7: quizzes[0] (a-quiz): unknown key 'select.topic' (did you mean "
        "'topics'?)",
    ],
    "yaml11-surprises.yaml": [
        "14:13: questions[0] (tf-yes): 'answer' must be true or false, not 'yes' "
        "(YAML 1.1 reads yes/no/on/off as booleans; this format accepts only true "
        "and false)",
        "21:13: questions[1] (tf-quoted): 'answer' must be true or false without "
        "quotes (quotes make it text)",
        "28:13: questions[2] (num-octal): 'answer' is '010', a number with a leading "
        "zero (YAML 1.1 reads it as octal); write 10",
        "29:16: questions[2] (num-octal): 'tolerance' must be a decimal number, not "
        "'0x1'; write it in decimal",
        "36:13: questions[3] (num-sexagesimal): 'answer' must be a decimal number, "
        "not '0:12' (YAML 1.1 reads 1:30 as 90, base 60); write the number itself",
        "37:16: questions[3] (num-sexagesimal): 'tolerance' must be a number without "
        "quotes (quotes make it text)",
        "47:14: questions[4] (choice-shuffle-on): 'shuffle' must be true or false, "
        "not 'on' (YAML 1.1 reads yes/no/on/off as booleans; this format accepts "
        "only true and false)",
        "58:16: questions[5] (text-stays-text): 'flashcard' must be true or false, "
        "not 'off' (YAML 1.1 reads yes/no/on/off as booleans; this format accepts "
        "only true and false)",
    ],
}


def test_every_invalid_file_has_an_expected_problem_list() -> None:
    assert sorted(p.name for p in INVALID.glob("*.yaml")) == sorted(EXPECTED_PROBLEMS)


@pytest.mark.parametrize("name", sorted(EXPECTED_PROBLEMS))
def test_invalid_bank_reports_every_problem(name: str) -> None:
    raw = (INVALID / name).read_bytes()
    assert problems_of(raw, source=name) == EXPECTED_PROBLEMS[name]


def test_bank_error_lists_problems_as_file_line_column() -> None:
    with pytest.raises(BankError) as info:
        parse_bank((INVALID / "type-checks.yaml").read_bytes(), source="b/t.yaml")
    first = str(info.value).splitlines()[0]
    assert first == (
        "b/t.yaml:15:5: questions[0] (answer-not-a-choice): "
        "'answer' is not one of the choices (did you mean 'Panmunjom'?)"
    )


# --------------------------------------------------------------------------------------
# Valid files: the objects built


def test_valid_bank_parses_to_the_expected_objects() -> None:
    raw = (VALID / "origins.yaml").read_bytes()
    bank = parse_bank(raw, source="valid/origins.yaml")
    assert bank.id == "origins"
    assert bank.title == "How the talks began"
    assert bank.source_path == "valid/origins.yaml"
    assert bank.description == "From Malik's broadcast to the first plenary meeting.\n"
    assert bank.authors == ("Armistice Study team",)
    assert bank.licence == "CC-BY-SA-4.0"
    assert dict(bank.topics) == {
        "origins": "How the talks began",
        "delegations": "The delegations",
    }
    assert list(bank.sources) == ["frus-1951-d355", "hermes-ch2"]
    assert bank.sources["hermes-ch2"] == Source(
        key="hermes-ch2",
        title="Hermes, Truce Tent and Fighting Front, chapter 2",
        note="Single source.",
    )
    assert bank.content_hash == hashlib.sha256(raw).hexdigest()
    assert [q.id for q in bank.questions] == [
        "origins-malik-broadcast",
        "origins-first-plenary",
        "origins-rhee-opposed",
        "origins-no-answer",
        "delegations-match",
        "origins-order",
        "delegations-unc-members",
    ]
    assert bank.questions[0] == Question(
        id="origins-malik-broadcast",
        type="single_choice",
        prompt="Who proposed cease-fire talks in a UN radio talk on 23 June 1951?",
        explanation=(
            'Malik, the Soviet representative at the UN, spoke in "The Price of Peace".'
        ),
        sources=("frus-1951-d355",),
        topic="origins",
        tags=("people",),
        difficulty=Difficulty.EASY,
        flashcard=CardFace(
            front="Who called for cease-fire talks on 23 June 1951, and where?",
            back="Yakov Malik, the Soviet UN representative, in a UN radio talk.",
        ),
        data={
            "choices": ("Yakov Malik", "Zhou Enlai", "Matthew Ridgway", "Syngman Rhee"),
            "answer": "Yakov Malik",
            "shuffle": True,
        },
        line=20,
    )
    by_id = {q.id: q for q in bank.questions}
    assert by_id["origins-first-plenary"].data == {
        "answer": 1951,
        "tolerance": 0,
        "unit": "",
    }
    assert by_id["origins-first-plenary"].difficulty is Difficulty.MEDIUM
    assert by_id["origins-first-plenary"].allow_overlap == ("origins-malik-broadcast",)
    assert by_id["origins-first-plenary"].variant_group is None
    assert by_id["origins-rhee-opposed"].data == {"answer": False}
    assert by_id["delegations-match"].data == {
        "pairs": (
            ("Nam Il", "Chief delegate of the KPA/CPV side throughout"),
            ("C. Turner Joy", "First UNC senior delegate"),
            ("William K. Harrison Jr.", "UNC senior delegate from May 1952"),
        ),
        "distractors": ("Swiss member of the NNSC",),
    }
    assert by_id["delegations-match"].image == Image(
        file="img/delegates.png", alt="The delegates at the table"
    )
    assert by_id["delegations-unc-members"].data["shuffle"] is False
    assert [(c.id, c.topic, c.tags, c.line) for c in bank.cards] == [
        ("card-kaesong", "origins", ("places",), 89)
    ]
    assert bank.quizzes == (
        QuizDef(
            id="origins-quiz",
            title="How the talks began",
            description="Seven questions on the start of the talks.",
            select=Selection(
                topics=("origins",), tags=("people",), ids=("delegations-match",)
            ),
            count=3,
            shuffle=False,
            layout=Layout.ALL_ON_ONE_PAGE,
            time_limit_minutes=15,
            max_attempts=3,
            pass_mark=70,
        ),
    )


def test_text_fields_keep_yaml_1_1_lookalikes_as_written() -> None:
    bank = parse_bank((VALID / "origins.yaml").read_bytes(), source="o.yaml")
    answers = {q.id: q for q in bank.questions}["origins-no-answer"].data["answers"]
    assert answers == ("propaganda", "No", "on", "12:30", "010")


@pytest.mark.parametrize(
    ("written", "expected"),
    [("true", True), ("false", False), ("True", True), ("FALSE", False)],
)
def test_true_false_accepts_true_and_false_in_any_case(
    written: str, expected: bool
) -> None:
    bank = parse_bank(
        question(f"type: true_false\nprompt: P.\nanswer: {written}"), source="b"
    )
    assert bank.questions[0].data == {"answer": expected}


@pytest.mark.parametrize("written", ["yes", "No", "on", "OFF", "y", "n"])
def test_yaml_1_1_booleans_are_reported_with_an_explanation(written: str) -> None:
    text = question(f"type: true_false\nprompt: P.\nanswer: {written}")
    assert problems_of(text) == [
        f"17:13: questions[0] (q-1): 'answer' must be true or false, not {written!r} "
        "(YAML 1.1 reads yes/no/on/off as booleans; this format accepts only true and "
        "false)"
    ]


@pytest.mark.parametrize(
    ("written", "value"),
    [("1953", 1953), ("-3", -3), ("+7", 7), ("0", 0), ("2.5", 2.5), ("1e3", 1000.0)],
)
def test_numbers_are_read_as_decimal(written: str, value: float) -> None:
    bank = parse_bank(
        question(f"type: numeric\nprompt: P.\nanswer: {written}"), source="b"
    )
    answer = bank.questions[0].data["answer"]
    assert answer == value
    assert type(answer) is type(value)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "010",
            "'answer' is '010', a number with a leading zero (YAML 1.1 reads it "
            "as octal); write 10",
        ),
        ("0x1F", "'answer' must be a decimal number, not '0x1F'; write it in decimal"),
        ("0o17", "'answer' must be a decimal number, not '0o17'; write it in decimal"),
        (
            "1:30",
            "'answer' must be a decimal number, not '1:30' (YAML 1.1 reads 1:30 "
            "as 90, base 60); write the number itself",
        ),
        (
            "1_000",
            "'answer' must be a decimal number, not '1_000'; write it without '_'",
        ),
        (".inf", "'answer' must be a decimal number, not '.inf'"),
        ("1e999", "'answer' is too large"),
        ('"1953"', "'answer' must be a number without quotes (quotes make it text)"),
        ("[1953]", "'answer' must be a number, not a list"),
    ],
)
def test_non_decimal_numbers_are_reported(written: str, message: str) -> None:
    text = question(f"type: numeric\nprompt: P.\nanswer: {written}")
    assert problems_of(text) == [f"17:13: questions[0] (q-1): {message}"]


def test_explicit_str_tag_makes_text_and_other_tags_are_refused() -> None:
    bank = parse_bank(
        question("type: short_text\nprompt: !!str 1953\nanswers: [!!str 10]"),
        source="b",
    )
    assert bank.questions[0].prompt == "1953"
    assert problems_of(question("type: short_text\nprompt: !!int 5\nanswers: [a]")) == [
        "16:13: questions[0] (q-1): 'prompt': YAML tags such as "
        "'tag:yaml.org,2002:int' are not supported"
    ]


def test_unknown_type_suggests_the_closest_one() -> None:
    text = question("type: multichoice\nprompt: P.\nchoices: [a, b, c]\nanswers: [a]")
    assert problems_of(text) == [
        "15:11: questions[0] (q-1): unknown type 'multichoice' (did you mean "
        "'multi_choice'?); use one of single_choice, multi_choice, true_false, "
        "short_text, numeric, ordering, matching"
    ]


def test_duplicate_keys_name_both_lines_at_any_depth() -> None:
    text = question(
        "type: matching\nprompt: P.\npairs:\n  a: b\n  c: d\n  a: e\n  f: g"
    )
    assert problems_of(text) == [
        "20:7: questions[0] (q-1): duplicate key 'a' in 'pairs' (lines 18 and 20)"
    ]


def test_merge_keys_are_refused() -> None:
    text = HEADER + "x: &x {a: 1}\n<<: *x\n"
    assert problems_of(text) == [
        "1:1: the bank has no questions or cards; add some, or define quizzes that "
        "draw from other banks (select.banks)",
        "10:1: unknown key 'x'",
        "11:1: YAML merge keys ('<<') are not supported; write the keys out",
    ]


def test_aliases_to_collections_are_expanded() -> None:
    text = (
        HEADER
        + "questions:\n"
        + "  - id: q-1\n    type: ordering\n    topic: signing\n    prompt: P.\n"
        + "    explanation: E.\n    sources: &src [agreement-text]\n"
        + "    items: &items [a, b, c]\n"
        + "  - id: q-2\n    type: ordering\n    topic: signing\n    prompt: P.\n"
        + "    explanation: E.\n    sources: *src\n    items: *items\n"
    )
    bank = parse_bank(text, source="b")
    assert [q.data["items"] for q in bank.questions] == [("a", "b", "c")] * 2
    assert bank.questions[1].sources == ("agreement-text",)


def test_flashcard_true_derives_the_card_from_the_question() -> None:
    text = question(
        "type: single_choice\nprompt: Where?\nchoices: [Panmunjom, Kaesong]\n"
        "answer: Panmunjom\nflashcard: true"
    )
    card = parse_bank(text, source="b").questions[0].flashcard
    assert card == CardFace(front="Where?", back="Panmunjom\n\nExplained.")


def test_flashcard_false_makes_no_card() -> None:
    text = question("type: true_false\nprompt: P.\nanswer: true\nflashcard: false")
    assert parse_bank(text, source="b").questions[0].flashcard is None


def test_bank_without_quizzes_gets_a_default_quiz_of_all_questions() -> None:
    bank = parse_bank(
        question("type: true_false\nprompt: P.\nanswer: true"), source="b"
    )
    assert bank.quizzes == (
        QuizDef(id="test-bank-all", title="Test bank: all questions", is_default=True),
    )


def test_bank_of_cards_only_has_no_quiz() -> None:
    bank = parse_bank((VALID / "cards-only.yaml").read_bytes(), source="c")
    assert bank.quizzes == ()
    assert [c.id for c in bank.cards] == ["card-nnsc"]


def test_bank_of_quizzes_over_other_banks_is_allowed() -> None:
    bank = parse_bank((VALID / "review.yaml").read_bytes(), source="r")
    assert bank.questions == ()
    assert [q.select.banks for q in bank.quizzes] == [("all",), ("origins",)]


def test_str_and_bytes_give_the_same_bank() -> None:
    raw = (VALID / "origins.yaml").read_bytes()
    assert parse_bank(raw, source="x") == parse_bank(raw.decode(), source="x")


def test_utf8_bom_is_accepted() -> None:
    raw = b"\xef\xbb\xbf" + (VALID / "cards-only.yaml").read_bytes()
    assert parse_bank(raw, source="x").id == "cards-only"


def test_check_problems_are_located_at_their_key_or_else_the_question(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def check(data: Mapping[str, Any]) -> list[tuple[str, str]]:
        return [("answer", f"checked {data['answer']!r}"), ("elsewhere", "no key")]

    double = replace(QUESTION_TYPES["single_choice"], key="double", check=check)
    monkeypatch.setitem(QUESTION_TYPES, "double", double)
    text = question("type: double\nprompt: P.\nchoices: [a, b]\nanswer: a")
    assert problems_of(text) == [
        "11:5: questions[0] (q-1): no key",
        "18:5: questions[0] (q-1): checked 'a'",
    ]


def test_type_check_is_skipped_while_required_keys_are_missing() -> None:
    text = question("type: single_choice\nprompt: P.\nanswer: a")
    assert problems_of(text) == [
        "11:5: questions[0] (q-1): missing required key 'choices'"
    ]


# --------------------------------------------------------------------------------------
# Quiz selection


def _bank(text: str) -> Bank:
    return parse_bank(text, source="b")


def test_resolve_quiz_questions_combines_topics_tags_and_ids_as_any_of() -> None:
    bank = parse_bank((VALID / "origins.yaml").read_bytes(), source="o")
    chosen = resolve_quiz_questions(bank.quizzes[0], bank, {})
    assert [q.id for q in chosen] == [
        "origins-malik-broadcast",
        "origins-first-plenary",
        "origins-rhee-opposed",
        "origins-no-answer",
        "delegations-match",
        "origins-order",
    ]


def test_resolve_quiz_questions_draws_from_named_or_all_banks() -> None:
    banks, problems = load_bank_files([VALID])
    assert problems == []
    by_id = {b.id: b for b in banks}
    review = by_id["review"]
    everything, delegations = review.quizzes
    assert len(resolve_quiz_questions(everything, review, by_id)) == 7
    assert [q.id for q in resolve_quiz_questions(delegations, review, by_id)] == [
        "delegations-match",
        "delegations-unc-members",
    ]
    # Banks that are not there are skipped; validation reports them.
    assert resolve_quiz_questions(delegations, review, {}) == []


# --------------------------------------------------------------------------------------
# Files, folders and cross-bank checks


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def bank_text(bank_id: str, body: str) -> str:
    return HEADER.replace("id: test-bank", f"id: {bank_id}") + body


def tf_question(qid: str, topic: str = "signing") -> str:
    return (
        f"  - id: {qid}\n    type: true_false\n    topic: {topic}\n    prompt: P.\n"
        "    answer: true\n    explanation: E.\n    sources: [agreement-text]\n"
    )


def test_load_bank_files_expands_folders_recursively_and_sorted(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        "b/second.yml",
        bank_text("second", "questions:\n" + tf_question("q-2")),
    )
    write(
        tmp_path,
        "a/first.yaml",
        bank_text("first", "questions:\n" + tf_question("q-1")),
    )
    write(tmp_path, "a/notes.txt", "not a bank")
    write(tmp_path, ".hidden/x.yaml", "not: [a bank")
    banks, problems = load_bank_files([tmp_path])
    assert problems == []
    assert [b.source_path for b in banks] == [
        str(tmp_path / "a" / "first.yaml"),
        str(tmp_path / "b" / "second.yml"),
    ]


def test_load_bank_files_keeps_relative_paths_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "banks/one.yaml", "format: 2\n")
    monkeypatch.chdir(tmp_path)
    banks, problems = load_bank_files(["banks"])
    assert banks == []
    assert [p.source for p in problems] == [str(Path("banks") / "one.yaml")] * 6


def test_load_bank_files_never_raises_for_bad_paths(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    big = write(tmp_path, "big.yaml", "# " + "x" * 200 + "\n")
    banks, problems = load_bank_files(
        [tmp_path / "missing.yaml", tmp_path / "empty", big], max_bytes=100
    )
    assert banks == []
    assert problems == sorted(
        [
            Problem(str(tmp_path / "missing.yaml"), 0, 0, "no such file or folder"),
            Problem(
                str(tmp_path / "empty"),
                0,
                0,
                "no bank files (*.yaml, *.yml) in this folder",
            ),
            Problem(str(big), 0, 0, "the file is 203 bytes; the limit is 100 bytes"),
        ]
    )


def test_cross_bank_duplicates_name_both_files_and_lines(tmp_path: Path) -> None:
    one = write(
        tmp_path,
        "a.yaml",
        bank_text("one", "questions:\n" + tf_question("shared") + tf_question("q-a")),
    )
    two = write(
        tmp_path,
        "b.yaml",
        bank_text(
            "one",
            "cards:\n  - id: shared\n    topic: signing\n    front: F\n    back: B\n"
            "    sources: [agreement-text]\nquizzes:\n  - id: one-all\n    title: T\n"
            "    select: {banks: all}\n",
        ),
    )
    banks, problems = load_bank_files([tmp_path])
    assert len(banks) == 2
    assert [str(p) for p in problems] == [
        f"{two}:2:5: bank id 'one' is also used by {one}",
        f"{two}:11:9: card id 'shared' is also used by a question at {one}:11",
        f"{two}:17:9: quiz id 'one-all' is also used by the default quiz of {one}",
    ]


def test_cross_bank_quiz_selections_must_match_something(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", bank_text("one", "questions:\n" + tf_question("q-a")))
    review = write(
        tmp_path,
        "b.yaml",
        bank_text(
            "review",
            "quizzes:\n"
            "  - id: unknown-bank\n    title: T\n    select: {banks: [one, oen]}\n"
            "  - id: unknown-refs\n    title: T\n"
            "    select: {banks: [one], topics: [prisoner], ids: [q-b]}\n"
            "  - id: too-many\n    title: T\n    count: 2\n    select: {banks: [one]}\n"
            "  - id: nothing\n    title: T\n    select: {banks: all, tags: [none]}\n",
        ),
    )
    banks, problems = load_bank_files([tmp_path])
    assert [f"{p.line}:{p.column}: {p.message}" for p in problems] == [
        "13:27: quizzes (unknown-bank): no bank has id 'oen' (did you mean 'one'?)",
        "16:37: quizzes (unknown-refs): topic 'prisoner' is in none of the selected "
        "banks (did you mean 'prisoners'?)",
        "16:54: quizzes (unknown-refs): no question in the selected banks has id 'q-b' "
        "(did you mean 'q-a'?)",
        "19:5: quizzes (too-many): 'count' is 2 but the selection has only 1 question",
        "21:5: quizzes (nothing): the quiz selects no question",
    ]
    assert {p.source for p in problems} == {str(review)}


def test_missing_image_is_reported_beside_the_bank(tmp_path: Path) -> None:
    body = (
        "questions:\n" + tf_question("q-a") + "    image: {file: map.png, alt: A map}\n"
    )
    path = write(tmp_path, "a.yaml", bank_text("one", body))
    banks, problems = load_bank_files([path])
    assert [str(p) for p in problems] == [
        f"{path}:18:19: questions[0] (q-a): "
        "image file 'map.png' not found beside the bank"
    ]
    (tmp_path / "map.png").write_bytes(b"\x89PNG")
    assert load_bank_files([path])[1] == []


# --------------------------------------------------------------------------------------
# Command line


def test_validate_command_prints_problems_and_fails(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "format: 1\nid: Bad\n")
    lines: list[str] = []
    assert validate_command([str(path)], lines.append) == 1
    assert lines == [
        f"{path}:1:1: missing required key 'sources'",
        f"{path}:1:1: missing required key 'title'",
        f"{path}:1:1: missing required key 'topics'",
        f"{path}:1:1: the bank has no questions or cards; add some, or define quizzes "
        "that draw from other banks (select.banks)",
        f"{path}:2:5: 'id' is 'Bad'; it must be a lowercase slug (a-z, 0-9 and '-'), "
        "at most 80 characters",
        "5 problems",
    ]


def test_validate_command_summarises_valid_banks() -> None:
    lines: list[str] = []
    assert validate_command([str(VALID)], lines.append) == 0
    assert lines == ["3 banks, 7 questions, 2 cards, 3 quizzes: OK"]


def test_module_entry_point_exits_non_zero_on_problems() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "quiz_app.banks.cli", str(INVALID / "empty.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{INVALID / 'empty.yaml'}:1:1: the file is empty; a bank starts with "
        "'format: 1'",
        "1 problem",
    ]


# --------------------------------------------------------------------------------------
# Review and visibility options


def _quiz_bank(extra: str) -> str:
    body = question("type: true_false\nprompt: Signed in 1953?\nanswer: true")
    return f"{body}quizzes:\n  - id: exam\n    title: Exam\n{extra}"


def test_quiz_review_and_visibility_are_read() -> None:
    bank = _bank(_quiz_bank("    review: after_close\n    visibility: everyone\n"))
    assert (bank.quizzes[0].review, bank.quizzes[0].visibility) == (
        "after_close",
        "everyone",
    )


def test_quiz_review_and_visibility_default_to_unset() -> None:
    quiz = _bank(_quiz_bank("    max_attempts: 1\n")).quizzes[0]
    assert (quiz.review, quiz.visibility) == (None, None)


def test_unknown_review_option_is_reported() -> None:
    problems = problems_of(_quiz_bank("    review: later\n    visibility: all\n"))
    assert len(problems) == 2
    assert "review" in problems[0] and "after_close" in problems[0]
    assert "visibility" in problems[1] and "assigned" in problems[1]


def test_a_variant_group_counts_once_towards_a_quiz_count(tmp_path: Path) -> None:
    grouped = "    variant_group: same-fact\n"
    write(
        tmp_path,
        "a.yaml",
        bank_text(
            "one",
            "questions:\n"
            + tf_question("q-a")
            + grouped
            + tf_question("q-b")
            + grouped
            + tf_question("q-c")
            + "    variant_group: Not A Slug\n"
            + "    allow_overlap: [q-a, Q-B]\n"
            + "quizzes:\n  - id: two\n    title: T\n    count: 2\n",
        ),
    )
    _, problems = load_bank_files([tmp_path])
    assert [p.message for p in problems] == [
        "questions[2] (q-c): 'variant_group' is 'Not A Slug'; it must be a lowercase "
        "slug (a-z, 0-9 and '-'), at most 80 characters",
        "questions[2] (q-c): 'allow_overlap[1]' is 'Q-B'; it must be a lowercase slug "
        "(a-z, 0-9 and '-'), at most 80 characters",
    ]
    fixed = (
        (tmp_path / "a.yaml")
        .read_text()
        .replace("    variant_group: Not A Slug\n    allow_overlap: [q-a, Q-B]\n", "")
    )
    write(tmp_path, "a.yaml", fixed.replace("count: 2", "count: 3"))
    _, problems = load_bank_files([tmp_path])
    assert [p.message for p in problems] == [
        "quizzes[0] (two): 'count' is 3 but the selection has only 2 questions "
        "(a variant group counts once)"
    ]

"""Every question type is complete: it declares every part, has its template, its
example validates, earns full marks with its own correct answer, works through the
quiz form, and survives a round trip through every format that claims to hold it.
Nothing outside the types' own modules switches on a type's key."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path
from random import Random
from typing import Any

import pytest
import yaml

from quiz_app.banks.loader import parse_bank
from quiz_app.banks.schema import Bank, Question
from quiz_app.interchange import convert, export
from quiz_app.questions.grading import QUESTION_TYPES, interchange, quiz_form
from quiz_app.questions.kinds import ALL
from quiz_app.questions.types import (
    PARTS,
    CsvCodec,
    GiftCodec,
    MoodleXmlCodec,
    Unsupported,
    Widget,
)

ROOT = Path(__file__).resolve().parents[2]
KEYS = sorted(QUESTION_TYPES)
NOW = datetime(2026, 1, 1, tzinfo=UTC)
#: export format -> the codec attribute of ``Interchange`` that claims it
FORMATS = {"gift": "gift", "moodle-xml": "moodle_xml", "csv": "csv"}


def bank_yaml(questions: list[dict[str, Any]]) -> str:
    """A bank file with these questions (each: id, type and the type's own keys)."""
    return yaml.safe_dump(
        {
            "format": 1,
            "id": "kinds",
            "title": "Kinds",
            "topics": {"t": "Topic"},
            "sources": {"s": {"title": "A source"}},
            "questions": [
                {
                    "prompt": f"Question {q['id']}?",
                    "topic": "t",
                    "explanation": "Because.",
                    "sources": ["s"],
                    **q,
                }
                for q in questions
            ],
        },
        sort_keys=False,
        allow_unicode=True,
    )


def example_bank(key: str) -> Bank:
    """A bank holding the type's example question."""
    example = QUESTION_TYPES[key].example
    assert example is not None
    text = bank_yaml([{"id": f"kinds-{key.replace('_', '-')}", "type": key, **example}])
    return parse_bank(text, source="kinds.yaml")


def example_question(key: str) -> Question:
    (question,) = example_bank(key).questions
    return question


def test_the_registry_is_the_kinds_list_in_order():
    assert list(QUESTION_TYPES.values()) == list(ALL)
    assert list(QUESTION_TYPES) == [
        "single_choice", "multi_choice", "true_false", "short_text", "numeric",
        "ordering", "matching",
    ]  # fmt: skip


@pytest.mark.parametrize("key", KEYS)
def test_every_type_declares_every_part(key):
    qtype = QUESTION_TYPES[key]
    assert qtype.missing_parts() == []
    assert all(getattr(qtype, part) is not None for part in PARTS)
    assert set(qtype.key_help) == set(qtype.fields)
    assert set(qtype.required) <= set(qtype.fields)
    assert set(qtype.defaults) <= set(qtype.fields) - set(qtype.required)


@pytest.mark.parametrize("key", KEYS)
def test_every_type_has_its_template(key):
    assert (ROOT / "templates" / QUESTION_TYPES[key].template).is_file()


def test_an_incomplete_type_is_refused_at_registration():
    from dataclasses import replace

    from quiz_app.questions.registry import register

    half = replace(QUESTION_TYPES["true_false"], key="half", leaks=None)
    with pytest.raises(ValueError, match="'half' leaves out leaks"):
        register(half)
    assert "half" not in QUESTION_TYPES


@pytest.mark.parametrize("key", KEYS)
def test_the_example_validates_and_its_correct_answer_earns_full_marks(key):
    qtype = QUESTION_TYPES[key]
    question = example_question(key)
    assert qtype.check(question.data) == []
    assert qtype.correct_response is not None
    right = qtype.correct_response(question.data)
    grade = qtype.grade(question.data, right)
    assert (grade.score, grade.is_correct) == (1.0, True)
    assert qtype.grade(question.data, None).score == 0.0
    assert qtype.describe_answer(question.data)
    assert qtype.describe_response(question.data, right)


@pytest.mark.parametrize("key", KEYS)
def test_the_quiz_form_reads_back_the_initial_values_of_the_right_answer(key):
    """Showing a saved right answer in the form and reading the form gives the same
    grade: the form and the response shape agree."""
    qtype = QUESTION_TYPES[key]
    question = example_question(key)
    form = quiz_form(key)
    options = form.present(question.data, Random(3))
    assert form.present(question.data, Random(3)) == options
    specs = form.fields(options)
    assert specs and all(isinstance(s.widget, Widget) for s in specs)
    assert qtype.correct_response is not None
    right = qtype.correct_response(question.data)
    values = form.initial(options, right)
    assert len(values) == len(specs)
    for spec, value in zip(specs, values, strict=True):
        offered = {v for v, _ in spec.choices}
        picked = value if isinstance(value, list) else [value]
        if spec.widget is not Widget.TEXT:
            assert set(picked) <= offered, (spec, value)
    read = form.read(question.data, options, [_as_submitted(v) for v in values])
    assert qtype.grade(question.data, read).is_correct
    assert form.unreadable(question.data, read) is None
    blank = form.read(question.data, options, [None] * len(specs))
    assert not qtype.grade(question.data, blank).is_correct


def _as_submitted(value: Any) -> Any:
    """What the field gives back for a value (numbers are typed as text)."""
    return str(value) if isinstance(value, int | float) else value


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_the_example_round_trips_through_every_format_that_claims_it(key, fmt):
    codec = getattr(interchange(key), FORMATS[fmt])
    assert isinstance(codec, GiftCodec | MoodleXmlCodec | CsvCodec | Unsupported)
    bank = example_bank(key)
    (question,) = bank.questions
    result = export(bank, fmt, now=NOW)
    if isinstance(codec, Unsupported):
        assert codec.reason
        assert any(line.startswith(f"{question.id}: ") for line in result.left_out)
        return
    conversion = convert(result.data, filename=result.filename, bank_id="kinds")
    assert conversion.report.skipped == []
    (back,) = parse_bank(conversion.yaml_text, source="back.yaml").questions
    assert (back.id, back.type, dict(back.data)) == (
        question.id,
        key,
        dict(question.data),
    )


def test_the_gift_readers_are_asked_in_one_unambiguous_order():
    orders = [
        codec.order
        for key in KEYS
        if isinstance(codec := interchange(key).gift, GiftCodec)
    ]
    assert len(set(orders)) == len(orders)


@pytest.mark.parametrize("key", KEYS)
def test_the_anki_card_shows_the_prompt_and_describes_the_answer(key):
    from quiz_app.interchange.anki import notes_from_bank

    bank = example_bank(key)
    (question,) = bank.questions
    (note,) = notes_from_bank(bank)
    assert note.front.startswith(question.prompt)
    assert note.back == QUESTION_TYPES[key].describe_answer(question.data)


# --------------------------------------------------------------------------------------
# Nothing else switches on a type's key

#: The same words meaning something else: (module, text).
HOMONYMS = {("quiz_app/flashcards/forms.py", "numeric")}  # HTML's inputmode


def _string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_no_module_outside_the_types_names_a_type_key():
    named = {}
    for path in sorted((ROOT / "quiz_app").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/questions/kinds/" in relative:
            continue
        found = {
            text
            for text in _string_constants(path) & set(QUESTION_TYPES)
            if (relative, text) not in HOMONYMS
        }
        if found:
            named[relative] = sorted(found)
    assert named == {}

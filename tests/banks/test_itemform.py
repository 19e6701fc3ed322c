"""The form editor's fields come from the key tables and the types' fields; what is
typed is read back into an entry's values, keys in the file's order."""

from __future__ import annotations

import pytest

from quiz_app.banks import itemform
from quiz_app.banks.keys import Kind
from quiz_app.questions.grading import QUESTION_TYPES
from quiz_app.questions.types import FieldKind

TOPICS = {"talks": "The talks"}
SOURCES = {"src": "A source"}
WIDGETS = {
    FieldKind.TEXT: {"text", "markdown"},
    FieldKind.TEXT_LIST: {"lines"},
    FieldKind.BOOL: {"choice"},
    FieldKind.NUMBER: {"number"},
    FieldKind.TEXT_MAP: {"pairs"},
}


def _fields(section: str, type_key: str | None = None) -> list[itemform.FormField]:
    return itemform.form_fields(
        section, type_key=type_key, topics=TOPICS, sources=SOURCES
    )


@pytest.mark.parametrize("key", sorted(QUESTION_TYPES))
def test_every_type_field_gets_a_widget_for_its_kind(key: str) -> None:
    fields = {f.name: f for f in _fields("questions", key)}
    for name, kind in QUESTION_TYPES[key].fields.items():
        assert fields[name].widget in WIDGETS[kind], (key, name)
        assert fields[name].required == (name in QUESTION_TYPES[key].required)
    assert {"id", "prompt", "explanation", "sources", "topic", "tags", "flashcard"} <= (
        set(fields)
    )
    assert fields["sources"].choices == (("src", "A source"),)


def test_an_entry_round_trips_through_its_form() -> None:
    fields = _fields("questions", "matching")
    item = {
        "id": "m",
        "type": "matching",
        "prompt": "Match.",
        "pairs": (("Nam Il", "KPA"), ("Joy", "UNC -> first")),
        "explanation": "Because.",
        "sources": ["src"],
        "topic": "talks",
        "image": {"file": "a.png", "alt": "A"},
        "flashcard": {"front": "F", "back": "B"},
    }
    values = itemform.form_values(fields, item)
    assert values["pairs"] == "Nam Il -> KPA\nJoy -> UNC -> first"
    assert values["flashcard"] == "own" and values["flashcard.front"] == "F"
    submitted = {k: (v if isinstance(v, list) else [v]) for k, v in values.items()}
    entry, errors = itemform.read_form(
        fields, submitted, old=item, fixed={"id": "m", "type": "matching"}
    )
    assert errors == {}
    assert list(entry) == list(item)  # the file's key order, the image kept
    assert entry["pairs"] == [("Nam Il", "KPA"), ("Joy", "UNC -> first")]
    assert entry["flashcard"] == {"front": "F", "back": "B"}


def test_kinds_are_read_and_mistakes_named() -> None:
    fields = _fields("questions", "numeric")
    entry, errors = itemform.read_form(
        fields,
        {
            "id": ["n"],
            "prompt": ["Year?\r\nExactly."],
            "answer": ["1 953"],
            "tolerance": ["0,5"],
            "explanation": [""],
            "sources": [],
            "topic": ["talks"],
            "tags": ["a\n\n b \n"],
            "difficulty": ["medium"],
        },
        fixed={"type": "numeric"},
    )
    assert errors == {
        "tolerance": "'0,5' is not a number; write e.g. 1953",
        "explanation": "fill this in",
        "sources": "fill this in",
    }
    assert entry["answer"] == 1953
    assert entry["prompt"] == "Year?\nExactly."
    assert entry["tags"] == ["a", "b"]
    assert "difficulty" not in entry  # the default, not written before
    assert list(entry)[:2] == ["id", "type"]


def test_a_default_stays_written_when_the_entry_had_it() -> None:
    fields = _fields("questions", "single_choice")
    old = {"id": "s", "type": "single_choice", "shuffle": True, "difficulty": "medium"}
    entry, _ = itemform.read_form(
        fields,
        {"shuffle": ["true"], "difficulty": ["medium"]},
        old=old,
        fixed={"id": "s", "type": "single_choice"},
    )
    assert entry["shuffle"] is True and entry["difficulty"] == "medium"
    entry, _ = itemform.read_form(
        fields, {"shuffle": ["false"]}, old=old, fixed={"id": "s"}
    )
    assert entry["shuffle"] is False and "difficulty" not in entry


def test_pairs_without_an_arrow_and_bad_booleans_are_refused() -> None:
    _, errors = itemform.read_form(
        _fields("questions", "matching"), {"pairs": ["a -> b\nc = d"]}
    )
    assert errors["pairs"].startswith("line 2 has no '->'")
    _, errors = itemform.read_form(
        _fields("questions", "true_false"), {"answer": ["yes"]}
    )
    assert errors["answer"] == "choose true or false"
    _, errors = itemform.read_form(
        _fields("questions", "single_choice"), {"flashcard": ["own"]}
    )
    assert errors["flashcard"] == "write both the front and the back of the card"


def test_a_quiz_select_is_one_mapping() -> None:
    fields = _fields("quizzes")
    assert {f.name for f in fields} >= {"select.topics", "select.banks", "count"}
    assert next(f for f in fields if f.name == "count").kind is Kind.INT
    entry, errors = itemform.read_form(
        fields,
        {
            "title": ["Final"],
            "select.topics": ["talks"],
            "select.banks": ["all"],
            "count": ["10"],
            "shuffle": ["true"],
        },
        fixed={"id": "final"},
    )
    assert errors == {}
    assert entry == {
        "id": "final",
        "title": "Final",
        "select": {"topics": ["talks"], "banks": "all"},
        "count": 10,
    }
    _, errors = itemform.read_form(
        fields, {"title": ["x"], "count": ["2.5"]}, fixed={"id": "q"}
    )
    assert errors == {"count": "'2.5' is not a number; write a whole number, e.g. 10"}


def test_a_loader_message_points_at_its_field() -> None:
    names = ["choices", "answer"]
    assert itemform.field_of("'answer' is not one of the choices", names) == "answer"
    assert itemform.field_of("'choices' lists 'No' twice", names) == "choices"
    assert itemform.field_of("'sources' is empty", names) is None

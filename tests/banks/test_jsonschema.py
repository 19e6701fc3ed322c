"""The editor JSON Schema: generated from the loader's tables, committed, current."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from quiz_app.banks.jsonschema import bank_json_schema, render
from quiz_app.banks.keys import BANK_KEYS, QUESTION_KEYS, QUIZ_KEYS
from quiz_app.questions.grading import QUESTION_TYPES

ROOT = Path(__file__).resolve().parent.parent.parent
VALID = ROOT / "tests" / "data" / "banks" / "valid"


def test_committed_schema_is_the_generated_one() -> None:
    committed = (ROOT / "bank.schema.json").read_text(encoding="utf-8")
    assert committed == render(), (
        "bank.schema.json is stale: "
        "python -m quiz_app.banks.jsonschema > bank.schema.json"
    )


def test_schema_is_draft_2020_12_and_closed() -> None:
    schema = bank_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert list(schema["properties"]) == list(BANK_KEYS)
    assert schema["required"] == ["format", "id", "title", "topics", "sources"]
    assert schema["properties"]["format"]["const"] == 1
    for name, definition in schema["$defs"].items():
        assert definition["additionalProperties"] is False, name


def test_every_key_has_hover_text() -> None:
    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.get("properties", {}).items():
                if value is not False:
                    assert value.get("description"), f"{path}.{key}"
            for key, value in node.items():
                if key != "if":  # conditions, not documented keys
                    walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")

    walk(bank_json_schema(), "$")


def test_question_schema_has_one_branch_per_type() -> None:
    question = bank_json_schema()["$defs"]["question"]
    assert question["required"] == [k for k, s in QUESTION_KEYS.items() if s.required]
    branches = {
        b["if"]["properties"]["type"]["const"]: b["then"] for b in question["allOf"]
    }
    assert list(branches) == list(QUESTION_TYPES)
    single = branches["single_choice"]
    assert single["required"] == ["answer", "choices"]
    assert single["properties"]["answer"]["type"] == ["string", "number"]
    assert single["properties"]["answers"] is False
    assert branches["true_false"]["properties"]["answer"]["type"] == "boolean"
    assert branches["numeric"]["properties"]["answer"]["type"] == "number"
    assert branches["numeric"]["properties"]["tolerance"]["default"] == 0


def test_quiz_limits_come_from_the_loader_table() -> None:
    quiz = bank_json_schema()["$defs"]["quiz"]["properties"]
    assert quiz["pass_mark"]["minimum"] == QUIZ_KEYS["pass_mark"].minimum == 0
    assert quiz["pass_mark"]["maximum"] == 100
    assert quiz["count"]["minimum"] == 1
    assert quiz["layout"]["enum"] == ["one_per_page", "all_on_one_page"]


def test_valid_banks_satisfy_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(render())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for name in ("cards-only.yaml", "review.yaml"):
        data = yaml.safe_load((VALID / name).read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)) == [], name
    # PyYAML reads YAML 1.1, where `No` and `on` are booleans; an editor (YAML 1.2) and
    # the loader keep them as text. Those are the only differences in this bank.
    data = yaml.safe_load((VALID / "origins.yaml").read_text(encoding="utf-8"))
    errors = sorted(list(e.absolute_path) for e in validator.iter_errors(data))
    assert errors == [["questions", 3, "answers", 1], ["questions", 3, "answers", 2]]


def test_schema_rejects_what_the_loader_rejects() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(bank_json_schema())
    base = yaml.safe_load((VALID / "cards-only.yaml").read_text(encoding="utf-8"))
    question = {
        "id": "q-1",
        "type": "single_choice",
        "topic": "supervision",
        "prompt": "P",
        "explanation": "E",
        "sources": ["agreement-text"],
        "choices": ["a", "b"],
        "answer": "a",
    }
    assert not list(validator.iter_errors({**base, "questions": [question]}))
    for bad in (
        {**question, "answers": ["a"]},
        {**question, "type": "single"},
        {**question, "id": "Q_1"},
        {**question, "image": {"file": "../x.png", "alt": "A"}},
        {**question, "image": {"file": "x.bmp", "alt": "A"}},
        {**question, "flashcard": {"front": "F"}},
        {k: v for k, v in question.items() if k != "answer"},
    ):
        assert list(validator.iter_errors({**base, "questions": [bad]})), bad

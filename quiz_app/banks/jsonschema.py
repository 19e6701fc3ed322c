"""Pure JSON Schema (draft 2020-12) of the bank format, for editors. No Flask or DB.

Built from the loader's own key tables and the question-type registry, so it cannot
drift from what ``quiz-app banks validate`` accepts. The committed copy is
``bank.schema.json`` at the repository root; regenerate it with
``python -m quiz_app.banks.jsonschema > bank.schema.json`` (a test checks it is
current).

The loader stays the authority: an editor reads YAML 1.2, so a few things differ. Text
keys accept numbers here (``answers: [1953]`` is the text "1953" to the loader), and the
loader's YAML 1.1 checks (``yes``/``no``, leading zeros) and cross-references (topics,
sources, ids, quiz selections) are not expressed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from quiz_app.banks.keys import (
    BANK_KEYS,
    CARD_KEYS,
    FLASHCARD_KEYS,
    IMAGE_KEYS,
    QUESTION_KEYS,
    QUIZ_KEYS,
    SELECT_KEYS,
    SOURCE_KEYS,
    KeySpec,
    Kind,
    type_key_spec,
)
from quiz_app.banks.schema import ALL_BANKS, ID_PATTERN, IMAGE_EXTENSIONS, MAX_ID_LENGTH
from quiz_app.questions.grading import QUESTION_TYPES

SCHEMA_ID = "https://armistice-study.invalid/bank.schema.json"

Schema = dict[str, Any]

#: Each nested key table becomes one entry of ``$defs``.
_DEFS: tuple[tuple[str, Mapping[str, KeySpec]], ...] = (
    ("source", SOURCE_KEYS),
    ("image", IMAGE_KEYS),
    ("flashcard", FLASHCARD_KEYS),
    ("question", QUESTION_KEYS),
    ("card", CARD_KEYS),
    ("select", SELECT_KEYS),
    ("quiz", QUIZ_KEYS),
)

_TEXT: Schema = {"type": ["string", "number"], "pattern": r"\S"}
_SLUG: Schema = {"type": "string", "pattern": ID_PATTERN, "maxLength": MAX_ID_LENGTH}


def _ref(table: Mapping[str, KeySpec] | None) -> Schema:
    for name, candidate in _DEFS:
        if candidate is table:
            return {"$ref": f"#/$defs/{name}"}
    raise ValueError("key table without a $defs entry")  # pragma: no cover


def _image_path_pattern() -> str:
    def any_case(ext: str) -> str:
        return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in ext)

    extensions = "|".join(any_case(ext.lstrip(".")) for ext in IMAGE_EXTENSIONS)
    # Relative, '/' separated, no '..' segment.
    return rf"^(?![/\\])(?![A-Za-z]:)(?!(.*/)?\.\.(/|$))[^\\]*\.({extensions})$"


def _value_schema(spec: KeySpec) -> Schema:
    """The schema of a key's value, without its description."""
    kind = spec.kind
    if kind is Kind.TEXT:
        return dict(_TEXT)
    if kind is Kind.TEXT_LIST:
        return _with_min_items({"type": "array", "items": dict(_TEXT)}, spec)
    if kind is Kind.SLUG:
        return dict(_SLUG)
    if kind is Kind.SLUG_LIST:
        return _with_min_items({"type": "array", "items": dict(_SLUG)}, spec)
    if kind is Kind.BOOL:
        return {"type": "boolean"}
    if kind is Kind.NUMBER:
        return {"type": "number"}
    if kind is Kind.INT:
        schema: Schema = {"type": "integer"}
        if spec.minimum is not None and spec.minimum == spec.maximum:
            return {"const": spec.minimum}
        if spec.minimum is not None:
            schema["minimum"] = spec.minimum
        if spec.maximum is not None:
            schema["maximum"] = spec.maximum
        return schema
    if kind is Kind.ENUM:
        return {"enum": list(spec.choices)}
    if kind is Kind.URL:
        return {"type": "string", "format": "uri", "pattern": "^https?://"}
    if kind is Kind.PATH:
        return {"type": "string", "pattern": _image_path_pattern()}
    if kind is Kind.TEXT_MAP:
        return {"type": "object", "additionalProperties": dict(_TEXT)}
    if kind is Kind.SLUG_TEXT_MAP:
        return {
            "type": "object",
            "minProperties": 1,
            "propertyNames": dict(_SLUG),
            "additionalProperties": dict(_TEXT),
        }
    if kind is Kind.OBJECT:
        return _ref(spec.table)
    if kind is Kind.OBJECT_MAP:
        return {
            "type": "object",
            "minProperties": 1,
            "propertyNames": dict(_SLUG),
            "additionalProperties": _ref(spec.table),
        }
    if kind is Kind.OBJECT_LIST:
        return {"type": "array", "items": _ref(spec.table)}
    if kind is Kind.FLASHCARD:
        return {"oneOf": [{"type": "boolean"}, _ref(spec.table)]}
    if kind is Kind.BANKS:
        return {
            "oneOf": [
                {"const": ALL_BANKS},
                {"type": "array", "minItems": 1, "uniqueItems": True, "items": _SLUG},
            ]
        }
    raise ValueError(f"no schema for {kind}")  # pragma: no cover


def _with_min_items(schema: Schema, spec: KeySpec) -> Schema:
    if spec.minimum:
        schema["minItems"] = spec.minimum
    return schema


def _key_schema(spec: KeySpec) -> Schema:
    schema = _value_schema(spec)
    if spec.description:
        schema["description"] = spec.description
    if spec.default is not None:
        schema["default"] = spec.default
    return schema


def _object(table: Mapping[str, KeySpec], description: str = "") -> Schema:
    schema: Schema = {
        "type": "object",
        "properties": {key: _key_schema(spec) for key, spec in table.items()},
        "additionalProperties": False,
    }
    required = [key for key, spec in table.items() if spec.required]
    if required:
        schema["required"] = required
    if description:
        schema["description"] = description
    return schema


def _question() -> Schema:
    """Common keys, then one ``if type == X then X's keys`` branch per question type."""
    schema = _object(
        QUESTION_KEYS, "A quiz question; its 'type' decides the other keys."
    )
    type_keys = sorted(
        {key for qtype in QUESTION_TYPES.values() for key in qtype.fields}
    )
    for key in type_keys:
        owners = [t for t in QUESTION_TYPES.values() if key in t.fields]
        described = [
            f"{t.key}: {type_key_spec(t, key).description}".rstrip(": ") for t in owners
        ]
        schema["properties"][key] = {"description": " | ".join(described)}
    schema["properties"]["type"]["description"] = "Question type: " + ", ".join(
        f"{t.key} ({t.label})" for t in QUESTION_TYPES.values()
    )
    branches = []
    for qtype in QUESTION_TYPES.values():
        properties: Schema = {
            key: False for key in type_keys if key not in qtype.fields
        }
        for key in qtype.fields:
            properties[key] = _key_schema(type_key_spec(qtype, key))
        then: Schema = {"properties": properties}
        if qtype.required:
            then["required"] = sorted(qtype.required)
        branches.append(
            {
                "if": {
                    "properties": {"type": {"const": qtype.key}},
                    "required": ["type"],
                },
                "then": then,
            }
        )
    schema["allOf"] = branches
    return schema


def bank_json_schema() -> Schema:
    """The JSON Schema of a bank file, with descriptions for editors' hover text."""
    defs = {name: _object(table) for name, table in _DEFS}
    defs["question"] = _question()
    defs["card"]["description"] = "A plain flashcard."
    defs["quiz"]["description"] = "A quiz over this bank's questions (or other banks')."
    schema = _object(BANK_KEYS, "An Armistice Study question bank (format 1).")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Armistice Study question bank",
        **schema,
        "$defs": defs,
    }


def render() -> str:
    """The schema as committed in ``bank.schema.json``: indented, keys sorted."""
    return (
        json.dumps(bank_json_schema(), indent=2, sort_keys=True, ensure_ascii=False)
        + "\n"
    )


if __name__ == "__main__":
    print(render(), end="")

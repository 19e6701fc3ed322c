"""Round trips over every bundled bank: YAML -> GIFT -> YAML, YAML -> Moodle XML ->
YAML, YAML -> CSV -> YAML and YAML -> Anki -> YAML keep what the format can express."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from quiz_app.banks.files import load_bank_files
from quiz_app.banks.loader import parse_bank
from quiz_app.banks.schema import Bank, Question
from quiz_app.interchange import convert, export

BANKS_DIR = Path(__file__).resolve().parents[2] / "question_banks"
BANKS, PROBLEMS = load_bank_files([BANKS_DIR])
WITH_QUESTIONS = [b for b in BANKS if b.questions]
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _round_trip(bank: Bank, fmt: str) -> tuple[Bank, list[str]]:
    result = export(bank, fmt, now=NOW)
    conversion = convert(result.data, filename=result.filename, bank_id=bank.id)
    assert conversion.report.skipped == []
    return parse_bank(conversion.yaml_text, source="back.yaml"), result.left_out


def _key(bank: Bank, q: Question, *, drop: tuple[str, ...] = ()) -> tuple[Any, ...]:
    data = {k: v for k, v in q.data.items() if k not in drop}
    return (q.id, q.type, q.prompt.strip(), data, bank.topics[q.topic])


def test_the_bundled_banks_load():
    assert PROBLEMS == []
    assert len(WITH_QUESTIONS) >= 7


@pytest.mark.parametrize("bank", WITH_QUESTIONS, ids=lambda b: b.id)
def test_moodle_xml_keeps_every_question(bank: Bank):
    back, left_out = _round_trip(bank, "moodle-xml")
    assert len(back.questions) == len(bank.questions)
    assert [_key(back, q) for q in back.questions] == [
        _key(bank, q) for q in bank.questions
    ]
    assert [q.explanation for q in back.questions] == [
        q.explanation.strip() for q in bank.questions
    ]
    assert all("plain flashcards" in item for item in left_out if "image" not in item)


@pytest.mark.parametrize("bank", WITH_QUESTIONS, ids=lambda b: b.id)
def test_gift_keeps_every_question_and_what_gift_can_say(bank: Bank):
    back, left_out = _round_trip(bank, "gift")
    assert len(back.questions) == len(bank.questions)
    # GIFT has no unit and no "keep the choices in order".
    drop = ("unit", "shuffle")
    assert [_key(back, q, drop=drop) for q in back.questions] == [
        _key(bank, q, drop=drop) for q in bank.questions
    ]
    for original, again in zip(bank.questions, back.questions, strict=True):
        if original.type == "ordering":  # GIFT's ordering form has no feedback
            assert (
                f"{original.id}: the ordering form of GIFT has no explanation"
                in left_out
            )
        else:
            assert again.explanation == original.explanation.strip()
    lost_units = [q.id for q in bank.questions if q.data.get("unit")]
    assert all(
        any(i.startswith(f"{qid}: the unit") for i in left_out) for qid in lost_units
    )


@pytest.mark.parametrize("bank", WITH_QUESTIONS, ids=lambda b: b.id)
def test_csv_keeps_every_question_and_card(bank: Bank):
    back, _ = _round_trip(bank, "csv")
    assert [_key(back, q) for q in back.questions] == [
        _key(bank, q) for q in bank.questions
    ]
    assert [(c.id, c.front.strip(), c.back.strip()) for c in back.cards] == [
        (c.id, c.front.strip(), c.back.strip()) for c in bank.cards
    ]


@pytest.mark.parametrize("bank", WITH_QUESTIONS, ids=lambda b: b.id)
def test_anki_gives_one_card_per_question_and_card(bank: Bank):
    back, _ = _round_trip(bank, "anki")
    assert len(back.cards) == len(bank.questions) + len(bank.cards)
    assert set(back.topics.values()) <= set(bank.topics.values())

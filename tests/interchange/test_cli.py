"""`quiz-app banks convert` and `quiz-app banks export`."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from quiz_app.banks.loader import parse_bank
from quiz_app.extensions import db
from tests.conftest import DATA_DIR
from tests.factories import make_schema_question


def test_convert_writes_a_valid_bank_and_prints_the_report(runner, tmp_path: Path):
    out = tmp_path / "moodle.yaml"
    source = DATA_DIR / "interchange" / "moodle-questions.gift.txt"
    result = runner.invoke(args=["banks", "convert", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "Moodle GIFT: converted 8 (1 matching, 1 single_choice, 1 multi_choice, "
        "1 numeric, 1 short_text, 3 true_false); skipped 1"
    )
    assert "skipped question at line 1 (::Q8::): an essay question" in result.output
    bank = parse_bank(out.read_text("utf-8"), source=str(out))
    assert bank.id == "moodle-questions" and len(bank.questions) == 8
    validate = runner.invoke(args=["banks", "validate", str(out)])
    assert validate.exit_code == 0, validate.output


def test_convert_takes_the_format_and_id(runner, tmp_path: Path):
    source = tmp_path / "cards.txt"
    source.write_text("A\tone\nB\ttwo\n", encoding="utf-8")
    result = runner.invoke(
        args=["banks", "convert", str(source), "--from", "csv", "--id", "my-cards"]
    )
    assert result.exit_code == 0, result.output
    assert "id: my-cards\n" in result.stdout
    assert "id: my-cards-card1" in result.stdout


def test_convert_refuses_hostile_or_unknown_files(runner, tmp_path: Path):
    evil = tmp_path / "evil.xml"
    evil.write_bytes(b'<!DOCTYPE q [<!ENTITY a "b">]><quiz>&a;</quiz>')
    out = tmp_path / "evil.yaml"
    result = runner.invoke(args=["banks", "convert", str(evil), "-o", str(out)])
    assert result.exit_code == 1
    assert "evil.xml: the XML file was refused" in result.output
    assert not out.exists()


def test_export_writes_each_format(runner, make_bank, tmp_path: Path):
    make_bank(
        "bank-x",
        questions=(
            make_schema_question("bank-x-q1"),
            make_schema_question(
                "bank-x-ord",
                type="ordering",
                data={"items": ("one", "two", "three")},
            ),
        ),
    )
    db.session.commit()
    for fmt, name, left_out in [
        ("gift", "x.gift", 1),  # the ordering question's explanation
        ("moodle-xml", "x.xml", 0),
        ("csv", "x.csv", 0),
        ("anki", "x.apkg", 0),
    ]:
        out = tmp_path / name
        result = runner.invoke(
            args=["banks", "export", "bank-x", "--to", fmt, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert result.output.endswith(
            f"{out}: Bank bank-x as {fmt}; 2 items, {left_out} left out or changed\n"
        )
    gift = (tmp_path / "x.gift").read_text("utf-8")
    assert "::bank-x-q1::[markdown]Prompt of bank-x-q1?{" in gift
    assert "=Right" in gift and "{>3 ALL VERTICAL RELATIVE_NEXT_EXCLUDE_LAST" in gift
    root = ET.fromstring((tmp_path / "x.xml").read_bytes())
    assert [q.get("type") for q in root] == ["category", "multichoice", "ordering"]
    assert (tmp_path / "x.apkg").read_bytes()[:4] == b"PK\x03\x04"


def test_export_of_an_unknown_bank_fails(runner, tmp_path: Path):
    result = runner.invoke(
        args=["banks", "export", "nope", "--to", "gift", "-o", str(tmp_path / "x")]
    )
    assert result.exit_code == 1
    assert "no bank 'nope'" in result.output

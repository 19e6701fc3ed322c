"""CSV/TSV: a Quizlet-style export, spreadsheet headers, the question layout."""

from __future__ import annotations

import pytest

from quiz_app.banks.loader import parse_bank
from quiz_app.interchange import ConvertError, convert
from tests.conftest import DATA_DIR


def test_quizlet_tsv_becomes_one_card_per_line():
    data = (DATA_DIR / "interchange" / "quizlet-armistice.tsv").read_bytes()
    conversion = convert(data, filename="quizlet-armistice.tsv")
    assert dict(conversion.report.converted) == {"card": 8}
    bank = parse_bank(conversion.yaml_text, source="x")
    assert bank.cards[0].front == "Panmunjom"
    assert bank.cards[-1].front == "27 July 1953"
    assert bank.cards[-1].back == "Date the Armistice Agreement was signed, at 10:00"


def test_spreadsheet_csv_header_is_skipped_and_topics_read():
    data = (
        b'front,back,topic\nNNSC,"Sweden, Switzerland",Bodies\nMAC,Commission,Bodies\n'
    )
    bank = parse_bank(convert(data, filename="cards.csv").yaml_text, source="x")
    assert [(c.front, c.back) for c in bank.cards] == [
        ("NNSC", "Sweden, Switzerland"),
        ("MAC", "Commission"),
    ]
    assert list(bank.topics.values()) == ["Bodies"]


def test_question_layout_reads_every_type():
    data = (
        b"id,type,topic,prompt,answer,choices,explanation,tolerance,unit,tags\n"
        b"s1,single_choice,T,Who?,Nam Il,Nam Il | Joy,Because.,,,people\n"
        b"m1,multi_choice,T,Which?,a | b,a | b | c,,,,\n"
        b"t1,true_false,T,Signed 1953?,TRUE,,,,,\n"
        b"x1,short_text,T,Where?,Panmunjom | P'anmunjom,,,,,\n"
        b"n1,numeric,T,Year?,1953,,,0,AD,\n"
        b"o1,ordering,T,Order,first | second | third,,,,,\n"
        b"p1,matching,T,Match,A => 1 | B => 2 | C => 3,4,,,,\n"
        b"e1,essay,T,Write,,,,,,\n"
        b"c1,card,T,Front,Back,,,,,\n"
    )
    conversion = convert(data, filename="questions.csv", bank_id="sheet")
    bank = parse_bank(conversion.yaml_text, source="x")
    types = {q.id: q.type for q in bank.questions}
    assert types == {
        "sheet-s1": "single_choice",
        "sheet-m1": "multi_choice",
        "sheet-t1": "true_false",
        "sheet-x1": "short_text",
        "sheet-n1": "numeric",
        "sheet-o1": "ordering",
        "sheet-p1": "matching",
    }
    assert bank.questions[4].data["unit"] == "AD"
    assert bank.questions[6].data["distractors"] == ("4",)
    assert [c.front for c in bank.cards] == ["Front"]
    assert [(s.position, s.reason) for s in conversion.report.skipped] == [
        ("row 9 (e1)", "unknown type 'essay'")
    ]


def test_a_single_column_file_is_refused():
    with pytest.raises(ConvertError, match="two columns"):
        convert(b"just\nwords\n", filename="x.csv")

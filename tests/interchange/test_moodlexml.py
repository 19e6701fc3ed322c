"""Moodle XML: Moodle's own fixtures, fractions, categories, and hostile XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from quiz_app.banks.loader import parse_bank
from quiz_app.interchange import ConvertError, convert
from tests.conftest import DATA_DIR
from tests.factories import make_schema_question

FILES = DATA_DIR / "interchange"


def _convert_file(name: str):
    return convert((FILES / name).read_bytes(), filename=name)


def _xml(body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{body}\n</quiz>\n'.encode()


def test_nested_categories_become_topics_and_the_essay_is_skipped():
    conversion = _convert_file("moodle-nested_categories_with_questions.xml")
    assert dict(conversion.report.converted) == {"true_false": 4}
    assert [(s.position, s.reason) for s in conversion.report.skipped] == [
        ("question 2 (Kappa Essay Question)", "an essay question (graded by hand)")
    ]
    bank = parse_bank(conversion.yaml_text, source="x")
    assert list(bank.topics.values()) == ["Iota", "Kappa", "Lambda", "Mu"]
    assert [
        (bank.topics[q.topic], q.prompt, q.data["answer"]) for q in bank.questions
    ] == [
        ("Iota", "Testing Iota Question", True),
        ("Kappa", "Testing Kappa Question", True),
        ("Lambda", "Testing Lambda Question", True),
        ("Mu", "Testing Mu Question", True),
    ]


def test_old_image_fixture_keeps_the_multichoice_and_skips_the_cloze():
    conversion = _convert_file("moodle-sample_questions_with_old_image_tag.xml")
    assert dict(conversion.report.converted) == {"single_choice": 1}
    assert conversion.report.skipped[0].reason == "a cloze (embedded answers) question"
    assert any("images or media" in note for note in conversion.report.notes)
    (q,) = parse_bank(conversion.yaml_text, source="x").questions
    assert q.data["choices"] == ("wrong answer", "another wrong answer", "right answer")
    assert q.data["answer"] == "right answer"


def test_idnumber_with_html_characters_gives_the_id():
    conversion = _convert_file("moodle-html_chars_in_idnumbers.xml")
    (q,) = parse_bank(conversion.yaml_text, source="x").questions
    assert q.id == "moodle-html-chars-in-idnumbers-t-f"


def test_moodles_ordering_fixture_sorts_items_by_fraction():
    conversion = _convert_file("moodle-ordering-testexport.moodle.xml")
    (q,) = parse_bank(conversion.yaml_text, source="x").questions
    assert q.type == "ordering"
    assert q.data["items"][0] == "Modular" and q.data["items"][-1] == "Environment"
    assert q.explanation.startswith("The correct answer is")


def test_multi_response_numerical_matching_and_short_answer():
    body = """
  <question type="multichoice"><name><text>Which</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Pick <b>two</b></p>]]></text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>a</text></answer>
    <answer fraction="50"><text>b</text></answer>
    <answer fraction="-100"><text>c</text></answer>
  </question>
  <question type="numerical"><name><text>Year</text></name>
    <questiontext format="plain_text"><text>Year?</text></questiontext>
    <generalfeedback format="markdown"><text>It was **1953**.</text></generalfeedback>
    <answer fraction="100"><text>1953</text><tolerance>0.5</tolerance></answer>
    <units><unit><multiplier>1</multiplier><unit_name>AD</unit_name></unit></units>
  </question>
  <question type="matching"><name><text>Pairs</text></name>
    <questiontext format="html"><text>Match</text></questiontext>
    <subquestion format="html"><text>A</text>
      <answer><text>1</text></answer></subquestion>
    <subquestion format="html"><text>B</text>
      <answer><text>2</text></answer></subquestion>
    <subquestion format="html"><text>C</text>
      <answer><text>3</text></answer></subquestion>
    <subquestion format="html"><text></text>
      <answer><text>4</text></answer></subquestion>
  </question>
  <question type="shortanswer"><name><text>Place</text></name>
    <questiontext format="html"><text>Where?</text></questiontext>
    <usecase>1</usecase>
    <answer fraction="100"><text>Panmunjom</text></answer>
    <answer fraction="50"><text>Korea</text></answer>
  </question>
  <question type="calculated"><name><text>Calc</text></name>
    <questiontext format="html"><text>{a}+{b}</text></questiontext>
  </question>"""
    conversion = convert(_xml(body), filename="q.xml", bank_id="q")
    bank = parse_bank(conversion.yaml_text, source="x")
    multi, numeric, matching, short = bank.questions
    assert multi.prompt == "Pick **two**"
    assert multi.data["answers"] == ("a", "b")
    assert (
        numeric.data["answer"],
        numeric.data["tolerance"],
        numeric.data["unit"],
    ) == (
        1953,
        0.5,
        "AD",
    )
    assert numeric.explanation == "It was **1953**."
    assert matching.data["pairs"] == (("A", "1"), ("B", "2"), ("C", "3"))
    assert matching.data["distractors"] == ("4",)
    assert short.data["answers"] == ("Panmunjom",)
    assert [s.reason for s in conversion.report.skipped] == [
        "a calculated question (formulas with random values)"
    ]
    notes = " ".join(conversion.report.notes)
    assert "'Korea' (50%) dropped" in notes and "case-sensitive" in notes


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<quiz><question type="truefalse"><name><text>&lol3;</text></name></question></quiz>"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<quiz><question type="truefalse"><name><text>&x;</text></name></question></quiz>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL], ids=["laughs", "external"])
def test_entities_and_dtds_are_refused(data: bytes):
    with pytest.raises(ConvertError, match="refused"):
        convert(data, filename="evil.xml")


def test_malformed_and_foreign_xml_are_clear_errors():
    with pytest.raises(ConvertError, match="not well-formed"):
        convert(b"<quiz><question>", filename="bad.xml")
    with pytest.raises(ConvertError, match="root is <html>"):
        convert(b"<html></html>", filename="page.xml")


def test_export_writes_moodles_structure():
    from datetime import UTC, datetime

    from quiz_app.banks.schema import Bank
    from quiz_app.interchange import export

    bank = Bank(
        id="b",
        title="A/B bank",
        source_path="b.yaml",
        topics={"t": "Topic"},
        questions=(
            make_schema_question(
                "b-multi",
                type="multi_choice",
                topic="t",
                data={
                    "choices": ("x", "y", "z"),
                    "answers": ("x", "y"),
                    "shuffle": True,
                },
            ),
        ),
    )
    result = export(bank, "moodle-xml", now=datetime(2026, 1, 1, tzinfo=UTC))
    root = ET.fromstring(result.data)
    category, question = root.findall("question")
    assert category.findtext("category/text") == "$course$/top/A//B bank/Topic"
    assert question.get("type") == "multichoice"
    assert question.findtext("single") == "false"
    assert question.find("questiontext").get("format") == "markdown"
    fractions = [a.get("fraction") for a in question.findall("answer")]
    assert fractions == ["50", "50", "-50"]

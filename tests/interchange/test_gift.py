"""Moodle GIFT: Moodle's own example files, every part of the format, and the writer's
escapes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz_app.banks.loader import parse_bank
from quiz_app.interchange import ConvertError, convert
from quiz_app.interchange.gift import escape, parse_gift
from tests.conftest import DATA_DIR

FILES = DATA_DIR / "interchange"


def _convert(text: str, **kwargs: object):
    return convert(text.encode("utf-8"), filename="t.gift", bank_id="t", **kwargs)


def _bank(text: str):
    return parse_bank(_convert(text).yaml_text, source="t.yaml")


def test_moodles_gift_examples_file_converts_with_its_counts():
    conversion = convert(
        (FILES / "moodle-questions.gift.txt").read_bytes(),
        filename="moodle-questions.gift.txt",
    )
    report = conversion.report
    assert dict(report.converted) == {
        "matching": 1,
        "single_choice": 1,
        "multi_choice": 1,
        "numeric": 1,
        "short_text": 1,
        "true_false": 3,
    }
    assert [(s.position, s.reason) for s in report.skipped] == [
        ("question at line 1 (::Q8::)", "an essay question (graded by hand)")
    ]
    assert any("'Cat' (50%) dropped" in note for note in report.notes)
    bank = parse_bank(conversion.yaml_text, source="x.yaml")
    by_id = {q.id: q for q in bank.questions}
    match = by_id["moodle-questions-moodle-activities"]
    assert match.prompt == "Match the **activity** to the description."
    assert (
        dict(match.data["pairs"])[
            "A collection of web pages that anyone can add to or edit."
        ]
        == "Wiki"
    )
    assert match.data["distractors"] == ("Chat",)
    colours = by_id["moodle-questions-colours"]
    assert colours.type == "multi_choice"
    assert colours.data["answers"] == ("yellow", "off-beige")
    assert colours.data["choices"] == ("yellow", "red", "off-beige", "blue")
    q5 = by_id["moodle-questions-q5"]
    assert (q5.data["answer"], q5.data["tolerance"]) == (3, 2)
    assert by_id["moodle-questions-shortanswer"].data["answers"] == ("Frog",)
    q1 = by_id["moodle-questions-q1"]
    assert q1.data["answer"] is False
    assert q1.explanation.startswith("This is, of course, a Hitchiker's Guide")
    assert by_id["moodle-questions-2-08-tsl"].data["answer"] is True
    assert by_id["moodle-questions-2-08-tsl-2"].data["answer"] is True


def test_moodles_category_file_makes_a_topic_and_unescapes_html():
    conversion = convert(
        (FILES / "moodle-questions_in_category.gift.txt").read_bytes(),
        filename="moodle-questions_in_category.gift.txt",
    )
    bank = parse_bank(conversion.yaml_text, source="x.yaml")
    assert dict(bank.topics) == {"default-for-new-features": "Default for New Features"}
    greeting = next(q for q in bank.questions if q.id.endswith("greeting"))
    assert greeting.data["answer"] == "French"
    assert "Listen to this greeting:" in greeting.prompt
    assert "http://demo.moodle.net/file.php/5/media/bonjour.mp3" in greeting.prompt
    user = next(q for q in bank.questions if q.id.endswith("moodle-user"))
    assert user.type == "short_text" and user.data["answers"] == ("Moodler",)


def test_moodles_ordering_gift_form_is_read_in_order():
    conversion = convert(
        (FILES / "moodle-ordering-testexport.gift.txt").read_bytes(),
        filename="testexport.gift.txt",
    )
    (question,) = parse_bank(conversion.yaml_text, source="x").questions
    assert question.data["items"] == (
        "Modular", "Object", "Oriented", "Dynamic", "Learning", "Environment",
    )  # fmt: skip


def test_escapes_comments_and_formats():
    bank = _bank(
        "// a comment line\n"
        "::Esc\\:aped::[markdown]Is 2 \\= 2 \\{always\\} \\#1 \\~ \\\\ ?\\nNew line{\n"
        "// comment inside\n"
        "=a \\= b#right\n"
        "~c\n"
        "}\n"
    )
    (q,) = bank.questions
    assert q.id == "t-esc-aped"
    assert q.prompt == "Is 2 = 2 {always} #1 ~ \\ ?\nNew line"
    assert q.data["choices"] == ("a = b", "c")
    assert q.data["answer"] == "a = b"
    assert q.explanation == "right"


def test_numeric_forms_and_several_answers():
    bank = _bank(
        "::pi::Pi?{#3.14:0.01}\n\n"
        "::range::Between?{#1..5}\n\n"
        "::multi::When?{#\n=1822:0\n=%50%1822:2\n}\n\n"
        "::exact::How many?{#42####Because.}\n"
    )
    data = {q.id: (q.data["answer"], q.data["tolerance"]) for q in bank.questions}
    assert data == {
        "t-pi": (3.14, 0.01),
        "t-range": (3, 2),
        "t-multi": (1822, 0),
        "t-exact": (42, 0),
    }
    assert bank.questions[3].explanation == "Because."


def test_missing_word_puts_a_blank_where_the_answers_were():
    (q,) = _bank(
        "Mahatma Gandhi's birthday is an {~15th =2nd ~3rd} of October."
    ).questions
    assert q.prompt == "Mahatma Gandhi's birthday is an _____ of October."
    assert q.id == "t-mahatma-gandhi-s-birthday-is-an"


def test_single_choice_partial_credit_is_reported_not_kept():
    conversion = _convert("::p::Pick{=a ~%50%b ~c}")
    assert conversion.report.notes == [
        "question at line 1 (::p::): partial credit (50%) for 'b' dropped; it now "
        "counts as wrong"
    ]


def test_essay_description_and_bad_items_are_skipped_with_position():
    conversion = _convert(
        "::essay::Write.{}\n\n"
        "::desc::Just text.\n\n"
        "::tf::Fine.{T}\n\n"
        "::two::Only one choice {~a}\n"
    )
    reasons = [(s.position, s.reason) for s in conversion.report.skipped]
    assert reasons[0] == (
        "question at line 1 (::essay::)",
        "an essay question (graded by hand)",
    )
    assert reasons[1] == (
        "question at line 3 (::desc::)",
        "a description (no answer part), not a question",
    )
    assert reasons[2][0] == "question at line 7 (::two::)"
    assert dict(conversion.report.converted) == {"true_false": 1}


def test_a_file_without_questions_is_refused():
    with pytest.raises(ConvertError, match="no GIFT questions"):
        parse_gift("// only a comment\n")
    with pytest.raises(ConvertError, match="nothing in this Moodle GIFT file"):
        _convert("::e::Essay{}\n")


def test_escape_follows_moodles_repchar():
    assert escape("a:b=c~d#e{f}g\\h\ni") == "a\\:b\\=c\\~d\\#e\\{f\\}g\\\\h\\ni"


_TEXT = (
    st.text(alphabet="ab1 ~=#{}:\\%[]->/*_", min_size=1, max_size=30)
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: any(c.isalnum() for c in s) and not s.startswith(("[", "%")))
)


@settings(max_examples=150, deadline=None)
@given(
    prompt=_TEXT,
    choices=st.lists(_TEXT, min_size=2, max_size=5, unique_by=str.casefold),
)
def test_any_reserved_characters_survive_export_and_import(prompt, choices):
    from datetime import UTC, datetime

    from quiz_app.banks.schema import Bank
    from quiz_app.interchange import export
    from tests.factories import make_schema_question

    question = make_schema_question(
        "g-q",
        prompt=prompt,
        topic="t",
        data={"choices": tuple(choices), "answer": choices[0], "shuffle": True},
    )
    bank = Bank(
        id="g",
        title="G",
        source_path="g.yaml",
        topics={"t": "T"},
        questions=(question,),
    )
    text = export(bank, "gift", now=datetime(2026, 1, 1, tzinfo=UTC)).data
    (back,) = parse_bank(
        convert(text, filename="g.gift", bank_id="g").yaml_text, source="g"
    ).questions
    assert back.prompt == prompt.strip()
    assert back.data["choices"] == tuple(choices)
    assert back.data["answer"] == choices[0]

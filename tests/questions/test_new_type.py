"""An eighth question type, declared in one place (this file, standing in for a new
module under questions/kinds) plus its template, works end to end: the loader
validates it, a student takes it in a quiz, it is graded and explained in the results,
item analysis and the leak check take it, and GIFT and CSV carry it both ways, with no
other module edited."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from random import Random
from typing import Any

import pytest
from jinja2 import ChoiceLoader, DictLoader

from quiz_app.banks.loader import parse_bank
from quiz_app.banks.schema import BankError
from quiz_app.extensions import db
from quiz_app.interchange import convert, export
from quiz_app.questions.answers import escape_markdown
from quiz_app.questions.common import describe_text_response, stripped_text
from quiz_app.questions.formats import gift_escape
from quiz_app.questions.registry import QUESTION_TYPES, register
from quiz_app.questions.types import (
    NO_OPTIONS,
    CsvCells,
    CsvCodec,
    FieldKind,
    FormField,
    GiftAnswer,
    GiftCodec,
    GiftRead,
    Grade,
    Interchange,
    LeakCheck,
    Options,
    QuestionType,
    QuizForm,
    Scope,
    Unsupported,
    Widget,
)
from tests.questions.test_kinds import NOW, bank_yaml

Data = Mapping[str, Any]


def _check(data: Data) -> list[tuple[str, str]]:
    word = data.get("word")
    if isinstance(word, str) and len(word.split()) != 1:
        return [("word", "'word' must be one word")]
    return []


def _grade(data: Data, response: Any) -> Grade:
    ok = isinstance(response, str) and response.casefold() == data["word"].casefold()
    return Grade(score=1.0 if ok else 0.0, is_correct=ok)


def _present(data: Data, rng: Random) -> dict[str, list[str]]:
    return {}


def _fields(options: Options) -> list[FormField]:
    return [FormField(Widget.TEXT, "One word", max_length=40)]


def _read(data: Data, options: Options, values: Sequence[Any]) -> Any:
    return stripped_text(values[0])


ONE_WORD = QuestionType(
    key="one_word",
    label="One word",
    fields={"word": FieldKind.TEXT},
    required=frozenset({"word"}),
    key_help={"word": "The one word that answers."},
    example={"word": "Armistice"},
    correct_response=lambda data: data["word"],
    check=_check,
    grade=_grade,
    describe_answer=lambda data: escape_markdown(data["word"]),
    describe_response=describe_text_response,
    quiz=QuizForm(
        present=_present,
        fields=_fields,
        read=_read,
        initial=lambda options, response: [response or ""],
    ),
    analysis=NO_OPTIONS,
    leaks=LeakCheck(
        answers=lambda data: [(data["word"], Scope.ANYWHERE)], shown=lambda data: []
    ),
    interchange=Interchange(
        # A made-up GIFT syntax, {!word}, claimed before every other type's.
        gift=GiftCodec(
            write=lambda data: GiftAnswer("!" + gift_escape(data["word"]), inline=True),
            read=lambda answers, ctx: GiftRead({"word": ctx.plain(answers[1:])}),
            claims=lambda answers: answers.startswith("!"),
            order=5,
        ),
        moodle_xml=Unsupported("Moodle has no one-word type"),
        csv=CsvCodec(
            write=lambda data: CsvCells(answer=data["word"]),
            read=lambda cells: {"word": cells.get("answer", "")},
        ),
    ),
)

TEMPLATE = """<fieldset>{% include "quiz/_prompt.html" %}{% set f = fields[0] %}
<label for="{{ f.id }}">{{ f.label.text }}</label>{{ f(maxlength=40) }}</fieldset>"""


@pytest.fixture
def one_word(app) -> Iterator[QuestionType]:
    """The new type registered, and its template where the app looks for it."""
    register(ONE_WORD)
    app.jinja_env.loader = ChoiceLoader(
        [DictLoader({ONE_WORD.template: TEMPLATE}), app.jinja_env.loader]
    )
    try:
        yield ONE_WORD
    finally:
        del QUESTION_TYPES[ONE_WORD.key]


def _bank(word: str = "Armistice"):
    text = bank_yaml([{"id": "toy-q1", "type": "one_word", "word": word}])
    return parse_bank(text, source="toy.yaml")


def test_the_loader_validates_the_new_type(one_word):
    (question,) = _bank().questions
    assert question.data == {"word": "Armistice"}
    with pytest.raises(BankError) as error:
        _bank("two words")
    assert [str(p) for p in error.value.problems] == [
        "toy.yaml:17:3: questions[0] (toy-q1): 'word' must be one word"
    ]


def test_a_student_answers_it_and_the_results_explain_it(
    one_word, client, auth, make_bank
):
    bank = _bank()
    make_bank(questions=bank.questions)
    db.session.commit()
    auth.login()
    response = client.post("/quiz/bank-a-all/start")
    attempt_id = int(re.search(r"/quiz/attempt/(\d+)", response.location).group(1))
    page = client.get(f"/quiz/attempt/{attempt_id}").get_data(as_text=True)
    assert '<label for="q1">One word</label>' in page
    assert 'maxlength="40"' in page
    client.post(
        f"/quiz/attempt/{attempt_id}/answer",
        data={"page": "1", "action": "save", "q1": "  armistice "},
    )
    again = client.get(f"/quiz/attempt/{attempt_id}").get_data(as_text=True)
    assert 'value="armistice"' in again
    assert client.post(f"/quiz/attempt/{attempt_id}/submit").status_code == 302
    results = client.get(f"/quiz/attempt/{attempt_id}/results").get_data(as_text=True)
    assert "1 of 1" in results and "Armistice" in results


@pytest.mark.parametrize("fmt", ["csv", "gift"])
def test_csv_and_gift_carry_it(one_word, fmt):
    result = export(_bank(), fmt, now=NOW)
    back = convert(result.data, filename=result.filename, bank_id="toy")
    assert back.report.converted == {"one_word": 1}
    (question,) = parse_bank(back.yaml_text, source="back.yaml").questions
    assert (question.type, question.data) == ("one_word", {"word": "Armistice"})


def test_a_format_that_cannot_hold_it_says_so(one_word):
    assert export(_bank(), "moodle-xml", now=NOW).left_out == [
        "toy-q1: one_word has no Moodle XML form"
    ]


def test_item_analysis_and_the_leak_check_take_it(one_word):
    from quiz_app.banks.leaks import find_pair_leak
    from quiz_app.quiz import itemstats

    (question,) = _bank().questions
    info = itemstats.ItemInfo("toy-q1", "one_word")
    record = itemstats.AttemptRecord(
        1, {"toy-q1": itemstats.ItemResponse(1.0, "Armistice")}
    )
    stat = itemstats.analyse_item(info, [record])
    assert (stat.responses, stat.facility, stat.options, stat.blank) == (1, 100, (), 0)
    (other,) = parse_bank(
        bank_yaml([{"id": "toy-q2", "type": "one_word", "word": "Truce"}]).replace(
            "Question toy-q2?", "Who signed the Armistice?"
        ),
        source="other.yaml",
    ).questions
    assert find_pair_leak(other, question) == ("Armistice", "prompt")

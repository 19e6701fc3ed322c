"""Pure ``short_text`` question type: a few typed words, matched leniently against the
accepted answers. No Flask or DB.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from random import Random
from typing import Any

from quiz_app.questions.answers import (
    escape_markdown,
    normalise_answer,
    short_answer_matches,
)
from quiz_app.questions.common import (
    MAX_TEXT_LENGTH,
    describe_text_response,
    full_or_nothing,
    stripped_text,
)
from quiz_app.questions.formats import (
    gift_escape,
    gift_item,
    gift_lines,
    gift_split,
    join_list,
    split_list,
    xml_answer,
    xml_fraction,
    xml_sub,
)
from quiz_app.questions.types import (
    NO_ANSWER_FEEDBACK,
    NO_OPTIONS,
    CsvCells,
    CsvCodec,
    FieldKind,
    FormField,
    GiftAnswer,
    GiftCodec,
    GiftContext,
    GiftRead,
    Grade,
    Interchange,
    LeakCheck,
    MoodleXmlCodec,
    MoodleXmlContext,
    MoodleXmlRead,
    Options,
    QuestionType,
    QuizForm,
    Scope,
    Widget,
)

Data = Mapping[str, Any]


def check(data: Data) -> list[tuple[str, str]]:
    answers: tuple[str, ...] | None = data.get("answers")
    if answers is None:
        return []
    if not answers:
        return [("answers", "'answers' is empty; list at least one accepted answer")]
    # Spelling variants that normalise alike (Panmunjom, P'anmunjŏm) are allowed:
    # authors list them to show what is accepted, and they do no harm.
    return [
        (
            "answers",
            f"'answers': {answer!r} has no letters or digits, so nothing can match it",
        )
        for answer in answers
        if not normalise_answer(answer)
    ]


def grade(data: Data, response: Any) -> Grade:
    if not isinstance(response, str):
        return full_or_nothing(
            False,
            NO_ANSWER_FEEDBACK
            if response is None
            else "That answer could not be read.",
        )
    if not normalise_answer(response):
        return full_or_nothing(False, NO_ANSWER_FEEDBACK)
    return full_or_nothing(short_answer_matches(response, data["answers"]))


def describe_answer(data: Data) -> str:
    return escape_markdown(data["answers"][0])


# --------------------------------------------------------------------------------------
# Quiz form


def _present(data: Data, rng: Random) -> dict[str, list[str]]:
    return {}


def _fields(options: Options) -> list[FormField]:
    return [FormField(Widget.TEXT, "Your answer", max_length=MAX_TEXT_LENGTH)]


def _read(data: Data, options: Options, values: Sequence[Any]) -> Any:
    return stripped_text(values[0])


def _initial(options: Options, response: Any) -> list[Any]:
    return [response or ""]


# --------------------------------------------------------------------------------------
# Leaks


def _answers(data: Data) -> list[tuple[str, Scope]]:
    # Hidden until answered: every accepted answer leaks wherever it is shown.
    return [(answer, Scope.ANYWHERE) for answer in data["answers"]]


def _shown(data: Data) -> list[tuple[str, str, bool]]:
    return []


# --------------------------------------------------------------------------------------
# Import and export


def _gift(data: Data) -> GiftAnswer:
    return GiftAnswer(gift_lines(["=" + gift_escape(a) for a in data["answers"]]))


def _gift_claims(answers: str) -> bool:
    """Whatever no other type claims: ``=`` accepted answers."""
    return True


def _gift_read(answers: str, ctx: GiftContext) -> GiftRead:
    items = [gift_item(raw, correct=True) for _, raw in gift_split(answers, "=")]
    accepted, dropped = [], []
    for item in items:
        text = ctx.plain(item.raw)
        weight = item.weight if item.weight is not None else 100.0
        if weight >= 100:
            accepted.append(text)
        elif weight > 0 or text != "*":
            dropped.append((text, weight))
    for text, weight in dropped:
        ctx.note(
            f"answer {text!r} ({weight:g}%) dropped; only fully right answers are kept"
        )
    if any("*" in a for a in accepted):
        ctx.note("'*' wildcards are matched literally here")
    right = tuple(
        i.feedback for i in items if (100 if i.weight is None else i.weight) >= 100
    )
    return GiftRead({"answers": accepted}, right)


def _xml(data: Data, node: ET.Element) -> None:
    xml_sub(node, "usecase", "0")
    for accepted in data["answers"]:
        xml_answer(node, accepted, 100)


def _xml_read(node: ET.Element, ctx: MoodleXmlContext) -> MoodleXmlRead:
    answers = node.findall("answer")
    accepted = []
    for a in answers:
        text, f = ctx.plain(a), xml_fraction(a)
        if f >= 100:
            accepted.append(text)
        elif f > 0:
            ctx.note(f"answer {text!r} ({f:g}%) dropped")
    if (node.findtext("usecase") or "0").strip() == "1":
        ctx.note("answers were case-sensitive in Moodle; here case is ignored")
    right = tuple(a for a in answers if xml_fraction(a) >= 100)
    return MoodleXmlRead({"answers": accepted}, right)


def _csv_write(data: Data) -> CsvCells:
    return CsvCells(answer=join_list(data["answers"]))


def _csv_read(cells: Mapping[str, str]) -> dict[str, Any]:
    return {"answers": split_list(cells.get("answer", ""))}


TYPE = QuestionType(
    key="short_text",
    label="Short text",
    fields={"answers": FieldKind.TEXT_LIST},
    required=frozenset({"answers"}),
    key_help={
        "answers": "Accepted answers; matching ignores case, accents, punctuation, "
        "spacing, a leading article, middle initials and a bracketed abbreviation "
        "(docs/bank-format.md).",
    },
    example={"answers": ["Panmunjom", "P'anmunjŏm"]},
    correct_response=lambda data: data["answers"][0],
    check=check,
    grade=grade,
    describe_answer=describe_answer,
    describe_response=describe_text_response,
    quiz=QuizForm(present=_present, fields=_fields, read=_read, initial=_initial),
    analysis=NO_OPTIONS,
    leaks=LeakCheck(answers=_answers, shown=_shown),
    interchange=Interchange(
        gift=GiftCodec(write=_gift, read=_gift_read, claims=_gift_claims, order=90),
        moodle_xml=MoodleXmlCodec(qtype="shortanswer", write=_xml, read=_xml_read),
        csv=CsvCodec(write=_csv_write, read=_csv_read),
    ),
)

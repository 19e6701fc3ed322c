"""Pure ``true_false`` question type: a statement that is true or false.
No Flask or DB.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from random import Random
from typing import Any

from quiz_app.questions.common import full_or_nothing
from quiz_app.questions.formats import xml_answer, xml_fraction
from quiz_app.questions.types import (
    NO_ANSWER,
    NO_ANSWER_FEEDBACK,
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
    ItemAnalysis,
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
#: the radio buttons' values
VALUES = {"true": True, "false": False}


def check(data: Data) -> list[tuple[str, str]]:
    return []


def grade(data: Data, response: Any) -> Grade:
    if response is None:
        return full_or_nothing(False, NO_ANSWER_FEEDBACK)
    if not isinstance(response, bool):
        return full_or_nothing(False, "Answer true or false.")
    return full_or_nothing(response is data["answer"])


def describe_answer(data: Data) -> str:
    return "True" if data["answer"] else "False"


def describe_response(data: Data, response: Any) -> str:
    if not isinstance(response, bool):
        return NO_ANSWER
    return "True" if response else "False"


# --------------------------------------------------------------------------------------
# Quiz form


def _present(data: Data, rng: Random) -> dict[str, list[str]]:
    return {}


def _fields(options: Options) -> list[FormField]:
    return [FormField(Widget.RADIO, "Answer", (("true", "True"), ("false", "False")))]


def _read(data: Data, options: Options, values: Sequence[Any]) -> Any:
    return VALUES.get(values[0] or "")


def _initial(options: Options, response: Any) -> list[Any]:
    return [
        None if not isinstance(response, bool) else ("true" if response else "false")
    ]


# --------------------------------------------------------------------------------------
# Item analysis and leaks


def _options(data: Data) -> tuple[tuple[str, ...], frozenset[str]]:
    return ("true", "false"), frozenset({"true" if data["answer"] else "false"})


def _chosen(response: Any) -> set[str]:
    """The option picked, as "true" or "false"."""
    if isinstance(response, bool):
        return {"true" if response else "false"}
    return set()


def _answers(data: Data) -> list[tuple[str, Scope]]:
    return []  # no answer text of its own


def _shown(data: Data) -> list[tuple[str, str, bool]]:
    return []


# --------------------------------------------------------------------------------------
# Import and export


def _gift(data: Data) -> GiftAnswer:
    return GiftAnswer("TRUE" if data["answer"] else "FALSE", inline=True)


def _gift_claims(answers: str) -> bool:
    return answers.split("#")[0].strip().upper() in ("T", "TRUE", "F", "FALSE")


def _gift_read(answers: str, ctx: GiftContext) -> GiftRead:
    parts = answers.split("#")
    value = parts[0].strip().upper() in ("T", "TRUE")
    # "#wrong feedback#right feedback": the right one explains.
    return GiftRead({"answer": value}, tuple(parts[2:3] or parts[1:2]))


def _xml(data: Data, node: ET.Element) -> None:
    xml_answer(node, "true", 100 if data["answer"] else 0)
    xml_answer(node, "false", 0 if data["answer"] else 100)


def _xml_read(node: ET.Element, ctx: MoodleXmlContext) -> MoodleXmlRead:
    right = [a for a in node.findall("answer") if xml_fraction(a) >= 100]
    if not right:
        raise ValueError("no answer is marked right")
    value = (right[0].findtext("text") or "").strip().lower() == "true"
    return MoodleXmlRead({"answer": value}, tuple(right))


def _csv_write(data: Data) -> CsvCells:
    return CsvCells(answer="true" if data["answer"] else "false")


def _csv_read(cells: Mapping[str, str]) -> dict[str, Any]:
    answer = cells.get("answer", "")
    if answer.lower() not in VALUES:
        raise ValueError(f"a true_false answer must be true or false, not {answer!r}")
    return {"answer": VALUES[answer.lower()]}


TYPE = QuestionType(
    key="true_false",
    label="True or false",
    fields={"answer": FieldKind.BOOL},
    required=frozenset({"answer"}),
    key_help={"answer": "true or false (not yes/no)."},
    example={"answer": True},
    correct_response=lambda data: data["answer"],
    check=check,
    grade=grade,
    describe_answer=describe_answer,
    describe_response=describe_response,
    quiz=QuizForm(present=_present, fields=_fields, read=_read, initial=_initial),
    analysis=ItemAnalysis(options=_options, chosen=_chosen),
    leaks=LeakCheck(answers=_answers, shown=_shown),
    interchange=Interchange(
        gift=GiftCodec(write=_gift, read=_gift_read, claims=_gift_claims, order=50),
        moodle_xml=MoodleXmlCodec(qtype="truefalse", write=_xml, read=_xml_read),
        csv=CsvCodec(write=_csv_write, read=_csv_read),
    ),
)

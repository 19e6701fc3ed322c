"""Pure ``numeric`` question type: a number, right within a tolerance, with an optional
unit. No Flask or DB.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from random import Random
from typing import Any

from quiz_app.questions.answers import (
    escape_markdown,
    exact_decimal,
    format_number,
    parse_number,
)
from quiz_app.questions.common import (
    MAX_NUMBER_LENGTH,
    describe_text_response,
    full_or_nothing,
    stripped_text,
)
from quiz_app.questions.formats import csv_number, number_text, xml_answer, xml_sub
from quiz_app.questions.types import (
    NO_ANSWER_FEEDBACK,
    NO_OPTIONS,
    CsvCells,
    CsvCodec,
    FieldKind,
    FormField,
    GiftAnswer,
    GiftCodec,
    Grade,
    Interchange,
    LeakCheck,
    MoodleXmlCodec,
    Options,
    QuestionType,
    QuizForm,
    Scope,
    Widget,
)

Data = Mapping[str, Any]

#: Small whole numbers as students read them in a matching pair ("Ten senior officers").
NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
    "seventeen", "eighteen", "nineteen", "twenty",
)  # fmt: skip


def check(data: Data) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    answer = data.get("answer")
    if isinstance(answer, float) and not exact_decimal(answer).is_finite():
        problems.append(("answer", "'answer' must be a finite number"))
    tolerance = data.get("tolerance", 0)
    if isinstance(tolerance, float) and not exact_decimal(tolerance).is_finite():
        problems.append(("tolerance", "'tolerance' must be a finite number"))
    elif isinstance(tolerance, int | float) and tolerance < 0:
        problems.append(
            ("tolerance", f"'tolerance' is {tolerance}; use a number of 0 or more")
        )
    return problems


def grade(data: Data, response: Any) -> Grade:
    if response is None or (isinstance(response, str) and not response.strip()):
        return full_or_nothing(False, NO_ANSWER_FEEDBACK)
    if isinstance(response, bool) or not isinstance(response, str | int | float):
        return full_or_nothing(False, "Not a number.")
    if isinstance(response, str):
        value = parse_number(response, unit=data.get("unit") or "")
        if value is None:
            return full_or_nothing(False, "Not a number.")
    else:
        value = exact_decimal(response)
        if not value.is_finite():
            return full_or_nothing(False, "Not a number.")
    distance = abs(value - exact_decimal(data["answer"]))
    return full_or_nothing(distance <= exact_decimal(data.get("tolerance", 0)))


def describe_answer(data: Data) -> str:
    text = format_number(data["answer"])
    unit = data.get("unit") or ""
    if unit:
        text += f" {unit}"
    tolerance = data.get("tolerance", 0)
    if tolerance:
        text += f" (± {format_number(tolerance)})"
    return escape_markdown(text)


# --------------------------------------------------------------------------------------
# Quiz form


def _present(data: Data, rng: Random) -> dict[str, list[str]]:
    return {}


def _fields(options: Options) -> list[FormField]:
    return [FormField(Widget.TEXT, "Your answer", max_length=MAX_NUMBER_LENGTH)]


def _read(data: Data, options: Options, values: Sequence[Any]) -> Any:
    return stripped_text(values[0])


def _initial(options: Options, response: Any) -> list[Any]:
    return [response or ""]


def _unreadable(data: Data, response: Any) -> str | None:
    """Text that is not a number is not saved: it could only score 0."""
    if (
        isinstance(response, str)
        and response.strip()
        and parse_number(response, unit=data.get("unit") or "") is None
    ):
        return (
            f"“{response}” is not a number, so it was not saved. Type digits only, "
            "for example 1953 or 2.5."
        )
    return None


# --------------------------------------------------------------------------------------
# Leaks


def _text(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _answers(data: Data) -> list[tuple[str, Scope]]:
    """The number as digits anywhere; a whole number up to twenty also as a word, but
    only in ordering items and matching pairs: in prompts such words are too common
    ("two sides", "ten days") to mean anything."""
    value = data["answer"]
    texts = [(_text(value), Scope.ANYWHERE)]
    if float(value).is_integer() and 0 <= value < len(NUMBER_WORDS):
        texts.append((NUMBER_WORDS[int(value)], Scope.ITEMS_AND_PAIRS))
    return texts


def _shown(data: Data) -> list[tuple[str, str, bool]]:
    return []


# --------------------------------------------------------------------------------------
# Import and export


def _gift(data: Data) -> GiftAnswer:
    block = f"#{number_text(data['answer'])}:{number_text(data.get('tolerance', 0))}"
    unit = data.get("unit")
    lost = (f"the unit {unit!r} has no GIFT form",) if unit else ()
    return GiftAnswer(block, inline=True, lost=lost)


def _xml(data: Data, node: ET.Element) -> None:
    answer = xml_answer(node, number_text(data["answer"]), 100)
    xml_sub(answer, "tolerance", number_text(data.get("tolerance", 0)))
    if data.get("unit"):
        units = xml_sub(node, "units")
        unit = xml_sub(units, "unit")
        xml_sub(unit, "multiplier", "1")
        xml_sub(unit, "unit_name", data["unit"])
        xml_sub(node, "unitgradingtype", "0")
        xml_sub(node, "unitpenalty", "0")
        xml_sub(node, "showunits", "3")
        xml_sub(node, "unitsleft", "0")


def _csv_write(data: Data) -> CsvCells:
    return CsvCells(
        answer=number_text(data["answer"]),
        tolerance=number_text(data.get("tolerance", 0)),
        unit=data.get("unit", ""),
    )


def _csv_read(cells: Mapping[str, str]) -> dict[str, Any]:
    answer = cells.get("answer", "")
    value = csv_number(answer)
    tolerance = csv_number(cells.get("tolerance") or "0")
    if value is None or tolerance is None:
        raise ValueError(f"the answer {answer!r} or its tolerance is not a number")
    data: dict[str, Any] = {"answer": value, "tolerance": tolerance}
    if cells.get("unit"):
        data["unit"] = cells["unit"]
    return data


TYPE = QuestionType(
    key="numeric",
    label="Number",
    fields={
        "answer": FieldKind.NUMBER,
        "tolerance": FieldKind.NUMBER,
        "unit": FieldKind.TEXT,
    },
    required=frozenset({"answer"}),
    defaults={"tolerance": 0, "unit": ""},
    key_help={
        "answer": "The correct number (decimal).",
        "tolerance": "A response within ± tolerance is correct (default 0).",
        "unit": "Unit shown after the input box, e.g. 'km'.",
    },
    check=check,
    grade=grade,
    describe_answer=describe_answer,
    describe_response=describe_text_response,
    quiz=QuizForm(
        present=_present,
        fields=_fields,
        read=_read,
        initial=_initial,
        unreadable=_unreadable,
    ),
    analysis=NO_OPTIONS,
    leaks=LeakCheck(answers=_answers, shown=_shown),
    interchange=Interchange(
        gift=GiftCodec(write=_gift),
        moodle_xml=MoodleXmlCodec(qtype="numerical", write=_xml),
        csv=CsvCodec(write=_csv_write, read=_csv_read),
    ),
)

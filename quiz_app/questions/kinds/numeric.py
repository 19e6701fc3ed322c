"""Pure ``numeric`` question type: a number, right within a tolerance, with an optional
unit. No Flask or DB.
"""

from __future__ import annotations

import math
import re
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
from quiz_app.questions.formats import (
    finite_number,
    gift_item,
    gift_split,
    number_text,
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


_GIFT_NUMBER = re.compile(r"^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")


def _gift_number(text: str) -> float | None:
    text = text.strip()
    if not _GIFT_NUMBER.match(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _gift_value(raw: str) -> tuple[float, float] | None:
    """(answer, tolerance) of ``3.14:0.01``, ``1..5`` or ``42``."""
    if ".." in raw:
        low_text, _, high_text = raw.partition("..")
        low, high = _gift_number(low_text), _gift_number(high_text)
        if low is None or high is None or high < low:
            return None
        return (low + high) / 2, (high - low) / 2
    value_text, _, tol_text = raw.partition(":")
    value = _gift_number(value_text)
    tolerance = _gift_number(tol_text) if tol_text.strip() else 0.0
    if value is None or tolerance is None:
        return None
    return value, abs(tolerance)


def _gift_claims(answers: str) -> bool:
    return answers.startswith("#")


def _gift_read(answers: str, ctx: GiftContext) -> GiftRead:
    answers = answers[1:]
    if "=" in answers or "~" in answers:
        items = [
            gift_item(raw, correct=m != "~") for m, raw in gift_split(answers, "=~")
        ]
    else:
        items = [gift_item(answers, correct=True)]
    right = [i for i in items if (i.weight or 0) >= 100 and i.raw.strip() != "*"]
    if not right:
        raise ValueError("a numerical question with no fully right answer")
    value = _gift_value(ctx.restore(right[0].raw))
    if value is None:
        raise ValueError(
            f"the numerical answer {ctx.restore(right[0].raw)!r} is not a number"
        )
    for other in items:
        if other is not right[0] and (other.weight or 0) > 0:
            ctx.note(
                f"further answer {ctx.restore(other.raw)!r} dropped; one number with "
                "a tolerance is kept"
            )
    data = {"answer": value[0], "tolerance": value[1]}
    return GiftRead(data, (right[0].feedback,))


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


def _xml_read(node: ET.Element, ctx: MoodleXmlContext) -> MoodleXmlRead:
    answers = [
        a
        for a in node.findall("answer")
        if xml_fraction(a) >= 100 and (a.findtext("text") or "").strip() != "*"
    ]
    if not answers:
        raise ValueError("a numerical question with no fully right answer")
    value = finite_number(answers[0].findtext("text") or "")
    tolerance = finite_number(answers[0].findtext("tolerance") or "0")
    if value is None or tolerance is None:
        raise ValueError("the right answer is not a number")
    for other in answers[1:]:
        ctx.note(f"further answer {other.findtext('text')!r} dropped")
    data: dict[str, Any] = {"answer": value, "tolerance": abs(tolerance)}
    units = [
        (u.findtext("unit_name") or "").strip()
        for u in node.findall("units/unit")
        if (finite_number(u.findtext("multiplier") or "1") or 0) == 1
    ]
    if units and units[0]:
        data["unit"] = units[0]
    return MoodleXmlRead(data, tuple(answers[:1]))


def _csv_write(data: Data) -> CsvCells:
    return CsvCells(
        answer=number_text(data["answer"]),
        tolerance=number_text(data.get("tolerance", 0)),
        unit=data.get("unit", ""),
    )


def _csv_read(cells: Mapping[str, str]) -> dict[str, Any]:
    answer = cells.get("answer", "")
    value = finite_number(answer)
    tolerance = finite_number(cells.get("tolerance") or "0")
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
    example={"answer": 1953, "tolerance": 1},
    correct_response=lambda data: data["answer"],
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
        gift=GiftCodec(write=_gift, read=_gift_read, claims=_gift_claims, order=20),
        moodle_xml=MoodleXmlCodec(qtype="numerical", write=_xml, read=_xml_read),
        csv=CsvCodec(write=_csv_write, read=_csv_read),
    ),
)

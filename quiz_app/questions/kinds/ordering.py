"""Pure ``ordering`` question type: put 3 to 8 items in order, credit per neighbouring
pair in the right order. No Flask or DB.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from random import Random
from typing import Any

from quiz_app.questions.answers import escape_markdown
from quiz_app.questions.common import (
    WRONG_MARK,
    count_problem,
    distinct_problems,
    full_or_nothing,
    numbered,
    partial,
    plural,
    same_pairs,
    scrambled,
    text_or_none,
)
from quiz_app.questions.formats import (
    gift_escape,
    join_list,
    split_list,
    xml_answer,
    xml_fraction,
    xml_sub,
)
from quiz_app.questions.types import (
    NO_ANSWER,
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
    if "items" not in data:  # reported as a missing key already
        return []
    items: tuple[str, ...] = data["items"]
    return count_problem(
        "items", items, 3, 8, "an ordering question"
    ) + distinct_problems("items", items)


def _slots(response: Any) -> list[str | None] | None:
    if isinstance(response, str | Mapping) or not isinstance(response, Sequence):
        return None
    return [
        item if isinstance(item, str) and item.strip() else None for item in response
    ]


def grade(data: Data, response: Any) -> Grade:
    items: Sequence[str] = data["items"]
    slots = _slots(response) if response is not None else []
    if slots is None:
        return full_or_nothing(False, "That answer could not be read.")
    if not any(slots):
        return full_or_nothing(False, NO_ANSWER_FEEDBACK)
    successor = dict(zip(items, items[1:], strict=False))
    # A set, so repeating a right pair (only possible with a tampered form) earns
    # nothing extra.
    right_pairs = {
        first
        for first, second in zip(slots, slots[1:], strict=False)
        if first and successor.get(first) == second
    }
    pairs = len(items) - 1
    if len(right_pairs) == pairs:
        return partial(1.0, "")
    feedback = (
        f"{len(right_pairs)} of {pairs} neighbouring pairs are in the right order."
    )
    empty = sum(1 for s in slots[: len(items)] if s is None) + max(
        0, len(items) - len(slots)
    )
    if empty:
        feedback += f" {plural(empty, 'place')} left empty."
    return partial(
        len(right_pairs) / pairs, feedback, (len(right_pairs), pairs, "pairs in order")
    )


def describe_answer(data: Data) -> str:
    return numbered(escape_markdown(item) for item in data["items"])


def describe_response(data: Data, response: Any) -> str:
    slots = _slots(response) if response is not None else None
    if not slots or not any(slots):
        return NO_ANSWER
    successor = dict(zip(data["items"], data["items"][1:], strict=False))
    linked = set()  # places in at least one neighbouring pair in the right order
    for i, (first, second) in enumerate(zip(slots, slots[1:], strict=False)):
        if first and successor.get(first) == second:
            linked |= {i, i + 1}
    return numbered(
        (escape_markdown(s) + ("" if i in linked else WRONG_MARK)) if s else "—"
        for i, s in enumerate(slots)
    )


# --------------------------------------------------------------------------------------
# Quiz form: one drop-down per position


def _present(data: Data, rng: Random) -> dict[str, list[str]]:
    """The items, never in the right order."""
    return {"items": scrambled(list(data["items"]), rng=rng)}


def _fields(options: Options) -> list[FormField]:
    choices = same_pairs(options["items"])
    return [
        FormField(Widget.SELECT, f"Position {i}", choices)
        for i in range(1, len(options["items"]) + 1)
    ]


def _read(data: Data, options: Options, values: Sequence[Any]) -> Any:
    return [text_or_none(value) for value in values]


def _initial(options: Options, response: Any) -> list[Any]:
    count = len(options["items"])
    saved = response if isinstance(response, list) else []
    values = [v if isinstance(v, str) else "" for v in saved[:count]]
    return values + [""] * (count - len(values))


def _picks(response: Any) -> list[Any]:
    return response if isinstance(response, list) else []


# --------------------------------------------------------------------------------------
# Leaks


def _answers(data: Data) -> list[tuple[str, Scope]]:
    return []  # the items are the answer, and they are on screen


def _shown(data: Data) -> list[tuple[str, str, bool]]:
    return [("items", item, False) for item in data["items"]]


# --------------------------------------------------------------------------------------
# Import and export


def _gift(data: Data) -> GiftAnswer:
    # The ordering question type's GIFT form: '>' count, select type, layout, grading
    # (ours scores neighbouring pairs, Moodle's RELATIVE_NEXT_EXCLUDE_LAST). Moodle
    # hands the whole block to the ordering type, which would read a general feedback
    # line as one more item: no explanation.
    items = data["items"]
    header = f">{len(items)} ALL VERTICAL RELATIVE_NEXT_EXCLUDE_LAST"
    return GiftAnswer(
        header + "\n" + "\n".join(gift_escape(i) for i in items),
        inline=True,
        has_explanation=False,
        lost=("the ordering form of GIFT has no explanation",),
    )


def _gift_claims(answers: str) -> bool:
    """The ordering question type's extension: ``>`` then one item per line."""
    return answers.startswith(">")


def _gift_read(answers: str, ctx: GiftContext) -> GiftRead:
    header, _, body = answers[1:].partition("\n")
    items = [ctx.plain(line) for line in body.split("\n") if line.strip()]
    if header.strip() and not re.match(r"^\s*\d+", header):
        items.insert(0, ctx.plain(header))
    return GiftRead({"items": items})


def _xml(data: Data, node: ET.Element) -> None:
    xml_sub(node, "layouttype", "VERTICAL")
    xml_sub(node, "selecttype", "ALL")
    xml_sub(node, "selectcount", "0")
    # Ours scores neighbouring pairs: Moodle's "relative to the next item".
    xml_sub(node, "gradingtype", "RELATIVE_NEXT_EXCLUDE_LAST")
    xml_sub(node, "showgrading", "SHOW")
    xml_sub(node, "numberingstyle", "none")
    for position, item in enumerate(data["items"], start=1):
        xml_answer(node, item, position)


def _xml_read(node: ET.Element, ctx: MoodleXmlContext) -> MoodleXmlRead:
    # The ordering type keeps each item's correct position in 'fraction'.
    answers = sorted(node.findall("answer"), key=xml_fraction)
    data = {"items": [ctx.plain(a) for a in answers]}
    if (node.findtext("selecttype") or "").strip() not in ("", "0", "ALL"):
        ctx.note("only a subset of items was shown in Moodle; all are used here")
    return MoodleXmlRead(data)


def _csv_write(data: Data) -> CsvCells:
    return CsvCells(answer=join_list(data["items"]))


def _csv_read(cells: Mapping[str, str]) -> dict[str, Any]:
    return {"items": split_list(cells.get("answer", ""))}


TYPE = QuestionType(
    key="ordering",
    label="Ordering",
    fields={"items": FieldKind.TEXT_LIST},
    required=frozenset({"items"}),
    key_help={
        "items": "3 to 8 distinct items, in the correct order; shown shuffled.",
    },
    example={
        "items": [
            "Talks open at Kaesong",
            "Talks move to Panmunjom",
            "Armistice signed",
        ]
    },
    correct_response=lambda data: list(data["items"]),
    check=check,
    grade=grade,
    describe_answer=describe_answer,
    describe_response=describe_response,
    quiz=QuizForm(
        present=_present,
        fields=_fields,
        read=_read,
        initial=_initial,
        picks=_picks,
    ),
    analysis=NO_OPTIONS,
    leaks=LeakCheck(answers=_answers, shown=_shown),
    interchange=Interchange(
        gift=GiftCodec(write=_gift, read=_gift_read, claims=_gift_claims, order=10),
        moodle_xml=MoodleXmlCodec(qtype="ordering", write=_xml, read=_xml_read),
        csv=CsvCodec(write=_csv_write, read=_csv_read),
    ),
)

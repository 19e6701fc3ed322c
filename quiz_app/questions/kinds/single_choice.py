"""Pure ``single_choice`` question type: one right answer among 2 to 8 choices.
No Flask or DB.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from random import Random
from typing import Any

from quiz_app.questions.answers import escape_markdown
from quiz_app.questions.common import (
    count_problem,
    did_you_mean,
    distinct_problems,
    full_or_nothing,
    markdown_list,
    same_pairs,
    shuffled_options,
    text_or_none,
)
from quiz_app.questions.formats import (
    GiftItem,
    gift_escape,
    gift_item,
    gift_lines,
    gift_split,
    is_false,
    join_list,
    split_list,
    xml_answer,
    xml_flag,
    xml_fraction,
    xml_sub,
)
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

#: What an export to GIFT loses of ``shuffle: false``.
SHUFFLE_LOST = "GIFT cannot keep the choices in their order"


def check(data: Data) -> list[tuple[str, str]]:
    if "choices" not in data:  # reported as a missing key already
        return []
    choices: tuple[str, ...] = data["choices"]
    problems = count_problem("choices", choices, 2, 8, "a single_choice question")
    problems += distinct_problems("choices", choices)
    answer = data.get("answer")
    if isinstance(answer, str) and answer not in choices:
        problems.append(
            (
                "answer",
                f"'answer' is not one of the choices{did_you_mean(answer, choices)}",
            )
        )
    return problems


def grade(data: Data, response: Any) -> Grade:
    if response is None or (isinstance(response, str) and not response.strip()):
        return full_or_nothing(False, NO_ANSWER_FEEDBACK)
    if not isinstance(response, str) or response not in data["choices"]:
        return full_or_nothing(False, "That is not one of the choices.")
    return full_or_nothing(response == data["answer"])


def describe_answer(data: Data) -> str:
    return escape_markdown(data["answer"])


def describe_response(data: Data, response: Any) -> str:
    if not isinstance(response, str) or not response.strip():
        return NO_ANSWER
    return escape_markdown(response)


# --------------------------------------------------------------------------------------
# Quiz form (shared with multi_choice, which asks with checkboxes instead)


def present_choices(data: Data, rng: Random) -> dict[str, list[str]]:
    """The choices, shuffled unless the bank says ``shuffle: false``."""
    choices = list(data["choices"])
    if data.get("shuffle", True):
        choices = shuffled_options(choices, rng=rng)
    return {"choices": choices}


def _fields(options: Options) -> list[FormField]:
    return [FormField(Widget.RADIO, "Answer", same_pairs(options["choices"]))]


def _read(data: Data, options: Options, values: Sequence[Any]) -> Any:
    return text_or_none(values[0])


def _initial(options: Options, response: Any) -> list[Any]:
    return [response]


# --------------------------------------------------------------------------------------
# Item analysis and leaks


def _options(data: Data) -> tuple[tuple[str, ...], frozenset[str]]:
    return tuple(data["choices"]), frozenset({data["answer"]})


def _chosen(response: Any) -> set[str]:
    return {response} if isinstance(response, str) and response else set()


def _answers(data: Data) -> list[tuple[str, Scope]]:
    # On screen among its own choices: another question leaks it only by tying it to
    # the facts (prompt, items, pairs), not by listing it as one more choice.
    return [(data["answer"], Scope.NOT_OPTIONS)]


def shown_choices(data: Data) -> list[tuple[str, str, bool]]:
    """The choices, each one of a list of options."""
    return [("choices", choice, True) for choice in data["choices"]]


# --------------------------------------------------------------------------------------
# Import and export


def _gift(data: Data) -> GiftAnswer:
    lines = [
        ("=" if c == data["answer"] else "~") + gift_escape(c) for c in data["choices"]
    ]
    lost = (SHUFFLE_LOST,) if data.get("shuffle") is False else ()
    return GiftAnswer(gift_lines(lines), lost=lost)


def choices_xml(data: Data, node: ET.Element, *, right: set[str], single: bool) -> None:
    """Moodle's multichoice answers; ours costs one right answer's share per wrong
    tick (never below 0)."""
    xml_sub(node, "single", "true" if single else "false")
    xml_sub(node, "shuffleanswers", "true" if data.get("shuffle", True) else "false")
    xml_sub(node, "answernumbering", "abc")
    share = 100 / len(right)
    for choice in data["choices"]:
        if choice in right:
            xml_answer(node, choice, share)
        else:
            xml_answer(node, choice, 0 if single else -share)


def read_gift_choices(
    answers: str, ctx: GiftContext
) -> tuple[list[GiftItem], list[str], list[float]]:
    """The answers of a GIFT choice question, their texts and weights."""
    items = [
        gift_item(raw, correct=mark == "=") for mark, raw in gift_split(answers, "=~")
    ]
    texts = [ctx.plain(i.raw) for i in items]
    return items, texts, [i.weight or 0.0 for i in items]


def _gift_claims(answers: str) -> bool:
    """A list of ``~`` wrong answers with an ``=`` right one."""
    return "~" in answers and "=" in answers


def _gift_read(answers: str, ctx: GiftContext) -> GiftRead:
    items, texts, weights = read_gift_choices(answers, ctx)
    right = [t for t, w in zip(texts, weights, strict=True) if w >= 100]
    partial = [(t, w) for t, w in zip(texts, weights, strict=True) if 0 < w < 100]
    data = {"choices": texts, "answer": right[0] if right else ""}
    if len(right) > 1:
        ctx.note(
            f"several answers are fully right; the first ({right[0]!r}) is kept as "
            "the answer"
        )
    for t, w in partial:
        ctx.note(f"partial credit ({w:g}%) for {t!r} dropped; it now counts as wrong")
    good = tuple(i.feedback for i, w in zip(items, weights, strict=True) if w >= 100)
    return GiftRead(data, good)


def _xml(data: Data, node: ET.Element) -> None:
    choices_xml(data, node, right={data["answer"]}, single=True)


def read_choices_xml(
    node: ET.Element, ctx: MoodleXmlContext
) -> tuple[list[str], list[float], list[ET.Element]]:
    """The texts and fractions of a multichoice question's answers."""
    answers = node.findall("answer")
    return [ctx.plain(a) for a in answers], [xml_fraction(a) for a in answers], answers


def shuffle_from_xml(node: ET.Element, data: dict[str, Any]) -> dict[str, Any]:
    """``shuffle: false`` when Moodle keeps the answers in their order."""
    if not xml_flag(node, "shuffleanswers", default="true"):
        data["shuffle"] = False
    return data


def is_single_xml(node: ET.Element) -> bool:
    """Whether a Moodle multichoice question has one right answer."""
    return xml_flag(node, "single", default="true")


def _xml_read(node: ET.Element, ctx: MoodleXmlContext) -> MoodleXmlRead:
    texts, fractions, answers = read_choices_xml(node, ctx)
    right = [t for t, f in zip(texts, fractions, strict=True) if f >= 100]
    data: dict[str, Any] = {"choices": texts, "answer": right[0] if right else ""}
    for t, f in zip(texts, fractions, strict=True):
        if 0 < f < 100:
            ctx.note(f"partial credit ({f:g}%) for {t!r} dropped")
    good = tuple(a for a, f in zip(answers, fractions, strict=True) if f >= 100)
    return MoodleXmlRead(shuffle_from_xml(node, data), good)


def shuffle_to_csv(data: Data) -> str:
    """The ``shuffle`` cell: "false" for ``shuffle: false``, else empty."""
    return "false" if data.get("shuffle", True) is False else ""


def _csv_write(data: Data) -> CsvCells:
    return CsvCells(
        answer=data["answer"],
        choices=join_list(data["choices"]),
        shuffle=shuffle_to_csv(data),
    )


def shuffle_from_csv(cells: Mapping[str, str], data: dict[str, Any]) -> dict[str, Any]:
    """``shuffle: false`` when the row's ``shuffle`` cell says no."""
    if is_false(cells.get("shuffle", "")):
        data["shuffle"] = False
    return data


def _csv_read(cells: Mapping[str, str]) -> dict[str, Any]:
    data = {
        "choices": split_list(cells.get("choices", "")),
        "answer": cells.get("answer", ""),
    }
    return shuffle_from_csv(cells, data)


def anki_choices(data: Data) -> str:
    """The choices as a list after the prompt."""
    return "\n\n" + markdown_list(data["choices"])


TYPE = QuestionType(
    key="single_choice",
    label="Single choice",
    fields={
        "choices": FieldKind.TEXT_LIST,
        "answer": FieldKind.TEXT,
        "shuffle": FieldKind.BOOL,
    },
    required=frozenset({"choices", "answer"}),
    defaults={"shuffle": True},
    key_help={
        "choices": "2 to 8 distinct choices.",
        "answer": "The correct choice, written exactly as in 'choices'.",
        "shuffle": "Shuffle the choices per attempt (default true).",
    },
    example={
        "choices": ["Kaesong", "Panmunjom", "Geneva"],
        "answer": "Panmunjom",
    },
    correct_response=lambda data: data["answer"],
    check=check,
    grade=grade,
    describe_answer=describe_answer,
    describe_response=describe_response,
    quiz=QuizForm(
        present=present_choices, fields=_fields, read=_read, initial=_initial
    ),
    analysis=ItemAnalysis(options=_options, chosen=_chosen),
    leaks=LeakCheck(answers=_answers, shown=shown_choices),
    interchange=Interchange(
        gift=GiftCodec(write=_gift, read=_gift_read, claims=_gift_claims, order=30),
        moodle_xml=MoodleXmlCodec(
            qtype="multichoice", write=_xml, read=_xml_read, accepts=is_single_xml
        ),
        csv=CsvCodec(write=_csv_write, read=_csv_read),
        anki_front=anki_choices,
    ),
)

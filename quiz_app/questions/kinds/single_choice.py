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
    gift_escape,
    gift_lines,
    is_false,
    join_list,
    split_list,
    xml_answer,
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
    Grade,
    Interchange,
    ItemAnalysis,
    LeakCheck,
    MoodleXmlCodec,
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


def _xml(data: Data, node: ET.Element) -> None:
    choices_xml(data, node, right={data["answer"]}, single=True)


def _csv_write(data: Data) -> CsvCells:
    return CsvCells(answer=data["answer"], choices=join_list(data["choices"]))


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
        gift=GiftCodec(write=_gift),
        moodle_xml=MoodleXmlCodec(qtype="multichoice", write=_xml),
        csv=CsvCodec(write=_csv_write, read=_csv_read),
        anki_front=anki_choices,
    ),
)

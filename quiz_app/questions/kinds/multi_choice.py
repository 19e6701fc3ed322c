"""Pure ``multi_choice`` question type: tick every right answer among 3 to 10 choices,
partial credit with a penalty per wrong tick. No Flask or DB.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from quiz_app.questions.answers import escape_markdown
from quiz_app.questions.common import (
    count_problem,
    did_you_mean,
    distinct_problems,
    full_or_nothing,
    partial,
    plural,
    response_texts,
    same_pairs,
)
from quiz_app.questions.formats import (
    gift_escape,
    gift_lines,
    join_list,
    percent_text,
    split_list,
)
from quiz_app.questions.kinds.single_choice import (
    SHUFFLE_LOST,
    anki_choices,
    choices_xml,
    is_single_xml,
    present_choices,
    read_choices_xml,
    read_gift_choices,
    shown_choices,
    shuffle_from_csv,
    shuffle_from_xml,
    shuffle_to_csv,
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


def check(data: Data) -> list[tuple[str, str]]:
    if "choices" not in data:  # reported as a missing key already
        return []
    choices: tuple[str, ...] = data["choices"]
    problems = count_problem("choices", choices, 3, 10, "a multi_choice question")
    problems += distinct_problems("choices", choices)
    answers: tuple[str, ...] | None = data.get("answers")
    if answers is None:
        return problems
    if not answers:
        problems.append(
            ("answers", "'answers' is empty; list at least one correct choice")
        )
    seen: set[str] = set()
    for answer in answers:
        if answer in seen:
            problems.append(("answers", f"'answers' lists {answer!r} twice"))
        seen.add(answer)
        if answer not in choices:
            problems.append(
                (
                    "answers",
                    f"'answers': {answer!r} is not one of the choices"
                    + did_you_mean(answer, choices),
                )
            )
    if choices and set(choices) <= seen:
        problems.append(
            ("answers", "'answers' lists every choice; leave at least one choice wrong")
        )
    return problems


def grade(data: Data, response: Any) -> Grade:
    texts = response_texts(response) if response is not None else []
    if texts is None:
        return full_or_nothing(False, "That answer could not be read.")
    choices = set(data["choices"])
    correct = set(data["answers"])
    ticked = {t for t in texts if t in choices}
    if not ticked:
        return full_or_nothing(False, NO_ANSWER_FEEDBACK)
    right = len(ticked & correct)
    wrong = len(ticked - correct)
    score = (right - wrong) / len(correct)
    if right == len(correct) and not wrong:
        return partial(1.0, "")
    feedback = f"You ticked {right} of {plural(len(correct), 'correct answer')}"
    feedback += f" and {plural(wrong, 'wrong one')}." if wrong else "."
    return partial(score, feedback)


def describe_answer(data: Data) -> str:
    correct = set(data["answers"])
    return "; ".join(escape_markdown(c) for c in data["choices"] if c in correct)


def describe_response(data: Data, response: Any) -> str:
    texts = set(response_texts(response) or ()) if response is not None else set()
    ticked = [escape_markdown(c) for c in data["choices"] if c in texts]
    return "; ".join(ticked) if ticked else NO_ANSWER


# --------------------------------------------------------------------------------------
# Quiz form


def _fields(options: Options) -> list[FormField]:
    return [FormField(Widget.CHECKBOXES, "Answer", same_pairs(options["choices"]))]


def _read(data: Data, options: Options, values: Sequence[Any]) -> Any:
    # In the bank's order, not the shuffled one: the same ticks are the same answer.
    return [c for c in data["choices"] if c in (values[0] or ())]


def _initial(options: Options, response: Any) -> list[Any]:
    return [list(response or [])]


# --------------------------------------------------------------------------------------
# Item analysis and leaks


def _options(data: Data) -> tuple[tuple[str, ...], frozenset[str]]:
    return tuple(data["choices"]), frozenset(data["answers"])


def _chosen(response: Any) -> set[str]:
    if response is None or response == "":
        return set()
    if isinstance(response, str):
        return {response}
    if isinstance(response, list | tuple | set | frozenset):
        return {r for r in response if isinstance(r, str)}
    return set()


def _answers(data: Data) -> list[tuple[str, Scope]]:
    # A set of choices that are all on screen: nothing hidden to give away.
    return []


# --------------------------------------------------------------------------------------
# Import and export


def _gift(data: Data) -> GiftAnswer:
    right = set(data["answers"])
    share = percent_text(100 / len(right))
    lines = [
        (f"~%{share}%" if c in right else f"~%-{share}%") + gift_escape(c)
        for c in data["choices"]
    ]
    lost = (SHUFFLE_LOST,) if data.get("shuffle") is False else ()
    return GiftAnswer(gift_lines(lines), lost=lost)


def _gift_claims(answers: str) -> bool:
    """``~`` answers with weights and no ``=`` (the single choice type goes first)."""
    return "~" in answers


def _gift_read(answers: str, ctx: GiftContext) -> GiftRead:
    items, texts, weights = read_gift_choices(answers, ctx)
    data = {
        "choices": texts,
        "answers": [t for t, w in zip(texts, weights, strict=True) if w > 0],
    }
    positive = [w for w in weights if w > 0]
    if positive and len({round(w, 3) for w in positive}) > 1:
        ctx.note(
            "unequal weights of the right answers "
            f"({', '.join(f'{w:g}%' for w in positive)}) become equal shares"
        )
    good = tuple(i.feedback for i, w in zip(items, weights, strict=True) if w > 0)
    return GiftRead(data, good)


def _xml(data: Data, node: ET.Element) -> None:
    choices_xml(data, node, right=set(data["answers"]), single=False)


def _xml_read(node: ET.Element, ctx: MoodleXmlContext) -> MoodleXmlRead:
    texts, fractions, answers = read_choices_xml(node, ctx)
    data: dict[str, Any] = {
        "choices": texts,
        "answers": [t for t, f in zip(texts, fractions, strict=True) if f > 0],
    }
    positive = [f for f in fractions if f > 0]
    if len({round(f, 3) for f in positive}) > 1:
        ctx.note("unequal weights of the right answers become equal shares")
    good = tuple(a for a, f in zip(answers, fractions, strict=True) if f > 0)
    return MoodleXmlRead(shuffle_from_xml(node, data), good)


def _is_multi_xml(node: ET.Element) -> bool:
    return not is_single_xml(node)


def _csv_write(data: Data) -> CsvCells:
    return CsvCells(
        answer=join_list(data["answers"]),
        choices=join_list(data["choices"]),
        shuffle=shuffle_to_csv(data),
    )


def _csv_read(cells: Mapping[str, str]) -> dict[str, Any]:
    data = {
        "choices": split_list(cells.get("choices", "")),
        "answers": split_list(cells.get("answer", "")),
    }
    return shuffle_from_csv(cells, data)


TYPE = QuestionType(
    key="multi_choice",
    label="Multiple choice",
    fields={
        "choices": FieldKind.TEXT_LIST,
        "answers": FieldKind.TEXT_LIST,
        "shuffle": FieldKind.BOOL,
    },
    required=frozenset({"choices", "answers"}),
    defaults={"shuffle": True},
    key_help={
        "choices": "3 to 10 distinct choices.",
        "answers": "The correct choices (at least one, not all), written as in "
        "'choices'.",
        "shuffle": "Shuffle the choices per attempt (default true).",
    },
    example={
        "choices": ["United Nations Command", "North Korea", "China", "South Korea"],
        "answers": ["United Nations Command", "North Korea", "China"],
    },
    correct_response=lambda data: list(data["answers"]),
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
        gift=GiftCodec(write=_gift, read=_gift_read, claims=_gift_claims, order=31),
        moodle_xml=MoodleXmlCodec(
            qtype="multichoice", write=_xml, read=_xml_read, accepts=_is_multi_xml
        ),
        csv=CsvCodec(write=_csv_write, read=_csv_read),
        anki_front=anki_choices,
    ),
)

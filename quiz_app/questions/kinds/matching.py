"""Pure ``matching`` question type: match 3 to 8 left-hand texts to right-hand ones
(plus distractors), credit per pair. No Flask or DB.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from random import Random
from typing import Any

from quiz_app.questions.answers import escape_markdown
from quiz_app.questions.common import (
    WRONG_MARK,
    choice_key,
    count_problem,
    distinct_problems,
    full_or_nothing,
    markdown_list,
    partial,
    same_pairs,
    shuffled_options,
    text_or_none,
)
from quiz_app.questions.formats import (
    gift_escape,
    gift_lines,
    gift_split,
    join_list,
    split_list,
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
    if "pairs" not in data:  # reported as a missing key already
        return []
    pairs: tuple[tuple[str, str], ...] = data["pairs"]
    lefts = [left for left, _ in pairs]
    rights = [right for _, right in pairs]
    problems = count_problem("pairs", lefts, 3, 8, "a matching question")
    problems += [
        ("pairs", message.replace("'pairs'", "'pairs' (left)", 1))
        for _, message in distinct_problems("pairs", lefts)
    ]
    problems += [
        ("pairs", message.replace("'pairs'", "'pairs' (right)", 1))
        for _, message in distinct_problems("pairs", rights)
    ]
    distractors: tuple[str, ...] = data.get("distractors", ())
    problems += distinct_problems("distractors", distractors)
    right_keys = {choice_key(r): r for r in rights}
    for distractor in distractors:
        same = right_keys.get(choice_key(distractor))
        if same is not None and distractor.strip():
            problems.append(
                (
                    "distractors",
                    f"'distractors': {distractor!r} is also the right-hand text "
                    f"of a pair ({same!r})",
                )
            )
    return problems


def grade(data: Data, response: Any) -> Grade:
    pairs: Sequence[tuple[str, str]] = data["pairs"]
    if response is None:
        response = {}
    if not isinstance(response, Mapping):
        return full_or_nothing(False, "That answer could not be read.")
    chosen = {left: response.get(left) for left, _ in pairs}
    if not any(isinstance(c, str) and c.strip() for c in chosen.values()):
        return full_or_nothing(False, NO_ANSWER_FEEDBACK)
    right = sum(1 for left, answer in pairs if chosen[left] == answer)
    if right == len(pairs):
        return partial(1.0, "")
    return partial(
        right / len(pairs),
        f"{right} of {len(pairs)} pairs matched correctly.",
        (right, len(pairs), "pairs"),
    )


def describe_answer(data: Data) -> str:
    return "\n".join(
        f"- {escape_markdown(left)} → {escape_markdown(right)}"
        for left, right in data["pairs"]
    )


def describe_response(data: Data, response: Any) -> str:
    if not isinstance(response, Mapping):
        return NO_ANSWER
    lines = []
    for left, right in data["pairs"]:
        chosen = response.get(left)
        shown = (
            escape_markdown(chosen)
            if isinstance(chosen, str) and chosen.strip()
            else NO_ANSWER
        )
        mark = WRONG_MARK if shown != NO_ANSWER and chosen != right else ""
        lines.append(f"- {escape_markdown(left)} → {shown}{mark}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Quiz form: one drop-down per left-hand text


def _present(data: Data, rng: Random) -> dict[str, list[str]]:
    """Lefts in file order; the right-hand texts and distractors shuffled together."""
    pairs: Sequence[tuple[str, str]] = data["pairs"]
    rights = [right for _, right in pairs] + list(data.get("distractors", ()))
    return {
        "lefts": [left for left, _ in pairs],
        "rights": shuffled_options(rights, rng=rng),
    }


def _fields(options: Options) -> list[FormField]:
    choices = same_pairs(options["rights"])
    return [FormField(Widget.SELECT, left, choices) for left in options["lefts"]]


def _read(data: Data, options: Options, values: Sequence[Any]) -> Any:
    return {
        left: text_or_none(value)
        for left, value in zip(options["lefts"], values, strict=True)
    }


def _initial(options: Options, response: Any) -> list[Any]:
    saved = response if isinstance(response, dict) else {}
    return [saved.get(left) or "" for left in options["lefts"]]


def _picks(response: Any) -> list[Any]:
    return list(response.values()) if isinstance(response, Mapping) else []


# --------------------------------------------------------------------------------------
# Leaks


def _answers(data: Data) -> list[tuple[str, Scope]]:
    return []  # the pairs are the answer, and both sides are on screen


def _shown(data: Data) -> list[tuple[str, str, bool]]:
    shown: list[tuple[str, str, bool]] = []
    for left, right in data["pairs"]:
        shown += [("pairs", left, False), ("pairs", right, False)]
    shown += [("distractors", text, True) for text in data.get("distractors", ())]
    return shown


# --------------------------------------------------------------------------------------
# Import and export


def _gift(data: Data) -> GiftAnswer:
    lines = [
        f"={gift_escape(left)} -> {gift_escape(right)}" for left, right in data["pairs"]
    ]
    lines += [f"= -> {gift_escape(x)}" for x in data.get("distractors", ())]
    return GiftAnswer(gift_lines(lines))


def _gift_claims(answers: str) -> bool:
    return "=" in answers and "->" in answers


def _gift_read(answers: str, ctx: GiftContext) -> GiftRead:
    """``=left -> right`` pairs; ``= -> text`` without a left is a distractor."""
    pairs: list[tuple[str, str]] = []
    distractors: list[str] = []
    for _, raw in gift_split(answers, "="):
        left, sep, right = raw.partition("->")
        if not sep:
            continue
        left_text, right_text = ctx.plain(left), ctx.plain(right)
        if left_text:
            pairs.append((left_text, right_text))
        elif right_text:
            distractors.append(right_text)
    return GiftRead({"pairs": pairs, "distractors": distractors})


def _xml(data: Data, node: ET.Element) -> None:
    xml_sub(node, "shuffleanswers", "true")
    for left, right in data["pairs"]:
        sub = xml_sub(node, "subquestion", format="plain_text")
        xml_sub(sub, "text", left)
        xml_sub(xml_sub(sub, "answer"), "text", right)
    for distractor in data.get("distractors", ()):
        sub = xml_sub(node, "subquestion", format="plain_text")
        xml_sub(sub, "text", "")
        xml_sub(xml_sub(sub, "answer"), "text", distractor)


def _xml_read(node: ET.Element, ctx: MoodleXmlContext) -> MoodleXmlRead:
    """A subquestion without text is a distractor (how Moodle writes them)."""
    pairs, distractors = [], []
    for sub in node.findall("subquestion"):
        left = ctx.plain(sub)
        right = ctx.plain_text(sub.findtext("answer/text") or "")
        if left:
            pairs.append((left, right))
        elif right:
            distractors.append(right)
    return MoodleXmlRead({"pairs": pairs, "distractors": distractors})


def _csv_write(data: Data) -> CsvCells:
    return CsvCells(
        answer=join_list([f"{left} => {right}" for left, right in data["pairs"]]),
        choices=join_list(data.get("distractors", ())),
    )


def _csv_read(cells: Mapping[str, str]) -> dict[str, Any]:
    pairs = []
    for part in split_list(cells.get("answer", "")):
        left, sep, right = part.partition("=>")
        if not sep:
            raise ValueError(f"the pair {part!r} has no '=>'")
        pairs.append((left.strip(), right.strip()))
    return {"pairs": pairs, "distractors": split_list(cells.get("choices", ""))}


def _anki_front(data: Data) -> str:
    """The left-hand texts as a list after the prompt."""
    return "\n\n" + markdown_list(left for left, _ in data["pairs"])


TYPE = QuestionType(
    key="matching",
    label="Matching",
    fields={"pairs": FieldKind.TEXT_MAP, "distractors": FieldKind.TEXT_LIST},
    required=frozenset({"pairs"}),
    defaults={"distractors": ()},
    key_help={
        "pairs": "3 to 8 pairs, left -> right; left and right texts distinct.",
        "distractors": "Extra wrong right-hand options.",
    },
    example={
        "pairs": {
            "Nam Il": "North Korean delegation",
            "C. Turner Joy": "UN Command delegation",
            "Syngman Rhee": "President of South Korea",
        },
        "distractors": ["Chinese foreign minister"],
    },
    correct_response=lambda data: dict(data["pairs"]),
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
        gift=GiftCodec(write=_gift, read=_gift_read, claims=_gift_claims, order=40),
        moodle_xml=MoodleXmlCodec(qtype="matching", write=_xml, read=_xml_read),
        csv=CsvCodec(write=_csv_write, read=_csv_read),
        anki_front=_anki_front,
    ),
)

"""Pure question-type registry: checks, grading and descriptions per type. No Flask
or DB.

The interface every type declares (fields, response shapes) is documented in
:mod:`quiz_app.questions.types`; reading a student's text (normalising, numbers) is in
:mod:`quiz_app.questions.answers`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from quiz_app.questions.answers import (
    escape_markdown,
    exact_decimal,
    format_number,
    normalise_answer,
    parse_number,
    short_answer_matches,
)
from quiz_app.questions.common import (
    choice_key,
    count_problem,
    did_you_mean,
    distinct_problems,
    full_or_nothing,
    partial,
    plural,
    response_texts,
)
from quiz_app.questions.types import (
    NO_ANSWER,
    NO_ANSWER_FEEDBACK,
    FieldKind,
    Grade,
    QuestionType,
)

QUESTION_TYPES: dict[str, QuestionType] = {}


def register(qtype: QuestionType) -> QuestionType:
    """Add a type to the registry; a duplicate key is a programming error."""
    if qtype.key in QUESTION_TYPES:
        raise ValueError(f"question type {qtype.key!r} registered twice")
    QUESTION_TYPES[qtype.key] = qtype
    return qtype


#: after a row of a matching or ordering answer that is wrong (text, not colour alone)
WRONG_MARK = " ✗ *(wrong)*"

# --------------------------------------------------------------------------------------
# single_choice


def _check_single(data: Mapping[str, Any]) -> list[tuple[str, str]]:
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


def _grade_single(data: Mapping[str, Any], response: Any) -> Grade:
    if response is None or (isinstance(response, str) and not response.strip()):
        return full_or_nothing(False, NO_ANSWER_FEEDBACK)
    if not isinstance(response, str) or response not in data["choices"]:
        return full_or_nothing(False, "That is not one of the choices.")
    return full_or_nothing(response == data["answer"])


def _describe_single_answer(data: Mapping[str, Any]) -> str:
    return escape_markdown(data["answer"])


def _describe_single_response(data: Mapping[str, Any], response: Any) -> str:
    if not isinstance(response, str) or not response.strip():
        return NO_ANSWER
    return escape_markdown(response)


# --------------------------------------------------------------------------------------
# multi_choice


def _check_multi(data: Mapping[str, Any]) -> list[tuple[str, str]]:
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


def _grade_multi(data: Mapping[str, Any], response: Any) -> Grade:
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


def _describe_multi_answer(data: Mapping[str, Any]) -> str:
    correct = set(data["answers"])
    return "; ".join(escape_markdown(c) for c in data["choices"] if c in correct)


def _describe_multi_response(data: Mapping[str, Any], response: Any) -> str:
    texts = set(response_texts(response) or ()) if response is not None else set()
    ticked = [escape_markdown(c) for c in data["choices"] if c in texts]
    return "; ".join(ticked) if ticked else NO_ANSWER


# --------------------------------------------------------------------------------------
# true_false


def _check_nothing(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    return []


def _grade_true_false(data: Mapping[str, Any], response: Any) -> Grade:
    if response is None:
        return full_or_nothing(False, NO_ANSWER_FEEDBACK)
    if not isinstance(response, bool):
        return full_or_nothing(False, "Answer true or false.")
    return full_or_nothing(response is data["answer"])


def _describe_true_false_answer(data: Mapping[str, Any]) -> str:
    return "True" if data["answer"] else "False"


def _describe_true_false_response(data: Mapping[str, Any], response: Any) -> str:
    if not isinstance(response, bool):
        return NO_ANSWER
    return "True" if response else "False"


# --------------------------------------------------------------------------------------
# short_text


def _check_short(data: Mapping[str, Any]) -> list[tuple[str, str]]:
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


def _grade_short(data: Mapping[str, Any], response: Any) -> Grade:
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


def _describe_short_answer(data: Mapping[str, Any]) -> str:
    return escape_markdown(data["answers"][0])


def _describe_text_response(data: Mapping[str, Any], response: Any) -> str:
    if isinstance(response, bool) or not isinstance(response, str | int | float):
        return NO_ANSWER
    text = str(response)
    return escape_markdown(text) if text.strip() else NO_ANSWER


# --------------------------------------------------------------------------------------
# numeric


def _check_numeric(data: Mapping[str, Any]) -> list[tuple[str, str]]:
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


def _grade_numeric(data: Mapping[str, Any], response: Any) -> Grade:
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


def _describe_numeric_answer(data: Mapping[str, Any]) -> str:
    text = format_number(data["answer"])
    unit = data.get("unit") or ""
    if unit:
        text += f" {unit}"
    tolerance = data.get("tolerance", 0)
    if tolerance:
        text += f" (± {format_number(tolerance)})"
    return escape_markdown(text)


# --------------------------------------------------------------------------------------
# ordering


def _check_ordering(data: Mapping[str, Any]) -> list[tuple[str, str]]:
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


def _grade_ordering(data: Mapping[str, Any], response: Any) -> Grade:
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


def _numbered(lines: Iterable[str]) -> str:
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))


def _describe_ordering_answer(data: Mapping[str, Any]) -> str:
    return _numbered(escape_markdown(item) for item in data["items"])


def _describe_ordering_response(data: Mapping[str, Any], response: Any) -> str:
    slots = _slots(response) if response is not None else None
    if not slots or not any(slots):
        return NO_ANSWER
    successor = dict(zip(data["items"], data["items"][1:], strict=False))
    linked = set()  # places in at least one neighbouring pair in the right order
    for i, (first, second) in enumerate(zip(slots, slots[1:], strict=False)):
        if first and successor.get(first) == second:
            linked |= {i, i + 1}
    return _numbered(
        (escape_markdown(s) + ("" if i in linked else WRONG_MARK)) if s else "—"
        for i, s in enumerate(slots)
    )


# --------------------------------------------------------------------------------------
# matching


def _check_matching(data: Mapping[str, Any]) -> list[tuple[str, str]]:
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


def _grade_matching(data: Mapping[str, Any], response: Any) -> Grade:
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


def _describe_matching_answer(data: Mapping[str, Any]) -> str:
    return "\n".join(
        f"- {escape_markdown(left)} → {escape_markdown(right)}"
        for left, right in data["pairs"]
    )


def _describe_matching_response(data: Mapping[str, Any], response: Any) -> str:
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
# The registry

SINGLE_CHOICE = register(
    QuestionType(
        key="single_choice",
        label="Single choice",
        fields={
            "choices": FieldKind.TEXT_LIST,
            "answer": FieldKind.TEXT,
            "shuffle": FieldKind.BOOL,
        },
        required=frozenset({"choices", "answer"}),
        defaults={"shuffle": True},
        check=_check_single,
        grade=_grade_single,
        describe_answer=_describe_single_answer,
        describe_response=_describe_single_response,
    )
)
MULTI_CHOICE = register(
    QuestionType(
        key="multi_choice",
        label="Multiple choice",
        fields={
            "choices": FieldKind.TEXT_LIST,
            "answers": FieldKind.TEXT_LIST,
            "shuffle": FieldKind.BOOL,
        },
        required=frozenset({"choices", "answers"}),
        defaults={"shuffle": True},
        check=_check_multi,
        grade=_grade_multi,
        describe_answer=_describe_multi_answer,
        describe_response=_describe_multi_response,
    )
)
TRUE_FALSE = register(
    QuestionType(
        key="true_false",
        label="True or false",
        fields={"answer": FieldKind.BOOL},
        required=frozenset({"answer"}),
        check=_check_nothing,
        grade=_grade_true_false,
        describe_answer=_describe_true_false_answer,
        describe_response=_describe_true_false_response,
    )
)
SHORT_TEXT = register(
    QuestionType(
        key="short_text",
        label="Short text",
        fields={"answers": FieldKind.TEXT_LIST},
        required=frozenset({"answers"}),
        check=_check_short,
        grade=_grade_short,
        describe_answer=_describe_short_answer,
        describe_response=_describe_text_response,
    )
)
NUMERIC = register(
    QuestionType(
        key="numeric",
        label="Number",
        fields={
            "answer": FieldKind.NUMBER,
            "tolerance": FieldKind.NUMBER,
            "unit": FieldKind.TEXT,
        },
        required=frozenset({"answer"}),
        defaults={"tolerance": 0, "unit": ""},
        check=_check_numeric,
        grade=_grade_numeric,
        describe_answer=_describe_numeric_answer,
        describe_response=_describe_text_response,
    )
)
ORDERING = register(
    QuestionType(
        key="ordering",
        label="Ordering",
        fields={"items": FieldKind.TEXT_LIST},
        required=frozenset({"items"}),
        check=_check_ordering,
        grade=_grade_ordering,
        describe_answer=_describe_ordering_answer,
        describe_response=_describe_ordering_response,
    )
)
MATCHING = register(
    QuestionType(
        key="matching",
        label="Matching",
        fields={"pairs": FieldKind.TEXT_MAP, "distractors": FieldKind.TEXT_LIST},
        required=frozenset({"pairs"}),
        defaults={"distractors": ()},
        check=_check_matching,
        grade=_grade_matching,
        describe_answer=_describe_matching_answer,
        describe_response=_describe_matching_response,
    )
)

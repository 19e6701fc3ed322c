"""Pure question-type registry: checks, grading and descriptions per type. No Flask
or DB.

The interface every type declares (fields, response shapes) is documented in
:mod:`quiz_app.questions.types`; reading a student's text (normalising, numbers) is in
:mod:`quiz_app.questions.answers`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from quiz_app.questions.answers import (
    escape_markdown,
    exact_decimal,
    format_number,
    normalise_answer,
    parse_number,
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


# --------------------------------------------------------------------------------------
# Text helpers


def _choice_key(text: str) -> str:
    """Texts a student could not tell apart: the same up to case and spacing."""
    return " ".join(text.split()).casefold()


def _did_you_mean(value: str, options: Sequence[str]) -> str:
    for option in options:
        if _choice_key(option) == _choice_key(value) or normalise_answer(
            option
        ) == normalise_answer(value):
            return f" (did you mean {option!r}?)"
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _count_problem(
    key: str, texts: Sequence[str], low: int, high: int, what: str
) -> list[tuple[str, str]]:
    n = len(texts)
    if low <= n <= high:
        return []
    entries = "entry" if n == 1 else "entries"
    return [(key, f"{key!r} has {n} {entries}; {what} needs {low} to {high}")]


def _distinct_problems(key: str, texts: Sequence[str]) -> list[tuple[str, str]]:
    """Empty texts and texts that look the same on screen (case and spacing ignored)."""
    problems: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for i, text in enumerate(texts, start=1):
        if not text.strip():
            problems.append((key, f"{key!r} item {i} is empty"))
            continue
        k = _choice_key(text)
        if k in seen:
            first = seen[k]
            if first == text:
                problems.append((key, f"{key!r} lists {text!r} twice"))
            else:
                problems.append(
                    (
                        key,
                        f"{key!r} lists {first!r} and {text!r}, "
                        "which differ only in case or spacing",
                    )
                )
        else:
            seen[k] = text
    return problems


def _round(score: float) -> float:
    return round(min(1.0, max(0.0, score)), 4)


def _full_or_nothing(ok: bool, feedback: str = "") -> Grade:
    return Grade(score=1.0 if ok else 0.0, is_correct=ok, feedback=feedback)


def _partial(score: float, feedback: str) -> Grade:
    rounded = _round(score)
    return Grade(score=rounded, is_correct=rounded == 1.0, feedback=feedback)


def _texts(response: Any) -> list[str] | None:
    """The strings of a collection response, or None when it is no collection."""
    if isinstance(response, str):
        return [response]
    if isinstance(response, Mapping) or not isinstance(response, Iterable):
        return None
    return [item for item in response if isinstance(item, str)]


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


# --------------------------------------------------------------------------------------
# single_choice


def _check_single(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    if "choices" not in data:  # reported as a missing key already
        return []
    choices: tuple[str, ...] = data["choices"]
    problems = _count_problem("choices", choices, 2, 8, "a single_choice question")
    problems += _distinct_problems("choices", choices)
    answer = data.get("answer")
    if isinstance(answer, str) and answer not in choices:
        problems.append(
            (
                "answer",
                f"'answer' is not one of the choices{_did_you_mean(answer, choices)}",
            )
        )
    return problems


def _grade_single(data: Mapping[str, Any], response: Any) -> Grade:
    if response is None or (isinstance(response, str) and not response.strip()):
        return _full_or_nothing(False, NO_ANSWER_FEEDBACK)
    if not isinstance(response, str) or response not in data["choices"]:
        return _full_or_nothing(False, "That is not one of the choices.")
    return _full_or_nothing(response == data["answer"])


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
    problems = _count_problem("choices", choices, 3, 10, "a multi_choice question")
    problems += _distinct_problems("choices", choices)
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
                    + _did_you_mean(answer, choices),
                )
            )
    if choices and set(choices) <= seen:
        problems.append(
            ("answers", "'answers' lists every choice; leave at least one choice wrong")
        )
    return problems


def _grade_multi(data: Mapping[str, Any], response: Any) -> Grade:
    texts = _texts(response) if response is not None else []
    if texts is None:
        return _full_or_nothing(False, "That answer could not be read.")
    choices = set(data["choices"])
    correct = set(data["answers"])
    ticked = {t for t in texts if t in choices}
    if not ticked:
        return _full_or_nothing(False, NO_ANSWER_FEEDBACK)
    right = len(ticked & correct)
    wrong = len(ticked - correct)
    score = (right - wrong) / len(correct)
    if right == len(correct) and not wrong:
        return _partial(1.0, "")
    feedback = f"You ticked {right} of {_plural(len(correct), 'correct answer')}"
    feedback += f" and {_plural(wrong, 'wrong one')}." if wrong else "."
    return _partial(score, feedback)


def _describe_multi_answer(data: Mapping[str, Any]) -> str:
    correct = set(data["answers"])
    return "; ".join(escape_markdown(c) for c in data["choices"] if c in correct)


def _describe_multi_response(data: Mapping[str, Any], response: Any) -> str:
    texts = set(_texts(response) or ()) if response is not None else set()
    ticked = [escape_markdown(c) for c in data["choices"] if c in texts]
    return "; ".join(ticked) if ticked else NO_ANSWER


# --------------------------------------------------------------------------------------
# true_false


def _check_nothing(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    return []


def _grade_true_false(data: Mapping[str, Any], response: Any) -> Grade:
    if response is None:
        return _full_or_nothing(False, NO_ANSWER_FEEDBACK)
    if not isinstance(response, bool):
        return _full_or_nothing(False, "Answer true or false.")
    return _full_or_nothing(response is data["answer"])


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
        return _full_or_nothing(
            False,
            NO_ANSWER_FEEDBACK
            if response is None
            else "That answer could not be read.",
        )
    typed = normalise_answer(response)
    if not typed:
        return _full_or_nothing(False, NO_ANSWER_FEEDBACK)
    return _full_or_nothing(any(typed == normalise_answer(a) for a in data["answers"]))


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
        return _full_or_nothing(False, NO_ANSWER_FEEDBACK)
    if isinstance(response, bool) or not isinstance(response, str | int | float):
        return _full_or_nothing(False, "Not a number.")
    if isinstance(response, str):
        value = parse_number(response, unit=data.get("unit") or "")
        if value is None:
            return _full_or_nothing(False, "Not a number.")
    else:
        value = exact_decimal(response)
        if not value.is_finite():
            return _full_or_nothing(False, "Not a number.")
    distance = abs(value - exact_decimal(data["answer"]))
    return _full_or_nothing(distance <= exact_decimal(data.get("tolerance", 0)))


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
    return _count_problem(
        "items", items, 3, 8, "an ordering question"
    ) + _distinct_problems("items", items)


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
        return _full_or_nothing(False, "That answer could not be read.")
    if not any(slots):
        return _full_or_nothing(False, NO_ANSWER_FEEDBACK)
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
        return _partial(1.0, "")
    feedback = (
        f"{len(right_pairs)} of {pairs} neighbouring pairs are in the right order."
    )
    empty = sum(1 for s in slots[: len(items)] if s is None) + max(
        0, len(items) - len(slots)
    )
    if empty:
        feedback += f" {_plural(empty, 'place')} left empty."
    return _partial(len(right_pairs) / pairs, feedback)


def _numbered(lines: Iterable[str]) -> str:
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))


def _describe_ordering_answer(data: Mapping[str, Any]) -> str:
    return _numbered(escape_markdown(item) for item in data["items"])


def _describe_ordering_response(data: Mapping[str, Any], response: Any) -> str:
    slots = _slots(response) if response is not None else None
    if not slots or not any(slots):
        return NO_ANSWER
    return _numbered(escape_markdown(s) if s else "—" for s in slots)


# --------------------------------------------------------------------------------------
# matching


def _check_matching(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    if "pairs" not in data:  # reported as a missing key already
        return []
    pairs: tuple[tuple[str, str], ...] = data["pairs"]
    lefts = [left for left, _ in pairs]
    rights = [right for _, right in pairs]
    problems = _count_problem("pairs", lefts, 3, 8, "a matching question")
    problems += [
        ("pairs", message.replace("'pairs'", "'pairs' (left)", 1))
        for _, message in _distinct_problems("pairs", lefts)
    ]
    problems += [
        ("pairs", message.replace("'pairs'", "'pairs' (right)", 1))
        for _, message in _distinct_problems("pairs", rights)
    ]
    distractors: tuple[str, ...] = data.get("distractors", ())
    problems += _distinct_problems("distractors", distractors)
    right_keys = {_choice_key(r): r for r in rights}
    for distractor in distractors:
        same = right_keys.get(_choice_key(distractor))
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
        return _full_or_nothing(False, "That answer could not be read.")
    chosen = {left: response.get(left) for left, _ in pairs}
    if not any(isinstance(c, str) and c.strip() for c in chosen.values()):
        return _full_or_nothing(False, NO_ANSWER_FEEDBACK)
    right = sum(1 for left, answer in pairs if chosen[left] == answer)
    if right == len(pairs):
        return _partial(1.0, "")
    return _partial(
        right / len(pairs), f"{right} of {len(pairs)} pairs matched correctly."
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
    for left, _ in data["pairs"]:
        chosen = response.get(left)
        shown = (
            escape_markdown(chosen)
            if isinstance(chosen, str) and chosen.strip()
            else NO_ANSWER
        )
        lines.append(f"- {escape_markdown(left)} → {shown}")
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

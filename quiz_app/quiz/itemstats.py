"""Pure item analysis of a quiz, as Moodle's quiz statistics compute it. No Flask or DB.

Input is one :class:`AttemptRecord` per student: their FIRST finished attempt only (the
caller picks it), so practice on later attempts does not flatter the items. Per item:

* **facility index**: the mean score fraction on the item, times 100.
* **discrimination index**: the Pearson correlation between the item's score and the
  score on the rest of the test (the attempt's total minus this item), over the
  attempts that drew the item. Moodle shows it times 100; we keep r in -1..1. Undefined
  (None) with fewer than two responses or when either variable has no variance.
* **responses**: how many first attempts drew the item.
* **option shares** for the types with options (single choice, multiple choice and
  true/false; each type's ``ItemAnalysis`` says): the share of responses that chose
  (or ticked) each option, plus the count left blank.

Flags use the thresholds below, the usual ones in Moodle's quiz statistics docs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from quiz_app.questions.grading import item_analysis

#: Facility above this: the item is too easy to tell students apart.
TOO_EASY_ABOVE: Final = 90.0
#: Facility below this: too hard (or mis-keyed: check the answer).
TOO_HARD_BELOW: Final = 20.0
#: Discrimination below this (r, so 0.2 is Moodle's 20%): the item does not separate
#: strong from weak
#: students; negative means strong students do worse on it, often a wrong key or an
#: ambiguous wording.
POOR_DISCRIMINATION_BELOW: Final = 0.2

FLAG_TOO_EASY: Final = "too easy"
FLAG_TOO_HARD: Final = "too hard"
FLAG_POOR: Final = "discriminates poorly"
FLAG_NEGATIVE: Final = "negative discrimination"


@dataclass(frozen=True, slots=True)
class ItemResponse:
    score: float  #: 0..1
    response: Any  #: the grading response shape of the question's type (None = blank)


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    """One student's first finished attempt: every question it drew, answered or not."""

    attempt_id: int
    items: Mapping[str, ItemResponse]

    @property
    def total(self) -> float:
        return sum(i.score for i in self.items.values())


@dataclass(frozen=True, slots=True)
class ItemInfo:
    """What the analysis needs to know about a question."""

    question_id: str
    type: str
    #: the options a student could choose, in display order; () for non-choice types
    options: tuple[str, ...] = ()
    #: the correct options
    correct: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class OptionShare:
    option: str
    count: int
    share: float  #: 0..1 of the item's responses
    is_correct: bool


@dataclass(frozen=True, slots=True)
class ItemStat:
    question_id: str
    responses: int
    facility: float | None  #: 0..100; None without responses
    discrimination: float | None  #: Pearson r, -1..1
    options: tuple[OptionShare, ...]
    blank: int  #: responses left blank
    flags: tuple[str, ...]


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """The Pearson correlation of two equally long samples; None if undefined."""
    n = len(xs)
    if n < 2 or n != len(ys):
        return None
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def flags_for(facility: float | None, discrimination: float | None) -> tuple[str, ...]:
    """The warnings an item earns from its facility (0..100) and discrimination (r)."""
    flags: list[str] = []
    if facility is not None and facility > TOO_EASY_ABOVE:
        flags.append(FLAG_TOO_EASY)
    if facility is not None and facility < TOO_HARD_BELOW:
        flags.append(FLAG_TOO_HARD)
    if discrimination is not None:
        if discrimination < 0:
            flags.append(FLAG_NEGATIVE)
        elif discrimination < POOR_DISCRIMINATION_BELOW:
            flags.append(FLAG_POOR)
    return tuple(flags)


def analyse_item(info: ItemInfo, attempts: Sequence[AttemptRecord]) -> ItemStat:
    """Facility, discrimination, option shares and flags of one question."""
    drew = [
        _Drawn(a.items[info.question_id], a.total)
        for a in attempts
        if info.question_id in a.items
    ]
    return _item_stat(info, drew)


@dataclass(frozen=True, slots=True)
class _Drawn:
    """One attempt's response to an item, with that attempt's total score."""

    item: ItemResponse
    total: float


def _item_stat(info: ItemInfo, drew: Sequence[_Drawn]) -> ItemStat:
    scores = [d.item.score for d in drew]
    rests = [d.total - d.item.score for d in drew]
    n = len(drew)
    facility = 100 * sum(scores) / n if n else None
    discrimination = pearson(scores, rests)
    counts = dict.fromkeys(info.options, 0)
    blank = 0
    # None: the type has no options, so neither shares nor blanks are counted.
    chosen_by = item_analysis(info.type).chosen
    for d in drew:
        if chosen_by is None:
            continue
        chosen = chosen_by(d.item.response)
        if not chosen:
            blank += 1
        for option in chosen:
            if option in counts:
                counts[option] += 1
    options = tuple(
        OptionShare(
            option=o,
            count=c,
            share=c / n if n else 0.0,
            is_correct=o in info.correct,
        )
        for o, c in counts.items()
    )
    return ItemStat(
        question_id=info.question_id,
        responses=n,
        facility=facility,
        discrimination=discrimination,
        options=options,
        blank=blank,
        flags=flags_for(facility, discrimination),
    )


def analyse_quiz(
    items: Sequence[ItemInfo], attempts: Sequence[AttemptRecord]
) -> list[ItemStat]:
    """Statistics for every item, in the order given: one pass over the attempts, so
    the work grows with the responses (attempts x items drawn), not faster.
    """
    drawn: dict[str, list[_Drawn]] = {info.question_id: [] for info in items}
    for attempt in attempts:
        responses = list(attempt.items.items())
        total = sum(item.score for _, item in responses)
        for question_id, item in responses:
            if question_id in drawn:
                drawn[question_id].append(_Drawn(item, total))
    return [_item_stat(info, drawn[info.question_id]) for info in items]


def mean_percent(attempts: Sequence[AttemptRecord]) -> float | None:
    """The mean first-attempt score as a percentage of the points each attempt could
    earn.
    """
    fractions = [a.total / len(a.items) for a in attempts if a.items]
    return 100 * sum(fractions) / len(fractions) if fractions else None

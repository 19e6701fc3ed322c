"""Pure FSRS scheduling over py-fsrs. No Flask, DB, clock or global random.

The only module that imports ``fsrs``: it converts our :class:`CardState` to an
``fsrs.Card`` and back, so the rest of the app never sees py-fsrs types. Time
(``now=``) and randomness (``rng=``) are always passed in.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from random import Random

import fsrs
from fsrs.scheduler import DEFAULT_PARAMETERS, FUZZ_RANGES

__all__ = [
    "MAX_DESIRED_RETENTION",
    "MIN_DESIRED_RETENTION",
    "CardState",
    "Phase",
    "Rating",
    "SchedulerParams",
    "interval_label",
    "preview",
    "retrievability",
    "schedule",
]

#: Product range for desired retention: lower feels like relearning, higher
#: makes the review workload explode.
MIN_DESIRED_RETENTION = 0.70
MAX_DESIRED_RETENTION = 0.97

# py-fsrs only uses card_id to fill its ReviewLog, which we discard. Passing a
# constant avoids Card()'s default id, which reads the clock and sleeps 1 ms.
_FSRS_CARD_ID = 0


class Rating(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class Phase(IntEnum):
    """Where a card is in its life; NEW is ours (py-fsrs v6 has no new state)."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


_PHASE_TO_FSRS: dict[Phase, fsrs.State] = {
    Phase.NEW: fsrs.State.Learning,
    Phase.LEARNING: fsrs.State.Learning,
    Phase.REVIEW: fsrs.State.Review,
    Phase.RELEARNING: fsrs.State.Relearning,
}
_FSRS_TO_PHASE: dict[fsrs.State, Phase] = {
    fsrs.State.Learning: Phase.LEARNING,
    fsrs.State.Review: Phase.REVIEW,
    fsrs.State.Relearning: Phase.RELEARNING,
}


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} must be a timezone-aware datetime, got naive {value!r}"
        )


@dataclass(frozen=True, slots=True)
class CardState:
    """Scheduling state of one card for one learner.

    Invariants, checked on construction (else ValueError): datetimes are aware;
    a NEW card is at step 0 with no memory state and no review; LEARNING and
    RELEARNING cards have a step, REVIEW cards none; every reviewed card has
    stability, difficulty and ``last_reviewed_at``.
    """

    phase: Phase
    step: int | None
    stability: float | None  #: days until recall probability drops to 90%
    difficulty: float | None  #: 1.0 (easy) .. 10.0 (hard)
    due_at: datetime
    last_reviewed_at: datetime | None

    def __post_init__(self) -> None:
        _require_aware(self.due_at, "due_at")
        if self.last_reviewed_at is not None:
            _require_aware(self.last_reviewed_at, "last_reviewed_at")
        if self.phase == Phase.NEW:
            if self.step != 0:
                raise ValueError(f"a NEW card is at step 0, got step={self.step!r}")
            if (self.stability, self.difficulty, self.last_reviewed_at) != (
                None,
                None,
                None,
            ):
                raise ValueError(
                    "a NEW card has no stability, difficulty or last_reviewed_at"
                )
            return
        if self.phase == Phase.REVIEW:
            if self.step is not None:
                raise ValueError(f"a REVIEW card has no step, got step={self.step!r}")
        elif self.step is None or self.step < 0:
            raise ValueError(
                f"a {self.phase.name} card needs a step >= 0, got {self.step!r}"
            )
        if (
            self.stability is None
            or self.difficulty is None
            or self.last_reviewed_at is None
        ):
            raise ValueError(
                f"a {self.phase.name} card needs stability, difficulty"
                " and last_reviewed_at"
            )
        if not (math.isfinite(self.stability) and self.stability > 0):
            raise ValueError(
                f"stability must be a positive number, got {self.stability!r}"
            )
        if not 1.0 <= self.difficulty <= 10.0:
            raise ValueError(f"difficulty must lie in 1..10, got {self.difficulty!r}")

    @classmethod
    def new(cls, now: datetime) -> CardState:
        """A card never reviewed, due at ``now``."""
        return cls(
            phase=Phase.NEW,
            step=0,
            stability=None,
            difficulty=None,
            due_at=now,
            last_reviewed_at=None,
        )


@dataclass(frozen=True, slots=True)
class SchedulerParams:
    """Scheduler settings, hashable so py-fsrs schedulers are cached per value.

    ``parameters=None`` means py-fsrs's default FSRS-6 weights.

    :raises ValueError: on any invalid setting.
    """

    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (
        timedelta(minutes=1),
        timedelta(minutes=10),
    )
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval_days: int = 36500
    enable_fuzzing: bool = True
    parameters: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        # Settings may arrive as lists (JSON, config); keep tuples to stay hashable.
        object.__setattr__(self, "learning_steps", tuple(self.learning_steps))
        object.__setattr__(self, "relearning_steps", tuple(self.relearning_steps))
        if self.parameters is not None:
            object.__setattr__(
                self, "parameters", tuple(float(p) for p in self.parameters)
            )

        if not MIN_DESIRED_RETENTION <= self.desired_retention <= MAX_DESIRED_RETENTION:
            raise ValueError(
                "desired_retention must lie in "
                f"{MIN_DESIRED_RETENTION}..{MAX_DESIRED_RETENTION},"
                f" got {self.desired_retention!r}"
            )
        for name in ("learning_steps", "relearning_steps"):
            steps: tuple[timedelta, ...] = getattr(self, name)
            if any(not isinstance(s, timedelta) or s <= timedelta(0) for s in steps):
                raise ValueError(f"{name} must be positive timedeltas, got {steps!r}")
        if self.maximum_interval_days < 1:
            raise ValueError(
                "maximum_interval_days must be >= 1,"
                f" got {self.maximum_interval_days!r}"
            )
        if self.parameters is not None:
            _fsrs_scheduler(
                self
            )  # py-fsrs checks count and bounds and lists every problem


@functools.lru_cache(maxsize=32)
def _fsrs_scheduler(params: SchedulerParams) -> fsrs.Scheduler:
    # Fuzzing is always off inside py-fsrs: it draws from the global `random`.
    # schedule() fuzzes itself with the caller's `rng` instead.
    return fsrs.Scheduler(
        parameters=params.parameters
        if params.parameters is not None
        else DEFAULT_PARAMETERS,
        desired_retention=params.desired_retention,
        learning_steps=params.learning_steps,
        relearning_steps=params.relearning_steps,
        maximum_interval=params.maximum_interval_days,
        enable_fuzzing=False,
    )


def _utc(value: datetime) -> datetime:
    # py-fsrs insists on tzinfo == timezone.utc exactly (not ZoneInfo("UTC")).
    return value.astimezone(UTC)


def _to_fsrs_card(state: CardState) -> fsrs.Card:
    return fsrs.Card(
        card_id=_FSRS_CARD_ID,
        state=_PHASE_TO_FSRS[state.phase],
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=_utc(state.due_at),
        last_review=_utc(state.last_reviewed_at)
        if state.last_reviewed_at is not None
        else None,
    )


def _from_fsrs_card(card: fsrs.Card) -> CardState:
    is_new = card.state == fsrs.State.Learning and card.last_review is None
    return CardState(
        phase=Phase.NEW if is_new else _FSRS_TO_PHASE[card.state],
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due_at=card.due,
        last_reviewed_at=card.last_review,
    )


def _fuzzed_interval(
    interval: timedelta, *, rng: Random, maximum_interval_days: int
) -> timedelta:
    """Reproduce py-fsrs's ``Scheduler._get_fuzzed_interval``, drawing from ``rng``.

    We reimplement it rather than reseed or patch py-fsrs's module-level
    ``random``: both would touch state shared by the whole process (and its
    threads). Same ranges (``FUZZ_RANGES`` is imported, not copied), same
    rounding, one draw only when fuzz applies; so for the same draw the result
    equals py-fsrs's, which a test checks against py-fsrs itself.
    """
    interval_days = interval.days
    if interval_days < 2.5:
        return interval

    delta = 1.0
    for fuzz_range in FUZZ_RANGES:
        delta += fuzz_range["factor"] * max(
            min(float(interval_days), fuzz_range["end"]) - fuzz_range["start"], 0.0
        )
    min_ivl = max(2, round(interval_days - delta))
    max_ivl = min(round(interval_days + delta), maximum_interval_days)
    min_ivl = min(min_ivl, max_ivl)

    # As in py-fsrs, "+ 1" and round() reach max_ivl + 1 for a draw close to 1.
    fuzzed_days = rng.random() * (max_ivl - min_ivl + 1) + min_ivl
    return timedelta(days=min(round(fuzzed_days), maximum_interval_days))


def schedule(
    state: CardState,
    rating: Rating,
    *,
    now: datetime,
    params: SchedulerParams,
    rng: Random | None = None,
) -> CardState:
    """Return the state after answering ``state`` with ``rating`` at ``now``.

    The input is left unchanged and returned datetimes are in UTC. Review
    intervals are fuzzed only when ``params.enable_fuzzing`` is set *and* an
    ``rng`` is given, so ``rng=None`` is fully deterministic.

    :raises ValueError: if ``now`` is naive or ``rating`` is not a rating.
    """
    _require_aware(now, "now")
    review_at = _utc(now)
    card, _review_log = _fsrs_scheduler(params).review_card(
        _to_fsrs_card(state),
        fsrs.Rating(int(Rating(rating))),
        review_datetime=review_at,
    )
    new_state = _from_fsrs_card(card)
    if params.enable_fuzzing and rng is not None and card.state == fsrs.State.Review:
        fuzzed = _fuzzed_interval(
            card.due - review_at,
            rng=rng,
            maximum_interval_days=params.maximum_interval_days,
        )
        new_state = replace(new_state, due_at=review_at + fuzzed)
    return new_state


def preview(
    state: CardState, *, now: datetime, params: SchedulerParams
) -> dict[Rating, CardState]:
    """Next state for every rating, used to label the answer buttons (never fuzzed)."""
    return {
        rating: schedule(state, rating, now=now, params=params) for rating in Rating
    }


def retrievability(
    state: CardState, *, now: datetime, params: SchedulerParams
) -> float | None:
    """Predicted probability of recalling the card at ``now``; None for NEW cards.

    As in py-fsrs, elapsed time counts whole days since the last review.
    """
    _require_aware(now, "now")
    if state.phase == Phase.NEW:
        return None
    return _fsrs_scheduler(params).get_card_retrievability(
        _to_fsrs_card(state), current_datetime=_utc(now)
    )


def recall_chance(
    stability: float | None,
    last_reviewed_at: datetime | None,
    *,
    now: datetime,
    params: SchedulerParams,
) -> float:
    """:func:`retrievability` of a card that is not NEW, from the two fields it reads.

    The teacher's pages compute it for every card of a class: this skips building a
    state and a py-fsrs card for each (the formula and whole elapsed days are py-fsrs's
    own; a test holds the two equal).
    """
    if last_reviewed_at is None or stability is None:
        return 0.0
    decay = -(
        params.parameters if params.parameters is not None else DEFAULT_PARAMETERS
    )[20]
    factor = 0.9 ** (1 / decay) - 1
    elapsed_days = max(0, (_utc(now) - _utc(last_reviewed_at)).days)
    return float((1 + factor * elapsed_days / stability) ** decay)


_MINUTE = 60.0
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR
_YEAR = 365 * _DAY
_MONTH = _YEAR / 12


def _round_half_up(value: float, digits: int = 0) -> float:
    scale = 10.0**digits
    return math.floor(value * scale + 0.5) / scale


def _format_amount(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def interval_label(current: datetime, due: datetime) -> str:
    """Short Anki-style label for the wait from ``current`` to ``due``.

    Labels look like "<1m", "10m", "5h", "3d", "3.2mo", "1.1y": minutes, hours
    and days are whole, months and years have one decimal; a past ``due`` reads
    "<1m".

    :raises ValueError: if either datetime is naive.
    """
    _require_aware(current, "current")
    _require_aware(due, "due")
    seconds = (due - current).total_seconds()
    if seconds < _MINUTE:
        return "<1m"
    # Round first, then pick the unit, so 59.7 minutes reads "1h", not "60m".
    for unit, suffix, limit in ((_MINUTE, "m", 60), (_HOUR, "h", 24), (_DAY, "d", 30)):
        amount = _round_half_up(seconds / unit)
        if amount < limit:
            return f"{amount:.0f}{suffix}"
    months = _round_half_up(seconds / _MONTH, 1)
    if months < 12:
        return f"{_format_amount(months)}mo"
    return f"{_format_amount(_round_half_up(seconds / _YEAR, 1))}y"

"""Tests for the pure FSRS scheduler wrapper: no app, fixed clocks, no global random."""

from __future__ import annotations

import copy
import math
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from unittest import mock

import fsrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from quiz_app.flashcards import scheduler
from quiz_app.flashcards.scheduler import (
    CardState,
    Phase,
    Rating,
    SchedulerParams,
    interval_label,
    preview,
    recall_chance,
    retrievability,
    schedule,
)

NOW = datetime(2022, 11, 29, 12, 30, tzinfo=UTC)
NO_FUZZ = SchedulerParams(enable_fuzzing=False)
FUZZ = SchedulerParams(enable_fuzzing=True)
GOLDEN_RATINGS = [Rating.GOOD] * 6 + [Rating.AGAIN] * 2 + [Rating.GOOD] * 5
GOLDEN_INTERVALS = [0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21]
# py-fsrs's own test_custom_scheduler_args weights.
CUSTOM_WEIGHTS = (
    0.1456, 0.4186, 1.1104, 4.1315, 5.2417, 1.3098, 0.8975, 0.0010, 1.5674, 0.0567,
    0.9661, 2.0275, 0.1592, 0.2446, 1.5071, 0.2272, 2.8755, 1.234, 0.56789, 0.1437,
    0.2,
)  # fmt: skip


class _FixedDraw(random.Random):
    """A Random whose random() always returns the same value."""

    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


def _run(
    ratings: list[Rating], params: SchedulerParams, *, start: datetime = NOW
) -> list[CardState]:
    """Review a new card with each rating at its due time; return every state."""
    state = CardState.new(start)
    states: list[CardState] = []
    for rating in ratings:
        state = schedule(state, rating, now=state.due_at, params=params)
        states.append(state)
    return states


def _review_card(*, now: datetime = NOW) -> CardState:
    """A REVIEW card last seen 10 days ago with a ~10-day stability, due now."""
    return CardState(
        phase=Phase.REVIEW,
        step=None,
        stability=10.0,
        difficulty=5.0,
        due_at=now,
        last_reviewed_at=now - timedelta(days=10),
    )


def _long_interval_card() -> tuple[CardState, datetime]:
    """The golden card just before its 498-day interval, and when to review it."""
    state = _run([Rating.GOOD] * 5, NO_FUZZ)[-1]
    return state, state.due_at


# --- strategies ---------------------------------------------------------------

aware_times = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2040, 1, 1),
    timezones=st.just(UTC),
)
offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
gaps = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=800))
reviews = st.lists(st.tuples(st.sampled_from(Rating), gaps, offsets), max_size=20)


@st.composite
def reviewed_states(draw: st.DrawFn) -> CardState:
    """Any state reachable from a new card through real reviews."""
    state = CardState.new(draw(aware_times))
    now = state.due_at
    for rating, gap, _ in draw(reviews):
        now += gap
        state = schedule(state, rating, now=now, params=NO_FUZZ)
    return state


review_phase_states = st.builds(
    lambda stability, difficulty, last, gap: CardState(
        phase=Phase.REVIEW,
        step=None,
        stability=stability,
        difficulty=difficulty,
        due_at=last + gap,
        last_reviewed_at=last,
    ),
    st.floats(0.001, 36500),
    st.floats(1.0, 10.0),
    aware_times,
    st.timedeltas(min_value=timedelta(days=1), max_value=timedelta(days=3650)),
)


# --- golden sequences -----------------------------------------------------------


def test_golden_sequence_matches_py_fsrs_intervals() -> None:
    # Interval as py-fsrs's test_review_card computes it:
    # (card.due - card.last_review).days
    states = _run(GOLDEN_RATINGS, NO_FUZZ)

    intervals = [(s.due_at - (s.last_reviewed_at or NOW)).days for s in states]

    assert intervals == GOLDEN_INTERVALS


def test_golden_sequence_matches_py_fsrs_state_by_state() -> None:
    fsrs_scheduler = fsrs.Scheduler(enable_fuzzing=False)
    card = fsrs.Card(card_id=1, due=NOW)

    for ours, rating in zip(_run(GOLDEN_RATINGS, NO_FUZZ), GOLDEN_RATINGS, strict=True):
        card, _ = fsrs_scheduler.review_card(card, fsrs.Rating(rating), card.due)
        assert (ours.phase, ours.step) == (Phase(card.state), card.step)
        assert (ours.stability, ours.difficulty) == (card.stability, card.difficulty)
        assert (ours.due_at, ours.last_reviewed_at) == (card.due, card.last_review)


def test_custom_weights_and_retention_reach_py_fsrs() -> None:
    params = SchedulerParams(
        parameters=CUSTOM_WEIGHTS, desired_retention=0.85, enable_fuzzing=False
    )
    fsrs_scheduler = fsrs.Scheduler(
        parameters=CUSTOM_WEIGHTS, desired_retention=0.85, enable_fuzzing=False
    )
    card = fsrs.Card(card_id=1, due=NOW)
    expected = []
    for rating in GOLDEN_RATINGS:
        card, _ = fsrs_scheduler.review_card(card, fsrs.Rating(rating), card.due)
        expected.append(card.due)

    assert [s.due_at for s in _run(GOLDEN_RATINGS, params)] == expected
    assert expected != [s.due_at for s in _run(GOLDEN_RATINGS, NO_FUZZ)]


def test_explicit_default_weights_behave_like_none() -> None:
    explicit = SchedulerParams(
        parameters=fsrs.scheduler.DEFAULT_PARAMETERS, enable_fuzzing=False
    )

    assert _run(GOLDEN_RATINGS, explicit) == _run(GOLDEN_RATINGS, NO_FUZZ)


# --- phases ---------------------------------------------------------------------


def test_new_card_is_due_now_and_never_reviewed() -> None:
    state = CardState.new(NOW)

    assert state == CardState(Phase.NEW, 0, None, None, NOW, None)


def test_new_card_rated_good_enters_learning_next_step() -> None:
    state = schedule(CardState.new(NOW), Rating.GOOD, now=NOW, params=NO_FUZZ)

    assert (state.phase, state.step) == (Phase.LEARNING, 1)
    assert state.due_at == NOW + timedelta(minutes=10)
    assert state.last_reviewed_at == NOW


@pytest.mark.parametrize("steps", [(timedelta(minutes=1),), ()])
def test_new_card_rated_good_enters_review_when_no_learning_step_is_left(
    steps: tuple[timedelta, ...],
) -> None:
    params = SchedulerParams(learning_steps=steps, enable_fuzzing=False)

    state = schedule(CardState.new(NOW), Rating.GOOD, now=NOW, params=params)

    assert (state.phase, state.step) == (Phase.REVIEW, None)
    assert state.due_at - NOW >= timedelta(days=1)


def test_preview_of_new_card_covers_every_rating() -> None:
    outcomes = preview(CardState.new(NOW), now=NOW, params=FUZZ)

    assert list(outcomes) == list(Rating)
    assert [(s.phase, s.step) for s in outcomes.values()] == [
        (Phase.LEARNING, 0),
        (Phase.LEARNING, 0),
        (Phase.LEARNING, 1),
        (Phase.REVIEW, None),
    ]
    labels = [interval_label(NOW, s.due_at) for s in outcomes.values()]
    assert labels[:3] == ["1m", "6m", "10m"]  # Hard: halfway between 1m and 10m
    assert labels[3].endswith("d")


def test_again_on_review_card_enters_relearning() -> None:
    state = schedule(_review_card(), Rating.AGAIN, now=NOW, params=NO_FUZZ)

    assert (state.phase, state.step) == (Phase.RELEARNING, 0)
    assert state.due_at == NOW + timedelta(minutes=10)


@settings(deadline=None)
@given(state=review_phase_states, late_by=gaps)
def test_again_on_any_review_card_enters_relearning(
    state: CardState, late_by: timedelta
) -> None:
    now = state.due_at + late_by

    after = schedule(state, Rating.AGAIN, now=now, params=NO_FUZZ)

    assert (after.phase, after.step) == (Phase.RELEARNING, 0)
    assert state.stability is not None and after.stability is not None
    assert after.stability <= state.stability


def test_again_on_review_card_without_relearning_steps_stays_in_review() -> None:
    params = SchedulerParams(relearning_steps=(), enable_fuzzing=False)

    state = schedule(_review_card(), Rating.AGAIN, now=NOW, params=params)

    assert (state.phase, state.step) == (Phase.REVIEW, None)
    assert state.due_at - NOW >= timedelta(days=1)


def test_good_on_last_relearning_step_returns_to_review() -> None:
    relearning = schedule(_review_card(), Rating.AGAIN, now=NOW, params=NO_FUZZ)

    state = schedule(relearning, Rating.GOOD, now=relearning.due_at, params=NO_FUZZ)

    assert (state.phase, state.step) == (Phase.REVIEW, None)


# --- invariants -------------------------------------------------------------------


@settings(deadline=None)
@given(start=aware_times, steps=reviews, seed=st.integers(0, 2**32), fuzz=st.booleans())
def test_any_review_sequence_keeps_due_after_review(
    start: datetime,
    steps: list[tuple[Rating, timedelta, timezone]],
    seed: int,
    fuzz: bool,
) -> None:
    params = FUZZ if fuzz else NO_FUZZ
    rng = random.Random(seed)
    state = CardState.new(start)
    now = start
    for rating, gap, tz in steps:
        now += gap
        before = copy.deepcopy(state)

        after = schedule(state, rating, now=now.astimezone(tz), params=params, rng=rng)

        assert state == before  # input untouched
        assert after.last_reviewed_at == now
        assert after.due_at >= now
        assert after.phase != Phase.NEW
        assert after.due_at.tzinfo is UTC and after.last_reviewed_at.tzinfo is UTC
        assert scheduler._from_fsrs_card(scheduler._to_fsrs_card(after)) == after
        state = after


@settings(deadline=None)
@given(state=reviewed_states(), gap=gaps)
def test_preview_equals_unfuzzed_schedule_for_every_rating(
    state: CardState, gap: timedelta
) -> None:
    now = state.due_at + gap

    outcomes = preview(state, now=now, params=FUZZ)

    assert outcomes == {
        rating: schedule(state, rating, now=now, params=FUZZ, rng=None)
        for rating in Rating
    }


@settings(deadline=None)
@given(state=reviewed_states(), gap=gaps, tz=offsets)
def test_offset_of_now_does_not_change_the_result(
    state: CardState, gap: timedelta, tz: timezone
) -> None:
    now = state.due_at + gap

    assert preview(state, now=now.astimezone(tz), params=NO_FUZZ) == preview(
        state, now=now, params=NO_FUZZ
    )


def test_fsrs_state_round_trips_for_a_new_card() -> None:
    state = CardState.new(NOW)
    card = scheduler._to_fsrs_card(state)

    assert (card.state, card.step, card.last_review) == (fsrs.State.Learning, 0, None)
    assert scheduler._from_fsrs_card(card) == state


# --- rejected input -------------------------------------------------------------

NAIVE = datetime(2022, 11, 29, 12, 30)


@pytest.mark.parametrize(
    "call",
    [
        lambda: schedule(CardState.new(NOW), Rating.GOOD, now=NAIVE, params=NO_FUZZ),
        lambda: preview(CardState.new(NOW), now=NAIVE, params=NO_FUZZ),
        lambda: retrievability(_review_card(), now=NAIVE, params=NO_FUZZ),
        lambda: CardState.new(NAIVE),
        lambda: CardState(Phase.REVIEW, None, 1.0, 5.0, NOW, NAIVE),
        lambda: interval_label(NAIVE, NOW),
        lambda: interval_label(NOW, NAIVE),
    ],
    ids=[
        "schedule",
        "preview",
        "retrievability",
        "new",
        "last_reviewed",
        "label",
        "due",
    ],
)
def test_naive_datetimes_are_rejected(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        call()


@given(naive=st.datetimes(), rating=st.sampled_from(Rating))
def test_any_naive_review_time_is_rejected(naive: datetime, rating: Rating) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule(CardState.new(NOW), rating, now=naive, params=NO_FUZZ)


def test_unknown_rating_is_rejected() -> None:
    with pytest.raises(ValueError):
        schedule(CardState.new(NOW), 5, now=NOW, params=NO_FUZZ)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "fields",
    [
        dict(phase=Phase.NEW, step=1),
        dict(phase=Phase.NEW, step=0, stability=1.0, difficulty=5.0),
        dict(phase=Phase.NEW, step=0, last_reviewed_at=NOW),
        dict(phase=Phase.REVIEW, step=0),
        dict(phase=Phase.LEARNING, step=None),
        dict(phase=Phase.RELEARNING, step=-1),
        dict(phase=Phase.REVIEW, step=None, last_reviewed_at=None),
        dict(phase=Phase.REVIEW, step=None, stability=None),
        dict(phase=Phase.REVIEW, step=None, stability=0.0),
        dict(phase=Phase.REVIEW, step=None, stability=math.nan),
        dict(phase=Phase.REVIEW, step=None, difficulty=10.5),
    ],
)
def test_inconsistent_card_states_are_rejected(fields: dict[str, object]) -> None:
    values: dict[str, object] = dict(
        stability=None, difficulty=None, due_at=NOW, last_reviewed_at=None
    )
    if fields["phase"] != Phase.NEW:
        values.update(stability=2.0, difficulty=5.0, last_reviewed_at=NOW)

    with pytest.raises(ValueError):
        CardState(**(values | fields))  # type: ignore[arg-type]


@given(retention=st.floats(allow_nan=True).filter(lambda r: not 0.70 <= r <= 0.97))
def test_desired_retention_outside_product_range_is_rejected(retention: float) -> None:
    with pytest.raises(ValueError, match="desired_retention"):
        SchedulerParams(desired_retention=retention)


@pytest.mark.parametrize("retention", [0.70, 0.8, 0.9, 0.97])
def test_desired_retention_inside_product_range_is_accepted(retention: float) -> None:
    assert SchedulerParams(desired_retention=retention).desired_retention == retention


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (dict(learning_steps=(timedelta(0),)), "learning_steps"),
        (dict(relearning_steps=(timedelta(minutes=-1),)), "relearning_steps"),
        (dict(maximum_interval_days=0), "maximum_interval_days"),
        (dict(parameters=(0.2,) * 19), "Expected 21 parameters"),
        (dict(parameters=(1000.0,) + CUSTOM_WEIGHTS[1:]), r"parameters\[0\]"),
    ],
)
def test_invalid_scheduler_params_are_rejected(
    fields: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        SchedulerParams(**fields)  # type: ignore[arg-type]


def test_scheduler_params_from_lists_are_hashable_and_equal_to_tuples() -> None:
    from_lists = SchedulerParams(
        learning_steps=[timedelta(minutes=1), timedelta(minutes=10)],  # type: ignore[arg-type]
        relearning_steps=[timedelta(minutes=10)],  # type: ignore[arg-type]
        parameters=list(CUSTOM_WEIGHTS),  # type: ignore[arg-type]
    )

    assert from_lists == SchedulerParams(parameters=CUSTOM_WEIGHTS)
    assert hash(from_lists) == hash(SchedulerParams(parameters=CUSTOM_WEIGHTS))


# --- fuzz -----------------------------------------------------------------------


def test_without_rng_fuzzing_params_do_not_fuzz() -> None:
    state, now = _long_interval_card()

    fuzzed_off = schedule(state, Rating.GOOD, now=now, params=NO_FUZZ)

    assert schedule(state, Rating.GOOD, now=now, params=FUZZ) == fuzzed_off
    assert (fuzzed_off.due_at - now).days == 498


def test_fuzz_disabled_in_params_ignores_rng() -> None:
    state, now = _long_interval_card()
    rng = random.Random(7)
    rng_state = rng.getstate()

    result = schedule(state, Rating.GOOD, now=now, params=NO_FUZZ, rng=rng)

    assert (result.due_at - now).days == 498
    assert rng.getstate() == rng_state


def test_same_seed_gives_same_fuzz_and_seeds_differ() -> None:
    state, now = _long_interval_card()

    def due(seed: int) -> datetime:
        return schedule(
            state, Rating.GOOD, now=now, params=FUZZ, rng=random.Random(seed)
        ).due_at

    assert due(42) == due(42)
    assert len({due(seed) for seed in range(20)}) > 1


def test_fuzz_never_touches_global_random() -> None:
    state, now = _long_interval_card()
    global_state = random.getstate()

    schedule(state, Rating.GOOD, now=now, params=FUZZ, rng=random.Random(1))

    assert random.getstate() == global_state


@given(seed=st.integers(0, 2**32))
def test_fuzz_stays_within_a_few_percent_of_a_long_interval(seed: int) -> None:
    state, now = _long_interval_card()

    result = schedule(state, Rating.GOOD, now=now, params=FUZZ, rng=random.Random(seed))

    assert result.phase == Phase.REVIEW
    assert abs((result.due_at - now).days - 498) <= 0.06 * 498


@given(days=st.integers(20, 36500), draw=st.floats(0.0, 1.0, exclude_max=True))
def test_fuzzed_interval_stays_within_five_percent_plus_four_days(
    days: int, draw: float
) -> None:
    fuzzed = scheduler._fuzzed_interval(
        timedelta(days=days), rng=_FixedDraw(draw), maximum_interval_days=36500
    )

    assert abs(fuzzed.days - days) <= 0.05 * days + 4
    assert fuzzed.days <= 36500


@pytest.mark.parametrize("days", [0, 1, 2])
def test_intervals_under_three_days_are_not_fuzzed_and_draw_nothing(days: int) -> None:
    rng = random.Random(3)
    rng_state = rng.getstate()

    fuzzed = scheduler._fuzzed_interval(
        timedelta(days=days), rng=rng, maximum_interval_days=36500
    )

    assert fuzzed == timedelta(days=days)
    assert rng.getstate() == rng_state


def test_learning_steps_are_not_fuzzed_even_when_long() -> None:
    params = SchedulerParams(learning_steps=(timedelta(days=5), timedelta(days=30)))

    state = schedule(
        CardState.new(NOW), Rating.GOOD, now=NOW, params=params, rng=_FixedDraw(0.99)
    )

    assert (state.phase, state.due_at) == (Phase.LEARNING, NOW + timedelta(days=30))


@given(
    days=st.integers(0, 36500),
    draw=st.floats(0.0, 1.0, exclude_max=True),
    maximum=st.integers(1, 36500),
)
def test_fuzzed_interval_equals_py_fsrs_for_the_same_draw(
    days: int, draw: float, maximum: int
) -> None:
    days = min(days, maximum)  # py-fsrs caps the interval before fuzzing it
    py_fsrs = fsrs.Scheduler(maximum_interval=maximum)
    with mock.patch("fsrs.scheduler.random", return_value=draw):
        expected = py_fsrs._get_fuzzed_interval(interval=timedelta(days=days))

    ours = scheduler._fuzzed_interval(
        timedelta(days=days), rng=_FixedDraw(draw), maximum_interval_days=maximum
    )

    assert ours == expected


@settings(deadline=None)
@given(
    state=reviewed_states(),
    rating=st.sampled_from(Rating),
    gap=gaps,
    draw=st.floats(0.0, 1.0, exclude_max=True),
)
def test_fuzzed_schedule_equals_py_fsrs_for_the_same_draw(
    state: CardState, rating: Rating, gap: timedelta, draw: float
) -> None:
    now = state.due_at + gap
    py_fsrs = fsrs.Scheduler(enable_fuzzing=True)
    with mock.patch("fsrs.scheduler.random", return_value=draw):
        card, _ = py_fsrs.review_card(
            scheduler._to_fsrs_card(state), fsrs.Rating(rating), now
        )

    ours = schedule(state, rating, now=now, params=FUZZ, rng=_FixedDraw(draw))

    assert ours == scheduler._from_fsrs_card(card)


# --- retrievability ---------------------------------------------------------------


def test_new_card_has_no_retrievability() -> None:
    assert retrievability(CardState.new(NOW), now=NOW, params=NO_FUZZ) is None


def test_retrievability_is_certain_right_after_review() -> None:
    state = schedule(_review_card(), Rating.GOOD, now=NOW, params=NO_FUZZ)

    assert retrievability(state, now=NOW, params=NO_FUZZ) == 1.0


def test_retrievability_at_due_time_is_close_to_desired_retention() -> None:
    state, now = _long_interval_card()
    state = schedule(state, Rating.GOOD, now=now, params=NO_FUZZ)

    assert retrievability(state, now=state.due_at, params=NO_FUZZ) == pytest.approx(
        0.9, abs=0.002
    )


@settings(deadline=None)
@given(state=reviewed_states(), first=gaps, second=gaps)
def test_retrievability_never_rises_with_time(
    state: CardState, first: timedelta, second: timedelta
) -> None:
    assume(state.last_reviewed_at is not None)  # i.e. not NEW
    assert state.last_reviewed_at is not None
    earlier = state.last_reviewed_at + first

    r_earlier = retrievability(state, now=earlier, params=NO_FUZZ)
    r_later = retrievability(state, now=earlier + second, params=NO_FUZZ)

    assert r_earlier is not None and r_later is not None
    assert 0.0 < r_later <= r_earlier <= 1.0


# --- labels -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wait", "label"),
    [
        (timedelta(seconds=-30), "<1m"),
        (timedelta(0), "<1m"),
        (timedelta(seconds=59), "<1m"),
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=5, seconds=30), "6m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(minutes=59, seconds=29), "59m"),
        (timedelta(minutes=59, seconds=31), "1h"),
        (timedelta(hours=23), "23h"),
        (timedelta(hours=23, minutes=40), "1d"),
        (timedelta(days=1), "1d"),
        (timedelta(days=29), "29d"),
        (timedelta(days=30), "1mo"),
        (timedelta(days=97), "3.2mo"),
        (timedelta(days=350), "11.5mo"),
        (timedelta(days=364), "1y"),
        (timedelta(days=400), "1.1y"),
        (timedelta(days=36500), "100y"),
    ],
)
def test_interval_label(wait: timedelta, label: str) -> None:
    assert interval_label(NOW, NOW + wait) == label


def test_interval_label_ignores_offsets() -> None:
    seoul = timezone(timedelta(hours=9))

    assert interval_label(NOW.astimezone(seoul), NOW + timedelta(days=3)) == "3d"


# --- purity -----------------------------------------------------------------------


@settings(deadline=None)
@given(state=reviewed_states(), first=gaps)
def test_recall_chance_is_retrievability_without_the_card_objects(
    state: CardState, first: timedelta
) -> None:
    # The teacher's pages use the short form for every card of a class (not NEW).
    assume(state.phase != Phase.NEW)
    for params in (NO_FUZZ, SchedulerParams(parameters=CUSTOM_WEIGHTS)):
        later = (state.last_reviewed_at or NOW) + first
        assert recall_chance(
            state.stability, state.last_reviewed_at, now=later, params=params
        ) == pytest.approx(retrievability(state, now=later, params=params), rel=1e-12)

"""Pure queue rules with fixed clocks: local day, new-card allowance, card order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from quiz_app.flashcards.queue import (
    LEARN_AHEAD,
    MAX_ANSWER_MS,
    DueEntry,
    ItemKind,
    answer_choices,
    answer_duration_ms,
    build_queue,
    day_bounds,
    from_epoch_ms,
    local_date,
    new_cards_left,
    to_epoch_ms,
)
from quiz_app.flashcards.scheduler import CardState, Phase, Rating, SchedulerParams

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
SEOUL = ZoneInfo("Asia/Seoul")
NEW_YORK = ZoneInfo("America/New_York")


def test_the_local_day_starts_at_the_students_midnight():
    # 23:30 UTC on 1 March is already 08:30 on 2 March in Seoul (UTC+9).
    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    assert local_date(late, SEOUL).isoformat() == "2026-03-02"
    start, end = day_bounds(late, SEOUL)
    assert start == datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    # The same instant is still 1 March in UTC.
    assert day_bounds(late, ZoneInfo("UTC"))[0] == datetime(2026, 3, 1, tzinfo=UTC)


def test_a_day_across_a_daylight_saving_change_lasts_23_hours():
    # New York springs forward on 8 March 2026.
    start, end = day_bounds(datetime(2026, 3, 8, 18, 0, tzinfo=UTC), NEW_YORK)
    assert start == datetime(2026, 3, 8, 5, 0, tzinfo=UTC)
    assert end - start == timedelta(hours=23)


def test_new_cards_left_never_goes_negative():
    assert new_cards_left(20, 5) == 15
    assert new_cards_left(20, 25) == 0
    assert new_cards_left(0, 0) == 0


def test_learning_first_then_due_reviews_then_new_cards():
    entries = [
        DueEntry("review-old", Phase.REVIEW, NOW - timedelta(days=3)),
        DueEntry("missed", Phase.NEW, NOW),
        DueEntry("relearn", Phase.RELEARNING, NOW - timedelta(minutes=1)),
        DueEntry("learn", Phase.LEARNING, NOW - timedelta(minutes=5)),
        DueEntry("review-later", Phase.REVIEW, NOW + timedelta(minutes=5)),
    ]
    q = build_queue(entries, ["new-1", "new-2"], now=NOW)
    assert [i.card_id for i in q.items] == [
        "learn",
        "relearn",
        "review-old",
        "missed",
        "new-1",
        "new-2",
    ]
    assert [i.kind for i in q.items][:3] == [
        ItemKind.LEARNING,
        ItemKind.LEARNING,
        ItemKind.REVIEW,
    ]
    assert (q.learning, q.review, q.new) == (2, 2, 2)
    assert q.first is not None and q.first.card_id == "learn"


def test_learning_cards_due_soon_are_shown_only_when_nothing_else_is_left():
    soon = DueEntry("soon", Phase.LEARNING, NOW + timedelta(minutes=10))
    too_far = DueEntry("far", Phase.LEARNING, NOW + LEARN_AHEAD + timedelta(1))
    assert [i.card_id for i in build_queue([soon, too_far], [], now=NOW).items] == [
        "soon"
    ]
    busy = build_queue([soon], ["new-1"], now=NOW)
    assert [i.card_id for i in busy.items] == ["new-1"]
    assert build_queue([too_far], [], now=NOW).first is None


def test_equal_due_times_order_by_card_id():
    entries = [DueEntry(cid, Phase.REVIEW, NOW) for cid in ("c", "a", "b")]
    assert [i.card_id for i in build_queue(entries, [], now=NOW).items] == [
        "a",
        "b",
        "c",
    ]


def test_answer_duration_is_clamped_and_optional():
    assert answer_duration_ms(NOW - timedelta(seconds=4), NOW) == 4000
    assert answer_duration_ms(NOW - timedelta(hours=3), NOW) == MAX_ANSWER_MS
    assert answer_duration_ms(NOW + timedelta(seconds=10), NOW) == 0
    assert answer_duration_ms(None, NOW) is None


def test_epoch_milliseconds_round_trip_and_reject_junk():
    assert from_epoch_ms(str(to_epoch_ms(NOW))) == NOW
    for junk in (None, "", "-5", "1e9", "12.5", "9" * 16, "abc"):
        assert from_epoch_ms(junk) is None


def test_answer_choices_label_the_four_buttons_like_anki():
    params = SchedulerParams(enable_fuzzing=False)
    choices = answer_choices(CardState.new(NOW), now=NOW, params=params)
    assert [(c.rating, c.name, c.key) for c in choices] == [
        (Rating.AGAIN, "Again", "1"),
        (Rating.HARD, "Hard", "2"),
        (Rating.GOOD, "Good", "3"),
        (Rating.EASY, "Easy", "4"),
    ]
    # FSRS-6 defaults with steps 1m, 10m: again 1m, hard 6m, good 10m, easy days.
    assert [c.interval for c in choices][:3] == ["1m", "6m", "10m"]
    assert choices[3].interval.endswith("d")

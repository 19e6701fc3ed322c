"""Item statistics against values computed by hand on a small fixed data set."""

from __future__ import annotations

import math

import pytest

from quiz_app.quiz import itemstats
from quiz_app.quiz.itemstats import AttemptRecord, ItemInfo, ItemResponse

# Four first attempts. q1 single choice (A correct), q2 true/false (true correct),
# q3 short text, q4 multi choice (X and Y correct), drawn by attempts 1-3 only.
#
#   attempt  q1      q2         q3   q4                total
#   1        A  1    true  1    1    [X, Y]  1         4
#   2        A  1    false 0    1    [X]     0.5       2.5
#   3        B  0    true  1    0    [Z]     0         1
#   4        C  0    false 0    0    (not drawn)       0
ITEMS = [
    ItemInfo("q1", "single_choice", ("A", "B", "C"), frozenset({"A"})),
    ItemInfo("q2", "true_false", ("true", "false"), frozenset({"true"})),
    ItemInfo("q3", "short_text"),
    ItemInfo("q4", "multi_choice", ("X", "Y", "Z"), frozenset({"X", "Y"})),
]


def _attempt(attempt_id: int, **items: tuple[float, object]) -> AttemptRecord:
    return AttemptRecord(
        attempt_id, {q: ItemResponse(score, resp) for q, (score, resp) in items.items()}
    )


ATTEMPTS = [
    _attempt(1, q1=(1, "A"), q2=(1, True), q3=(1, "x"), q4=(1, ["X", "Y"])),
    _attempt(2, q1=(1, "A"), q2=(0, False), q3=(1, "x"), q4=(0.5, ["X"])),
    _attempt(3, q1=(0, "B"), q2=(1, True), q3=(0, "y"), q4=(0, ["Z"])),
    _attempt(4, q1=(0, "C"), q2=(0, False), q3=(0, None)),
]


@pytest.fixture
def stats() -> dict[str, itemstats.ItemStat]:
    return {s.question_id: s for s in itemstats.analyse_quiz(ITEMS, ATTEMPTS)}


def test_facility_is_the_mean_score_fraction_times_100(
    stats: dict[str, itemstats.ItemStat],
) -> None:
    # q1: (1+1+0+0)/4 = 0.5 -> 50
    # q4: (1+0.5+0)/3 = 0.5 -> 50 (only three attempts drew it)
    assert stats["q1"].facility == 50
    assert stats["q2"].facility == 50
    assert stats["q4"].facility == 50
    assert [stats[q].responses for q in ("q1", "q2", "q3", "q4")] == [4, 4, 4, 3]


def test_discrimination_correlates_the_item_with_the_rest_of_the_test(
    stats: dict[str, itemstats.ItemStat],
) -> None:
    # q1: x = [1,1,0,0], rest y = total - x = [3, 1.5, 1, 0]; mean x 0.5, mean y 1.375
    #   dx = [.5,.5,-.5,-.5], dy = [1.625,.125,-.375,-1.375]
    #   Sxy = .8125+.0625+.1875+.6875 = 1.75; Sxx = 1
    #   Syy = 2.640625+.015625+.140625+1.890625 = 4.6875
    #   r = 1.75 / sqrt(1 * 4.6875) = 0.80829
    assert stats["q1"].discrimination == pytest.approx(1.75 / math.sqrt(4.6875))
    assert stats["q1"].discrimination == pytest.approx(0.80829, abs=1e-5)
    # q2: x = [1,0,1,0], y = [3, 2.5, 0, 0]; dy = [1.625, 1.125, -1.375, -1.375]
    #   Sxy = .8125-.5625-.6875+.6875 = .25
    #   Syy = 2.640625+1.265625+1.890625+1.890625 = 7.6875
    #   r = .25 / sqrt(7.6875) = 0.09017
    assert stats["q2"].discrimination == pytest.approx(0.09017, abs=1e-5)
    # q4 (three attempts): x = [1,.5,0], y = [3,2,1]; dx = [.5,0,-.5], dy = [1,0,-1]
    #   Sxy = 1; Sxx = .5; Syy = 2; r = 1 / sqrt(1) = 1
    assert stats["q4"].discrimination == pytest.approx(1.0)


def test_option_shares_count_choices_and_ticks(
    stats: dict[str, itemstats.ItemStat],
) -> None:
    # q1: A twice, B once, C once out of 4
    assert [
        (o.option, o.count, o.share, o.is_correct) for o in stats["q1"].options
    ] == [
        ("A", 2, 0.5, True),
        ("B", 1, 0.25, False),
        ("C", 1, 0.25, False),
    ]
    # q2: true twice, false twice
    assert [(o.option, o.share) for o in stats["q2"].options] == [
        ("true", 0.5),
        ("false", 0.5),
    ]
    # q4: X ticked in 2 of 3, Y in 1 of 3, Z in 1 of 3
    assert [o.count for o in stats["q4"].options] == [2, 1, 1]
    assert stats["q4"].options[0].share == pytest.approx(2 / 3)
    # short text has no options and no "blank" count for choices
    assert stats["q3"].options == ()


def test_flags_name_weak_items(stats: dict[str, itemstats.ItemStat]) -> None:
    assert stats["q1"].flags == ()
    assert stats["q2"].flags == (itemstats.FLAG_POOR,)  # r = 0.09 < 0.2


@pytest.mark.parametrize(
    ("facility", "discrimination", "flags"),
    [
        (95.0, 0.5, ("too easy",)),
        (90.0, 0.5, ()),  # thresholds are strict
        (20.0, 0.2, ()),
        (10.0, -0.3, ("too hard", "negative discrimination")),
        (50.0, 0.1, ("discriminates poorly",)),
        (50.0, None, ()),
    ],
)
def test_flag_thresholds(
    facility: float, discrimination: float | None, flags: tuple[str, ...]
) -> None:
    assert itemstats.flags_for(facility, discrimination) == flags


def test_negative_discrimination_when_strong_students_miss_the_item() -> None:
    # x = [1,0,0], rest = [0,1,2]: dx = [2/3,-1/3,-1/3], dy = [-1,0,1]
    # Sxy = -2/3 - 1/3 = -1; Sxx = 2/3; Syy = 2; r = -1 / sqrt(4/3) = -0.86603
    attempts = [
        _attempt(1, q=(1, "A"), r=(0, "B")),
        _attempt(2, q=(0, "B"), r=(1, "A")),
        _attempt(3, q=(0, "B"), r=(2, "A")),
    ]
    stat = itemstats.analyse_item(ItemInfo("q", "single_choice", ("A", "B")), attempts)
    assert stat.discrimination == pytest.approx(-0.86603, abs=1e-5)
    assert itemstats.FLAG_NEGATIVE in stat.flags


def test_undefined_discrimination_without_variance() -> None:
    attempts = [_attempt(1, q=(1, "A")), _attempt(2, q=(1, "A"))]
    stat = itemstats.analyse_item(ItemInfo("q", "single_choice", ("A", "B")), attempts)
    assert stat.facility == 100
    assert stat.discrimination is None
    assert stat.flags == (itemstats.FLAG_TOO_EASY,)


def test_no_responses_gives_no_numbers() -> None:
    stat = itemstats.analyse_item(ItemInfo("q", "true_false", ("true", "false")), [])
    assert (stat.responses, stat.facility, stat.discrimination) == (0, None, None)


def test_blank_choice_responses_are_counted() -> None:
    attempts = [_attempt(1, q=(0, None)), _attempt(2, q=(1, True))]
    stat = itemstats.analyse_item(
        ItemInfo("q", "true_false", ("true", "false")), attempts
    )
    assert stat.blank == 1


def test_mean_percent_averages_each_attempts_fraction() -> None:
    # fractions: 4/4, 2.5/4, 1/4, 0/3 -> (1 + .625 + .25 + 0) / 4 = .46875
    assert itemstats.mean_percent(ATTEMPTS) == pytest.approx(46.875)


class _CountingItems(dict):  # type: ignore[type-arg]
    """An attempt's items that count how often a response is read."""

    reads = 0

    def __getitem__(self, key):
        _CountingItems.reads += 1
        return super().__getitem__(key)

    def items(self):
        for key, value in super().items():
            _CountingItems.reads += 1
            yield key, value

    def values(self):
        for _, value in self.items():
            yield value


def test_the_analysis_reads_each_response_a_fixed_number_of_times():
    # It read each attempt's total once per item: 40 items cost 40 x 40 reads an
    # attempt, and 7,000 items would never finish.
    def reads(items: int) -> int:
        infos = [ItemInfo(f"q{i}", "short_text") for i in range(items)]
        attempts = [
            AttemptRecord(
                a,
                _CountingItems(
                    {
                        f"q{i}": ItemResponse(float((a + i) % 2), "x")
                        for i in range(items)
                    }
                ),
            )
            for a in range(10)
        ]
        _CountingItems.reads = 0
        itemstats.analyse_quiz(infos, attempts)
        return _CountingItems.reads

    assert reads(40) == 4 * reads(10)
    assert reads(40) <= 2 * 40 * 10


def test_the_one_pass_analysis_agrees_with_item_by_item():
    for info in ITEMS:
        assert itemstats.analyse_item(info, ATTEMPTS) in itemstats.analyse_quiz(
            ITEMS, ATTEMPTS
        )

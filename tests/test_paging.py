"""Pages of long lists: what ?page= means, and where a page starts and ends."""

from __future__ import annotations

import pytest

from quiz_app import paging


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        (None, 1),
        ("", 1),
        ("2", 2),
        (" 3 ", 3),
        ("0", 1),
        ("-1", 1),
        ("1.5", 1),
        ("two", 1),
        ("9" * 40, 1_000_000),
    ],
)
def test_page_number_reads_only_positive_whole_numbers(raw, number):
    assert paging.page_number(raw) == number


def test_a_window_past_the_end_moves_to_the_last_page():
    where = paging.window(9, size=10, total=25)
    assert (where.number, where.offset, where.limit, where.pages) == (3, 20, 10, 3)
    empty = paging.window(4, size=10, total=0)
    assert (empty.number, empty.offset, empty.pages) == (1, 0, 1)


def test_a_window_needs_a_page_of_at_least_one_row():
    with pytest.raises(ValueError):
        paging.window(1, size=0, total=5)


def test_page_of_rows_in_memory_knows_its_neighbours():
    rows = list(range(1, 8))
    first = paging.page_of(rows, 1, size=3)
    assert first.items == [1, 2, 3]
    assert (first.has_previous, first.has_next, first.pages) == (False, True, 3)
    assert (first.first_row, first.last_row) == (1, 3)
    last = paging.page_of(rows, 3, size=3)
    assert last.items == [7]
    assert (last.has_previous, last.has_next) == (True, False)
    assert (last.first_row, last.last_row) == (7, 7)
    nothing = paging.page_of([], 2, size=3)
    assert (nothing.items, nothing.number, nothing.first_row, nothing.last_row) == (
        [],
        1,
        0,
        0,
    )

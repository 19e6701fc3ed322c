"""Pure helpers of the teacher domain: CSV cells are safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest

from quiz_app import csvexport


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ann = top", "Ann = top"),
        (-0.25, -0.25),  # numbers the app computed stay numbers
        (None, ""),
        (True, "yes"),
    ],
)
def test_dangerous_cells_are_neutralised(
    value: csvexport.Cell, expected: object
) -> None:
    assert csvexport.neutralise(value) == expected


def test_to_csv_round_trips_through_a_reader() -> None:
    text = csvexport.to_csv(["name", "score"], [["=cmd|' /C calc'!A0", 0.5]])
    assert list(csv.reader(io.StringIO(text))) == [
        ["name", "score"],
        ["'=cmd|' /C calc'!A0", "0.5"],
    ]

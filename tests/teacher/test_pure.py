"""Pure helpers of the teacher and classes domains: CSV cells, no framework imports."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest

from quiz_app.teacher import csvexport

PURE_MODULES = [
    "quiz_app/classes/joincode.py",
    "quiz_app/classes/dates.py",
    "quiz_app/teacher/itemstats.py",
    "quiz_app/teacher/csvexport.py",
]
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", PURE_MODULES)
def test_pure_modules_import_no_framework(path: str) -> None:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    assert not any(n.split(".")[0] in {"flask", "sqlalchemy"} for n in names)
    assert "quiz_app.extensions" not in names


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

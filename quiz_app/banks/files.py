"""Bank files and folders: find them, read them (the only I/O of the loader) and run
the checks that need every bank at once. No Flask or DB imports.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from quiz_app.banks.checks import Places
from quiz_app.banks.crossbank import cross_bank_problems
from quiz_app.banks.loader import parse_with_places, size_problem
from quiz_app.banks.schema import (
    BANK_SUFFIXES,
    MAX_BANK_BYTES,
    Bank,
    BankError,
    Problem,
)

# ----------------------------------------------------------------------
# Files (I/O) and cross-bank checks


def _expand(paths: Sequence[str | Path]) -> tuple[list[str], list[Problem]]:
    files: list[str] = []
    problems: list[Problem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = []
            for folder, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [
                    os.path.join(folder, n)
                    for n in names
                    if n.endswith(BANK_SUFFIXES) and not n.startswith(".")
                ]
            if not found:
                problems.append(
                    Problem(
                        str(given), 0, 0, "no bank files (*.yaml, *.yml) in this folder"
                    )
                )
            files += sorted(found)
        elif path.exists():
            files.append(str(given))
        else:
            problems.append(Problem(str(given), 0, 0, "no such file or folder"))
    unique = list(dict.fromkeys(files))
    return unique, problems


def load_bank_files(
    paths: Sequence[str | Path], *, max_bytes: int = MAX_BANK_BYTES
) -> tuple[list[Bank], list[Problem]]:
    """Read and check bank files and folders (searched recursively), never raising.

    :returns: the banks that parsed (some may still have cross-bank problems: drop those
        whose ``source_path`` appears in a problem) and every problem, sorted.
    """
    files, problems = _expand(paths)
    parsed: list[tuple[Bank, Places]] = []
    for name in files:
        try:
            size = os.path.getsize(name)
            if size > max_bytes:
                problems.append(size_problem(name, size, max_bytes))
                continue
            with open(name, "rb") as handle:
                raw = handle.read(max_bytes + 1)
        except OSError as exc:
            problems.append(
                Problem(name, 0, 0, f"cannot read the file: {exc.strerror or exc}")
            )
            continue
        try:
            parsed.append(parse_with_places(raw, source=name, max_bytes=max_bytes))
        except BankError as exc:
            problems += exc.problems
    problems += cross_bank_problems(parsed)
    return [bank for bank, _ in parsed], sorted(problems)

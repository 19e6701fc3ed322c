"""Pure CSV writing with formula injection neutralised. No Flask or DB.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return) as a formula, so a student named
``=HYPERLINK(...)`` could attack the teacher who opens the export. Text cells starting
with one of those get a leading ``'`` (OWASP's advice); numbers the app computed are
written as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Final

DANGEROUS_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | None


def neutralise(value: Cell) -> str | int | float:
    """A cell value safe to open in a spreadsheet; None becomes an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    return "'" + value if value.startswith(DANGEROUS_PREFIXES) else value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """The rows as CSV text (RFC 4180, CRLF line ends), every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(c) for c in row])
    return buffer.getvalue()

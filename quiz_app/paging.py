"""Pure: pages of a long list (``?page=N``), so teacher lists that grow with the school
load and render a page at a time. No Flask or database: services count and slice, the
``pager`` macro draws plain links (no JavaScript).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

#: Rows per page of a teacher list unless the list says otherwise.
DEFAULT_PAGE_SIZE = 25

#: Page numbers past this are read as this: a huge ?page= is no reason for a 500.
_MAX_PAGE = 1_000_000


def page_number(raw: str | None) -> int:
    """The page asked for by a ``?page=`` value: 1 when missing or not a positive
    whole number.
    """
    if raw is None or not raw.strip().isdigit():
        return 1
    return max(1, min(int(raw.strip()[:8]), _MAX_PAGE))


@dataclass(frozen=True, slots=True)
class Window:
    """Where one page lies in a list of ``total`` rows: its number (clamped to the
    last page) and the rows to skip and take.
    """

    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def limit(self) -> int:
        return self.size


def window(number: int, *, size: int = DEFAULT_PAGE_SIZE, total: int) -> Window:
    """The page ``number`` of ``total`` rows, moved back to the last page if past it."""
    if size < 1:
        raise ValueError("a page holds at least one row")
    pages = max(1, -(-total // size))
    return Window(number=min(max(1, number), pages), size=size, total=total)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list, with what the pager needs to link the others."""

    items: list[T] = field(default_factory=list)
    number: int = 1
    size: int = DEFAULT_PAGE_SIZE
    total: int = 0

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_row(self) -> int:
        """The 1-based position of the page's first row (0 on an empty list)."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last_row(self) -> int:
        return (self.number - 1) * self.size + len(self.items)


def page_of(
    rows: Sequence[T], number: int, *, size: int = DEFAULT_PAGE_SIZE
) -> Page[T]:
    """One page of rows already in memory (e.g. sorted on computed columns)."""
    where = window(number, size=size, total=len(rows))
    return Page(
        items=list(rows[where.offset : where.offset + where.limit]),
        number=where.number,
        size=size,
        total=len(rows),
    )

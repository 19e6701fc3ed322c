"""Pure number and date wording shared by every page. No Flask, DB or clock.

The house formats (templates use them through the filters of the same names that
``quiz_app.web`` installs):

- a moment: ``Mon 1 Dec, 08:00`` on the reader's clock, ``Mon 1 Dec 2025, 08:00``
  when the year is not the current one; a day alone drops the time (``Mon 1 Dec``);
- a score: at most one decimal, no trailing ``.0`` (``28.8``, ``42``);
- a share: a whole percentage (``90%``); an unknown value is an en dash.
"""

from __future__ import annotations

from datetime import date, datetime

from quiz_app.dates import zone

#: What a missing number reads as.
MISSING = "–"


def format_moment(
    moment: datetime | date | None,
    tz_name: str,
    *,
    now: datetime,
    with_time: bool = True,
) -> str:
    """A moment (or a day) in the house format, on the clock of ``tz_name``.

    :raises ValueError: ``moment`` is a naive datetime (we never guess its zone).
    """
    if moment is None:
        return MISSING
    this_year = now.astimezone(zone(tz_name)).year
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError("naive datetime: pass an aware (UTC) datetime")
        local = moment.astimezone(zone(tz_name))
    else:
        local, with_time = datetime(moment.year, moment.month, moment.day), False
    text = f"{local:%a} {local.day} {local:%b}"
    if local.year != this_year:
        text += f" {local.year}"
    return f"{text}, {local:%H:%M}" if with_time else text


def format_score(value: float | None) -> str:
    """A score with at most one decimal: 28.8333 -> ``28.8``, 42.0 -> ``42``."""
    if value is None:
        return MISSING
    text = f"{round(value, 1):.1f}"
    return text.removesuffix(".0")


def format_percent(share: float | None, *, of: float = 1) -> str:
    """A share of ``of`` as a whole percentage: 0.9 -> ``90%`` (``of=100``: 68.65 ->
    ``69%``).
    """
    if share is None:
        return MISSING
    return f"{round(100 * share / of):d}%"

"""Pure SVG chart builders. No Flask, DB or clock.

The student's progress page (heatmap, forecast, card states) and the quiz history's
sparkline come from here, as markup the templates insert. Each chart is an
``<svg role="img">`` named for screen readers, and the page also shows the same numbers
as a table. The progress charts take their colours from CSS classes (``hm-0`` ..
``hm-4``, ``bar``, ``state-*``): the Content Security Policy forbids inline styles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from markupsafe import Markup, escape

from quiz_app.progress.stats import DayCount, heat_level

__all__ = [
    "day_label",
    "due_bar_chart",
    "review_heatmap",
    "sparkline",
    "sparkline_points",
    "state_bar",
]

_CELL = 12
_GAP = 3
_STEP = _CELL + _GAP
_WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "")


def day_label(day: date) -> str:
    """A short, unambiguous date: "Mon 2 Mar 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _svg(
    chart_id: str, width: int, height: int, title: str, desc: str, body: list[str]
) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"'
        f' id="{escape(chart_id)}" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}"'
        f' aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def review_heatmap(days: Sequence[DayCount], *, chart_id: str = "heatmap") -> Markup:
    """A calendar of reviews per day: one column per week (Monday on top)."""
    if not days:
        return _svg(chart_id, 1, 1, "Reviews per day", "No days to show.", [])
    first = days[0].day
    busiest = max(d.count for d in days)
    left, top = 30, 16
    weeks = (days[-1].day - first).days // 7 + 1
    width, height = left + weeks * _STEP, top + 7 * _STEP
    body: list[str] = []
    for row, name in enumerate(_WEEKDAYS):
        if name:
            y = top + row * _STEP + _CELL - 2
            body.append(f'<text x="0" y="{y}" class="chart-label">{name}</text>')
    last_month = None
    for entry in days:
        offset = (entry.day - first).days
        column, row = offset // 7, entry.day.weekday()
        x, y = left + column * _STEP, top + row * _STEP
        if row == 0 and entry.day.month != last_month:
            last_month = entry.day.month
            body.append(
                f'<text x="{x}" y="{top - 5}" class="chart-label">{entry.day:%b}</text>'
            )
        level = heat_level(entry.count, busiest)
        # The calendar ends today: its last cell is outlined and says so.
        today = entry is days[-1]
        body.append(
            f'<rect x="{x}" y="{y}" width="{_CELL}" height="{_CELL}" rx="2"'
            f' class="hm hm-{level}{" hm-today" if today else ""}">'
            f"<title>{_plural(entry.count, 'review')} on {day_label(entry.day)}"
            f"{' (today)' if today else ''}</title></rect>"
        )
    total = sum(d.count for d in days)
    active = sum(1 for d in days if d.count)
    desc = (
        f"{_plural(total, 'review')} on {_plural(active, 'day')} from"
        f" {day_label(first)} to {day_label(days[-1].day)};"
        f" the busiest day had {_plural(busiest, 'review')}."
    )
    return _svg(chart_id, width, height, "Reviews per day", desc, body)


def due_bar_chart(days: Sequence[DayCount], *, chart_id: str = "forecast") -> Markup:
    """Bars of cards falling due per day, today first."""
    bar, gap, left, top, plot, bottom = 14, 4, 34, 8, 120, 20
    width = left + len(days) * (bar + gap)
    height = top + plot + bottom
    busiest = max((d.count for d in days), default=0)
    body = [
        f'<line x1="{left}" y1="{top + plot}" x2="{width}" y2="{top + plot}"'
        ' class="chart-axis"/>',
        f'<text x="0" y="{top + 10}" class="chart-label">{busiest}</text>',
        f'<text x="0" y="{top + plot}" class="chart-label">0</text>',
    ]
    for index, entry in enumerate(days):
        x = left + index * (bar + gap)
        h = round(plot * entry.count / busiest) if busiest else 0
        if entry.count and h < 2:
            h = 2
        label = f"{_plural(entry.count, 'card')} due on {day_label(entry.day)}"
        body.append(
            f'<rect x="{x}" y="{top + plot - h}" width="{bar}" height="{h}"'
            f' class="bar"><title>{label}</title></rect>'
        )
        if index % 7 == 0:
            text = "Today" if index == 0 else f"{entry.day.day} {entry.day:%b}"
            body.append(
                f'<text x="{x}" y="{height - 4}" class="chart-label">{text}</text>'
            )
    total = sum(d.count for d in days)
    desc = (
        f"{_plural(total, 'card')} due in the next {len(days)} days;"
        f" the busiest day has {_plural(busiest, 'card')}."
        if days
        else "No days to show."
    )
    return _svg(chart_id, width, height, "Cards due per day", desc, body)


def state_bar(counts: Mapping[str, int], *, chart_id: str = "states") -> Markup:
    """One bar split by card state, in the order of ``counts``."""
    width, height = 400, 24
    total = sum(counts.values())
    body: list[str] = []
    x = 0.0
    for name, count in counts.items():
        if not count:
            continue
        w = width * count / total
        body.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}"'
            f' class="state-{escape(name)}"><title>{escape(name).capitalize()}:'
            f" {_plural(count, 'card')}</title></rect>"
        )
        x += w
    desc = (
        "; ".join(f"{name}: {count}" for name, count in counts.items())
        if total
        else "No cards yet."
    )
    return _svg(chart_id, width, height, "Cards by state", desc, body)


# --------------------------------------------------------------------------------------
# The quiz history's sparkline


def sparkline_points(
    values: Sequence[float], *, width: int = 240, height: int = 48, pad: int = 4
) -> str:
    """SVG polyline points for percentages (0-100) drawn left to right, oldest first."""
    if not values:
        return ""
    step = (width - 2 * pad) / max(1, len(values) - 1)
    span = height - 2 * pad
    return " ".join(
        f"{pad + i * step:.1f},{pad + span * (1 - min(100.0, max(0.0, v)) / 100):.1f}"
        for i, v in enumerate(values)
    )


def sparkline(values: Sequence[float], *, caption_id: str = "spark-caption") -> Markup:
    """A 240 x 48 line of percentages (0-100), oldest first, over a baseline; the page
    captions it (``caption_id``).
    """
    return Markup(
        '<svg viewBox="0 0 240 48" width="240" height="48" role="img"'
        f' aria-labelledby="{escape(caption_id)}">'
        '<line x1="4" y1="44" x2="236" y2="44" stroke="currentColor"'
        ' stroke-opacity="0.3"/>'
        f'<polyline points="{sparkline_points(values)}" fill="none"'
        ' stroke="currentColor" stroke-width="2"/></svg>'
    )

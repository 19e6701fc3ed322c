"""Pure SVG charts: accessible names, one mark per day, class-based colours."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

from quiz_app.progress import charts
from quiz_app.progress.charts import due_bar_chart, review_heatmap, state_bar
from quiz_app.progress.stats import DayCount, heatmap_start

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2026, 3, 4)


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def test_heatmap_has_a_cell_per_day_with_a_title_and_no_inline_style():
    start = heatmap_start(TODAY)
    days = [
        DayCount(start + timedelta(days=n), n % 5)
        for n in range((TODAY - start).days + 1)
    ]
    svg = parse(review_heatmap(days))
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id
    assert "busiest day had 4 reviews" in svg.find(f"{SVG}desc").text
    cells = svg.findall(f"{SVG}rect")
    assert len(cells) == len(days) == 7 * 25 + 3
    assert cells[1].find(f"{SVG}title").text == "1 review on Tue 9 Sep 2025"
    assert {c.get("class") for c in cells[:-1]} == {f"hm hm-{n}" for n in range(5)}
    assert "style" not in str(review_heatmap(days))


def test_heatmap_ends_today_with_the_cell_outlined_and_named():
    start = heatmap_start(TODAY)
    days = [DayCount(start + timedelta(days=n), 0) for n in range(9)]
    days.append(DayCount(TODAY, 2))
    cells = parse(review_heatmap(days)).findall(f"{SVG}rect")
    assert cells[-1].get("class").split()[-1] == "hm-today"
    assert cells[-1].find(f"{SVG}title").text.endswith("(today)")
    assert not any("hm-today" in c.get("class") for c in cells[:-1])


def test_forecast_draws_bars_scaled_to_the_busiest_day():
    days = [DayCount(TODAY + timedelta(days=n), c) for n, c in enumerate([4, 0, 2])]
    svg = parse(due_bar_chart(days))
    bars = svg.findall(f"{SVG}rect")
    heights = [int(b.get("height")) for b in bars]
    assert heights == [120, 0, 60]
    assert bars[0].find(f"{SVG}title").text == "4 cards due on Wed 4 Mar 2026"
    assert "6 cards due in the next 3 days" in svg.find(f"{SVG}desc").text
    assert "Today" in str(due_bar_chart(days))


def test_chart_text_is_escaped():
    markup = str(state_bar({"<b>": 1}, chart_id='x"y'))
    assert "<b>" not in markup and 'id="x&#34;y"' in markup
    parse(markup)  # still well-formed


def test_state_bar_splits_the_width_by_count():
    svg = parse(state_bar({"new": 1, "learning": 0, "review": 3}))
    widths = [float(r.get("width")) for r in svg.findall(f"{SVG}rect")]
    assert widths == [100.0, 300.0]
    assert re.search(r"review: 3", svg.find(f"{SVG}desc").text)


def test_sparkline_points_scale_percentages():
    assert charts.sparkline_points([]) == ""
    assert charts.sparkline_points([0, 100], width=108, height=58, pad=4) == (
        "4.0,54.0 104.0,4.0"
    )
    assert charts.sparkline_points([50]) == "4.0,24.0"


def test_sparkline_draws_the_points_over_a_baseline():
    svg = parse(charts.sparkline([0, 100]))
    assert svg.find("polyline").get("points") == "4.0,44.0 236.0,4.0"
    assert svg.get("aria-labelledby") == "spark-caption"

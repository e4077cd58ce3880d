"""Server-side SVG charts: real-date x positions, no line across months without evidence."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from factionmap.analysis.stance import StancePoint
from factionmap.web.charts import stance_chart, tenure_chart


def _point(month: str, score: float) -> StancePoint:
    return StancePoint(month=month, score=score, low=score - 2, high=score + 2, raw_mean=score,
                       n_events=3, n_relations=0)


def _dot_x(svg: str) -> dict[str, float]:
    return {m: float(x) for x, m in re.findall(r'<circle cx="([\d.]+)"[^>]*data-month="([\d-]+)"',
                                               svg)}


def test_stance_points_sit_at_their_dates():
    svg = str(stance_chart([_point("2023-01", 2), _point("2023-02", 3), _point("2024-01", -4)],
                           "A toward B"))
    x = _dot_x(svg)
    # Jan->Feb is one month, Feb 2023->Jan 2024 eleven: evenly spaced points would be equal
    assert (x["2024-01"] - x["2023-02"]) / (x["2023-02"] - x["2023-01"]) > 10
    # the run of two months gets a line and band; the lone month a whisker, no line to it
    assert svg.count("<polyline") == 1 and svg.count('class="whisker"') == 1
    assert "2023-07" in svg or "2023-04" in svg  # ticks between the points


def test_empty_series_says_so():
    assert "No evidence" in str(stance_chart([], "A toward B"))


def test_tenure_bars_are_proportional():
    today = dt.date(2024, 1, 1)
    svg = str(tenure_chart([("leads X", dt.date(2014, 1, 1), None),
                            ("member of Y", dt.date(2019, 1, 1), dt.date(2021, 1, 1))],
                           today=today))
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths[0] / widths[1] == pytest.approx(5.0, rel=0.02)
    assert ">2016<" in svg or ">2015<" in svg  # year ticks
    assert tenure_chart([("no dates", None, None)]) == ""

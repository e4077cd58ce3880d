"""Inline SVG charts rendered on the server (no chart library, no script needed); every
time axis is proportional to real dates (web.timeline)."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from factionmap.analysis.stance import StancePoint
from factionmap.web.timeline import TimeAxis, month_number

W, H, PAD = 640, 200, 36


def _y(v: float) -> float:
    return PAD / 2 + (H - PAD) * (10 - v) / 20


def _runs(points: list[StancePoint]) -> list[list[StancePoint]]:
    """Consecutive months: a line and band are drawn through a run, never across a gap
    (a month without evidence is no evidence of the stance between)."""
    runs: list[list[StancePoint]] = []
    for p in points:
        if runs and month_number(p.month) == month_number(runs[-1][-1].month) + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return runs


def _tick_marks(axis: TimeAxis, height: int) -> str:
    return "".join(
        f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{PAD / 2:.1f}" y2="{height - 16}" class="grid"/>'
        f'<text x="{x:.1f}" y="{height - 4}" class="tick" text-anchor="middle">{label}</text>'
        for x, label in axis.ticks()
    )


def stance_chart(points: list[StancePoint], label: str) -> Markup:
    """Score per month with its confidence band, on a real-date axis; zero line = no
    stance. Each point sits in the middle of its month."""
    if not points:
        return Markup('<p class="muted">No evidence for this direction.</p>')
    axis = TimeAxis.for_months(points[0].month, points[-1].month, PAD, W - PAD)
    shapes = []
    for run in _runs(points):
        xs = [axis.month_x(p.month) for p in run]
        if len(run) > 1:
            band = [f"{x:.1f},{_y(p.high):.1f}" for x, p in zip(xs, run, strict=True)]
            band += [f"{x:.1f},{_y(p.low):.1f}"
                     for x, p in reversed(list(zip(xs, run, strict=True)))]
            line = " ".join(f"{x:.1f},{_y(p.score):.1f}" for x, p in zip(xs, run, strict=True))
            shapes.append(f'<polygon points="{" ".join(band)}" class="band"/>'
                          f'<polyline points="{line}" class="line"/>')
        else:
            x, p = xs[0], run[0]
            shapes.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{_y(p.high):.1f}" '
                          f'y2="{_y(p.low):.1f}" class="whisker"/>')
    dots = "".join(
        f'<circle cx="{axis.month_x(p.month):.1f}" cy="{_y(p.score):.1f}" r="4" '
        f'class="{"pos" if p.score >= 0 else "neg"}" data-month="{escape(p.month)}">'
        f"<title>{escape(p.month)}: {p.score:+.2f} [{p.low:+.1f}, {p.high:+.1f}], "
        f"{p.n} pieces of evidence</title></circle>"
        for p in points
    )
    svg = (
        f'<svg class="chart stance" viewBox="0 0 {W} {H}" role="img" '
        f'aria-label="{escape(label)}">{_tick_marks(axis, H)}'
        f'<line x1="{PAD}" x2="{W - PAD}" y1="{_y(0):.1f}" y2="{_y(0):.1f}" class="zero"/>'
        f'<text x="2" y="{_y(10) + 4:.1f}" class="tick">+10</text>'
        f'<text x="2" y="{_y(-10):.1f}" class="tick">-10</text>'
        f'{"".join(shapes)}{dots}</svg>'
    )
    return Markup(svg)


def tenure_chart(rows: list[tuple[str, dt.date | None, dt.date | None]],
                 today: dt.date | None = None) -> Markup:
    """Roles and memberships as bars on a real-date axis (open ends run to today)."""
    dated = [(lab, a, b) for lab, a, b in rows if a or b]
    if not dated:
        return Markup("")
    today = today or dt.date.today()
    lo = min((a or b or today) for _, a, b in dated)
    hi = max([today, *(b for _, _, b in dated if b)])
    axis = TimeAxis(lo, hi if hi > lo else lo + dt.timedelta(days=1), PAD, W - PAD)
    bar_h, height = 18, 22 * len(dated) + 24
    parts = [_tick_marks(axis, height)]
    for i, (lab, a, b) in enumerate(dated):
        start, end = a or b or today, b or today
        x = axis.x(start)
        w = max(4.0, axis.x(end) - x)
        y = 4 + 22 * i
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" class="tenure"/>'
            f'<text x="{x + 4:.1f}" y="{y + 13}" class="tenure-label">{escape(lab)}</text>'
        )
    return Markup(f'<svg class="chart tenure-chart" viewBox="0 0 {W} {height}">'
                  f'{"".join(parts)}</svg>')

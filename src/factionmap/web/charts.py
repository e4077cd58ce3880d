"""Inline SVG charts rendered on the server (no chart library, no script needed)."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from factionmap.analysis.stance import StancePoint

W, H, PAD = 640, 200, 36


def _x(i: int, n: int) -> float:
    return PAD + (W - 2 * PAD) * (i / max(n - 1, 1))


def _y(v: float) -> float:
    return PAD / 2 + (H - PAD) * (10 - v) / 20


def stance_chart(points: list[StancePoint], label: str) -> Markup:
    """Score per month with its confidence band; zero line = no stance."""
    if not points:
        return Markup('<p class="muted">No evidence for this direction.</p>')
    n = len(points)
    band = [f"{_x(i, n):.1f},{_y(p.high):.1f}" for i, p in enumerate(points)]
    band += [f"{_x(i, n):.1f},{_y(p.low):.1f}" for i, p in reversed(list(enumerate(points)))]
    line = " ".join(f"{_x(i, n):.1f},{_y(p.score):.1f}" for i, p in enumerate(points))
    dots = "".join(
        f'<circle cx="{_x(i, n):.1f}" cy="{_y(p.score):.1f}" r="4" '
        f'class="{"pos" if p.score >= 0 else "neg"}"><title>{escape(p.month)}: '
        f"{p.score:+.2f} [{p.low:+.1f}, {p.high:+.1f}], {p.n} pieces of evidence</title></circle>"
        for i, p in enumerate(points)
    )
    ticks = "".join(
        f'<text x="{_x(i, n):.1f}" y="{H - 4}" class="tick">{escape(p.month)}</text>'
        for i, p in enumerate(points) if n <= 12 or i % max(1, n // 12) == 0
    )
    svg = (
        f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(label)}">'
        f'<line x1="{PAD}" x2="{W - PAD}" y1="{_y(0):.1f}" y2="{_y(0):.1f}" class="zero"/>'
        f'<text x="2" y="{_y(10) + 4:.1f}" class="tick">+10</text>'
        f'<text x="2" y="{_y(-10):.1f}" class="tick">-10</text>'
        f'<polygon points="{" ".join(band)}" class="band"/>'
        f'<polyline points="{line}" class="line"/>{dots}{ticks}</svg>'
    )
    return Markup(svg)


def tenure_chart(rows: list[tuple[str, dt.date | None, dt.date | None]]) -> Markup:
    """Roles and memberships as bars on a time axis (open ends run to today)."""
    dated = [(lab, a, b) for lab, a, b in rows if a or b]
    if not dated:
        return Markup("")
    today = dt.date.today()
    lo = min((a or b or today) for _, a, b in dated)
    span = max((today - lo).days, 1)
    bar_h, height = 18, 22 * len(dated) + 20
    parts = []
    for i, (lab, a, b) in enumerate(dated):
        start, end = a or b or today, b or today
        x = PAD + (W - 2 * PAD) * (start - lo).days / span
        w = max(4.0, (W - 2 * PAD) * (end - start).days / span)
        y = 4 + 22 * i
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" class="tenure"/>'
            f'<text x="{x + 4:.1f}" y="{y + 13}" class="tenure-label">{escape(lab)}</text>'
        )
    parts.append(f'<text x="{PAD}" y="{height - 4}" class="tick">{lo.isoformat()}</text>')
    parts.append(f'<text x="{W - PAD - 60}" y="{height - 4}" class="tick">today</text>')
    return Markup(f'<svg class="chart" viewBox="0 0 {W} {height}">{"".join(parts)}</svg>')

"""Stance shifts: months where A's stance toward B changes significantly.

Binary segmentation on the monthly observations: for every split between two
months, compare the observations before and after with Welch's t statistic;
the best split is a shift when |t| >= T_CRITICAL, the means differ by at least
MIN_DELTA Goldstein points and each side has at least MIN_EVIDENCE pieces of
evidence (the minimum-evidence rule). Each side is then searched again, so a
dyad can have several shifts. Variances are floored at MIN_SD^2 so that a few
identical observations do not produce an infinite t.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from factionmap.analysis.stance import StancePoint

T_CRITICAL = 3.0
MIN_DELTA = 2.0
MIN_EVIDENCE = 3
MIN_SD = 1.0


@dataclass(frozen=True, slots=True)
class Shift:
    month: str  # first month after the change
    kind: str  # "rapprochement" | "escalation"
    before_mean: float
    after_mean: float
    t: float
    n_before: int
    n_after: int
    last_month_before: str


def _side(points: list[StancePoint]) -> tuple[int, float, float]:
    n = sum(p.n for p in points)
    total = sum(p.total for p in points)
    sumsq = sum(p.sumsq for p in points)
    mean = total / n if n else 0.0
    var = (sumsq - n * mean * mean) / (n - 1) if n > 1 else 0.0
    return n, mean, max(var, MIN_SD**2)


def _best_split(points: list[StancePoint]) -> tuple[int, float] | None:
    best: tuple[int, float] | None = None
    for k in range(1, len(points)):
        n1, m1, v1 = _side(points[:k])
        n2, m2, v2 = _side(points[k:])
        if n1 < MIN_EVIDENCE or n2 < MIN_EVIDENCE or abs(m2 - m1) < MIN_DELTA:
            continue
        t = (m2 - m1) / math.sqrt(v1 / n1 + v2 / n2)
        if abs(t) >= T_CRITICAL and (best is None or abs(t) > abs(best[1])):
            best = (k, t)
    return best


def detect_shifts(points: list[StancePoint], *, depth: int = 3) -> list[Shift]:
    """Significant changes in a monthly stance series (sorted by month)."""
    if depth <= 0 or len(points) < 2:
        return []
    split = _best_split(points)
    if split is None:
        return []
    k, t = split
    n1, m1, _ = _side(points[:k])
    n2, m2, _ = _side(points[k:])
    shift = Shift(
        month=points[k].month,
        kind="rapprochement" if m2 > m1 else "escalation",
        before_mean=round(m1, 3),
        after_mean=round(m2, 3),
        t=round(t, 2),
        n_before=n1,
        n_after=n2,
        last_month_before=points[k - 1].month,
    )
    left = detect_shifts(points[:k], depth=depth - 1)
    right = detect_shifts(points[k:], depth=depth - 1)
    return [*left, shift, *right]

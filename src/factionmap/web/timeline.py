"""Time on the pages: real-date axes for the charts and the range of the time slider.

Axes are proportional: a month without evidence takes its place, so two points a year
apart are drawn a year apart. The slider covers the evidence-weighted bulk of event
dates (2nd to 98th weighted percentile), so one date misread from a resolution number
("1850") or a typo ("2053") does not stretch it to thousands of empty months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factionmap.analysis.cache import RevisionCache
from factionmap.store.models import Document, DyadMonth
from factionmap.store.summaries import UNDATED_MONTH

LOW_QUANTILE, HIGH_QUANTILE = 0.02, 0.98
_TICK_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600)  # months


def month_number(ym: str) -> int:
    """'2024-02' -> months since year 0 (consecutive months differ by 1)."""
    year, month = ym.split("-")
    return int(year) * 12 + int(month) - 1


def month_label(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def month_start(number: int) -> dt.date:
    return dt.date(number // 12, number % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class TimeAxis:
    """Maps days to x between ``x0`` and ``x1``, proportionally to elapsed time."""

    lo: dt.date
    hi: dt.date
    x0: float
    x1: float

    @classmethod
    def for_months(cls, first: str, last: str, x0: float, x1: float) -> TimeAxis:
        """An axis from the start of month ``first`` to the start of the month after
        ``last`` (each month is a slot; a point sits in the middle of its slot)."""
        return cls(month_start(month_number(first)), month_start(month_number(last) + 1),
                   x0, x1)

    def x(self, day: dt.date) -> float:
        span = max((self.hi - self.lo).days, 1)
        return self.x0 + (self.x1 - self.x0) * (day - self.lo).days / span

    def month_x(self, ym: str) -> float:
        n = month_number(ym)
        start, end = month_start(n), month_start(n + 1)
        return (self.x(start) + self.x(end)) / 2

    def ticks(self, max_ticks: int = 8) -> list[tuple[float, str]]:
        """Month starts on a round step (1, 2, 3, 6 months, 1, 2, 5... years), at most
        ``max_ticks``; labelled YYYY-MM, or YYYY when the step is whole years."""
        first = self.lo.year * 12 + self.lo.month - 1 + (self.lo.day > 1)
        last = self.hi.year * 12 + self.hi.month - 1
        step = next((s for s in _TICK_STEPS if (last - first) // s + 1 <= max_ticks),
                    _TICK_STEPS[-1])
        start = -(-first // step) * step  # first multiple of the step inside the axis
        return [(self.x(month_start(n)), str(n // 12) if step % 12 == 0 else month_label(n))
                for n in range(start, last + 1, step)]


def weighted_bounds(weights: Mapping[int, float], low: float = LOW_QUANTILE,
                    high: float = HIGH_QUANTILE) -> tuple[int, int] | None:
    """The keys at the ``low`` and ``high`` weighted quantiles (keys sorted ascending)."""
    items = sorted((k, w) for k, w in weights.items() if w > 0)
    total = sum(w for _, w in items)
    if not items or total <= 0:
        return None
    seen, lo_key, hi_key = 0.0, None, items[-1][0]
    for key, w in items:
        seen += w
        if lo_key is None and seen > low * total:
            lo_key = key
        if seen >= high * total:
            hi_key = key
            break
    return (lo_key if lo_key is not None else items[0][0]), hi_key


@dataclass(frozen=True, slots=True)
class SliderRange:
    months: list[str]  # every month of the range, YYYY-MM
    n_before: int  # events dated before the first month
    n_after: int  # events dated after the last month


_RANGE_CACHE: RevisionCache[SliderRange] = RevisionCache(size=4)


def slider_range(session: Session, today: dt.date | None = None) -> SliderRange:
    """Months of the time slider: the weighted bulk of event months (from the monthly
    summary), reaching at least the latest article's month (the newest reports stay
    reachable) but never past ``today``'s month."""
    today = today or dt.date.today()
    return _RANGE_CACHE.get_or_build(session, ("slider", today),
                                     lambda: _slider_range(session, today))


def _slider_range(session: Session, today: dt.date) -> SliderRange:
    rows = session.execute(
        select(DyadMonth.month, func.sum(DyadMonth.n_events))
        .where(DyadMonth.month != UNDATED_MONTH).group_by(DyadMonth.month)
    ).all()
    weights = {int(month) // 100 * 12 + int(month) % 100 - 1: float(n or 0)
               for month, n in rows}
    bounds = weighted_bounds(weights)
    if bounds is None:
        return SliderRange([], 0, 0)
    lo, hi = bounds
    now = today.year * 12 + today.month - 1
    newest = session.scalar(select(func.max(Document.published))
                            .where(Document.published <= today))
    if newest is not None:
        hi = max(hi, newest.year * 12 + newest.month - 1)
    hi = max(lo, min(hi, now))
    return SliderRange(
        months=[month_label(n) for n in range(lo, hi + 1)],
        n_before=int(sum(w for k, w in weights.items() if k < lo)),
        n_after=int(sum(w for k, w in weights.items() if k > hi)),
    )

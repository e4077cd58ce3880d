"""One real-world happening, many reports: the decision whether two reports are one.

Two reports describe the same happening when they have the same actors, a compatible
event type, dates that agree within their precision, and places that do not conflict.
The decision is a pure function on ``HappeningKey`` so it is easy to test and tune; the
store links stored events with it (store/happenings.py).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

# Event types whose two sides read the same in both directions.
SYMMETRIC_EVENT_TYPES: frozenset[str] = frozenset({"CONSULT", "COOPERATE"})
REPORTED_SLACK_DAYS = 7  # events dated only by publication: within a week of each other
DAY_SLACK_DAYS = 1  # time zones and "overnight" strikes straddle midnight
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "reported": 3}


@dataclass(frozen=True, slots=True)
class HappeningKey:
    """What decides whether two event reports are one happening."""

    type: str
    cameo: str
    quad_class: int
    sources: frozenset[int]
    targets: frozenset[int]
    date: dt.date | None
    precision: str = "reported"
    date_end: dt.date | None = None
    country: str | None = None


def date_range(key: HappeningKey) -> tuple[dt.date, dt.date] | None:
    """The days a key's date covers, from its precision."""
    if key.date is None:
        return None
    start = key.date
    if key.precision == "month":
        last = calendar.monthrange(start.year, start.month)[1]
        return start.replace(day=1), key.date_end or start.replace(day=last)
    if key.precision == "year":
        return start.replace(month=1, day=1), key.date_end or start.replace(month=12, day=31)
    return start, key.date_end or start


def slack_days(a: HappeningKey, b: HappeningKey) -> int:
    if "reported" in (a.precision, b.precision):
        return REPORTED_SLACK_DAYS
    if a.precision == b.precision == "day":
        return DAY_SLACK_DAYS
    return 0  # a month or year range must contain the other date


def dates_compatible(a: HappeningKey, b: HappeningKey) -> bool:
    ra, rb = date_range(a), date_range(b)
    if ra is None or rb is None:
        return False  # an undated report is not evidence of being the same happening
    gap = max(ra[0], rb[0]) - min(ra[1], rb[1])
    return gap.days <= slack_days(a, b)


def types_compatible(a: HappeningKey, b: HappeningKey) -> bool:
    if a.type == b.type:
        return True
    return a.quad_class == b.quad_class and a.cameo[:2] == b.cameo[:2]


def _sides_match(a: frozenset[int], b: frozenset[int]) -> bool:
    # compound actors: one report may name more of the coalition than another
    if not a or not b:
        return a == b
    return bool(a & b)


def actors_compatible(a: HappeningKey, b: HappeningKey) -> bool:
    # Two reports that name no actor at all share nothing that says they are one happening.
    if not (a.sources or a.targets) or not (b.sources or b.targets):
        return False
    if _sides_match(a.sources, b.sources) and _sides_match(a.targets, b.targets):
        return True
    symmetric = a.type in SYMMETRIC_EVENT_TYPES and b.type in SYMMETRIC_EVENT_TYPES
    return symmetric and _sides_match(a.sources, b.targets) and _sides_match(a.targets, b.sources)


def places_compatible(a: HappeningKey, b: HappeningKey) -> bool:
    return a.country is None or b.country is None or a.country == b.country


def same_happening(a: HappeningKey, b: HappeningKey) -> bool:
    """Do two reports describe one real-world happening?"""
    return (
        types_compatible(a, b)
        and actors_compatible(a, b)
        and dates_compatible(a, b)
        and places_compatible(a, b)
    )

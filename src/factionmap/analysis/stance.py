"""Directed stance of actor A toward actor B, month by month.

Each month's evidence is a set of observations on the Goldstein scale
(-10 conflict .. +10 cooperation): every event A -> B contributes its Goldstein
score (hedged events half of it, negated ones nothing: they did not happen),
every relation contributes +/- ``RELATION_GOLDSTEIN`` (see common.py).

Thin evidence is handled by Bayesian shrinkage toward 0 (no stance): the score
is the posterior mean under a normal prior N(0, PRIOR_SD^2) worth PRIOR_WEIGHT
observations, i.e. ``sum / (n + PRIOR_WEIGHT)``; the band is that mean +/- 1.96
posterior standard errors, with the variance pooled from the month's spread and
the prior's. One event gives a wide band near 0; thirty agreeing events a
narrow band near their mean.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from factionmap.analysis.common import (
    NEGATIVE_RELATIONS,
    POSITIVE_RELATIONS,
    RELATION_GOLDSTEIN,
    counted_relation,
    member_ids,
    relation_in_window,
    year_month,
)
from factionmap.analysis.summary_reads import dyad_month_sums
from factionmap.records import SYMMETRIC_RELATIONS
from factionmap.store.models import RelationFact

PRIOR_WEIGHT = 2.0
PRIOR_SD = 5.0
Z95 = 1.96


@dataclass(frozen=True, slots=True)
class StancePoint:
    month: str  # "YYYY-MM"
    score: float  # shrunk mean, -10..10
    low: float
    high: float
    raw_mean: float
    n_events: int
    n_relations: int
    total: float = 0.0  # sum of observations (Goldstein scale)
    sumsq: float = 0.0  # sum of squared observations, for change tests

    @property
    def n(self) -> int:
        return self.n_events + self.n_relations


@dataclass(slots=True)
class _MonthSums:
    n_events: int = 0
    n_relations: int = 0
    total: float = 0.0
    sumsq: float = 0.0


def point_from_sums(month: str, sums: _MonthSums) -> StancePoint:
    n = sums.n_events + sums.n_relations
    raw = sums.total / n if n else 0.0
    weight = n + PRIOR_WEIGHT
    score = sums.total / weight
    spread = max(sums.sumsq - n * raw * raw, 0.0)
    variance = (spread + PRIOR_WEIGHT * PRIOR_SD**2) / weight
    half = Z95 * math.sqrt(variance / weight)
    return StancePoint(
        month=month,
        score=round(score, 3),
        low=round(max(-10.0, score - half), 3),
        high=round(min(10.0, score + half), 3),
        raw_mean=round(raw, 3),
        n_events=sums.n_events,
        n_relations=sums.n_relations,
        total=sums.total,
        sumsq=sums.sumsq,
    )


def _month_key(year: object, month: object) -> str:
    return f"{int(year):04d}-{int(month):02d}"  # type: ignore[call-overload]


def dyad_stance(
    session: Session,
    source_id: int,
    target_id: int,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[StancePoint]:
    """Monthly stance of ``source_id`` toward ``target_id`` (merged actors included)."""
    a_ids = member_ids(session, source_id)
    b_ids = member_ids(session, target_id)
    months: dict[str, _MonthSums] = {}

    # events: whole months from the dyad summary, partial edge months from the events
    for yyyymm, acc in dyad_month_sums(session, a_ids, b_ids, start, end).items():
        sums = months.setdefault(_month_key(yyyymm // 100, yyyymm % 100), _MonthSums())
        sums.n_events += acc.n
        sums.total += acc.total
        sums.sumsq += acc.sumsq

    day = func.coalesce(RelationFact.valid_from, RelationFact.reported_at)
    ry, rm = year_month(day)
    forward = POSITIVE_RELATIONS - {"backed_by"} | NEGATIVE_RELATIONS
    rel_rows = session.execute(
        select(ry, rm, RelationFact.type, func.count())
        .where(
            counted_relation(),
            relation_in_window(start, end),
            or_(
                and_(RelationFact.subject_actor_id.in_(a_ids),
                     RelationFact.object_actor_id.in_(b_ids),
                     RelationFact.type.in_(forward)),
                # "B is backed by A" is A's support for B; symmetric types read both ways.
                and_(RelationFact.subject_actor_id.in_(b_ids),
                     RelationFact.object_actor_id.in_(a_ids),
                     RelationFact.type.in_(SYMMETRIC_RELATIONS | {"backed_by"})),
            ),
        )
        .group_by(ry, rm, RelationFact.type)
    ).all()
    for year, month, rel_type, count in rel_rows:
        if year is None:
            continue
        sign = 1.0 if rel_type in POSITIVE_RELATIONS else -1.0
        sums = months.setdefault(_month_key(year, month), _MonthSums())
        sums.n_relations += int(count)
        sums.total += sign * RELATION_GOLDSTEIN * int(count)
        sums.sumsq += RELATION_GOLDSTEIN**2 * int(count)

    return [point_from_sums(key, months[key]) for key in sorted(months)]


def overall_stance(points: list[StancePoint]) -> StancePoint | None:
    """All months pooled into one point (for summaries)."""
    if not points:
        return None
    sums = _MonthSums()
    for p in points:
        sums.n_events += p.n_events
        sums.n_relations += p.n_relations
        sums.total += p.total
        sums.sumsq += p.sumsq
    return point_from_sums(f"{points[0].month}..{points[-1].month}", sums)

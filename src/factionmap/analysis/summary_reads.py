"""Event sums read from the summary tables (store/summaries.py), exact for any window.

A window [start, end] is split into the whole months it covers, read from the
monthly summaries, and at most two partial months at its edges, read from the
daily dyad summary. Both use the same rules as a scan of the events (rejected and
negated events out, hedged ones at half their Goldstein score, compound actors in,
an event placed on its date else its publication date), so results equal that
scan -- only much cheaper for long windows and busy actors. Event-type and outlet
filters read the events (the summaries are split by neither).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Subquery, func, literal, literal_column, select, union_all
from sqlalchemy.orm import Session

from factionmap.analysis.common import event_pairs
from factionmap.store.models import ActorMonth, ActorPartner, DyadDay, DyadMonth
from factionmap.store.summaries import UNDATED_MONTH, day_of, month_of


@dataclass(frozen=True, slots=True)
class WindowParts:
    """Whole months [first_month, last_month] (None = open) plus raw day ranges at the edges."""

    first_month: int | None
    last_month: int | None
    has_months: bool
    include_undated: bool
    edges: tuple[tuple[dt.date, dt.date], ...] = ()


def _month_start(month: int) -> dt.date:
    return dt.date(month // 100, month % 100, 1)


def _month_end(month: int) -> dt.date:
    y, m = divmod(month, 100)
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _next_month(month: int, step: int = 1) -> int:
    y, m = divmod(month, 100)
    index = y * 12 + (m - 1) + step
    return (index // 12) * 100 + index % 12 + 1


def split_window(start: dt.date | None, end: dt.date | None) -> WindowParts:
    """Split a window into whole months and the partial-month day ranges at its edges."""
    first = None if start is None else month_of(start)
    if start is not None and start != _month_start(month_of(start)):
        first = _next_month(month_of(start))
    last = None if end is None else month_of(end)
    if end is not None and end != _month_end(month_of(end)):
        last = _next_month(month_of(end), -1)
    undated = start is None and end is None
    if first is not None and last is not None and first > last:
        # no whole month inside: the window is one raw range
        assert start is not None and end is not None
        return WindowParts(None, None, False, False, ((start, end),) if start <= end else ())
    edges = []
    if start is not None and first is not None and start < _month_start(first):
        edges.append((start, _month_start(first) - dt.timedelta(days=1)))
    if end is not None and last is not None and end > _month_end(last):
        edges.append((_month_end(last) + dt.timedelta(days=1), end))
    return WindowParts(first, last, True, undated, tuple(edges))


def _month_filter(
    parts: WindowParts, month: ColumnElement[int] | None = None
) -> list[ColumnElement[bool]]:
    """Month-range clauses on ``month`` (dyad_months' by default)."""
    if month is None:
        month = DyadMonth.__table__.c.month
    clauses: list[ColumnElement[bool]] = []
    if not parts.include_undated:
        clauses.append(month != UNDATED_MONTH)
    if parts.first_month is not None:
        clauses.append(month >= parts.first_month)
    if parts.last_month is not None:
        clauses.append(month <= parts.last_month)
    return clauses


@dataclass(slots=True)
class EventSums:
    n: int = 0
    total: float = 0.0
    sumsq: float = 0.0


def dyad_month_sums(
    session: Session,
    sources: list[int],
    targets: list[int],
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> dict[int, EventSums]:
    """Events of sources -> targets per dated month (yyyymm) inside the window."""
    parts = split_window(start, end)
    out: dict[int, EventSums] = defaultdict(EventSums)
    if parts.has_months:
        rows = session.execute(
            select(DyadMonth.month, func.sum(DyadMonth.n_events), func.sum(DyadMonth.goldstein_sum),
                   func.sum(DyadMonth.goldstein_sumsq))
            .where(DyadMonth.source_actor_id.in_(sources), DyadMonth.target_actor_id.in_(targets),
                   DyadMonth.month != UNDATED_MONTH, *_month_filter(parts))
            .group_by(DyadMonth.month)
        ).all()
        for month, n, total, sumsq in rows:
            _add(out[int(month)], n, total, sumsq)
    # one inline expression in SELECT and GROUP BY: PostgreSQL does not see two bound
    # parameters of the same value as the same expression
    day_month = DyadDay.day // literal_column("100")
    for lo, hi in parts.edges:
        rows = session.execute(
            select(day_month, func.sum(DyadDay.n_events), func.sum(DyadDay.goldstein_sum),
                   func.sum(DyadDay.goldstein_sumsq))
            .where(DyadDay.source_actor_id.in_(sources), DyadDay.target_actor_id.in_(targets),
                   DyadDay.day.between(day_of(lo), day_of(hi)))
            .group_by(day_month)
        ).all()
        for month, n, total, sumsq in rows:
            _add(out[int(month)], n, total, sumsq)
    return dict(out)


def _add(acc: EventSums, n: object, total: object, sumsq: object) -> None:
    acc.n += int(n or 0)  # type: ignore[call-overload]
    acc.total += float(total or 0.0)  # type: ignore[arg-type]
    acc.sumsq += float(sumsq or 0.0)  # type: ignore[arg-type]


def window_dyads(
    start: dt.date | None, end: dt.date | None, event_types: list[str] | None = None,
    min_outlets: int = 1,
) -> Subquery:
    """Rows (source, target, n, total) whose sums per pair are the window's events.

    Whole months come from dyad_months, the partial months at the edges from
    dyad_days; an event-type or outlet filter reads the events (summaries are split by
    neither).
    """
    if event_types or min_outlets > 1:
        p = event_pairs(start=start, end=end, types=event_types, min_outlets=min_outlets)
        return select(p.c.source_id.label("source"), p.c.target_id.label("target"),
                      literal(1).label("n"), p.c.goldstein.label("total")).subquery("dyads")
    parts = split_window(start, end)
    selects = []
    if parts.has_months:
        selects.append(
            select(DyadMonth.source_actor_id.label("source"),
                   DyadMonth.target_actor_id.label("target"),
                   DyadMonth.n_events.label("n"), DyadMonth.goldstein_sum.label("total"))
            .where(*_month_filter(parts))
        )
    for lo, hi in parts.edges:
        selects.append(
            select(DyadDay.source_actor_id.label("source"),
                   DyadDay.target_actor_id.label("target"),
                   DyadDay.n_events.label("n"), DyadDay.goldstein_sum.label("total"))
            .where(DyadDay.day.between(day_of(lo), day_of(hi)))
        )
    if not selects:  # an empty window (start after end)
        selects.append(select(DyadDay.source_actor_id.label("source"),
                              DyadDay.target_actor_id.label("target"),
                              DyadDay.n_events.label("n"), DyadDay.goldstein_sum.label("total"))
                       .where(literal(False)))
    return (selects[0] if len(selects) == 1 else union_all(*selects)).subquery("dyads")


def pair_event_sums(
    session: Session,
    start: dt.date | None,
    end: dt.date | None,
    event_types: list[str] | None = None,
    among: list[int] | None = None,
    min_outlets: int = 1,
) -> dict[tuple[int, int], EventSums]:
    """Events per directed (source, target) pair in the window; with ``among``, only
    pairs whose both ends are in it."""
    d = window_dyads(start, end, event_types, min_outlets)
    query = select(d.c.source, d.c.target, func.sum(d.c.n), func.sum(d.c.total))
    if among is not None:
        query = query.where(d.c.source.in_(among), d.c.target.in_(among))
    out: dict[tuple[int, int], EventSums] = defaultdict(EventSums)
    for src, tgt, n, total in session.execute(query.group_by(d.c.source, d.c.target)).all():
        _add(out[(src, tgt)], n, total, 0.0)
    return dict(out)


def _actor_window_rows(
    start: dt.date | None,
    end: dt.date | None,
    event_types: list[str] | None,
    only: list[int] | None = None,
    min_outlets: int = 1,
) -> Subquery:
    """Rows (actor_id, n) whose sums per actor are its events in the window; with
    ``only``, just those actors' rows (read through the actor-keyed indexes)."""
    selects = []
    pair_ends: list[tuple[Any, Any, Any, Any]]  # (source, target, n, where) columns
    if event_types or min_outlets > 1:
        d = window_dyads(start, end, event_types, min_outlets)
        pair_ends = [(d.c.source, d.c.target, d.c.n, literal(True))]
    else:
        parts = split_window(start, end)
        if parts.has_months:
            month_rows = (select(ActorMonth.actor_id.label("actor_id"),
                                 ActorMonth.n_events.label("n"))
                          .where(*_month_filter(parts, ActorMonth.__table__.c.month)))
            if only is not None:
                month_rows = month_rows.where(ActorMonth.actor_id.in_(only))
            selects.append(month_rows)
        pair_ends = [(DyadDay.source_actor_id, DyadDay.target_actor_id, DyadDay.n_events,
                      DyadDay.day.between(day_of(lo), day_of(hi))) for lo, hi in parts.edges]
    for source, target, n, where in pair_ends:
        for this, other in ((source, target), (target, source)):
            rows = select(this.label("actor_id"), n.label("n")).where(where, this != other)
            if only is not None:
                rows = rows.where(this.in_(only))
            selects.append(rows)
    if not selects:
        return select(literal(0).label("actor_id"), literal(0).label("n")).where(
            literal(False)).subquery("ends")
    return (selects[0] if len(selects) == 1 else union_all(*selects)).subquery("ends")


def event_degrees(
    session: Session,
    start: dt.date | None,
    end: dt.date | None,
    event_types: list[str] | None = None,
    *,
    top: int | None,
    also: list[int] | None = None,
    kinds: list[str] | None = None,
    country: str | None = None,
    min_outlets: int = 1,
) -> dict[int, int]:
    """Events per actor in the window: the ``top`` busiest actors matching the filters
    (None: none), plus the ``also`` actors.

    Whole months read the actor's distinct events from actor_months; the partial
    months at the edges (and event-type filters) count the dyads it is in. One
    statement: the per-actor sums are materialised once and read twice. Without
    ``top`` only the ``also`` actors' rows are read (a few index lookups, not a
    grouping of every active actor).
    """
    from factionmap.store.models import Actor

    if not top:
        if not also:
            return {}
        ends = _actor_window_rows(start, end, event_types, only=also, min_outlets=min_outlets)
        rows = session.execute(select(ends.c.actor_id, func.sum(ends.c.n))
                               .group_by(ends.c.actor_id))
        return {int(a): int(n or 0) for a, n in rows}
    ends = _actor_window_rows(start, end, event_types, min_outlets=min_outlets)
    degree = (select(ends.c.actor_id, func.sum(ends.c.n).label("n"))
              .group_by(ends.c.actor_id).cte("degree").prefix_with("MATERIALIZED"))
    best = select(degree.c.actor_id, degree.c.n)
    if kinds or country:
        best = best.join(Actor, Actor.id == degree.c.actor_id)
        if kinds:
            best = best.where(Actor.kind.in_(kinds))
        if country:
            best = best.where(Actor.country == country)
    query = best.order_by(degree.c.n.desc(), degree.c.actor_id).limit(top or 0).subquery("best")
    parts = [select(query.c.actor_id, query.c.n)] if top else []
    if also:
        parts.append(select(degree.c.actor_id, degree.c.n).where(degree.c.actor_id.in_(also)))
    if not parts:
        return {}
    statement = parts[0] if len(parts) == 1 else union_all(*parts)
    return {int(a): int(n or 0) for a, n in session.execute(statement).all()}


def actor_event_count(session: Session, ids: list[int]) -> int | None:
    """Distinct counted (unrejected, not negated) events of one actor, or None when
    several actors are merged (an event they share would be counted twice; the caller
    counts the events instead)."""
    if len(ids) != 1:
        return None
    return int(session.scalar(
        select(func.coalesce(func.sum(ActorMonth.n_events), 0)).where(ActorMonth.actor_id == ids[0])
    ) or 0)


def partner_rows(session: Session, ids: list[int], limit: int) -> list[tuple[int, int, float]]:
    """(partner, events, Goldstein sum) of the actor's busiest partners, all time."""
    if len(ids) == 1:  # read straight off the (actor, n_events, partner) index
        query = (
            select(ActorPartner.partner_id, ActorPartner.n_events, ActorPartner.goldstein_sum)
            .where(ActorPartner.actor_id == ids[0])
            .order_by(ActorPartner.n_events.desc(), ActorPartner.partner_id.desc())
            .limit(limit)
        )
    else:
        n = func.sum(ActorPartner.n_events)
        query = (
            select(ActorPartner.partner_id, n, func.sum(ActorPartner.goldstein_sum))
            .where(ActorPartner.actor_id.in_(ids))
            .group_by(ActorPartner.partner_id)
            .order_by(n.desc(), ActorPartner.partner_id.desc())
            .limit(limit)
        )
    return [(int(p), int(c), float(g or 0.0)) for p, c, g in session.execute(query).all()]

"""Event sums read from the summary tables (store/summaries.py), exact for any window.

A window [start, end] is split into the whole months it covers, read from the
monthly summaries, and at most two partial months at its edges, read from the
events themselves. Both parts use the same rules (rejected events out, compound
actors in, an event placed on its date else its publication date), so results
equal a scan of the events -- only much cheaper for long windows and busy actors.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from factionmap.analysis.common import event_pairs, year_month
from factionmap.store.models import ActorMonth, ActorPartner, DyadMonth, EventFact
from factionmap.store.summaries import UNDATED_MONTH, month_of


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


def _month_filter(parts: WindowParts) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if not parts.include_undated:
        clauses.append(DyadMonth.month != UNDATED_MONTH)
    if parts.first_month is not None:
        clauses.append(DyadMonth.month >= parts.first_month)
    if parts.last_month is not None:
        clauses.append(DyadMonth.month <= parts.last_month)
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
    for lo, hi in parts.edges:
        pairs = event_pairs(sources=sources, targets=targets, start=lo, end=hi)
        y, m = year_month(func.coalesce(EventFact.date, EventFact.reported_at))
        for year, month, n, total, sumsq in session.execute(
            select(y, m, func.count(), func.sum(EventFact.goldstein),
                   func.sum(EventFact.goldstein * EventFact.goldstein))
            .join(pairs, pairs.c.event_id == EventFact.id).group_by(y, m)
        ).all():
            if year is not None:
                _add(out[int(year) * 100 + int(month)], n, total, sumsq)
    return dict(out)


def _add(acc: EventSums, n: object, total: object, sumsq: object) -> None:
    acc.n += int(n or 0)  # type: ignore[call-overload]
    acc.total += float(total or 0.0)  # type: ignore[arg-type]
    acc.sumsq += float(sumsq or 0.0)  # type: ignore[arg-type]


def pair_event_sums(
    session: Session,
    start: dt.date | None,
    end: dt.date | None,
    event_types: list[str] | None = None,
) -> dict[tuple[int, int], EventSums]:
    """Events per directed (source, target) pair in the window.

    The summaries are not split by event type, so a type filter reads the events.
    """
    out: dict[tuple[int, int], EventSums] = defaultdict(EventSums)
    ranges: list[tuple[dt.date | None, dt.date | None]]
    if event_types:
        ranges = [(start, end)]
    else:
        parts = split_window(start, end)
        ranges = list(parts.edges)
        if parts.has_months:
            rows = session.execute(
                select(DyadMonth.source_actor_id, DyadMonth.target_actor_id,
                       func.sum(DyadMonth.n_events), func.sum(DyadMonth.goldstein_sum))
                .where(*_month_filter(parts))
                .group_by(DyadMonth.source_actor_id, DyadMonth.target_actor_id)
            ).all()
            for src, tgt, n, total in rows:
                _add(out[(src, tgt)], n, total, 0.0)
    for lo, hi in ranges:
        pairs = event_pairs(start=lo, end=hi, types=event_types)
        for src, tgt, n, total in session.execute(
            select(pairs.c.source_id, pairs.c.target_id, func.count(), func.sum(pairs.c.goldstein))
            .group_by(pairs.c.source_id, pairs.c.target_id)
        ).all():
            _add(out[(src, tgt)], n, total, 0.0)
    return dict(out)


def actor_event_count(session: Session, ids: list[int]) -> int | None:
    """Distinct unrejected events of one actor, or None when several actors are merged
    (an event they share would be counted twice; the caller counts the events instead)."""
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

"""Link each stored event report to its ``Happening`` (one real-world event, many reports).

The decision is ``resolve.happenings.same_happening``; this module finds the few stored
happenings that could match (same quad class and type family, an actor in common, dates
near enough for their precision: all in SQL, along the actor/quad/date indexes) and keeps
their report counts.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from factionmap.resolve.happenings import (
    PRECISION_RANK,
    REPORTED_SLACK_DAYS,
    HappeningKey,
    date_range,
    same_happening,
    types_compatible,
)
from factionmap.store.models import EventActor, EventFact, Happening

# How far around an event's date to look for candidate happenings.
CANDIDATE_WINDOW_DAYS = 400


# ---- database side ----------------------------------------------------------


def _actor_sets(session: Session, event_ids: list[int]) -> tuple[frozenset[int], frozenset[int]]:
    rows = session.execute(
        select(EventActor.side, EventActor.actor_id).where(
            EventActor.event_id.in_(event_ids), EventActor.actor_id.is_not(None)
        )
    ).all()
    sources = frozenset(a for side, a in rows if side == "source" and a is not None)
    targets = frozenset(a for side, a in rows if side == "target" and a is not None)
    return sources, targets


def event_key(session: Session, event: EventFact) -> HappeningKey:
    if "actors" in event.__dict__:  # just written: its actor rows are in memory
        sides = [(a.side, a.actor_id) for a in event.actors if a.actor_id is not None]
        sources = frozenset(a for side, a in sides if side == "source" and a is not None)
        targets = frozenset(a for side, a in sides if side == "target" and a is not None)
    else:
        sources, targets = _actor_sets(session, [event.id])
    if not sources and event.source_actor_id is not None:
        sources = frozenset({event.source_actor_id})
    if not targets and event.target_actor_id is not None:
        targets = frozenset({event.target_actor_id})
    return HappeningKey(
        type=event.type,
        cameo=event.cameo,
        quad_class=event.quad_class,
        sources=sources,
        targets=targets,
        date=event.date or event.reported_at,
        precision=event.date_precision if event.date else "reported",
        date_end=event.date_end if event.date else None,
        country=event.country,
    )


def happening_key(
    happening: Happening, actors: tuple[frozenset[int], frozenset[int]] | None = None
) -> HappeningKey:
    """The key of a stored happening; ``actors`` are its reports' (sources, targets)."""
    sources, targets = actors or (frozenset(), frozenset())
    if happening.source_actor_id is not None:
        sources = sources | {happening.source_actor_id}
    if happening.target_actor_id is not None:
        targets = targets | {happening.target_actor_id}
    return HappeningKey(
        type=happening.type,
        cameo=happening.cameo,
        quad_class=happening.quad_class,
        sources=sources,
        targets=targets,
        date=happening.date,
        precision=happening.date_precision,
        date_end=happening.date_end,
        country=happening.country,
    )


def happening_actors(
    session: Session, happening_ids: list[int]
) -> dict[int, tuple[frozenset[int], frozenset[int]]]:
    """(sources, targets) of every listed happening, over all its reports, in one query."""
    rows = session.execute(
        select(EventFact.happening_id, EventActor.side, EventActor.actor_id)
        .join(EventActor, EventActor.event_id == EventFact.id)
        .where(EventFact.happening_id.in_(happening_ids), EventActor.actor_id.is_not(None))
        .distinct()
    ).all()
    sides: dict[int, tuple[set[int], set[int]]] = {h: (set(), set()) for h in happening_ids}
    for happening_id, side, actor_id in rows:
        if happening_id is not None and actor_id is not None:  # both filtered in SQL already
            sides[happening_id][0 if side == "source" else 1].add(actor_id)
    return {h: (frozenset(s), frozenset(t)) for h, (s, t) in sides.items()}


def _dates_may_meet(key: HappeningKey) -> ColumnElement[bool]:
    """A necessary condition, in SQL, for a stored happening's dates to be compatible with
    ``key`` (``dates_compatible`` decides): ranges within the widest slack of each other."""
    covered = date_range(key)
    assert covered is not None
    slack = dt.timedelta(days=REPORTED_SLACK_DAYS)
    first, last = covered[0] - slack, covered[1] + slack
    window = dt.timedelta(days=CANDIDATE_WINDOW_DAYS)
    clauses: list[ColumnElement[bool]] = [
        Happening.date.between(key.date - window, (key.date_end or key.date) + window)  # type: ignore[operator]
    ]
    by_precision = []
    for precision, days in (("month", 31), ("year", 366), (None, 0)):
        spread = dt.timedelta(days=days)
        which = (Happening.date_precision == precision if precision
                 else Happening.date_precision.not_in(("month", "year")))
        by_precision.append(and_(
            which,
            Happening.date <= last + spread,
            or_(Happening.date_end >= first,
                and_(Happening.date_end.is_(None), Happening.date >= first - spread)),
        ))
    clauses.append(or_(*by_precision))
    return and_(*clauses)


def _candidates(session: Session, key: HappeningKey) -> list[Happening]:
    """Stored happenings that may be the one ``key`` reports (a superset of the matches)."""
    actor_ids = key.sources | key.targets
    if key.date is None or not actor_ids:
        return []  # undated or actorless reports never match (see same_happening)
    family = or_(Happening.type == key.type, func.substr(Happening.cameo, 1, 2) == key.cameo[:2])
    query = select(Happening).where(
        Happening.quad_class == key.quad_class,
        family,
        or_(Happening.source_actor_id.in_(actor_ids), Happening.target_actor_id.in_(actor_ids)),
        _dates_may_meet(key),
    )
    return list(session.scalars(query.order_by(Happening.id)))


def _may_match(happening: Happening, key: HappeningKey) -> bool:
    """Part of what ``_candidates`` asks in SQL: when it fails, the query would not find
    ``happening`` even if it were flushed."""
    return key.date is not None and happening.quad_class == key.quad_class and bool(
        {happening.source_actor_id, happening.target_actor_id} & (key.sources | key.targets))


def link_event(
    session: Session, event: EventFact, unflushed: list[Happening] | None = None
) -> Happening:
    """Attach ``event`` to the happening it reports, creating one if none matches.

    A new happening is flushed at once, so the next event's query can find it; or, given
    ``unflushed`` (the caller flushes later), kept there and flushed only when a later
    event might match it: most happenings are reported once, so most need no flush of
    their own.
    """
    key = event_key(session, event)
    if unflushed and any(_may_match(h, key) for h in unflushed):
        session.flush()
        unflushed.clear()
    candidates = [h for h in _candidates(session, key) if types_compatible(key, happening_key(h))]
    actors = happening_actors(session, [h.id for h in candidates]) if candidates else {}
    for happening in candidates:
        if same_happening(key, happening_key(happening, actors[happening.id])):
            event.happening = happening
            _refine(happening, event)
            _count_report(happening)
            return happening
    happening = Happening(
        type=event.type,
        cameo=event.cameo,
        goldstein=event.goldstein,
        quad_class=event.quad_class,
        source_actor_id=event.source_actor_id,
        target_actor_id=event.target_actor_id,
        date=key.date,
        date_end=key.date_end,
        date_precision=key.precision,
        location_name=event.location_name,
        country=event.country,
        report_count=1,
    )
    session.add(happening)
    event.happening = happening
    if unflushed is None:
        session.flush()
    else:
        unflushed.append(happening)
    return happening


def _count_report(happening: Happening) -> None:
    # Counted in SQL, as report_count + n: another writer may add a report of the same
    # happening meanwhile. A second report before the next flush adds to the pending sum.
    pending = happening.__dict__.get("report_count")
    if isinstance(pending, ColumnElement):
        happening.report_count = pending + 1  # type: ignore[assignment]
    else:
        happening.report_count = Happening.report_count + 1  # type: ignore[assignment]


def _refine(happening: Happening, event: EventFact) -> None:
    """Keep the most precise date and any place a new report adds."""
    if event.date is not None and PRECISION_RANK.get(
        event.date_precision, 3
    ) < PRECISION_RANK.get(happening.date_precision, 3):
        happening.date = event.date
        happening.date_end = event.date_end
        happening.date_precision = event.date_precision
    if happening.location_name is None and event.location_name:
        happening.location_name = event.location_name
    if happening.country is None and event.country:
        happening.country = event.country
    if happening.source_actor_id is None and event.source_actor_id is not None:
        happening.source_actor_id = event.source_actor_id
    if happening.target_actor_id is None and event.target_actor_id is not None:
        happening.target_actor_id = event.target_actor_id


def count_reports(session: Session, happening_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(EventFact)
            .where(EventFact.happening_id == happening_id)
        )
        or 0
    )


def recount_happenings(session: Session, happening_ids: set[int]) -> None:
    """Refresh report counts after reports went away; drop happenings left with none."""
    for happening_id in happening_ids:
        happening = session.get(Happening, happening_id)
        if happening is None:
            continue
        count = count_reports(session, happening_id)
        if count == 0:
            session.delete(happening)
        else:
            happening.report_count = count
    session.flush()

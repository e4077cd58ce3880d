"""One real-world happening, many reports: link each stored event to its ``Happening``.

Two reports describe the same happening when they have the same actors, a compatible
event type, dates that agree within their precision, and places that do not conflict.
The decision is a pure function on ``HappeningKey`` so it is easy to test and tune.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from factionmap.store.models import EventActor, EventFact, Happening

# Event types whose two sides read the same in both directions.
SYMMETRIC_EVENT_TYPES: frozenset[str] = frozenset({"CONSULT", "COOPERATE"})
REPORTED_SLACK_DAYS = 7  # events dated only by publication: within a week of each other
DAY_SLACK_DAYS = 1  # time zones and "overnight" strikes straddle midnight
# How far around an event's date to look for candidate happenings.
CANDIDATE_WINDOW_DAYS = 400
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "reported": 3}


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


def dates_compatible(a: HappeningKey, b: HappeningKey) -> bool:
    ra, rb = date_range(a), date_range(b)
    if ra is None or rb is None:
        return False  # an undated report is not evidence of being the same happening
    if "reported" in (a.precision, b.precision):
        slack = REPORTED_SLACK_DAYS
    elif a.precision == b.precision == "day":
        slack = DAY_SLACK_DAYS
    else:
        slack = 0  # a month or year range must contain the other date
    gap = max(ra[0], rb[0]) - min(ra[1], rb[1])
    return gap.days <= slack


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


def _candidates(session: Session, key: HappeningKey) -> list[Happening]:
    query = select(Happening).where(Happening.quad_class == key.quad_class)
    if key.date is not None:
        window = dt.timedelta(days=CANDIDATE_WINDOW_DAYS)
        query = query.where(
            Happening.date.between(key.date - window, (key.date_end or key.date) + window)
        )
    actor_ids = key.sources | key.targets
    if actor_ids:
        query = query.where(
            or_(
                Happening.source_actor_id.in_(actor_ids),
                Happening.target_actor_id.in_(actor_ids),
            )
        )
    return list(session.scalars(query.order_by(Happening.id)))


def link_event(session: Session, event: EventFact) -> Happening:
    """Attach ``event`` to the happening it reports, creating one if none matches."""
    key = event_key(session, event)
    candidates = [h for h in _candidates(session, key) if types_compatible(key, happening_key(h))]
    actors = happening_actors(session, [h.id for h in candidates]) if candidates else {}
    for happening in candidates:
        if same_happening(key, happening_key(happening, actors[happening.id])):
            event.happening = happening
            _refine(happening, event)
            session.flush()
            happening.report_count = count_reports(session, happening.id)
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
    session.flush()
    return happening


def _refine(happening: Happening, event: EventFact) -> None:
    """Keep the most precise date and any place a new report adds."""
    if event.date is not None and _PRECISION_RANK.get(
        event.date_precision, 3
    ) < _PRECISION_RANK.get(happening.date_precision, 3):
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

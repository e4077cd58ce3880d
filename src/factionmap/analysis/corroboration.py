"""Corroboration: how many independent outlets report a fact, when, and whether reports
disagree.

A *tie* is what relation facts between the same two actors with the same type say
(subject -> type -> object, merged actors read as their survivor); an *event* is a
happening, reported by one or more event facts. A fact's outlets are the distinct
outlets (``documents.outlet``) of the documents behind its tie or happening; documents
with no known outlet count together as one. Rejected facts and facts the text denies do
not corroborate anything.

A tie is *contested* when other reports contradict it in an overlapping period: a
cooperative type (allied_with, supports, backed_by) against a hostile one (opposes,
fighting_against) between the same two actors, either direction, or a report denying
the same tie. A fact without stated validity holds around its report date, widened by
``CONTEST_WINDOW_DAYS`` either side (news reports a state of affairs, not a day).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from factionmap.analysis.common import (
    counted_event,
    counted_relation,
    not_rejected,
    relation_sign,
    survivor_map,
)
from factionmap.config import CONTEST_WINDOW_DAYS
from factionmap.store.models import Actor, Document, EventFact, RelationFact


@dataclass(frozen=True, slots=True)
class Corroboration:
    outlets: int  # distinct outlets reporting the tie or happening
    first_reported: dt.date | None
    last_reported: dt.date | None
    contested: bool = False


def _outlet() -> ColumnElement[str]:
    # unknown outlets are one outlet, not one per document: independence is not known
    return func.coalesce(Document.outlet, literal(""))


# ---- events -------------------------------------------------------------------------------


def _happening_outlets() -> Select[int | None, int]:
    return (
        select(EventFact.happening_id, func.count(func.distinct(_outlet())))
        .join(Document, Document.id == EventFact.document_id)
        .where(counted_event(), EventFact.happening_id.is_not(None))
        .group_by(EventFact.happening_id)
    )


def events_with_outlets(min_outlets: int) -> ColumnElement[bool]:
    """Events whose happening at least ``min_outlets`` outlets report (a filter clause)."""
    if min_outlets <= 1:
        return and_(True)
    counts = _happening_outlets().having(
        func.count(func.distinct(_outlet())) >= min_outlets).subquery()
    return EventFact.happening_id.in_(select(counts.c.happening_id))


def happening_corroboration(session: Session) -> dict[int, Corroboration]:
    """Outlets and report dates of every happening (for exports of all events)."""
    rows = session.execute(
        select(EventFact.happening_id, func.count(func.distinct(_outlet())),
               func.min(EventFact.reported_at), func.max(EventFact.reported_at))
        .join(Document, Document.id == EventFact.document_id)
        .where(counted_event(), EventFact.happening_id.is_not(None))
        .group_by(EventFact.happening_id)
    ).all()
    return {hid: Corroboration(int(n), first, last) for hid, n, first, last in rows
            if hid is not None}


def event_corroboration(
    session: Session, events: Iterable[EventFact]
) -> dict[int, Corroboration]:
    """Outlets and report dates of each event's happening (an event without one: itself)."""
    events = list(events)
    happenings = sorted({e.happening_id for e in events if e.happening_id is not None})
    by_happening: dict[int, Corroboration] = {}
    for chunk in _chunks(happenings):
        rows = session.execute(
            select(EventFact.happening_id, func.count(func.distinct(_outlet())),
                   func.min(EventFact.reported_at), func.max(EventFact.reported_at))
            .join(Document, Document.id == EventFact.document_id)
            .where(counted_event(), EventFact.happening_id.in_(chunk))
            .group_by(EventFact.happening_id)
        ).all()
        for hid, n, first, last in rows:
            if hid is not None:
                by_happening[hid] = Corroboration(int(n), first, last)
    out = {}
    for e in events:
        found = by_happening.get(e.happening_id) if e.happening_id is not None else None
        if found is None:  # a report of its own; a denied or rejected one reports nothing
            counts = e.modality != "negated" and e.review != "rejected"
            found = (Corroboration(1, e.reported_at, e.reported_at) if counts
                     else Corroboration(0, None, None))
        out[e.id] = found
    return out


# ---- ties ---------------------------------------------------------------------------------


def _survivor(column: Any) -> ColumnElement[int]:
    """The survivor of the actor in ``column`` (merge chains are kept one step long)."""
    actor = aliased(Actor)
    return (select(func.coalesce(actor.merged_into_id, actor.id))
            .where(actor.id == column).scalar_subquery())


def relations_with_outlets(min_outlets: int) -> ColumnElement[bool]:
    """Relations whose tie at least ``min_outlets`` outlets report (a filter clause)."""
    if min_outlets <= 1:
        return and_(True)
    subj, obj = aliased(Actor), aliased(Actor)
    s_key = func.coalesce(subj.merged_into_id, subj.id)
    o_key = func.coalesce(obj.merged_into_id, obj.id)
    keys = (
        select(s_key, RelationFact.type, o_key)
        .join(subj, subj.id == RelationFact.subject_actor_id)
        .join(obj, obj.id == RelationFact.object_actor_id)
        .join(Document, Document.id == RelationFact.document_id)
        .where(counted_relation())
        .group_by(s_key, RelationFact.type, o_key)
        .having(func.count(func.distinct(_outlet())) >= min_outlets)
    )
    return tuple_(_survivor(RelationFact.subject_actor_id), RelationFact.type,
                  _survivor(RelationFact.object_actor_id)).in_(keys)


@dataclass(frozen=True, slots=True)
class _Report:
    subject: int
    object: int
    type: str
    negated: bool
    outlet: str
    reported: dt.date | None
    start: dt.date | None
    end: dt.date | None


def relation_corroboration(
    session: Session, relations: Iterable[RelationFact]
) -> dict[int, Corroboration]:
    """Outlets, report dates and contested flag of each relation's tie."""
    relations = list(relations)
    survivors = survivor_map(session)

    def who(actor_id: int | None) -> int | None:
        return survivors.get(actor_id, actor_id) if actor_id is not None else None

    ends = {w for r in relations for a in (r.subject_actor_id, r.object_actor_id)
            if (w := who(a)) is not None}
    involved = sorted({a for a, s in survivors.items() if s in ends} | ends)
    reports = _reports(session, involved, who)
    by_pair: dict[frozenset[int], list[_Report]] = defaultdict(list)
    for rep in reports:
        by_pair[frozenset((rep.subject, rep.object))].append(rep)
    out = {}
    for r in relations:
        s, o = who(r.subject_actor_id), who(r.object_actor_id)
        if s is None or o is None:
            out[r.id] = Corroboration(1, r.reported_at, r.reported_at)
            continue
        pair = by_pair.get(frozenset((s, o)), [])
        tie = [x for x in pair if (x.subject, x.type, x.object) == (s, r.type, o)]
        said = [x for x in tie if not x.negated]
        dates = [x.reported for x in said if x.reported is not None]
        out[r.id] = Corroboration(
            outlets=len({x.outlet for x in said}),  # 0: a denial nobody asserts
            first_reported=min(dates) if dates else None,
            last_reported=max(dates) if dates else None,
            contested=_contested(r.type, s, o, pair),
        )
    return out


def _reports(session: Session, involved: list[int], who) -> list[_Report]:  # type: ignore[no-untyped-def]
    out: list[_Report] = []
    if not involved:
        return out
    for chunk in _chunks(involved):
        rows = session.execute(
            select(RelationFact.subject_actor_id, RelationFact.object_actor_id,
                   RelationFact.type, RelationFact.modality, _outlet(),
                   RelationFact.reported_at, RelationFact.valid_from, RelationFact.valid_until)
            .join(Document, Document.id == RelationFact.document_id)
            .where(not_rejected(RelationFact),
                   or_(RelationFact.subject_actor_id.in_(chunk),
                       RelationFact.object_actor_id.in_(chunk)))
        ).all()
        for subj, obj, rtype, modality, outlet, reported, start, end in rows:
            s, o = who(subj), who(obj)
            # a tie of an actor with itself (two actors since merged) is reported too
            if s is None or o is None:
                continue
            out.append(_Report(s, o, rtype, modality == "negated", outlet, reported, start, end))
    return out


def _period(rep: _Report) -> tuple[dt.date, dt.date] | None:
    widen = dt.timedelta(days=CONTEST_WINDOW_DAYS)
    start = rep.start or (rep.reported - widen if rep.reported else None)
    end = rep.end or (rep.reported + widen if rep.reported else None)
    if start is None and end is None:
        return None
    return (start or dt.date.min, end or dt.date.max)


def _overlap(a: tuple[dt.date, dt.date] | None, b: tuple[dt.date, dt.date] | None) -> bool:
    if a is None or b is None:  # undated: cannot be placed apart in time
        return True
    return a[0] <= b[1] and b[0] <= a[1]


def _contested(rtype: str, s: int, o: int, pair: list[_Report]) -> bool:
    sign = relation_sign(rtype)
    key = (s, rtype, o)
    asserting = [x for x in pair if not x.negated and (x.subject, x.type, x.object) == key]
    against = [
        x for x in pair
        if (x.negated and (x.subject, x.type, x.object) == key)
        or (sign and not x.negated and relation_sign(x.type) == -sign)
    ]
    return any(_overlap(_period(a), _period(b)) for a in asserting for b in against)


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]

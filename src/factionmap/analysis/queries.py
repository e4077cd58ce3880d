"""The read queries of every face: CLI, REST API and web pages (parameterised, paginated).

The same rules hold for all of them: facts an analyst rejected are invisible (listings,
profiles, counts, the map); an actor merged into another reads as the survivor (its facts
are the survivor's); and a dyad is *directed*: the dyad (A, B) is what A does to B -- the
events with A among their sources and B among their targets (compound actors included).
What B does to A is the dyad (B, A); pages and briefs that show a pair show both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from factionmap.analysis.common import (
    counted_event,
    event_day,
    event_in_window,
    member_ids,
    not_rejected,
)
from factionmap.analysis.corroboration import events_with_outlets, relations_with_outlets
from factionmap.analysis.summary_reads import actor_event_count, partner_rows
from factionmap.kb import name_key
from factionmap.resolve.actors import GLOBAL_ALIAS_ORIGINS
from factionmap.store.actors import follow_merges
from factionmap.store.models import (
    Actor,
    ActorMonth,
    Alias,
    Document,
    EventActor,
    EventFact,
    Happening,
    Mention,
    RelationFact,
)
from factionmap.store.summaries import UNDATED_MONTH

MAX_LIMIT = 500
MAX_OFFSET = 1_000_000  # keeps offsets inside 64-bit SQL integers, whoever calls


def clamp(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(limit, MAX_LIMIT)), max(0, min(offset, MAX_OFFSET))


@dataclass(frozen=True, slots=True)
class EventFilter:
    actor_id: int | None = None
    dyad: tuple[int, int] | None = None  # (source, target), directed
    type: str | None = None
    quad_class: int | None = None
    place: str | None = None  # location name substring or ISO-3 country
    start: dt.date | None = None
    end: dt.date | None = None
    include_rejected: bool = False
    min_outlets: int = 1  # only events whose happening this many outlets report
    # events whose sources and targets all failed to resolve stay in the store, but say
    # nothing about who did what to whom: shown only on request
    include_actorless: bool = False


def has_actor() -> ColumnElement[bool]:
    """The event has a source or target resolved to an actor."""
    return exists(select(EventActor.id).where(EventActor.event_id == EventFact.id,
                                              EventActor.actor_id.is_not(None)))


def _events_of(session: Session, actor_id: int) -> Select[int]:
    """Ids of events the actor (or anyone merged into it) takes part in, either side.

    event_actors holds every source and target of every event (models.py), so
    one indexed lookup finds them all.
    """
    return select(EventActor.event_id).where(EventActor.actor_id.in_(member_ids(session, actor_id)))


def _dyad_events(session: Session, a: int, b: int) -> Select[tuple[int]]:
    from factionmap.analysis.common import event_pairs

    # a listing shows every unrejected fact, denials too (they carry their modality)
    pairs = event_pairs(sources=member_ids(session, a), targets=member_ids(session, b),
                        happened_only=False)
    return select(pairs.c.event_id)


def list_events(
    session: Session, f: EventFilter, *, limit: int = 50, offset: int = 0
) -> tuple[int, list[EventFact]]:
    limit, offset = clamp(limit, offset)
    where: list[ColumnElement[bool]] = []
    if not f.include_rejected:
        where.append(not_rejected(EventFact))
    if not f.include_actorless and f.actor_id is None and f.dyad is None:
        where.append(has_actor())
    if f.actor_id is not None:
        where.append(EventFact.id.in_(_events_of(session, f.actor_id)))
    if f.dyad is not None:
        where.append(EventFact.id.in_(_dyad_events(session, *f.dyad)))
    if f.type:
        where.append(EventFact.type == f.type)
    if f.quad_class is not None:
        where.append(EventFact.quad_class == f.quad_class)
    if f.place:
        where.append(or_(EventFact.country == f.place.upper(),
                         EventFact.location_name.icontains(f.place, autoescape=True)))
    if f.start or f.end:
        where.append(event_in_window(f.start, f.end))
    if f.min_outlets > 1:
        where.append(events_with_outlets(f.min_outlets))
    if f == EventFilter(actor_id=f.actor_id) and f.actor_id is not None:
        # the summaries hold the events that happened; the listing shows denials too
        total = actor_event_total(session, f.actor_id) + _denied_event_count(session, f.actor_id)
    else:
        total = session.scalar(select(func.count()).select_from(EventFact).where(*where)) or 0
    rows = session.scalars(
        select(EventFact).where(*where)
        .order_by(event_day().desc(), EventFact.id.desc()).limit(limit).offset(offset)
    ).all()
    return total, list(rows)


def store_counts(session: Session) -> dict[str, int]:
    """What the overview counts: documents, actors (merged ones once), relations and events
    no analyst rejected, events only when they name an actor (as every list shows them)."""
    def count(query: Select[int]) -> int:
        return int(session.scalar(query) or 0)

    return {
        "documents": count(select(func.count()).select_from(Document)),
        "actors": count(select(func.count()).select_from(Actor)
                        .where(Actor.merged_into_id.is_(None))),
        "relations": count(select(func.count()).select_from(RelationFact)
                           .where(not_rejected(RelationFact))),
        "events": count(select(func.count()).select_from(EventFact)
                        .where(not_rejected(EventFact), has_actor())),
    }


def latest_events(session: Session, *, limit: int = 10, min_outlets: int = 1,
                  include_actorless: bool = False) -> list[EventFact]:
    """Newest events by the day they are placed on, without those dated after the
    article that reports them (announced plans and misread dates are not news of what
    happened) and, unless ``include_actorless``, without those that name no actor."""
    limit, _ = clamp(limit, 0)
    reported_first = or_(EventFact.date.is_(None), EventFact.reported_at.is_(None),
                         EventFact.date <= EventFact.reported_at)
    where = [not_rejected(EventFact), reported_first]
    if not include_actorless:
        where.append(has_actor())
    if min_outlets > 1:
        where.append(events_with_outlets(min_outlets))
    return list(session.scalars(
        select(EventFact).where(*where)
        .order_by(event_day().desc(), EventFact.id.desc()).limit(limit)))


def _denied_event_count(session: Session, actor_id: int) -> int:
    """Unrejected negated events of the actor: few, found through the modality index."""
    takes_part = select(EventActor.id).where(
        EventActor.event_id == EventFact.id, EventActor.actor_id.in_(member_ids(session, actor_id))
    )
    return session.scalar(
        select(func.count()).select_from(EventFact)
        .where(EventFact.modality == "negated", not_rejected(EventFact), takes_part.exists())
    ) or 0


def actor_event_total(session: Session, actor_id: int) -> int:
    """Counted events (not rejected, not negated) the actor or anyone merged into it
    takes part in."""
    ids = member_ids(session, actor_id)
    summarised = actor_event_count(session, ids)  # the common case: one actor, a summary read
    if summarised is not None:
        return summarised
    # Merged actors: count index entries (an event two of them share counts once).
    return session.scalar(
        select(func.count(func.distinct(EventActor.event_id)))
        .join(EventFact, EventFact.id == EventActor.event_id)
        .where(EventActor.actor_id.in_(ids), counted_event())
    ) or 0


def _recent_months_start(session: Session, ids: list[int], limit: int) -> dt.date | None:
    """First day of the earliest of the latest months that hold ``limit`` of the actor's
    events (from actor_months), or None when all its dated months are needed."""
    months = session.execute(
        select(ActorMonth.month, func.sum(ActorMonth.n_events))
        .where(ActorMonth.actor_id.in_(ids), ActorMonth.month != UNDATED_MONTH)
        .group_by(ActorMonth.month).order_by(ActorMonth.month.desc())
    )
    seen = 0
    for month, n in months:
        seen += int(n or 0)
        if seen >= limit:
            return dt.date(month // 100, month % 100, 1)
    return None


def recent_events(session: Session, actor_id: int, *, limit: int = 20) -> list[EventFact]:
    """The actor's latest events by date (merged actors included).

    Busy actors have tens of thousands of events: the monthly activity summary says
    how far back the latest ``limit`` reach. When those months hold fewer events (of
    anyone) than the actor has in all, events are walked newest first along the date
    index and checked for the actor, stopping at ``limit`` -- instead of reading every
    event of the actor.
    """
    ids = member_ids(session, actor_id)
    since = _recent_months_start(session, ids, limit)
    takes_part = select(EventActor.event_id).where(EventActor.actor_id.in_(ids))
    if since is not None and _date_range_is_smaller(session, ids, since):
        mine = takes_part.where(EventActor.event_id == EventFact.id).exists()
        dated = session.scalars(
            select(EventFact).where(not_rejected(EventFact), EventFact.date >= since, mine)
            .order_by(EventFact.date.desc(), EventFact.id.desc()).limit(limit)
        ).all()
        undated = session.scalars(
            select(EventFact).where(not_rejected(EventFact), EventFact.date.is_(None),
                                    EventFact.reported_at >= since, mine)
            .order_by(EventFact.reported_at.desc(), EventFact.id.desc()).limit(limit)
        ).all()
        both = sorted([*dated, *undated], key=lambda e: (e.date or e.reported_at, e.id),
                      reverse=True)
        return both[:limit]
    where = [not_rejected(EventFact), EventFact.id.in_(takes_part)]
    if since is not None:
        where.append(event_in_window(since, None))
    rows = session.scalars(
        select(EventFact).where(*where)
        .order_by(event_day().desc(), EventFact.id.desc()).limit(limit)
    ).all()
    return list(rows)


def _date_range_is_smaller(session: Session, ids: list[int], since: dt.date) -> bool:
    """Whether fewer events of anyone are placed from ``since`` on than the actor has."""
    own = actor_event_count(session, ids)
    if own is None or own < 1000:  # small or merged actors: their own events are few
        return False
    in_range = select(EventFact.id).where(event_in_window(since, None)).limit(own).subquery()
    return (session.scalar(select(func.count()).select_from(in_range)) or 0) < own


def list_relations(
    session: Session,
    *,
    actor_id: int | None = None,
    type: str | None = None,
    limit: int = 50,
    offset: int = 0,
    include_rejected: bool = False,
    min_outlets: int = 1,
    between: tuple[int, int] | None = None,
) -> tuple[int, list[RelationFact]]:
    """Relations, newest report first; with ``min_outlets``, only those whose tie that many
    outlets report (analysis.corroboration); with ``between``, only those of the two
    actors with each other, either way round."""
    limit, offset = clamp(limit, offset)
    where: list[ColumnElement[bool]] = []
    if not include_rejected:
        where.append(not_rejected(RelationFact))
    if actor_id is not None:
        ids = member_ids(session, actor_id)
        where.append(or_(RelationFact.subject_actor_id.in_(ids),
                         RelationFact.object_actor_id.in_(ids)))
    if between is not None:
        a, b = (member_ids(session, x) for x in between)
        where.append(or_(and_(RelationFact.subject_actor_id.in_(a),
                              RelationFact.object_actor_id.in_(b)),
                         and_(RelationFact.subject_actor_id.in_(b),
                              RelationFact.object_actor_id.in_(a))))
    if type:
        where.append(RelationFact.type == type)
    if min_outlets > 1:
        where.append(relations_with_outlets(min_outlets))
    total = session.scalar(select(func.count()).select_from(RelationFact).where(*where)) or 0
    rows = session.scalars(
        select(RelationFact).where(*where)
        .order_by(RelationFact.reported_at.desc(), RelationFact.id.desc())
        .limit(limit).offset(offset)
    ).all()
    return total, list(rows)


def search_actors(
    session: Session, q: str, *, limit: int = 20, offset: int = 0
) -> tuple[int, list[Actor]]:
    """Actors whose name or any alias matches (spelling-robust key, or substring).

    ``%`` and ``_`` in the query are the characters themselves, not LIKE wildcards.
    """
    limit, offset = clamp(limit, offset)
    q = q.strip()
    key = name_key(q) if q else ""
    by_name = [Alias.name.icontains(q, autoescape=True)]
    if key or not q:  # punctuation alone ("%") has an empty key, which every key starts with
        by_name += [Alias.key == key, Alias.key.startswith(key, autoescape=True)]
    alias_hit = select(Alias.actor_id).where(or_(*by_name))
    direct = or_(Actor.name.icontains(q, autoescape=True), Actor.id.in_(alias_hit))
    absorbed = aliased(Actor)
    # a name of an absorbed actor finds the survivor it was merged into (chains are one step)
    via_merge = select(absorbed.merged_into_id).where(
        absorbed.merged_into_id.is_not(None),
        or_(absorbed.name.icontains(q, autoescape=True), absorbed.id.in_(alias_hit)),
    )
    where = and_(Actor.merged_into_id.is_(None), or_(direct, Actor.id.in_(via_merge)))
    total = session.scalar(select(func.count()).select_from(Actor).where(where)) or 0
    rows = session.scalars(
        select(Actor).where(where).order_by(func.length(Actor.name), Actor.name)
        .limit(limit).offset(offset)
    ).all()
    return total, list(rows)


def search_documents(
    session: Session, q: str, *, limit: int = 20, offset: int = 0
) -> tuple[int, list[Document]]:
    limit, offset = clamp(limit, offset)
    where = or_(Document.title.icontains(q, autoescape=True),
                Document.text.icontains(q, autoescape=True))
    total = session.scalar(select(func.count()).select_from(Document).where(where)) or 0
    rows = session.scalars(
        select(Document).where(where).order_by(Document.published.desc())
        .limit(limit).offset(offset)
    ).all()
    return total, list(rows)


def list_documents(
    session: Session, *, limit: int = 20, offset: int = 0
) -> tuple[int, list[Document]]:
    limit, offset = clamp(limit, offset)
    total = session.scalar(select(func.count()).select_from(Document)) or 0
    rows = session.scalars(
        select(Document).order_by(Document.published.desc(), Document.id)
        .limit(limit).offset(offset)
    ).all()
    return total, list(rows)


def document_facts(
    session: Session, document_id: str
) -> tuple[list[Mention], list[RelationFact], list[EventFact]]:
    mentions = session.scalars(
        select(Mention).where(Mention.document_id == document_id).order_by(Mention.start)
    ).all()
    relations = session.scalars(
        select(RelationFact).where(RelationFact.document_id == document_id)
        .order_by(RelationFact.evidence_start)
    ).all()
    events = session.scalars(
        select(EventFact).where(EventFact.document_id == document_id)
        .order_by(EventFact.evidence_start)
    ).all()
    return list(mentions), list(relations), list(events)


def actor_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(Actor.id, Actor.name).where(Actor.id.in_(wanted))).all())


@dataclass(frozen=True, slots=True)
class Partner:
    actor_id: int
    n_events: int
    goldstein_sum: float


def top_partners(session: Session, actor_id: int, *, limit: int = 10) -> list[Partner]:
    """Actors this one has most events with (either direction, all time), from the
    actor_partners summary; partners merged into another count as the survivor."""
    from factionmap.analysis.common import survivor_map

    ids = member_ids(session, actor_id)
    survivors = survivor_map(session)
    counts: dict[int, list[float]] = {}
    # a few extra rows: some partners may be the actor's own merged members or be merged
    for partner, n, total in partner_rows(session, ids, limit * 3 + len(ids)):
        p = survivors.get(partner, partner)
        if p == actor_id:
            continue
        acc = counts.setdefault(p, [0, 0.0])
        acc[0] += n
        acc[1] += total
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
    return [Partner(a, int(v[0]), round(v[1], 2)) for a, v in ranked]


# ---- actor lookup, lists, profiles and the actor map (the CLI's views) -------------------

LOOKUP_MIN_SCORE = 85.0


def find_actor(session: Session, name: str) -> Actor | None:
    """Resolve a name typed by an analyst: alias key, then a whole-word part, then fuzzy."""
    key = name_key(name)
    if not key:
        return None
    exact = session.scalars(
        select(Alias).where(Alias.key == key).order_by(Alias.origin != "kb", Alias.id)
    ).first()
    if exact is not None:
        return follow_merges(session, exact.actor)
    rows = session.execute(
        select(Alias.key, Alias.actor_id).where(Alias.origin.in_(GLOBAL_ALIAS_ORIGINS))
    ).all()
    # "Amiri" finds "Hadi al-Amiri": a whole word of a known name, the most mentioned first
    partial = {actor_id for k, actor_id in rows if key in k.split() or f" {key} " in f" {k} "}
    if partial:
        best = max(partial, key=lambda a: (_mention_count(session, [a]), -a))
        actor = session.get(Actor, best)
        return follow_merges(session, actor) if actor else None
    if len(key) < 5 or not rows:
        return None
    hit = process.extractOne(
        key, [k for k, _ in rows], scorer=fuzz.WRatio, score_cutoff=LOOKUP_MIN_SCORE
    )
    if hit is None:
        return None
    actor = session.get(Actor, rows[hit[2]][1])
    return follow_merges(session, actor) if actor else None


def _mention_count(session: Session, ids: list[int]) -> int:
    return session.scalar(select(func.count()).where(Mention.actor_id.in_(ids))) or 0


def _relations_of(ids: list[int]) -> ColumnElement[bool]:
    return and_(not_rejected(RelationFact),
                or_(RelationFact.subject_actor_id.in_(ids), RelationFact.object_actor_id.in_(ids)))


def _events_of_group(ids: list[int]) -> ColumnElement[bool]:
    involved = select(EventActor.event_id).where(EventActor.actor_id.in_(ids))
    return and_(not_rejected(EventFact),
                or_(EventFact.source_actor_id.in_(ids), EventFact.target_actor_id.in_(ids),
                    EventFact.id.in_(involved)))


@dataclass(frozen=True, slots=True)
class ActorRow:
    actor: Actor
    mentions: int
    relations: int
    events: int


def list_actors(
    session: Session, *, kind: str | None = None, country: str | None = None, limit: int = 50
) -> list[ActorRow]:
    """Surviving actors (not merged away) with fact counts, most mentioned first."""
    limit, _ = clamp(limit, 0)
    mentions = (
        select(Mention.actor_id.label("aid"), func.count().label("n"))
        .group_by(Mention.actor_id)
        .subquery()
    )
    query = (
        select(Actor, func.coalesce(mentions.c.n, 0))
        .outerjoin(mentions, mentions.c.aid == Actor.id)
        .where(Actor.merged_into_id.is_(None))
    )
    if kind:
        query = query.where(Actor.kind == kind)
    if country:
        query = query.where(Actor.country == country.upper())
    query = query.order_by(func.coalesce(mentions.c.n, 0).desc(), Actor.name)
    out = []
    for actor, n_mentions in session.execute(query.limit(limit)):
        ids = member_ids(session, actor.id)
        out.append(ActorRow(
            actor,
            n_mentions if len(ids) == 1 else _mention_count(session, ids),
            session.scalar(select(func.count()).select_from(RelationFact)
                           .where(_relations_of(ids))) or 0,
            session.scalar(select(func.count()).select_from(EventFact)
                           .where(_events_of_group(ids))) or 0,
        ))
    return out


@dataclass
class ActorProfile:
    actor: Actor
    aliases: list[Alias]
    roles: list[RelationFact]  # role facts where the actor is the subject
    memberships: list[RelationFact]  # member_of, actor as subject
    leads: list[RelationFact]  # groups this actor leads
    leaders: list[RelationFact]  # who leads this actor
    relations: list[RelationFact]  # everything else
    events: list[EventFact]
    names: dict[int, str] = field(default_factory=dict)


def actor_profile(session: Session, actor: Actor, *, limit: int = 200) -> ActorProfile:
    """Aliases (with why), roles, ties and events of an actor and everyone merged into it."""
    ids = member_ids(session, actor.id)
    group = set(ids)
    aliases = list(
        session.scalars(select(Alias).where(Alias.actor_id.in_(ids)).order_by(Alias.id))
    )
    relations = list(session.scalars(
        select(RelationFact).where(_relations_of(ids)).order_by(RelationFact.id)))
    events = list(session.scalars(
        select(EventFact).where(_events_of_group(ids)).order_by(EventFact.id).limit(limit)))

    def pick(type_: str, as_subject: bool) -> list[RelationFact]:
        side = "subject_actor_id" if as_subject else "object_actor_id"
        return [r for r in relations if r.type == type_ and getattr(r, side) in group]

    roles, memberships = pick("role", True), pick("member_of", True)
    leads, leaders = pick("leads", True), pick("leads", False)
    shown = {id(r) for r in (*roles, *memberships, *leads, *leaders)}
    rest = [r for r in relations if id(r) not in shown][:limit]
    names = actor_names(session, [i for r in relations
                                  for i in (r.subject_actor_id, r.object_actor_id)]
                        + [i for e in events for i in (e.source_actor_id, e.target_actor_id)])
    return ActorProfile(actor, aliases, roles, memberships, leads, leaders, rest, events, names)


@dataclass(frozen=True, slots=True)
class RelationSummary:
    subject: str
    type: str
    object: str
    count: int
    documents: int
    role: str | None = None  # the title, for role/leads facts


def top_relations(
    session: Session, *, types: Sequence[str] | None = None, limit: int = 20
) -> list[RelationSummary]:
    """Relations grouped by (subject, type, object) with how often and in how many documents
    (negated and rejected ones left out)."""
    limit, _ = clamp(limit, 0)
    subj, obj = aliased(Actor), aliased(Actor)
    query = (
        select(
            subj.name,
            RelationFact.type,
            obj.name,
            func.count(RelationFact.id),
            func.count(func.distinct(RelationFact.document_id)),
            RelationFact.role,
        )
        .join(subj, subj.id == RelationFact.subject_actor_id)
        .join(obj, obj.id == RelationFact.object_actor_id)
        .where(RelationFact.modality != "negated", not_rejected(RelationFact))
        .group_by(subj.name, RelationFact.type, obj.name, RelationFact.role)
        .order_by(func.count(RelationFact.id).desc(), subj.name)
        .limit(limit)
    )
    if types:
        query = query.where(RelationFact.type.in_(types))
    return [RelationSummary(*row) for row in session.execute(query)]


def top_happenings(session: Session, *, limit: int = 15,
                   include_actorless: bool = False) -> list[Happening]:
    """The most reported happenings that have a report no analyst rejected (and, unless
    ``include_actorless``, one that names an actor)."""
    limit, _ = clamp(limit, 0)
    report = [EventFact.happening_id == Happening.id, not_rejected(EventFact)]
    if not include_actorless:
        report.append(has_actor())
    reported = exists(select(EventFact.id).where(*report))
    query = select(Happening).where(reported).order_by(
        Happening.report_count.desc(), Happening.date.desc(), Happening.id
    )
    return list(session.scalars(query.limit(limit)))


def document_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Document)) or 0

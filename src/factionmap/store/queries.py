"""Read-side queries every face uses: actor lookup, profiles, fact lists, the actor map.

Facts keep pointing at the actor they were stored with; an analyst merge is followed
here by reading the whole merge group (survivor plus everything merged into it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from factionmap.kb import name_key
from factionmap.resolve.actors import GLOBAL_ALIAS_ORIGINS, follow_merges
from factionmap.store.models import (
    Actor,
    Alias,
    Document,
    EventActor,
    EventFact,
    Happening,
    Mention,
    RelationFact,
)

LOOKUP_MIN_SCORE = 85.0


# ---- actors -----------------------------------------------------------------


def merge_group(session: Session, actor_id: int) -> set[int]:
    """The actor and every actor merged into it, directly or through a chain."""
    group = {actor_id}
    frontier = {actor_id}
    while frontier:
        frontier = (
            set(session.scalars(select(Actor.id).where(Actor.merged_into_id.in_(frontier)))) - group
        )
        group |= frontier
    return group


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
        best = max(partial, key=lambda a: (mention_count(session, a), -a))
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


def mention_count(session: Session, actor_id: int) -> int:
    return session.scalar(select(func.count()).where(Mention.actor_id == actor_id)) or 0


@dataclass(frozen=True, slots=True)
class ActorRow:
    actor: Actor
    mentions: int
    relations: int
    events: int


def list_actors(
    session: Session,
    *,
    kind: str | None = None,
    country: str | None = None,
    limit: int | None = 50,
) -> list[ActorRow]:
    """Surviving actors (not merged away) with fact counts, most mentioned first."""
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
    for actor, n_mentions in session.execute(query):
        group = merge_group(session, actor.id)
        n_mentions = n_mentions if len(group) == 1 else _count_mentions(session, group)
        out.append(
            ActorRow(
                actor,
                n_mentions,
                session.scalar(_relations_query(group, func.count(RelationFact.id))) or 0,
                session.scalar(_events_query(group, func.count(EventFact.id))) or 0,
            )
        )
        if limit and len(out) >= limit:
            break
    return out


def _count_mentions(session: Session, group: set[int]) -> int:
    return session.scalar(select(func.count()).where(Mention.actor_id.in_(group))) or 0


def _relations_query(group: set[int], what=RelationFact) -> Select:  # type: ignore[no-untyped-def]
    return select(what).where(
        or_(RelationFact.subject_actor_id.in_(group), RelationFact.object_actor_id.in_(group))
    )


def _events_query(group: set[int], what=EventFact) -> Select:  # type: ignore[no-untyped-def]
    involved = select(EventActor.event_id).where(EventActor.actor_id.in_(group))
    return select(what).where(
        or_(
            EventFact.source_actor_id.in_(group),
            EventFact.target_actor_id.in_(group),
            EventFact.id.in_(involved),
        )
    )


# ---- facts ------------------------------------------------------------------


def actor_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(Actor.id, Actor.name).where(Actor.id.in_(wanted))).all())


def list_relations(
    session: Session,
    *,
    type: str | None = None,
    actor: Actor | None = None,
    limit: int | None = 100,
) -> list[RelationFact]:
    query = select(RelationFact)
    if actor is not None:
        query = _relations_query(merge_group(session, actor.id))
    if type:
        query = query.where(RelationFact.type == type)
    query = query.order_by(RelationFact.reported_at.desc(), RelationFact.id)
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


@dataclass(frozen=True, slots=True)
class EventFilter:
    actor: Actor | None = None
    dyad: tuple[Actor, Actor] | None = None
    type: str | None = None
    quad: int | None = None
    place: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def list_events(
    session: Session, filters: EventFilter | None = None, *, limit: int | None = 100
) -> list[EventFact]:
    f = filters or EventFilter()
    query = select(EventFact)
    if f.actor is not None:
        query = _events_query(merge_group(session, f.actor.id))
    if f.dyad is not None:
        a, b = (merge_group(session, x.id) for x in f.dyad)
        query = query.where(
            or_(
                EventFact.source_actor_id.in_(a) & EventFact.target_actor_id.in_(b),
                EventFact.source_actor_id.in_(b) & EventFact.target_actor_id.in_(a),
            )
        )
    if f.type:
        query = query.where(EventFact.type == f.type.upper())
    if f.quad is not None:
        query = query.where(EventFact.quad_class == f.quad)
    if f.place:
        query = query.where(
            or_(
                func.lower(EventFact.location_name).contains(f.place.lower(), autoescape=True),
                func.lower(EventFact.country) == f.place.lower(),
            )
        )
    when = func.coalesce(EventFact.date, EventFact.reported_at)
    if f.since:
        query = query.where(when >= f.since)
    if f.until:
        query = query.where(when <= f.until)
    query = query.order_by(when.desc(), EventFact.id)
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


# ---- profile and map ----------------------------------------------------------


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
    group = merge_group(session, actor.id)
    aliases = list(
        session.scalars(select(Alias).where(Alias.actor_id.in_(group)).order_by(Alias.id))
    )
    relations = list(session.scalars(_relations_query(group).order_by(RelationFact.id)))
    events = list(session.scalars(_events_query(group).order_by(EventFact.id).limit(limit)))

    def pick(type_: str, as_subject: bool) -> list[RelationFact]:
        side = "subject_actor_id" if as_subject else "object_actor_id"
        return [r for r in relations if r.type == type_ and getattr(r, side) in group]

    roles, memberships = pick("role", True), pick("member_of", True)
    leads, leaders = pick("leads", True), pick("leads", False)
    shown = {id(r) for r in (*roles, *memberships, *leads, *leaders)}
    rest = [r for r in relations if id(r) not in shown][:limit]
    ids: set[int | None] = set()
    for r in relations:
        ids.update((r.subject_actor_id, r.object_actor_id))
    for e in events:
        ids.update((e.source_actor_id, e.target_actor_id))
    return ActorProfile(
        actor,
        aliases,
        roles,
        memberships,
        leads,
        leaders,
        rest,
        events,
        actor_names(session, ids),
    )


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
    """Relations grouped by (subject, type, object) with how often and in how many documents."""
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
        .where(RelationFact.modality != "negated")
        .group_by(subj.name, RelationFact.type, obj.name, RelationFact.role)
        .order_by(func.count(RelationFact.id).desc(), subj.name)
        .limit(limit)
    )
    if types:
        query = query.where(RelationFact.type.in_(types))
    return [RelationSummary(*row) for row in session.execute(query)]


def top_happenings(session: Session, *, limit: int = 15) -> list[Happening]:
    query = select(Happening).order_by(
        Happening.report_count.desc(), Happening.date.desc(), Happening.id
    )
    return list(session.scalars(query.limit(limit)))


def document_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Document)) or 0

"""Shared rules of the analysis layer: signs of ties, merged actors, time windows.

Every analysis reads the store through these helpers so that the same facts
count everywhere: facts an analyst rejected are left out, and so are facts the
text denies (negated); hedged events count at half their Goldstein score (the
rule lives in store/summaries.py, which the summary tables follow too); actors
merged into another are read as the survivor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, extract, func, or_, select
from sqlalchemy.orm import Session

from factionmap.store.models import Actor, EventFact, RelationFact

__all__ = ["counted_event", "not_rejected", "observed_goldstein"]  # re-exported rules
from factionmap.store.summaries import counted_event, not_rejected, observed_goldstein

# A relation is read as one observation on the Goldstein scale (-10..+10) of this
# size: a stated alliance weighs like a typical cooperative event (Goldstein of
# "provide aid" ~ +5), a stated hostility like a typical threat/assault (~ -5).
RELATION_GOLDSTEIN = 5.0
# Relation types that count as cooperation (+) or conflict (-) in stance and blocs.
POSITIVE_RELATIONS: frozenset[str] = frozenset({"supports", "allied_with", "backed_by"})
NEGATIVE_RELATIONS: frozenset[str] = frozenset({"opposes", "fighting_against"})
# Meeting or talking is cooperation in CAMEO (040 Consult: Goldstein +1): mildly positive.
COMMUNICATION_GOLDSTEIN = 1.0
COMMUNICATION_RELATIONS: frozenset[str] = frozenset({"communicated_with"})
# Affiliation: who leads, serves or belongs to whom. For blocs a *person's* affiliation
# rolls its acts up to the organisation or state (network.ROLLUP_WEIGHT); an
# organisation's membership of an umbrella is structure, not stance (MEMBERSHIP_WEIGHT).
AFFILIATION_RELATIONS: frozenset[str] = frozenset({"member_of", "leads", "role"})


def relation_sign(rel_type: str) -> int:
    """+1, -1 or 0: the stance a relation type states."""
    if rel_type in POSITIVE_RELATIONS:
        return 1
    if rel_type in NEGATIVE_RELATIONS:
        return -1
    return 0


def relation_goldstein(rel_type: str) -> float:
    """One relation fact as an observation on the Goldstein scale (0: says nothing of stance)."""
    if rel_type in COMMUNICATION_RELATIONS:
        return COMMUNICATION_GOLDSTEIN
    return relation_sign(rel_type) * RELATION_GOLDSTEIN


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact was read: document and character offsets of its sentence."""

    document_id: str
    start: int
    end: int
    text: str = ""


def counted_relation(model: type[RelationFact] = RelationFact) -> ColumnElement[bool]:
    """A relation that is evidence of a tie: not rejected and not negated in the text."""
    return and_(not_rejected(model), model.modality != "negated")


def event_day() -> ColumnElement[dt.date]:
    """The day an event is placed on: its own date, else the publication date."""
    return func.coalesce(EventFact.date, EventFact.reported_at)


def event_in_window(start: dt.date | None, end: dt.date | None) -> ColumnElement[bool]:
    """Window test written as an OR of two indexed columns so SQLite/PG can use indexes."""
    clauses: list[ColumnElement[bool]] = []
    dated: list[ColumnElement[bool]] = [EventFact.date.is_not(None)]
    undated: list[ColumnElement[bool]] = [EventFact.date.is_(None)]
    if start is not None:
        dated.append(EventFact.date >= start)
        undated.append(EventFact.reported_at >= start)
    if end is not None:
        dated.append(EventFact.date <= end)
        undated.append(EventFact.reported_at <= end)
    clauses.append(or_(and_(*dated), and_(*undated)))
    return and_(*clauses)


def relation_in_window(start: dt.date | None, end: dt.date | None) -> ColumnElement[bool]:
    """A relation holds from valid_from (else its report) to valid_until (else its report)."""
    clauses: list[ColumnElement[bool]] = []
    if end is not None:
        clauses.append(func.coalesce(RelationFact.valid_from, RelationFact.reported_at) <= end)
    if start is not None:
        clauses.append(func.coalesce(RelationFact.valid_until, RelationFact.reported_at) >= start)
    return and_(*clauses) if clauses else and_(True)


def year_month(column: ColumnElement[dt.date]) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """Portable (year, month) SQL expressions (SQLite strftime / PostgreSQL EXTRACT)."""
    return extract("year", column), extract("month", column)


def survivor_map(session: Session) -> dict[int, int]:
    """Absorbed actor id -> the survivor it was (transitively) merged into."""
    rows = session.execute(
        select(Actor.id, Actor.merged_into_id).where(Actor.merged_into_id.is_not(None))
    ).all()
    parent: dict[int, int] = {r[0]: r[1] for r in rows if r[1] is not None}
    out: dict[int, int] = {}
    for child in parent:
        seen = {child}
        node = parent[child]
        while node in parent and node not in seen:  # guard against a cycle of merges
            seen.add(node)
            node = parent[node]
        out[child] = node
    return out


def canonical_id(session: Session, actor_id: int) -> int:
    return survivor_map(session).get(actor_id, actor_id)


def member_ids(session: Session, actor_id: int) -> list[int]:
    """The actor and every actor merged into it: their facts are its facts."""
    survivors = survivor_map(session)
    return [actor_id, *sorted(a for a, s in survivors.items() if s == actor_id)]


def event_pairs(
    *,
    sources: list[int] | None = None,
    targets: list[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    types: list[str] | None = None,
    happened_only: bool = True,
    below_confidence: float | None = None,
    min_outlets: int = 1,
):  # -> Subquery (event_id, source_id, target_id, goldstein)
    """Every (event, source actor, target actor) triple, compound actors included.

    The first source/target sit on the event row; further ones (PLOVER compound
    actors) are in event_actors. UNION removes the overlap between the two.
    ``goldstein`` is the observed score (hedged events weigh half). With
    ``happened_only`` (stance, network) negated events are left out; listings of a
    dyad's facts pass False to show them with their modality. ``below_confidence``
    keeps only events coded with less confidence than that (what camps leave out);
    ``min_outlets`` only events whose happening that many outlets report.
    """
    from sqlalchemy import union

    # corroboration builds on this module: imported here, not at the top
    from factionmap.analysis.corroboration import events_with_outlets
    from factionmap.store.models import EventActor

    counted = counted_event() if happened_only else not_rejected(EventFact)
    primary = select(
        EventFact.id.label("event_id"),
        EventFact.source_actor_id.label("source_id"),
        EventFact.target_actor_id.label("target_id"),
        observed_goldstein().label("goldstein"),
    ).where(
        EventFact.source_actor_id.is_not(None),
        EventFact.target_actor_id.is_not(None),
        counted,
        event_in_window(start, end),
    )
    src = EventActor.__table__.alias("src")
    tgt = EventActor.__table__.alias("tgt")
    compound = (
        select(src.c.event_id, src.c.actor_id, tgt.c.actor_id, observed_goldstein())
        .select_from(EventFact)
        .join(src, and_(src.c.event_id == EventFact.id, src.c.side == "source"))
        .join(tgt, and_(tgt.c.event_id == EventFact.id, tgt.c.side == "target"))
        .where(
            src.c.actor_id.is_not(None),
            tgt.c.actor_id.is_not(None),
            counted,
            event_in_window(start, end),
        )
    )
    if types:
        primary = primary.where(EventFact.type.in_(types))
        compound = compound.where(EventFact.type.in_(types))
    if below_confidence is not None:
        primary = primary.where(EventFact.confidence < below_confidence)
        compound = compound.where(EventFact.confidence < below_confidence)
    if min_outlets > 1:
        primary = primary.where(events_with_outlets(min_outlets))
        compound = compound.where(events_with_outlets(min_outlets))
    if sources is not None:
        primary = primary.where(EventFact.source_actor_id.in_(sources))
        compound = compound.where(src.c.actor_id.in_(sources))
    if targets is not None:
        primary = primary.where(EventFact.target_actor_id.in_(targets))
        compound = compound.where(tgt.c.actor_id.in_(targets))
    return union(primary, compound).subquery("pairs")

"""The signed actor network of a time window: nodes, signed typed edges, camps.

Edge weight between two actors (both directions pooled) is their shrunk mean
stance (Goldstein scale / 10, shrunk toward 0 like stance.py) times
log(1 + evidence): the sign says cooperation or conflict, the size grows with
evidence but slowly, so one very busy dyad does not drown the rest.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factionmap.analysis.blocs import Blocs, SignedEdge, partition_signed
from factionmap.analysis.cache import RevisionCache
from factionmap.analysis.common import (
    RELATION_GOLDSTEIN,
    counted_relation,
    relation_in_window,
    relation_sign,
    survivor_map,
)
from factionmap.analysis.stance import PRIOR_WEIGHT
from factionmap.analysis.summary_reads import pair_event_sums
from factionmap.store.models import Actor, RelationFact

MAX_NODES = 500
_NETWORK_CACHE: RevisionCache[Network] = RevisionCache(size=64)


@dataclass(slots=True)
class _PairSums:
    n_events: int = 0
    n_relations: int = 0
    total: float = 0.0  # Goldstein-scale sum
    relation_types: set[str] = field(default_factory=set)

    @property
    def weight(self) -> float:
        n = self.n_events + self.n_relations
        if n == 0:
            return 0.0
        return (self.total / 10.0) / (n + PRIOR_WEIGHT) * math.log1p(n)


@dataclass(frozen=True, slots=True)
class NetworkNode:
    id: int
    name: str
    kind: str
    country: str | None
    camp: int
    strength: float
    degree: int  # number of pieces of evidence touching it in the window


@dataclass(frozen=True, slots=True)
class NetworkEdge:
    a: int
    b: int
    weight: float
    sign: int
    n_events: int
    n_relations: int
    relation_types: tuple[str, ...]


@dataclass(slots=True)
class Network:
    start: dt.date | None
    end: dt.date | None
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    blocs: Blocs


def _pair_sums(
    session: Session,
    start: dt.date | None,
    end: dt.date | None,
    event_types: list[str] | None,
    relation_types: list[str] | None,
    include_events: bool,
    include_relations: bool,
) -> dict[tuple[int, int], _PairSums]:
    survivors = survivor_map(session)
    sums: dict[tuple[int, int], _PairSums] = defaultdict(_PairSums)

    def key(x: int, y: int) -> tuple[int, int] | None:
        x, y = survivors.get(x, x), survivors.get(y, y)
        if x == y:
            return None
        return (x, y) if x < y else (y, x)

    if include_events:
        for (src, tgt), acc in pair_event_sums(session, start, end, event_types).items():
            k = key(src, tgt)
            if k:
                sums[k].n_events += acc.n
                sums[k].total += acc.total
    if include_relations:
        query = (
            select(RelationFact.subject_actor_id, RelationFact.object_actor_id,
                   RelationFact.type, func.count())
            .where(
                counted_relation(),
                relation_in_window(start, end),
                RelationFact.subject_actor_id.is_not(None),
                RelationFact.object_actor_id.is_not(None),
            )
            .group_by(RelationFact.subject_actor_id, RelationFact.object_actor_id,
                      RelationFact.type)
        )
        if relation_types:
            query = query.where(RelationFact.type.in_(relation_types))
        for subj, obj, rel_type, count in session.execute(query).all():
            if subj is None or obj is None:
                continue
            k = key(subj, obj)
            sign = relation_sign(rel_type, for_blocs=True)
            if k is None:
                continue
            sums[k].relation_types.add(rel_type)
            if sign:
                sums[k].n_relations += int(count)
                sums[k].total += sign * RELATION_GOLDSTEIN * int(count)
    return sums


def signed_network(
    session: Session,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    max_nodes: int = 150,
    event_types: list[str] | None = None,
    relation_types: list[str] | None = None,
    kinds: list[str] | None = None,
    country: str | None = None,
    include_events: bool = True,
    include_relations: bool = True,
) -> Network:
    """The ``max_nodes`` best-evidenced actors of the window, their ties and camps.

    Results (blocs included) are cached per store, window and filters until the
    store's revision changes; treat the returned Network as read-only.
    """
    max_nodes = max(1, min(max_nodes, MAX_NODES))
    key = (start, end, max_nodes, _frozen(event_types), _frozen(relation_types),
           _frozen(kinds), country, include_events, include_relations)
    return _NETWORK_CACHE.get_or_build(
        session, key,
        lambda: _build_network(session, start, end, max_nodes, event_types, relation_types,
                               kinds, country, include_events, include_relations),
    )


def _frozen(values: list[str] | None) -> tuple[str, ...]:
    return tuple(sorted(set(values or ())))


def _build_network(
    session: Session,
    start: dt.date | None,
    end: dt.date | None,
    max_nodes: int,
    event_types: list[str] | None,
    relation_types: list[str] | None,
    kinds: list[str] | None,
    country: str | None,
    include_events: bool,
    include_relations: bool,
) -> Network:
    sums = _pair_sums(session, start, end, event_types, relation_types,
                      include_events, include_relations)
    degree: dict[int, int] = defaultdict(int)
    for (a, b), s in sums.items():
        n = s.n_events + s.n_relations + len(s.relation_types)
        degree[a] += n
        degree[b] += n
    ranked = sorted(degree, key=lambda x: (-degree[x], x))
    if kinds or country:
        # Filters need actor rows; fetch in chunks only for the candidates.
        allowed: list[int] = []
        for i in range(0, len(ranked), 5000):
            chunk = ranked[i : i + 5000]
            q = select(Actor.id).where(Actor.id.in_(chunk))
            if kinds:
                q = q.where(Actor.kind.in_(kinds))
            if country:
                q = q.where(Actor.country == country)
            ok = set(session.scalars(q))
            allowed.extend(a for a in chunk if a in ok)
            if len(allowed) >= max_nodes:
                break
        ranked = allowed
    chosen = set(ranked[:max_nodes])
    kept = {k: s for k, s in sums.items() if k[0] in chosen and k[1] in chosen}
    signed = [SignedEdge(a, b, s.weight) for (a, b), s in kept.items() if s.weight != 0]
    blocs = partition_signed(signed, nodes=sorted(chosen))

    actors = {a.id: a for a in session.scalars(select(Actor).where(Actor.id.in_(chosen)))}
    nodes = [
        NetworkNode(
            id=a,
            name=actors[a].name if a in actors else f"actor {a}",
            kind=actors[a].kind if a in actors else "other",
            country=actors[a].country if a in actors else None,
            camp=blocs.members[a].camp,
            strength=blocs.members[a].strength,
            degree=degree[a],
        )
        for a in sorted(chosen, key=lambda x: (-degree[x], x))
    ]
    edges = [
        NetworkEdge(
            a=a, b=b, weight=round(s.weight, 4),
            sign=(s.weight > 0) - (s.weight < 0),
            n_events=s.n_events, n_relations=s.n_relations,
            relation_types=tuple(sorted(s.relation_types)),
        )
        for (a, b), s in sorted(kept.items())
    ]
    return Network(start=start, end=end, nodes=nodes, edges=edges, blocs=blocs)

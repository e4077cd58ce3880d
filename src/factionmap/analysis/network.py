"""The signed actor network of a time window: nodes, signed typed edges, camps.

Edge weight between two actors (both directions pooled) has three parts:

- **stance**: their shrunk mean stance (Goldstein scale / 10, shrunk toward 0 like
  stance.py) times log(1 + evidence). Evidence is events (their Goldstein score),
  stance relations (supports / allied_with / backed_by +5, opposes /
  fighting_against -5) and communicated_with (+1, like a CAMEO consultation). The
  sign says cooperation or conflict; the size grows with evidence but slowly, so
  one very busy dyad does not drown the rest.
- **person roll-up**: a person who leads, serves (role) or is a member of an
  organisation or state is anchored to it (``rollup_anchors``: every group it
  leads, else its one most specific affiliation); the blocs are searched with the
  person contracted into its anchors, so
  what the person does -- an ambassador's meetings, a commander's threats --
  counts as the organisation's. Persons stay nodes of their own (the map shows who
  acted), with a ROLLUP_WEIGHT tie to their anchor and their anchor's camp.
- **membership**: an organisation's member_of / leads / role tie to another
  organisation (a faction in an umbrella), and a person's affiliations other than
  its anchors, are structure, not stance: MEMBERSHIP_WEIGHT, less than any single
  stance observation, so they only place actors that have no stance ties.

Nodes are the ``max_nodes`` actors with most evidence in the window, picked in
SQL from the summary tables; only the edges among them are read.

With ``min_outlets``, only evidence at least that many independent outlets report
counts (analysis.corroboration): events whose happening they report, relations whose
tie they report.

Camps are computed from the ties worth trusting (``CampRules``): a tie's stance part
counts only with enough evidence, only confident facts count, and media outlets and
generic or unnamed agents never join a camp (they are camp ``NO_CAMP``). Every edge is
still shown, with ``in_camps`` saying whether it placed anyone.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from factionmap.analysis.blocs import (
    NO_CAMP_COLOUR,
    Blocs,
    Camp,
    SignedEdge,
    describe_camps,
    partition_signed,
)
from factionmap.analysis.cache import RevisionCache
from factionmap.analysis.common import (
    AFFILIATION_RELATIONS,
    counted_relation,
    event_day,
    event_pairs,
    relation_goldstein,
    survivor_map,
)
from factionmap.analysis.stance import PRIOR_WEIGHT
from factionmap.analysis.summary_reads import event_degrees, pair_event_sums
from factionmap.config import (
    CAMP_EXCLUDED_KEY_PREFIXES,
    CAMP_EXCLUDED_SECTORS,
    CAMP_MIN_CONFIDENCE,
    CAMP_MIN_EVIDENCE,
    CAMP_NAME_MEMBERS,
    MEDIA_SECTORS,
)
from factionmap.store.models import Actor, Document, EventFact, RelationFact

MAX_NODES = 500
# A person's tie to the organisation it leads / serves / belongs to: as strong as a
# dozen agreeing cooperative events between two actors (stance weights rarely pass 2).
ROLLUP_WEIGHT = 2.0
# An organisation's membership of an umbrella: below one CONSULT event (0.023) or one
# stated alliance (0.116), so it only decides the camp of actors without stance ties.
MEMBERSHIP_WEIGHT = 0.01
PERSON_KIND = "person"


@dataclass(frozen=True, slots=True)
class CampRules:
    """Which ties and actors camps are computed from (defaults in factionmap.config)."""

    min_evidence: int = CAMP_MIN_EVIDENCE  # events + stance relations of a pair
    min_confidence: float = CAMP_MIN_CONFIDENCE  # facts below it are left out of camps


_NETWORK_CACHE: RevisionCache[Network] = RevisionCache(size=64)
_RELATIONS_CACHE: RevisionCache[_RelationTable] = RevisionCache(size=4)
_UNSURE_CACHE: RevisionCache[_UnsureEvents] = RevisionCache(size=4)


@dataclass(slots=True)
class _PairSums:
    n_events: int = 0
    n_relations: int = 0  # stance relations (communication included)
    total: float = 0.0  # Goldstein-scale sum of the stance evidence
    rollup: bool = False
    membership: bool = False
    relation_types: set[str] = field(default_factory=set)

    @property
    def stance_weight(self) -> float:
        n = self.n_events + self.n_relations
        if n == 0:
            return 0.0
        return (self.total / 10.0) / (n + PRIOR_WEIGHT) * math.log1p(n)

    @property
    def structure_weight(self) -> float:
        return ((ROLLUP_WEIGHT if self.rollup else 0.0)
                + (MEMBERSHIP_WEIGHT if self.membership and not self.rollup else 0.0))

    @property
    def weight(self) -> float:
        return self.stance_weight + self.structure_weight


@dataclass(frozen=True, slots=True)
class NetworkNode:
    id: int
    name: str
    kind: str
    country: str | None
    camp: int
    strength: float
    degree: int  # number of pieces of evidence touching it in the window
    colour: str = ""  # its camp's colour
    media: bool = False  # a media outlet or press agent (config.MEDIA_SECTORS): no party


NO_CAMP = 0  # camp of actors left out of camps (media, generic agents) or without a camp tie


@dataclass(frozen=True, slots=True)
class NetworkEdge:
    a: int
    b: int
    weight: float
    sign: int
    n_events: int
    n_relations: int
    relation_types: tuple[str, ...]
    in_camps: bool = False  # has the evidence and confidence to place actors in camps


@dataclass(slots=True)
class Network:
    start: dt.date | None
    end: dt.date | None
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    blocs: Blocs
    camps: list[Camp] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _RelationTable:
    """Every counted relation, merges applied, as arrays a window filters in one step.

    Relations are few next to events, but their validity intervals do not fit the
    monthly summaries; holding them per store revision avoids a table scan per window.
    """

    subject: np.ndarray
    object: np.ndarray
    type: np.ndarray  # index into types
    types: tuple[str, ...]
    start: np.ndarray  # ordinal day from which it holds (valid_from, else its report)
    end: np.ndarray  # ordinal day until which it holds (valid_until, else its report)
    persons: frozenset[int]
    confidence: np.ndarray
    outlets: np.ndarray  # distinct outlets reporting the row's tie (as corroboration counts)

    def in_window(
        self, start: dt.date | None, end: dt.date | None, types: list[str] | None,
        min_confidence: float | None = None, min_outlets: int = 1,
    ) -> list[tuple[int, int, str]]:
        mask = np.ones(len(self.subject), dtype=bool)
        if min_outlets > 1:
            mask &= self.outlets >= min_outlets
        if min_confidence is not None:
            mask &= self.confidence >= min_confidence
        if end is not None:
            mask &= self.start <= end.toordinal()
        if start is not None:
            mask &= self.end >= start.toordinal()
        if types:
            wanted = [i for i, t in enumerate(self.types) if t in set(types)]
            mask &= np.isin(self.type, wanted)
        idx = np.nonzero(mask)[0]
        return [(int(self.subject[i]), int(self.object[i]), self.types[self.type[i]])
                for i in idx]


@dataclass(frozen=True, slots=True)
class _UnsureEvents:
    """Every counted event (source, target pair) coded with less confidence than camps
    ask for, as arrays a window filters in one step.

    The summaries do not keep confidence; these events are few and found through the
    confidence index once per store revision, then taken off the summed ties per window.
    """

    source: np.ndarray
    target: np.ndarray
    day: np.ndarray  # ordinal of its date, else its report date; _NO_DAY when neither
    goldstein: np.ndarray  # observed (hedged at half)
    type: np.ndarray
    types: tuple[str, ...]

    def pair_sums(
        self, start: dt.date | None, end: dt.date | None, event_types: list[str] | None,
        among: set[int],
    ) -> dict[tuple[int, int], tuple[int, float]]:
        mask = np.ones(len(self.source), dtype=bool)
        if start is not None or end is not None:  # as event_in_window: undated ones only
            mask &= self.day != _NO_DAY  # belong to windows open at both ends
        if start is not None:
            mask &= self.day >= start.toordinal()
        if end is not None:
            mask &= self.day <= end.toordinal()
        if event_types:
            mask &= np.isin(self.type, [i for i, t in enumerate(self.types) if t in event_types])
        wanted = np.fromiter(among, dtype=np.int64, count=len(among))
        mask &= np.isin(self.source, wanted) & np.isin(self.target, wanted)
        out: dict[tuple[int, int], tuple[int, float]] = {}
        for i in np.nonzero(mask)[0]:
            pair = (int(self.source[i]), int(self.target[i]))
            n, total = out.get(pair, (0, 0.0))
            out[pair] = (n + 1, total + float(self.goldstein[i]))
        return out


_NO_DAY = np.iinfo(np.int64).min


def _unsure_events(session: Session, below: float, min_outlets: int = 1) -> _UnsureEvents:
    pairs = event_pairs(below_confidence=below, min_outlets=min_outlets)
    rows = session.execute(
        select(pairs.c.source_id, pairs.c.target_id, event_day(), pairs.c.goldstein,
               EventFact.type)
        .join(EventFact, EventFact.id == pairs.c.event_id)
    ).all()
    types = tuple(sorted({r[4] for r in rows}))
    code = {t: i for i, t in enumerate(types)}
    return _UnsureEvents(
        source=np.array([r[0] for r in rows], dtype=np.int64),
        target=np.array([r[1] for r in rows], dtype=np.int64),
        day=np.array([r[2].toordinal() if r[2] is not None else _NO_DAY for r in rows],
                     dtype=np.int64),
        goldstein=np.array([float(r[3]) for r in rows], dtype=float),
        type=np.array([code[r[4]] for r in rows], dtype=np.int64),
        types=types,
    )


_NO_DAY_FROM = np.iinfo(np.int64).max  # no date: never "started" before a window's end
_NO_DAY_UNTIL = np.iinfo(np.int64).min  # ... and never lasts until its start (as in SQL)


def _relation_table(session: Session) -> _RelationTable:
    survivors = survivor_map(session)
    rows = session.execute(
        select(RelationFact.subject_actor_id, RelationFact.object_actor_id, RelationFact.type,
               RelationFact.valid_from, RelationFact.valid_until, RelationFact.reported_at,
               RelationFact.confidence, func.coalesce(Document.outlet, literal("")))
        .join(Document, Document.id == RelationFact.document_id)
        .where(counted_relation(), RelationFact.subject_actor_id.is_not(None),
               RelationFact.object_actor_id.is_not(None))
    ).all()
    types = tuple(sorted({r[2] for r in rows}))
    code = {t: i for i, t in enumerate(types)}

    def ordinal(day: dt.date | None, missing: int) -> int:
        return day.toordinal() if day is not None else missing

    def actor(actor_id: int | None) -> int:
        assert actor_id is not None  # the query keeps only relations with both actors
        return survivors.get(actor_id, actor_id)

    persons = frozenset(session.scalars(select(Actor.id).where(Actor.kind == PERSON_KIND)))
    # a tie's outlets, counted as corroboration counts them (unknown outlets are one)
    tie_outlets: dict[tuple[int, str, int], set[str]] = defaultdict(set)
    for r in rows:
        tie_outlets[(actor(r[0]), r[2], actor(r[1]))].add(r[7])
    return _RelationTable(
        subject=np.array([actor(r[0]) for r in rows], dtype=np.int64),
        object=np.array([actor(r[1]) for r in rows], dtype=np.int64),
        type=np.array([code[r[2]] for r in rows], dtype=np.int64),
        types=types,
        start=np.array([ordinal(r[3] or r[5], _NO_DAY_FROM) for r in rows], dtype=np.int64),
        end=np.array([ordinal(r[4] or r[5], _NO_DAY_UNTIL) for r in rows], dtype=np.int64),
        persons=persons,
        confidence=np.array([r[6] if r[6] is not None else 0.0 for r in rows], dtype=float),
        outlets=np.array([len(tie_outlets[(actor(r[0]), r[2], actor(r[1]))]) for r in rows],
                         dtype=np.int64),
    )


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
    camp_rules: CampRules | None = None,
    min_outlets: int = 1,
) -> Network:
    """The ``max_nodes`` best-evidenced actors of the window, their ties and camps
    (with ``min_outlets``, from evidence that many independent outlets report).

    Results (blocs included) are cached per store, window and filters until the
    store's revision changes; treat the returned Network as read-only.
    """
    max_nodes = max(1, min(max_nodes, MAX_NODES))
    rules = camp_rules or CampRules()
    key = (start, end, max_nodes, _frozen(event_types), _frozen(relation_types),
           _frozen(kinds), country, include_events, include_relations, rules,
           max(1, min_outlets))
    return _NETWORK_CACHE.get_or_build(
        session, key,
        lambda: _build_network(session, start, end, max_nodes, event_types, relation_types,
                               kinds, country, include_events, include_relations, rules,
                               max(1, min_outlets)),
    )


def _frozen(values: list[str] | None) -> tuple[str, ...]:
    return tuple(sorted(set(values or ())))


def _pair(x: int, y: int) -> tuple[int, int]:
    return (x, y) if x < y else (y, x)


def _add_relation(sums: _PairSums, rel_type: str, rolls_up: bool) -> None:
    sums.relation_types.add(rel_type)
    if rel_type in AFFILIATION_RELATIONS:
        if rolls_up:
            sums.rollup = True
        else:
            sums.membership = True
        return
    value = relation_goldstein(rel_type)
    if value:
        sums.n_relations += 1
        sums.total += value


def rollup_anchors(
    relations: list[tuple[int, int, str]], persons: frozenset[int], degree: dict[int, int]
) -> dict[int, set[int]]:
    """Person -> the organisations (or states) its acts count for.

    Every organisation the person leads, umbrellas left out (a leader speaks for each
    group he heads); failing that, the single most specific affiliation: not an
    umbrella (an organisation two or more organisations are members of), then most
    affiliation facts, then most evidence in the window (``degree``), then the lowest
    id. Leaving umbrellas out keeps a commander who also sits on an umbrella's council
    from gluing his faction to the whole umbrella; affiliations that are not anchors
    are structure.
    """
    member_orgs: dict[int, set[int]] = defaultdict(set)
    for subj, obj, rel_type in relations:
        if rel_type == "member_of" and subj not in persons and subj != obj:
            member_orgs[obj].add(subj)
    umbrellas = {org for org, members in member_orgs.items() if len(members) >= 2}
    facts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    led: dict[int, set[int]] = defaultdict(set)
    for subj, obj, rel_type in relations:
        if (rel_type in AFFILIATION_RELATIONS and subj in persons and obj not in persons
                and subj in degree and obj in degree):
            facts[subj][obj] += 1
            if rel_type == "leads" and obj not in umbrellas:
                led[subj].add(obj)
    return {
        person: led.get(person) or {min(orgs, key=lambda o: (o in umbrellas, -orgs[o],
                                                             -degree[o], o))}
        for person, orgs in facts.items()
    }


def _bound(anchors: dict[int, set[int]]) -> dict[int, int]:
    """Each person and its anchors -> one representative (union-find, smallest id)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for person, orgs in anchors.items():
        for org in orgs:
            a, b = find(person), find(org)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {x: find(x) for x in parent}


def _choose_nodes(
    session: Session,
    start: dt.date | None,
    end: dt.date | None,
    max_nodes: int,
    event_types: list[str] | None,
    include_events: bool,
    relations: list[tuple[int, int, str]],
    survivors: dict[int, int],
    kinds: list[str] | None,
    country: str | None,
    min_outlets: int = 1,
) -> tuple[dict[int, int], dict[int, _ActorRow]]:
    """Degrees and rows of the ``max_nodes`` actors with most evidence in the window.

    The top of the event degrees comes from SQL (twice ``max_nodes`` deep). Actors
    whose degree that top cannot show whole are read explicitly and added: merged
    actors, and actors below it whose relations could lift them over the cut (an
    actor below has at most the top's lowest event degree).
    """
    degree: dict[int, int] = defaultdict(int)
    relation_degree: dict[int, int] = defaultdict(int)
    for subj, obj, _ in relations:
        if subj != obj:
            relation_degree[subj] += 1
            relation_degree[obj] += 1
    merged = set(survivors) | set(survivors.values())
    depth = 2 * max_nodes + len(merged)
    events: dict[int, int] = {}
    if include_events:
        events = event_degrees(session, start, end, event_types, top=depth,
                               kinds=kinds, country=country, min_outlets=min_outlets)
    # events below the top are at most its lowest degree (0 when the top holds everyone)
    below = min(events.values()) if len(events) >= depth else 0
    for actor, n in events.items():
        degree[survivors.get(actor, actor)] += n
    for actor, n in relation_degree.items():
        degree[actor] += n
    ranked_top = sorted((d for a, d in degree.items() if a in events), reverse=True)
    cut = ranked_top[max_nodes - 1] if len(ranked_top) >= max_nodes else 0
    special = merged | {a for a, r in relation_degree.items()
                        if a not in events and r + below >= cut}
    if include_events and special and below > 0:
        for actor, n in event_degrees(session, start, end, event_types, top=None,
                                      also=sorted(special - set(events)),
                                      min_outlets=min_outlets).items():
            degree[survivors.get(actor, actor)] += n
    ranked = heapq.nsmallest(max_nodes + len(special), degree, key=lambda a: (-degree[a], a))
    # Actor rows only as far down the ranking as the filters need (the first max_nodes
    # without filters), read as plain columns: a 500-node window is a hot path.
    actors: dict[int, _ActorRow] = {}
    chosen: list[int] = []
    for i in range(0, len(ranked), max_nodes):
        chunk = ranked[i : i + max_nodes]
        for row in session.execute(select(Actor.id, Actor.name, Actor.kind, Actor.country,
                                          Actor.sector, Actor.discovery_key)
                                   .where(Actor.id.in_(chunk))):
            actors[row.id] = _ActorRow(row.name, row.kind, row.country,
                                       _joins_camps(row.sector, row.discovery_key),
                                       row.sector in MEDIA_SECTORS)
        chosen += [a for a in chunk if _allowed(actors.get(a), kinds, country)]
        if len(chosen) >= max_nodes:
            break
    return {a: degree[a] for a in chosen[:max_nodes]}, actors


@dataclass(frozen=True, slots=True)
class _ActorRow:
    name: str
    kind: str
    country: str | None
    joins_camps: bool = True
    media: bool = False


def _joins_camps(sector: str | None, discovery_key: str | None) -> bool:
    """Media outlets and generic or unnamed agents are nodes, never camp members."""
    if sector in CAMP_EXCLUDED_SECTORS:
        return False
    return not (discovery_key or "").startswith(CAMP_EXCLUDED_KEY_PREFIXES)


def _allowed(row: _ActorRow | None, kinds: list[str] | None, country: str | None) -> bool:
    if row is None:  # an id with facts but no actor row (deleted): only unfiltered views
        return not (kinds or country)
    return (not kinds or row.kind in kinds) and (not country or row.country == country)


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
    rules: CampRules,
    min_outlets: int = 1,
) -> Network:
    survivors = survivor_map(session)
    table = _RELATIONS_CACHE.get_or_build(session, "relations", lambda: _relation_table(session))
    relations = (table.in_window(start, end, relation_types, min_outlets=min_outlets)
                 if include_relations else [])
    degree, actors = _choose_nodes(session, start, end, max_nodes, event_types, include_events,
                                   relations, survivors, kinds, country, min_outlets)
    chosen = set(degree)

    # every tie as shown, and the ties camps are computed from (confident facts only)
    sums: dict[tuple[int, int], _PairSums] = defaultdict(_PairSums)
    camp_sums: dict[tuple[int, int], _PairSums] = defaultdict(_PairSums)
    if include_events and chosen:
        among = sorted(chosen | {a for a, s in survivors.items() if s in chosen})
        unsure = (_UNSURE_CACHE.get_or_build(
                      session, ("unsure", rules.min_confidence, min_outlets),
                      lambda: _unsure_events(session, rules.min_confidence, min_outlets),
                  ).pair_sums(start, end, event_types, set(among))
                  if rules.min_confidence > 0 else {})
        for (src, tgt), acc in pair_event_sums(session, start, end, event_types,
                                               among=among, min_outlets=min_outlets).items():
            x, y = survivors.get(src, src), survivors.get(tgt, tgt)
            if x != y:
                pair = _pair(x, y)
                sums[pair].n_events += acc.n
                sums[pair].total += acc.total
                low_n, low_total = unsure.get((src, tgt), (0, 0.0))
                camp_sums[pair].n_events += acc.n - low_n
                camp_sums[pair].total += acc.total - low_total
    anchors = rollup_anchors(relations, table.persons, degree)
    for subj, obj, rel_type in relations:
        if subj != obj and subj in chosen and obj in chosen:
            _add_relation(sums[_pair(subj, obj)], rel_type, obj in anchors.get(subj, ()))
    sure = (table.in_window(start, end, relation_types, rules.min_confidence, min_outlets)
            if include_relations else [])
    joining = {a for a in chosen if a in actors and actors[a].joins_camps}
    camp_anchors = {p: {o for o in orgs if o in joining}
                    for p, orgs in rollup_anchors(sure, table.persons, degree).items()
                    if p in joining}
    for subj, obj, rel_type in sure:
        if subj != obj and subj in chosen and obj in chosen:
            _add_relation(camp_sums[_pair(subj, obj)], rel_type,
                          obj in camp_anchors.get(subj, ()))

    weights = {pair: s.weight for pair, s in sums.items()}  # a property: compute it once
    camp_weights = {pair: w for pair, s in camp_sums.items()
                    if pair[0] in joining and pair[1] in joining
                    and (w := _camp_weight(s, rules.min_evidence)) != 0}
    signed = [SignedEdge(a, b, w) for (a, b), w in camp_weights.items()]
    in_camps = sorted({a for pair in camp_weights for a in pair})
    blocs = partition_signed(signed, nodes=in_camps,
                             bound=_bound({p: o for p, o in camp_anchors.items() if o}))
    names = {a: row.name for a, row in actors.items()}
    camps = describe_camps(blocs, {a: float(d) for a, d in degree.items()}, names,
                           name_members=CAMP_NAME_MEMBERS)
    colour = {a: c.colour for c in camps for a in c.members}
    nodes = [
        NetworkNode(
            id=a,
            name=actors[a].name if a in actors else f"actor {a}",
            kind=actors[a].kind if a in actors else "other",
            country=actors[a].country if a in actors else None,
            camp=blocs.members[a].camp if a in blocs.members else NO_CAMP,
            strength=blocs.members[a].strength if a in blocs.members else 0.0,
            degree=degree[a],
            colour=colour.get(a, NO_CAMP_COLOUR),
            media=a in actors and actors[a].media,
        )
        for a in sorted(chosen, key=lambda x: (-degree[x], x))
    ]
    edges = [
        NetworkEdge(
            a=a, b=b, weight=round(weights[(a, b)], 4),
            sign=(weights[(a, b)] > 0) - (weights[(a, b)] < 0),
            n_events=s.n_events, n_relations=s.n_relations,
            relation_types=tuple(sorted(s.relation_types)),
            in_camps=(a, b) in camp_weights,
        )
        for (a, b), s in sorted(sums.items())
    ]
    return Network(start=start, end=end, nodes=nodes, edges=edges, blocs=blocs, camps=camps)


def _camp_weight(sums: _PairSums, min_evidence: int) -> float:
    """A tie's weight for camps: its stance part only with ``min_evidence`` pieces of
    evidence; the person roll-up and membership parts (structure) as they are."""
    if sums.n_events + sums.n_relations >= min_evidence:
        return sums.weight
    return sums.structure_weight


# -- the network as people see it -----------------------------------------------------------

Ties = Literal["all", "events", "relations"]


def edge_sources(ties: Ties, event_types: list[str] | None,
                 relation_types: list[str] | None) -> tuple[bool, bool]:
    """(include events, include relations) for the filters: an event type names events, so
    choosing one (and no relation type) leaves relation ties out, and the other way round;
    ``ties`` says it outright."""
    events = ties != "relations" and not (relation_types and not event_types)
    relations = ties != "events" and not (event_types and not relation_types)
    return events, relations


def visible_network(
    session: Session,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    max_nodes: int = 150,
    event_types: list[str] | None = None,
    relation_types: list[str] | None = None,
    kinds: list[str] | None = None,
    country: str | None = None,
    ties: Ties = "all",
    camp_rules: CampRules | None = None,
    min_outlets: int = 1,
) -> Network:
    """The network the CLI, API and web show: the ties the filters ask for, without media
    outlets and press agents (``NetworkNode.media``): they report the conflict and are not
    parties to it, so a window still shows ``max_nodes`` actors when it has them."""
    include_events, include_relations = edge_sources(ties, event_types, relation_types)
    max_nodes = max(1, min(max_nodes, MAX_NODES))

    def fetch(n: int) -> Network:
        return signed_network(session, start=start, end=end, max_nodes=n,
                              event_types=event_types, relation_types=relation_types,
                              kinds=kinds, country=country, include_events=include_events,
                              include_relations=include_relations, camp_rules=camp_rules,
                              min_outlets=min_outlets)

    net, asked = fetch(max_nodes), max_nodes
    # Ask again for as many more nodes as were media (twice at most: the newcomers may
    # be media too).
    for _ in range(2):
        n_media = sum(1 for n in net.nodes if n.media)
        want = min(MAX_NODES, max_nodes + n_media)
        if n_media == 0 or want <= asked or len(net.nodes) < asked:
            break
        net, asked = fetch(want), want
    keep = [n for n in net.nodes if not n.media][:max_nodes]
    ids = {n.id for n in keep}
    # media are in no camp; members past the max_nodes cut (asked for beyond it to make up
    # for media) are not drawn, so not listed either (core and name stay the camp's own)
    camps = [replace(c, members=tuple(m for m in c.members if m in ids)) for c in net.camps]
    return Network(net.start, net.end, keep,
                   [e for e in net.edges if e.a in ids and e.b in ids], net.blocs,
                   [c for c in camps if c.members])

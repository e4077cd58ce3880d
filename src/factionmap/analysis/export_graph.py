"""The graph for other tools: GEXF (Gephi) and GraphML through networkx, and a STIX 2.1
bundle built and checked by the ``stix2`` library.

GEXF and GraphML carry, per node, its name (label), kind, country, camp, camp name and
colour, and per edge its type (relation types, 'events'; ``tie_type`` in GEXF, whose own
edge ``type`` means directed or undirected), sign, weight, evidence counts and the first
and last date of its evidence. Attribute values are never empty: a missing
country or date is written as the empty string (both formats type an attribute by its
first value and refuse None).

The STIX bundle holds a threat-actor for each armed group and an identity for every
other actor (a person as an individual), a relationship object for each tie between them
(subject -> relation type -> object, as written), and each relationship's evidence
articles as external references (outlet, address, the sentence). Ids are derived from
the actors' stable keys, so a second export of the same store gives the same ids.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from pathlib import Path
from typing import IO, Any

import networkx as nx
from sqlalchemy import select
from sqlalchemy.orm import Session

from factionmap.analysis.blocs import NO_CAMP_COLOUR
from factionmap.analysis.common import counted_relation, survivor_map
from factionmap.analysis.export import GraphExport, edge_type
from factionmap.store.models import Actor, Alias, Document, RelationFact

# A fixed namespace: the same actor key gives the same STIX id in every export.
_STIX_NAMESPACE = uuid.UUID("6f1e0c4e-3a7d-5b8e-9c21-4d0f7a2b9e13")
MAX_REFERENCES = 20  # evidence articles cited per relationship
_THREAT_KINDS = {"armed_group"}
_IDENTITY_CLASS = {"person": "individual", "state": "organization", "party": "organization",
                   "government_body": "organization", "international_org": "organization"}


def to_networkx(graph: GraphExport) -> nx.Graph:
    g = nx.Graph()
    names = graph.camp_names
    colours = {c.id: c.colour for c in graph.network.camps}
    for n in graph.network.nodes:
        g.add_node(str(n.id), label=n.name, kind=n.kind, country=n.country or "",
                   camp=n.camp, camp_name=names.get(n.camp, ""),
                   colour=colours.get(n.camp, NO_CAMP_COLOUR), degree=n.degree)
    for e in graph.network.edges:
        first, last = graph.dates.get((e.a, e.b), (None, None))
        g.add_edge(str(e.a), str(e.b), type=edge_type(e.relation_types, e.n_events),
                   sign=e.sign, weight=float(e.weight), n_events=e.n_events,
                   n_relations=e.n_relations, first_date=_day(first), last_date=_day(last),
                   in_camps=e.in_camps)
    return g


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def write_gexf(graph: GraphExport, path: Path) -> int:
    g = to_networkx(graph)
    for node, data in g.nodes(data=True):  # Gephi colours nodes from the viz element
        colour = data["colour"].lstrip("#")
        data["viz"] = {"color": {"r": int(colour[0:2], 16), "g": int(colour[2:4], 16),
                                 "b": int(colour[4:6], 16), "a": 1.0}}
        del node
    for _, _, data in g.edges(data=True):
        # GEXF's own edge 'type' says directed or undirected: ours goes under another name
        data["tie_type"] = data.pop("type")
    nx.write_gexf(g, path)
    return g.number_of_nodes()


def write_graphml(graph: GraphExport, path: Path) -> int:
    g = to_networkx(graph)
    nx.write_graphml(g, path)
    return g.number_of_nodes()


# ---- STIX 2.1 -----------------------------------------------------------------------------


def _stix_id(kind: str, actor: Actor) -> str:
    key = actor.kb_id or actor.discovery_key or f"factionmap-actor:{actor.id}"
    return f"{kind}--{uuid.uuid5(_STIX_NAMESPACE, key)}"


def _timestamp(value: dt.datetime | dt.date | None) -> dt.datetime:
    if value is None:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def stix_bundle(session: Session, graph: GraphExport) -> Any:
    """A stix2.Bundle of the graph's actors and the stated ties among them."""
    import stix2

    chosen = [n.id for n in graph.network.nodes]
    actors = {a.id: a for a in session.scalars(select(Actor).where(Actor.id.in_(chosen)))}
    aliases: dict[int, set[str]] = defaultdict(set)
    survivors = survivor_map(session)
    members = set(chosen) | {a for a, s in survivors.items() if s in set(chosen)}
    for actor_id, name in session.execute(select(Alias.actor_id, Alias.name)
                                          .where(Alias.actor_id.in_(members))):
        aliases[survivors.get(actor_id, actor_id)].add(name)
    camp_names = graph.camp_names
    camps = {n.id: n.camp for n in graph.network.nodes}
    objects: list[Any] = []
    ids: dict[int, str] = {}
    for actor_id in chosen:
        a = actors.get(actor_id)
        if a is None:
            continue
        labels = [f"kind:{a.kind}"] + ([f"country:{a.country}"] if a.country else [])
        if camps.get(a.id):
            labels.append(f"camp:{camp_names.get(camps[a.id], camps[a.id])}")
        common: dict[str, Any] = {
            "name": a.name, "created": _timestamp(a.created_at),
            "modified": _timestamp(a.created_at), "labels": labels,
        }
        if a.wikidata:
            common["external_references"] = [{
                "source_name": "wikidata", "external_id": a.wikidata,
                "url": f"https://www.wikidata.org/wiki/{a.wikidata}"}]
        if a.kind in _THREAT_KINDS:
            ids[a.id] = _stix_id("threat-actor", a)
            others = sorted(aliases.get(a.id, set()) - {a.name})
            objects.append(stix2.ThreatActor(
                id=ids[a.id], threat_actor_types=["unknown"],
                **({"aliases": others} if others else {}), **common))
        else:
            ids[a.id] = _stix_id("identity", a)
            objects.append(stix2.Identity(
                id=ids[a.id], identity_class=_IDENTITY_CLASS.get(a.kind, "unknown"),
                **common))
    objects += _relationships(session, ids, survivors, members)
    return stix2.Bundle(objects=objects)


def _relationships(
    session: Session, ids: dict[int, str], survivors: dict[int, int], members: set[int]
) -> list[Any]:
    import stix2

    ties: dict[tuple[int, str, int], list[tuple[RelationFact, Document]]] = defaultdict(list)
    rows = session.execute(
        select(RelationFact, Document)
        .join(Document, Document.id == RelationFact.document_id)
        .where(counted_relation(), RelationFact.subject_actor_id.in_(members),
               RelationFact.object_actor_id.in_(members))
        .order_by(RelationFact.id)
    ).all()
    for r, doc in rows:
        assert r.subject_actor_id is not None and r.object_actor_id is not None
        s = survivors.get(r.subject_actor_id, r.subject_actor_id)
        o = survivors.get(r.object_actor_id, r.object_actor_id)
        if s != o and s in ids and o in ids:
            ties[(s, r.type, o)].append((r, doc))
    out = []
    for (s, rtype, o), facts in sorted(ties.items()):
        refs: list[dict[str, Any]] = []
        seen: set[str] = set()
        for r, doc in facts:
            if doc.id in seen or len(refs) >= MAX_REFERENCES:
                continue
            seen.add(doc.id)
            ref: dict[str, Any] = {"source_name": doc.outlet or "factionmap",
                                   "description": r.sentence_text[:1000],
                                   "external_id": f"{doc.id}:{r.evidence_start}-{r.evidence_end}"}
            if doc.url and doc.url.startswith(("http://", "https://")):
                ref["url"] = doc.url
            refs.append(ref)
        starts = [r.valid_from or r.reported_at for r, _ in facts]
        stops = [r.valid_until or r.reported_at for r, _ in facts]
        first = min((d for d in starts if d), default=None)
        last = max((d for d in stops if d), default=None)
        created = max((f.ingested_at for f, _ in facts), default=None)
        key = f"{ids[s]}|{rtype}|{ids[o]}"
        extra: dict[str, Any] = {}
        if first is not None and last is not None and last > first:
            extra = {"start_time": _timestamp(first), "stop_time": _timestamp(last)}
        out.append(stix2.Relationship(
            id=f"relationship--{uuid.uuid5(_STIX_NAMESPACE, key)}",
            relationship_type=rtype.replace("_", "-"), source_ref=ids[s], target_ref=ids[o],
            description=f"{len(facts)} report(s) state this tie",
            confidence=round(100 * max(r.confidence for r, _ in facts)),
            created=_timestamp(created), modified=_timestamp(created),
            external_references=refs, **extra,
        ))
    return out


def write_stix(session: Session, graph: GraphExport, out: IO[str]) -> int:
    bundle = stix_bundle(session, graph)
    out.write(bundle.serialize(pretty=True))
    out.write("\n")
    return len(bundle.objects)

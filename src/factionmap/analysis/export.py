"""Exports of the map as analysts' tools read it: actors, relations, events and the graph as
rows (CSV, Parquet, JSONL); the graph also as GEXF, GraphML and a STIX 2.1 bundle
(analysis/export_graph.py).

Every export reads the store through the same rules as the CLI, API and web pages, so
analyst corrections hold: rejected facts are left out, an actor merged into another is
read as the survivor (its aliases and facts are the survivor's), split-off actors and
added aliases appear as they do on the actor page.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from factionmap.analysis.common import (
    counted_event,
    counted_relation,
    event_day,
    not_rejected,
    survivor_map,
)
from factionmap.analysis.corroboration import relation_corroboration
from factionmap.analysis.network import MAX_NODES, Network, signed_network
from factionmap.store.models import (
    Actor,
    Alias,
    Document,
    EventActor,
    EventFact,
    Mention,
    RelationFact,
)

TABLE_FORMATS = ("csv", "parquet", "jsonl")
GRAPH_FORMATS = (*TABLE_FORMATS, "gexf", "graphml", "stix")
EVENT_FORMATS = (*TABLE_FORMATS, "plover-jsonl")
FORMATS: dict[str, tuple[str, ...]] = {
    "actors": TABLE_FORMATS,
    "relations": TABLE_FORMATS,
    "events": EVENT_FORMATS,
    "graph": GRAPH_FORMATS,
}
FILE_ONLY = ("parquet", "gexf", "graphml")  # binary or written by a library to a path


class ExportError(ValueError):
    """An export that cannot be made as asked (unknown kind or format)."""


def check_export(what: str, format: str, output: Path | None) -> None:
    if what not in FORMATS:
        raise ExportError(f"cannot export {what!r}; use one of {', '.join(FORMATS)}")
    if format not in FORMATS[what]:
        raise ExportError(
            f"--format {format!r} is not available for {what}; use {', '.join(FORMATS[what])}")
    if format in FILE_ONLY and output is None:
        raise ExportError(f"--format {format} needs --output FILE")


# ---- actors -------------------------------------------------------------------------------

ACTOR_COLUMNS = ("id", "name", "kind", "country", "sector", "kb_id", "wikidata", "aliases",
                 "merged_from", "mentions", "relations", "events")  # fmt: skip


def actor_records(session: Session) -> Iterator[dict[str, Any]]:
    """One row per surviving actor; merged actors' aliases and counts are the survivor's."""
    survivors = survivor_map(session)

    def who(a: int) -> int:
        return survivors.get(a, a)

    aliases: dict[int, set[str]] = defaultdict(set)
    for actor_id, name in session.execute(select(Alias.actor_id, Alias.name)):
        aliases[who(actor_id)].add(name)
    merged: dict[int, list[int]] = defaultdict(list)
    for absorbed, survivor in sorted(survivors.items()):
        merged[survivor].append(absorbed)
    mentions = _count_by_survivor(session.execute(
        select(Mention.actor_id, func.count()).where(Mention.actor_id.is_not(None))
        .group_by(Mention.actor_id)), who)
    relations = _count_facts(session, who, [
        select(RelationFact.id, RelationFact.subject_actor_id)
        .where(not_rejected(RelationFact), RelationFact.subject_actor_id.is_not(None)),
        select(RelationFact.id, RelationFact.object_actor_id)
        .where(not_rejected(RelationFact), RelationFact.object_actor_id.is_not(None)),
    ])
    events = _count_facts(session, who, [
        select(EventActor.event_id, EventActor.actor_id)
        .join(EventFact, EventFact.id == EventActor.event_id)
        .where(counted_event(), EventActor.actor_id.is_not(None)),
    ])
    rows = session.scalars(select(Actor).where(Actor.merged_into_id.is_(None))
                           .order_by(Actor.id))
    for a in rows:
        yield {
            "id": a.id, "name": a.name, "kind": a.kind, "country": a.country,
            "sector": a.sector, "kb_id": a.kb_id, "wikidata": a.wikidata,
            "aliases": sorted(aliases.get(a.id, set()) - {a.name}),
            "merged_from": merged.get(a.id, []),
            "mentions": mentions.get(a.id, 0), "relations": relations.get(a.id, 0),
            "events": events.get(a.id, 0),
        }


def _count_by_survivor(rows: Iterable[Any], who: Callable[[int], int]) -> dict[int, int]:
    out: dict[int, int] = defaultdict(int)
    for actor_id, n in rows:
        out[who(actor_id)] += int(n)
    return out


def _count_facts(
    session: Session, who: Callable[[int], int], selects: list[Any]
) -> dict[int, int]:
    """Distinct facts per survivor: a fact two merged members share counts once."""
    seen: dict[int, set[int]] = defaultdict(set)
    query: Any = union_all(*selects) if len(selects) > 1 else selects[0]
    for row in session.execute(query):
        seen[who(int(row[1]))].add(int(row[0]))
    return {a: len(ids) for a, ids in seen.items()}


# ---- relations ----------------------------------------------------------------------------

RELATION_COLUMNS = (
    "id", "subject_id", "subject", "type", "role", "object_id", "object", "modality",
    "attributed_to", "confidence", "review", "valid_from", "valid_until", "is_former",
    "reported_at", "document_id", "url", "outlet", "evidence_start", "evidence_end", "text",
    "outlets", "first_reported", "last_reported", "contested",
)  # fmt: skip


def relation_records(session: Session, *, batch: int = 1000) -> Iterator[dict[str, Any]]:
    """Every relation no analyst rejected (denials too, with their modality), actors as their
    survivors, with its document's address and the corroboration of its tie."""
    survivors = survivor_map(session)
    names: dict[int, str] = {i: n for i, n in session.execute(select(Actor.id, Actor.name))}
    last = 0
    while True:
        rows = session.execute(
            select(RelationFact, Document.url, Document.outlet)
            .join(Document, Document.id == RelationFact.document_id)
            .where(not_rejected(RelationFact), RelationFact.id > last)
            .order_by(RelationFact.id).limit(batch)
        ).all()
        if not rows:
            return
        seen = relation_corroboration(session, [r[0] for r in rows])
        for r, url, outlet in rows:
            s = survivors.get(r.subject_actor_id, r.subject_actor_id) \
                if r.subject_actor_id is not None else None
            o = survivors.get(r.object_actor_id, r.object_actor_id) \
                if r.object_actor_id is not None else None
            c = seen[r.id]
            yield {
                "id": r.id, "subject_id": s,
                "subject": names.get(s, r.subject_text) if s is not None else r.subject_text,
                "type": r.type, "role": r.role, "object_id": o,
                "object": names.get(o, r.object_text) if o is not None else r.object_text,
                "modality": r.modality, "attributed_to": r.attributed_to,
                "confidence": r.confidence, "review": r.review, "valid_from": r.valid_from,
                "valid_until": r.valid_until, "is_former": r.is_former,
                "reported_at": r.reported_at, "document_id": r.document_id, "url": url,
                "outlet": outlet, "evidence_start": r.evidence_start,
                "evidence_end": r.evidence_end, "text": r.sentence_text,
                "outlets": c.outlets, "first_reported": c.first_reported,
                "last_reported": c.last_reported, "contested": c.contested,
            }
        last = rows[-1][0].id


# ---- the graph ----------------------------------------------------------------------------

GRAPH_COLUMNS = (
    "source_id", "source", "source_kind", "source_country", "source_camp", "target_id",
    "target", "target_kind", "target_country", "target_camp", "type", "sign", "weight",
    "n_events", "n_relations", "first_date", "last_date", "in_camps",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class GraphExport:
    network: Network
    dates: dict[tuple[int, int], tuple[dt.date | None, dt.date | None]]  # per edge pair
    camp_names: dict[int, str]


def graph_export(
    session: Session,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    max_nodes: int = MAX_NODES,
) -> GraphExport:
    """The signed network of the window (as the network view draws it) with the first and
    last date of each tie's evidence."""
    net = signed_network(session, start=start, end=end, max_nodes=max_nodes)
    return GraphExport(net, _edge_dates(session, net, start, end),
                       {c.id: c.name for c in net.camps})


def edge_type(relation_types: tuple[str, ...], n_events: int) -> str:
    """What a tie is made of: its relation types, and 'events' when events count in it."""
    return ";".join([*relation_types, *(["events"] if n_events else [])])


def _edge_dates(
    session: Session, net: Network, start: dt.date | None, end: dt.date | None
) -> dict[tuple[int, int], tuple[dt.date | None, dt.date | None]]:
    from factionmap.analysis.common import event_in_window, event_pairs, relation_in_window

    survivors = survivor_map(session)
    chosen = {n.id for n in net.nodes}
    among = sorted(chosen | {a for a, s in survivors.items() if s in chosen})
    span: dict[tuple[int, int], list[dt.date]] = defaultdict(list)

    def add(x: int | None, y: int | None, *days: dt.date | None) -> None:
        if x is None or y is None:
            return
        a, b = survivors.get(x, x), survivors.get(y, y)
        if a != b and a in chosen and b in chosen:
            span[(min(a, b), max(a, b))].extend(d for d in days if d is not None)

    if among:
        pairs = event_pairs(start=start, end=end, sources=among, targets=among)
        rows = session.execute(
            select(pairs.c.source_id, pairs.c.target_id, func.min(event_day()),
                   func.max(event_day()))
            .join(EventFact, EventFact.id == pairs.c.event_id)
            .where(event_in_window(start, end))
            .group_by(pairs.c.source_id, pairs.c.target_id))
        for src, tgt, first, last in rows:
            add(src, tgt, first, last)
        rel_rows = session.execute(
            select(RelationFact.subject_actor_id, RelationFact.object_actor_id,
                   func.coalesce(RelationFact.valid_from, RelationFact.reported_at),
                   func.coalesce(RelationFact.valid_until, RelationFact.reported_at))
            .where(counted_relation(), relation_in_window(start, end),
                   RelationFact.subject_actor_id.in_(among),
                   RelationFact.object_actor_id.in_(among)))
        for subj, obj, first, last in rel_rows:
            add(subj, obj, first, last)
    return {pair: (min(days), max(days)) for pair, days in span.items() if days}


def graph_records(graph: GraphExport) -> Iterator[dict[str, Any]]:
    """The graph as an edge list, each end with its attributes."""
    nodes = {n.id: n for n in graph.network.nodes}
    for e in graph.network.edges:
        a, b = nodes[e.a], nodes[e.b]
        first, last = graph.dates.get((e.a, e.b), (None, None))
        yield {
            "source_id": a.id, "source": a.name, "source_kind": a.kind,
            "source_country": a.country, "source_camp": a.camp,
            "target_id": b.id, "target": b.name, "target_kind": b.kind,
            "target_country": b.country, "target_camp": b.camp,
            "type": edge_type(e.relation_types, e.n_events), "sign": e.sign,
            "weight": e.weight, "n_events": e.n_events, "n_relations": e.n_relations,
            "first_date": first, "last_date": last, "in_camps": e.in_camps,
        }


# ---- writers ------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A value as JSON and CSV carry it: dates as ISO text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def write_rows(
    records: Iterable[dict[str, Any]], columns: tuple[str, ...], format: str,
    out: IO[str] | None = None, path: Path | None = None,
) -> int:
    """Write rows as CSV (lists joined with '; '), JSONL or Parquet (``path``)."""
    if format == "parquet":
        assert path is not None
        return _write_parquet(records, columns, path)
    assert out is not None
    n = 0
    if format == "csv":
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        for n, record in enumerate(records, 1):  # noqa: B007 - n is the count
            writer.writerow({k: "; ".join(map(str, v)) if isinstance(v, list) else _plain(v)
                             for k, v in record.items()})
        return n
    for n, record in enumerate(records, 1):  # noqa: B007
        out.write(json.dumps({k: _plain(v) for k, v in record.items()},
                             ensure_ascii=False) + "\n")
    return n


def _write_parquet(records: Iterable[dict[str, Any]], columns: tuple[str, ...],
                   path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(records)
    table = pa.Table.from_pylist(rows) if rows else pa.table({c: [] for c in columns})
    pq.write_table(table.select(list(columns)) if rows else table, path)
    return len(rows)

"""Export stored events with PLOVER field names (JSONL, CSV, Parquet).

Analyst corrections hold: rejected reports are left out and an actor merged into another
is named as the survivor. Each report carries how many outlets report its happening.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from factionmap.analysis.common import survivor_map
from factionmap.analysis.corroboration import happening_corroboration
from factionmap.analysis.queries import has_actor
from factionmap.store.models import Actor, EventFact, Happening
from factionmap.store.summaries import not_rejected

ExportFormat = Literal["plover-jsonl", "csv", "parquet"]
EXPORT_FORMATS: tuple[str, ...] = ("plover-jsonl", "csv", "parquet")

# Flat columns for CSV and Parquet; JSONL nests the offsets.
FLAT_FIELDS = (
    "id", "date", "date_precision", "actor", "actor_country", "recipient", "recipient_country",
    "event", "mode", "context", "location", "location_country", "lat", "lon", "text",
    "offsets_start", "offsets_end", "trigger", "source_document", "published", "cameo",
    "goldstein", "quad_class", "report_count", "happening_id", "modality", "confidence",
    "outlets", "first_reported", "last_reported",
)  # fmt: skip


def event_records(session: Session, *, include_actorless: bool = False
                  ) -> Iterator[dict[str, Any]]:
    """One dict per stored event report (rejected ones left out), PLOVER names plus
    CAMEO/Goldstein/report count; as every list does, only events with a source or target
    resolved to an actor unless ``include_actorless``."""
    survivors = survivor_map(session)
    rows = {a.id: a for a in session.scalars(select(Actor))}
    actors = {a: rows[survivors.get(a, a)] for a in rows if survivors.get(a, a) in rows}
    counts = dict(session.execute(select(Happening.id, Happening.report_count)).all())
    seen = happening_corroboration(session)
    query = select(EventFact).where(not_rejected(EventFact))
    if not include_actorless:
        query = query.where(has_actor())
    query = query.order_by(EventFact.reported_at, EventFact.id)
    for e in session.scalars(query.execution_options(yield_per=500)):
        src, tgt = actors.get(e.source_actor_id or -1), actors.get(e.target_actor_id or -1)
        date = e.date or e.reported_at
        c = seen.get(e.happening_id or -1)
        first = c.first_reported if c else e.reported_at
        last = c.last_reported if c else e.reported_at
        yield {
            "id": f"fm-{e.id}",
            "date": date.isoformat() if date else None,
            "date_precision": e.date_precision,
            "actor": src.name if src else None,
            "actor_country": src.country if src else None,
            "recipient": tgt.name if tgt else None,
            "recipient_country": tgt.country if tgt else None,
            "event": e.type,
            "mode": e.mode,
            "context": e.context,
            "location": e.location_name,
            "location_country": e.country,
            "lat": e.lat,
            "lon": e.lon,
            "text": e.sentence_text,
            "offsets": {"start": e.evidence_start, "end": e.evidence_end},
            "trigger": e.trigger_text,
            "source_document": e.document_id,
            "published": e.reported_at.isoformat() if e.reported_at else None,
            "cameo": e.cameo,
            "goldstein": e.goldstein,
            "quad_class": e.quad_class,
            "report_count": counts.get(e.happening_id) if e.happening_id else None,
            "happening_id": e.happening_id,
            "modality": e.modality,
            "confidence": e.confidence,
            "outlets": c.outlets if c else 1,
            "first_reported": first.isoformat() if first else None,
            "last_reported": last.isoformat() if last else None,
        }


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in record.items() if k != "offsets"}
    flat["offsets_start"] = record["offsets"]["start"]
    flat["offsets_end"] = record["offsets"]["end"]
    return {k: flat[k] for k in FLAT_FIELDS}


def write_jsonl(records: Iterator[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for n, record in enumerate(records, 1):  # noqa: B007 - n is the count
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return n


def write_csv(records: Iterator[dict[str, Any]], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=FLAT_FIELDS)
    writer.writeheader()
    n = 0
    for n, record in enumerate(records, 1):  # noqa: B007
        writer.writerow(flatten(record))
    return n


def write_parquet(records: Iterator[dict[str, Any]], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [flatten(r) for r in records]
    columns = {name: [row[name] for row in rows] for name in FLAT_FIELDS}
    schema = pa.schema(
        [
            (name, pa.float64() if name in ("lat", "lon", "goldstein", "confidence")
             else pa.int64() if name in ("offsets_start", "offsets_end", "quad_class",
                                         "report_count", "happening_id", "outlets")
             else pa.string())
            for name in FLAT_FIELDS
        ]
    )  # fmt: skip
    pq.write_table(pa.table(columns, schema=schema), path)
    return len(rows)

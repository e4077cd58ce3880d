"""The stable JSONL schema of one article's extraction (keys may be added, never removed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from factionmap.records import ArticleExtraction, Event, Mention, Relation, Span, ValidTime


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def span_to_dict(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {
        "start": span.start,
        "end": span.end,
        "text": span.text,
        "actor_id": span.actor_id,
        "actor_name": span.actor_name,
    }


def _valid(valid: ValidTime | None) -> dict[str, Any] | None:
    if valid is None:
        return None
    return {
        "start": _iso(valid.start),
        "end": _iso(valid.end),
        "phrase": valid.phrase,
        "is_former": valid.is_former,
    }


def mention_to_dict(m: Mention) -> dict[str, Any]:
    return {
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "label": m.label,
        "actor_id": m.actor_id,
        "actor_name": m.actor_name,
        "actor_kind": m.actor_kind,
        "country": m.country,
        "sector": m.sector,
        "link_reason": m.link_reason,
    }


def relation_to_dict(r: Relation) -> dict[str, Any]:
    return {
        "type": r.type,
        "role": r.role,
        "subject": span_to_dict(r.subject),
        "object": span_to_dict(r.object),
        "evidence": {"start": r.evidence.start, "end": r.evidence.end},
        "modality": r.modality,
        "confidence": r.confidence,
        "attributed_to": span_to_dict(r.attributed_to),
        "valid": _valid(r.valid),
        "pattern": r.pattern,
    }


def event_to_dict(e: Event) -> dict[str, Any]:
    location = None
    if e.location is not None:
        location = {
            "name": e.location.name,
            "country": e.location.country,
            "lat": e.location.lat,
            "lon": e.location.lon,
            "phrase": e.location.phrase,
            "geonameid": e.location.geonameid,
        }
    return {
        "type": e.type,
        "mode": e.mode,
        "context": e.context,
        "cameo": e.cameo,
        "goldstein": e.goldstein,
        "quad_class": e.quad_class,
        "source": span_to_dict(e.source),
        "target": span_to_dict(e.target),
        "sources": [span_to_dict(s) for s in e.sources],
        "targets": [span_to_dict(s) for s in e.targets],
        "trigger": span_to_dict(e.trigger),
        "date": _iso(e.date.date) if e.date else None,
        "date_precision": e.date.precision if e.date else None,
        "date_end": _iso(e.date.end) if e.date else None,
        "location": location,
        "evidence": {"start": e.evidence.start, "end": e.evidence.end},
        "modality": e.modality,
        "confidence": e.confidence,
        "attributed_to": span_to_dict(e.attributed_to),
    }


def extraction_to_dict(x: ArticleExtraction) -> dict[str, Any]:
    a = x.article
    return {
        "document": {
            "id": a.id,
            "path": a.path,
            "row": a.row,
            "title": a.title,
            "date": _iso(a.date),
            "date_inferred": a.date_inferred,
            "source": a.source,
            "url": a.url,
        },
        "mentions": [mention_to_dict(m) for m in x.mentions],
        "relations": [relation_to_dict(r) for r in x.relations],
        "events": [event_to_dict(e) for e in x.events],
    }

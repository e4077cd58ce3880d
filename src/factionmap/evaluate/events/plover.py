"""PLOVER gold records (a JSON list): the type of the event that sums up each record's text,
and whether its sources and targets name the record's actors.

The records are also event training data (``train.eventsets``), so they are scored by 5-fold
cross-validation by default (``evaluate.events.folds``): each record by models trained
without it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factionmap.evaluate.events.common import GoldFileError, strongest
from factionmap.evaluate.events.folds import Progress, no_progress, score_events
from factionmap.records import PLOVER_TYPES, Event

if TYPE_CHECKING:
    from factionmap.train.models import Sources

# Category names of earlier PLOVER drafts -> today's 16 types.
OLD_TO_CURRENT = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}


def read_plover(path: str | Path) -> list[dict[str, Any]]:
    """Records with an event of one of the 16 types and a text, each with its type in
    ``event16`` and a unique ``id`` (a repeated id gets ``~2``, ``~3``); documentation records
    (no event, no text) are passed over."""
    p = Path(path)
    try:
        data = json.loads(p.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldFileError(f"{p}: cannot read PLOVER JSON: {exc}") from exc
    if not isinstance(data, list):
        raise GoldFileError(f"{p}: expected a JSON list of records")
    records = []
    seen: dict[str, int] = {}
    for i, rec in enumerate(data, 1):
        if not isinstance(rec, dict):
            raise GoldFileError(f"{p}: record {i} is not an object")
        raw = rec.get("event", "")
        if not isinstance(raw, str):
            raise GoldFileError(f"{p}: record {i}: field 'event' is not a string")
        event = OLD_TO_CURRENT.get(raw, raw)
        text = rec.get("text")
        if text is not None and not isinstance(text, str):
            raise GoldFileError(f"{p}: record {i}: field 'text' is not a string")
        if event not in PLOVER_TYPES or not text:
            continue  # documentation records carry no event
        rid = str(rec.get("id", f"#{i}"))
        seen[rid] = seen.get(rid, 0) + 1
        if seen[rid] > 1:
            rid = f"{rid}~{seen[rid]}"  # one id names two records in the published file
        records.append({**rec, "id": rid, "event16": event})
    return records


def _actor_texts(gold: Any) -> list[str]:
    """Gold actor texts: a list of {"actorText": ...} objects (some records hold bare strings)."""
    items = gold if isinstance(gold, list) else [gold]
    texts = [str(a.get("actorText", "")) if isinstance(a, dict) else str(a) for a in items]
    return [t.lower() for t in texts if t]


def actor_hit(pred: str | None, gold: Any) -> bool:
    """A predicted actor names a gold one when either text contains the other."""
    if not pred:
        return False
    p = pred.lower()
    return any(g in p or p in g for g in _actor_texts(gold))


def score(records: Sequence[dict[str, Any]], events: Sequence[Event | None]) -> dict[str, Any]:
    """Type accuracy over all records (no event counts as wrong) and actor matches of the
    summing-up event, against the records that name a source or a target."""
    correct = src_hit = src_n = tgt_hit = tgt_n = found = 0
    by_type: dict[str, list[int]] = {}
    for rec, event in zip(records, events, strict=True):
        ok = event is not None and event.type == rec["event16"]
        found += event is not None
        correct += ok
        by_type.setdefault(rec["event16"], [0, 0])
        by_type[rec["event16"]][0] += ok
        by_type[rec["event16"]][1] += 1
        if _actor_texts(rec.get("source") or []):
            src_n += 1
            src_hit += bool(event and any(actor_hit(s.text, rec["source"]) for s in event.sources))
        if _actor_texts(rec.get("target") or []):
            tgt_n += 1
            tgt_hit += bool(event and any(actor_hit(t.text, rec["target"]) for t in event.targets))
    n = len(records)
    return {
        "records": n,
        "records_with_event": found,
        "type_accuracy": round(correct / n, 4) if n else 0.0,
        "source_text_match": round(src_hit / src_n, 4) if src_n else 0.0,
        "target_text_match": round(tgt_hit / tgt_n, 4) if tgt_n else 0.0,
        "records_with_source": src_n,
        "records_with_target": tgt_n,
        "accuracy_by_type": {k: round(v[0] / v[1], 4) for k, v in sorted(by_type.items())},
        "records_by_type": {k: v[1] for k, v in sorted(by_type.items())},
    }


def evaluate_plover(path: str | Path, *, folds: int = 5, models: Path | None = None,
                    encoder: str | None = None, training: Sources | None = None,
                    progress: Progress = no_progress) -> dict[str, Any]:
    """``folds`` >= 2: cross-validation with the file's own records as training data (the
    records of a fold left out of its training); 0: the models of ``models`` (default: the
    shipped models)."""
    records = read_plover(path)
    scored = score_events([r["text"] for r in records], path, folds=folds, models=models,
                          encoder=encoder, plover=Path(path),
                          record_ids=[f"plover:{r['id']}" for r in records],
                          training=training, progress=progress)
    result: dict[str, Any] = {"file": str(path), **scored.how}
    result.update(score(records, [strongest(evs) for evs in scored.events]))
    result["category_mapping"] = OLD_TO_CURRENT
    return result

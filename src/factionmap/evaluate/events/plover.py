"""PLOVER gold records (JSON list): event-type accuracy and actor-text match."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from factionmap.evaluate.events.common import GoldFileError, SentenceCoder
from factionmap.records import PLOVER_TYPES

# Category names of earlier PLOVER drafts -> today's 16 types.
OLD_TO_CURRENT = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}


def read_plover(path: str | Path) -> list[dict[str, Any]]:
    p = Path(path)
    try:
        data = json.loads(p.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldFileError(f"{p}: cannot read PLOVER JSON: {exc}") from exc
    if not isinstance(data, list):
        raise GoldFileError(f"{p}: expected a JSON list of records")
    records = []
    for i, rec in enumerate(data, 1):
        if not isinstance(rec, dict):
            raise GoldFileError(f"{p}: record {i} is not an object")
        event = OLD_TO_CURRENT.get(rec.get("event", ""), rec.get("event", ""))
        if event not in PLOVER_TYPES or not rec.get("text"):
            continue  # documentation records carry no event
        records.append({**rec, "event16": event})
    return records


def _actor_hit(pred: str | None, gold: list[dict[str, Any]]) -> bool:
    if not pred:
        return False
    p = pred.lower()
    return any(
        str(a.get("actorText", "")).lower() in p or p in str(a.get("actorText", "")).lower()
        for a in gold
        if a.get("actorText")
    )


def evaluate_plover(path: str | Path, coder: SentenceCoder) -> dict[str, Any]:
    records = read_plover(path)
    events = coder.strongest([r["text"] for r in records])
    correct = src_hit = src_n = tgt_hit = tgt_n = 0
    by_type: dict[str, list[int]] = {}
    for rec, event in zip(records, events, strict=True):
        ok = event is not None and event.type == rec["event16"]
        correct += ok
        by_type.setdefault(rec["event16"], [0, 0])
        by_type[rec["event16"]][0] += ok
        by_type[rec["event16"]][1] += 1
        if rec.get("source"):
            src_n += 1
            src_hit += bool(event and any(_actor_hit(s.text, rec["source"]) for s in event.sources))
        if rec.get("target"):
            tgt_n += 1
            tgt_hit += bool(event and any(_actor_hit(s.text, rec["target"]) for s in event.targets))
    n = len(records)
    return {
        "file": str(path),
        "records": n,
        "type_accuracy": round(correct / n, 4) if n else 0.0,
        "source_text_match": round(src_hit / src_n, 4) if src_n else 0.0,
        "target_text_match": round(tgt_hit / tgt_n, 4) if tgt_n else 0.0,
        "accuracy_by_type": {k: round(v[0] / v[1], 4) for k, v in sorted(by_type.items())},
        "category_mapping": OLD_TO_CURRENT,
    }

"""PLOVER gold records (JSON list): event-type accuracy and actor-text match.

Rules: the strongest event's type. Learned: the PLOVER sentence classifier
(``events_plover``) retypes each trigger-bearing sentence's main event through the
product path; scored k-fold held-out when trained on the file being scored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from factionmap.evaluate.events.common import GoldFileError, SentenceCoder
from factionmap.evaluate.events.learning import (
    code_with,
    fingerprint,
    held_out,
    parse_all,
    save_trained,
    scoring_mode,
    sentence_rows,
)
from factionmap.extract.events.learned import (
    NO_MODELS,
    PLOVER_MODEL_FILE,
    EventModels,
    SentenceModel,
    train_sentence_model,
)
from factionmap.records import PLOVER_TYPES, Event

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


def _actor_texts(gold: Any) -> list[str]:
    """Gold actor texts: a list of {"actorText": ...} objects (some records hold bare strings)."""
    items = gold if isinstance(gold, list) else [gold]
    texts = [str(a.get("actorText", "")) if isinstance(a, dict) else str(a) for a in items]
    return [t.lower() for t in texts if t]


def _actor_hit(pred: str | None, gold: Any) -> bool:
    if not pred:
        return False
    p = pred.lower()
    return any(g in p or p in g for g in _actor_texts(gold))


def _score(records: list[dict[str, Any]], events: list[Event | None]) -> dict[str, Any]:
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
        "records": n,
        "type_accuracy": round(correct / n, 4) if n else 0.0,
        "source_text_match": round(src_hit / src_n, 4) if src_n else 0.0,
        "target_text_match": round(tgt_hit / tgt_n, 4) if tgt_n else 0.0,
        "accuracy_by_type": {k: round(v[0] / v[1], 4) for k, v in sorted(by_type.items())},
    }


def evaluate_plover(
    path: str | Path,
    coder: SentenceCoder,
    *,
    folds: int = 5,
    model: SentenceModel | None = None,
    train_out: Path | None = None,
) -> dict[str, Any]:
    """``model`` given: applied as is (refused if trained on this file). Else ``folds`` >= 2:
    k-fold held-out training of the PLOVER type model; ``folds`` 0/1: rules only."""
    records = read_plover(path)
    parsed = parse_all(coder, [r["text"] for r in records])
    labels = [r["event16"] for r in records]
    digest = fingerprint(path)
    mode = scoring_mode(
        path, len(records), folds, model, digest, model_name="PLOVER", unit="record"
    )
    if model is not None:
        events = code_with(coder, parsed, EventModels(plover=model))
    elif folds >= 2:

        def train(idx: Any) -> EventModels:
            return EventModels(
                plover=train_sentence_model(*sentence_rows(parsed, labels, idx), "plover")
            )

        events = held_out(coder, parsed, train, folds)
    else:
        events = code_with(coder, parsed, NO_MODELS)
    result = {"file": str(path), "mode": mode, **_score(records, events)}
    result["with_trigger"] = sum(bool(p.codings) for p in parsed)
    result["category_mapping"] = OLD_TO_CURRENT
    if train_out is not None:
        final = train_sentence_model(*sentence_rows(parsed, labels, range(len(parsed))), "plover")
        result["trained"] = save_trained(final, digest, train_out, PLOVER_MODEL_FILE)
    return result

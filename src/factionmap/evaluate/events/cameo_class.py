"""Quad-class evaluation: sentence<TAB>label (0 neutral .. 4 material conflict).

Rules: the strongest asserted/attributed event's quad class, no event -> 0.
Learned: the sentence quad classifier (``events_quad``) on sentences with a trigger,
scored k-fold held-out when trained on the file being scored.

Two figures are reported, because the product stores events, not sentence classes:
``macro_f1`` / ``accuracy`` score the sentence classifier (rules where no trigger), and
``event_macro_f1`` / ``event_accuracy`` score the quad class of the strongest stored event
that the product path codes with the same (held-out) models (no done event -> 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import KFold

from factionmap.evaluate.events.common import GoldFileError, SentenceCoder
from factionmap.evaluate.events.learning import (
    Parsed,
    fingerprint,
    parse_all,
    save_trained,
    scoring_mode,
    sentence_rows,
)
from factionmap.extract.events import strongest_event
from factionmap.extract.events.coder import EventCoder
from factionmap.extract.events.learned import (
    NO_MODELS,
    QUAD_MODEL_FILE,
    EventModels,
    SentenceModel,
    sentence_features,
    train_sentence_model,
)


def read_cameo_class(path: str | Path) -> list[tuple[str, int]]:
    rows = []
    p = Path(path)
    try:
        lines = p.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFileError(f"{p}: cannot read: {exc}") from exc
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        text, sep, label = line.rpartition("\t")
        if not sep or label.strip() not in {"0", "1", "2", "3", "4"}:
            raise GoldFileError(f"{p}:{lineno}: expected 'sentence<TAB>label 0-4'")
        rows.append((text, int(label)))
    return rows


def _rule_quads(
    sc: SentenceCoder, parsed: Sequence[Parsed], models: EventModels = NO_MODELS
) -> list[int]:
    """The quad class of each sentence's strongest done event, coded by the product path."""
    coder = EventCoder(lexicon=sc.coder.lexicon, models=models)
    out = []
    for p in parsed:
        e = strongest_event(coder.code(p.doc, p.mentions, p.article))
        out.append(
            e.quad_class if e is not None and e.modality in ("asserted", "attributed") else 0
        )
    return out


def _model_quads(
    model: SentenceModel, parsed: Sequence[Parsed], idx: Sequence[int], pred: list[int]
) -> None:
    """Overwrite ``pred`` at ``idx`` with the model's class where a trigger exists."""
    with_trigger = [i for i in idx if parsed[i].codings]
    rows = [
        sentence_features(parsed[i].codings[0].head.sent, parsed[i].codings) for i in with_trigger
    ]
    for i, (label, _) in zip(with_trigger, model.predict(rows), strict=True):
        pred[i] = int(label)


def evaluate_cameo_class(
    path: str | Path,
    coder: SentenceCoder,
    *,
    folds: int = 5,
    model: SentenceModel | None = None,
    train_out: Path | None = None,
) -> dict[str, Any]:
    """``model`` given: applied as is (refused if trained on this file). Else ``folds`` >= 2:
    k-fold held-out training of the quad model; ``folds`` 0/1: rules only."""
    rows = read_cameo_class(path)
    gold = [label for _, label in rows]
    parsed = parse_all(coder, [t for t, _ in rows])
    pred = _rule_quads(coder, parsed)
    events = list(pred)  # event-level classes: rules unless a model is in use
    digest = fingerprint(path)
    mode = scoring_mode(path, len(rows), folds, model, digest, model_name="quad")
    if model is not None:
        _model_quads(model, parsed, range(len(parsed)), pred)
        events = _rule_quads(coder, parsed, EventModels(quad=model))
    elif folds >= 2:
        splitter = KFold(n_splits=folds, shuffle=True, random_state=0)
        labels = [str(g) for g in gold]
        for train_idx, test_idx in splitter.split(rows):
            x, y = sentence_rows(parsed, labels, [int(i) for i in train_idx])
            fold_model = train_sentence_model(x, y, "quad")
            test = [int(i) for i in test_idx]
            _model_quads(fold_model, parsed, test, pred)
            fold_events = _rule_quads(
                coder, [parsed[i] for i in test], EventModels(quad=fold_model)
            )
            for i, q in zip(test, fold_events, strict=True):
                events[i] = q
    per_class = f1_score(gold, pred, labels=[0, 1, 2, 3, 4], average=None, zero_division=0)
    result: dict[str, Any] = {
        "file": str(path),
        "mode": mode,
        "sentences": len(rows),
        "with_trigger": sum(bool(p.codings) for p in parsed),
        "accuracy": round(float(accuracy_score(gold, pred)), 4),
        "macro_f1": round(float(f1_score(gold, pred, average="macro", zero_division=0)), 4),
        "f1_per_class": {str(i): round(float(v), 4) for i, v in enumerate(per_class)},
        "event_accuracy": round(float(accuracy_score(gold, events)), 4),
        "event_macro_f1": round(float(f1_score(gold, events, average="macro", zero_division=0)), 4),
    }
    if train_out is not None:
        x, y = sentence_rows(parsed, [str(g) for g in gold], range(len(parsed)))
        final = train_sentence_model(x, y, "quad")
        result["trained"] = save_trained(final, digest, train_out, QUAD_MODEL_FILE)
    return result

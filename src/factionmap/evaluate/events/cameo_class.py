"""Quad-class evaluation: sentence<TAB>label (0 neutral .. 4 material conflict).

Rules: the strongest asserted/attributed event's quad class, no event -> 0.
Learned: the sentence quad classifier (``events_quad``) on sentences with a trigger,
scored k-fold held-out when trained on the file being scored.
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


def _rule_quads(sc: SentenceCoder, parsed: Sequence[Parsed]) -> list[int]:
    coder = EventCoder(lexicon=sc.coder.lexicon, models=NO_MODELS)
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
    digest = fingerprint(path)
    mode = scoring_mode(path, len(rows), folds, model, digest, model_name="quad")
    if model is not None:
        _model_quads(model, parsed, range(len(parsed)), pred)
    elif folds >= 2:
        splitter = KFold(n_splits=folds, shuffle=True, random_state=0)
        labels = [str(g) for g in gold]
        for train_idx, test_idx in splitter.split(rows):
            x, y = sentence_rows(parsed, labels, [int(i) for i in train_idx])
            fold_model = train_sentence_model(x, y, "quad")
            _model_quads(fold_model, parsed, [int(i) for i in test_idx], pred)
    per_class = f1_score(gold, pred, labels=[0, 1, 2, 3, 4], average=None, zero_division=0)
    result: dict[str, Any] = {
        "file": str(path),
        "mode": mode,
        "sentences": len(rows),
        "with_trigger": sum(bool(p.codings) for p in parsed),
        "accuracy": round(float(accuracy_score(gold, pred)), 4),
        "macro_f1": round(float(f1_score(gold, pred, average="macro", zero_division=0)), 4),
        "f1_per_class": {str(i): round(float(v), 4) for i, v in enumerate(per_class)},
    }
    if train_out is not None:
        x, y = sentence_rows(parsed, [str(g) for g in gold], range(len(parsed)))
        final = train_sentence_model(x, y, "quad")
        result["trained"] = save_trained(final, digest, train_out, QUAD_MODEL_FILE)
    return result

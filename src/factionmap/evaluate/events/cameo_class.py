"""CAMEO quad class per sentence (``sentence<TAB>label``, 0 neutral, 1 verbal cooperation,
2 material cooperation, 3 verbal conflict, 4 material conflict): the quad class of the event
that sums up the sentence, 0 when the pipeline finds none that happened."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factionmap.evaluate.events.common import GoldFileError, read_lines, strongest
from factionmap.evaluate.events.folds import Progress, default_plover, no_progress, score_events
from factionmap.records import Event

if TYPE_CHECKING:
    from factionmap.train.models import Sources

QUADS = (0, 1, 2, 3, 4)


def read_cameo_class(path: str | Path) -> list[tuple[str, int]]:
    rows = []
    p = Path(path)
    for lineno, line in enumerate(read_lines(p), 1):
        if not line.strip():
            continue
        text, sep, label = line.rpartition("\t")
        if not sep or not text.strip() or label.strip() not in {"0", "1", "2", "3", "4"}:
            raise GoldFileError(f"{p}:{lineno}: expected 'sentence<TAB>label 0-4'")
        rows.append((text, int(label)))
    return rows


def quad_of(event: Event | None) -> int:
    return event.quad_class if event is not None else 0


def score(gold: Sequence[int], pred: Sequence[int]) -> dict[str, Any]:
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    per_class = f1_score(gold, pred, labels=list(QUADS), average=None, zero_division=0)
    matrix = confusion_matrix(gold, pred, labels=list(QUADS))
    return {
        "sentences": len(gold),
        "accuracy": round(float(accuracy_score(gold, pred)), 4) if gold else 0.0,
        "macro_f1": round(float(f1_score(gold, pred, labels=list(QUADS), average="macro",
                                         zero_division=0)), 4),
        "f1_per_class": {str(q): round(float(v), 4) for q, v in zip(QUADS, per_class,
                                                                     strict=True)},
        "gold_per_class": {str(q): int(sum(g == q for g in gold)) for q in QUADS},
        "predicted_per_class": {str(q): int(sum(p == q for p in pred)) for q in QUADS},
        # rows: gold class, columns: predicted class
        "confusion": [[int(v) for v in row] for row in matrix],
    }


def evaluate_cameo_class(path: str | Path, *, folds: int = 5, models: Path | None = None,
                         encoder: str | None = None, plover: Path | None = None,
                         training: Sources | None = None,
                         progress: Progress = no_progress) -> dict[str, Any]:
    """``folds`` >= 2: event models trained with the PLOVER records (``plover``, default the
    shared file when present) minus any of the scored sentences; 0: fixed models."""
    rows = read_cameo_class(path)
    if plover is None and default_plover().is_file():
        plover = default_plover()
    scored = score_events([t for t, _ in rows], path, folds=folds, models=models,
                          encoder=encoder, plover=plover, training=training,
                          progress=progress)
    result: dict[str, Any] = {"file": str(path), **scored.how}
    result.update(score([q for _, q in rows], [quad_of(strongest(evs))
                                              for evs in scored.events]))
    return result

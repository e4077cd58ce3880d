"""Quad-class evaluation: sentence<TAB>label (0 neutral .. 4 material conflict)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sklearn.metrics import accuracy_score, f1_score

from factionmap.evaluate.events.common import GoldFileError, SentenceCoder


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


def evaluate_cameo_class(path: str | Path, coder: SentenceCoder) -> dict[str, Any]:
    rows = read_cameo_class(path)
    gold = [label for _, label in rows]
    pred = [
        e.quad_class if e is not None and e.modality in ("asserted", "attributed") else 0
        for e in coder.strongest([t for t, _ in rows])
    ]
    per_class = f1_score(gold, pred, labels=[0, 1, 2, 3, 4], average=None, zero_division=0)
    return {
        "file": str(path),
        "sentences": len(rows),
        "accuracy": round(float(accuracy_score(gold, pred)), 4),
        "macro_f1": round(float(f1_score(gold, pred, average="macro", zero_division=0)), 4),
        "f1_per_class": {str(i): round(float(v), 4) for i, v in enumerate(per_class)},
    }

"""A multinomial logistic regression over sparse feature dicts (and dense blocks).

One shape for every classifier decider: a DictVectorizer, a scaler-free LogisticRegression
(lbfgs, deterministic), and the class list. Probabilities are the model's confidence; their
calibration is measured by ``factionmap evaluate news-gold`` (expected calibration error).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Protocol

import joblib
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

Features = Mapping[str, float]


class Scorer(Protocol):
    """What a decider needs of a model: its labels, its metadata and probabilities."""

    @property
    def classes(self) -> list[str]: ...

    @property
    def meta(self) -> dict[str, object]: ...

    def proba(self, rows: Sequence[Features]) -> np.ndarray: ...


@dataclass
class LinearModel:
    vectorizer: DictVectorizer
    classifier: LogisticRegression
    meta: dict[str, object] = field(default_factory=dict)

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.classifier.classes_]

    def proba(self, rows: Sequence[Features]) -> np.ndarray:
        if not rows:
            return np.zeros((0, len(self.classes)))
        return self.classifier.predict_proba(self.transform(rows))

    def transform(self, rows: Sequence[Features]) -> sp.csr_matrix:
        """The vectorizer's matrix, built in one loop (DictVectorizer.transform spends most of
        its time on checks a fitted vocabulary does not need)."""
        vocab = self.vectorizer.vocabulary_
        get = vocab.get
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for row in rows:
            for key, value in row.items():
                j = get(key)
                if j is not None:
                    indices.append(j)
                    data.append(value)
            indptr.append(len(indices))
        return sp.csr_matrix((np.asarray(data, dtype=np.float64), indices, indptr),
                             shape=(len(rows), len(vocab)))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump({"vectorizer": self.vectorizer, "classifier": self.classifier,
                     "meta": self.meta}, path, compress=3)

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        raw = joblib.load(path)
        return cls(raw["vectorizer"], raw["classifier"], raw.get("meta", {}))


def fit_linear(rows: Sequence[Features], labels: Sequence[str],
               weights: Sequence[float] | None = None, *, c: float = 1.0,
               max_iter: int = 300, min_count: int = 2,
               meta: dict[str, object] | None = None) -> LinearModel:
    """Fit on feature dicts; features seen fewer than ``min_count`` times are dropped."""
    counts: dict[str, int] = {}
    for r in rows:
        for k in r:
            counts[k] = counts.get(k, 0) + 1
    kept = [{k: v for k, v in r.items() if counts[k] >= min_count} for r in rows]
    vec = DictVectorizer(sparse=True, sort=True)
    x = vec.fit_transform(kept)
    clf = LogisticRegression(C=c, max_iter=max_iter, solver="lbfgs")
    clf.fit(x, list(labels), sample_weight=None if weights is None else np.asarray(weights))
    return LinearModel(vec, clf, dict(meta or {}))


@cache
def _keys(prefix: str, width: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{k}" for k in range(width))


def dense(prefix: str, vector: np.ndarray) -> dict[str, float]:
    return dict(zip(_keys(prefix, len(vector)), vector.tolist(), strict=True))

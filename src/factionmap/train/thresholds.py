"""Decision thresholds chosen by cross-validation by outlet, never on the blind test.

A classifier fitted on our news with many ``none`` rows is cautious: at the default cut
(predict a type when ``none`` is less likely than 0.5) the relation and event deciders find
a quarter of what annotators mark. Which cut serves F1 best is a property of the training
data, so it is learned there: our news outlets are split into folds, each fold's rows are
scored by a model fitted on everything else (the public sets always train), and the cut
with the best F1 over all out-of-fold rows is kept. ``factionmap train models`` writes the
chosen cuts to ``thresholds.json`` beside the models; the pipeline config takes them from
there (``threshold = "cv"``) unless it names a number.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from factionmap.extract.components import THRESHOLDS_FILE
from factionmap.train.relations import Rows

GRID: tuple[float, ...] = tuple(round(0.2 + 0.025 * k, 3) for k in range(32))  # 0.2 .. 0.975
SEED = 20261207
NONE = "none"


@dataclass(frozen=True)
class Choice:
    """One cut and what it scored out of fold (rows, not sentences: a proxy of the eval)."""

    threshold: float
    f1: float
    precision: float
    recall: float
    f1_at_half: float  # the same rows at the old fixed cut, for the report
    rows: int
    # [confidences, how often right]: the isotonic map from a kept row's confidence to how
    # often such rows were right out of fold (empty: not calibrated)
    calibration: list[list[float]] = field(default_factory=list)


def fold_of_groups(groups: Sequence[str], held: set[str], folds: int) -> dict[str, int]:
    """Held-out groups (outlets) dealt round-robin into folds after a seeded shuffle."""
    names = sorted({g for g in groups if g in held})
    random.Random(SEED).shuffle(names)
    return {g: k % folds for k, g in enumerate(names)}


def _matrix(rows: Rows, min_count: int = 2) -> tuple[sp.csr_matrix, list[str]]:
    from sklearn.feature_extraction import DictVectorizer

    counts: dict[str, int] = {}
    for r in rows.features:
        for key in r:
            counts[key] = counts.get(key, 0) + 1
    kept = [{k: v for k, v in r.items() if counts[k] >= min_count} for r in rows.features]
    vec = DictVectorizer(sparse=True, sort=True)
    return vec.fit_transform(kept).tocsr(), list(rows.labels)


def _fit_predict(x: sp.csr_matrix, labels: np.ndarray, weights: np.ndarray,
                 train: np.ndarray, test: np.ndarray, classes: list[str],
                 c: float, max_iter: int, kind: str = "linear") -> np.ndarray:
    if kind == "network":
        from factionmap.extract.deciders.blend import fit_network

        clf = fit_network(x[train], labels[train], weights[train], seed=SEED)
        p = clf.predict_proba(x[test].astype(np.float32))
    else:
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression(C=c, max_iter=max_iter, solver="lbfgs")
        clf.fit(x[train], labels[train], sample_weight=weights[train])
        p = clf.predict_proba(x[test])
    out = np.zeros((len(test), len(classes)))
    column = {str(k): j for j, k in enumerate(classes)}
    for j, k in enumerate(clf.classes_):
        out[:, column[str(k)]] = p[:, j]
    return out


def out_of_fold(rows: Rows, held: set[str], *, folds: int = 5, c: float = 0.5,
                max_iter: int = 300, jobs: int = 1, kinds: Sequence[str] = ("linear",),
                progress: Callable[[int], None] = lambda n: None,
                ) -> tuple[dict[str, np.ndarray], list[str], list[str]]:
    """Probabilities of every held-out row from a model that never saw its outlet, for
    each kind of model asked for ("linear", "network"), on the same folds.

    Returns ({kind: probabilities}, the classes of their columns, the rows' gold labels).
    """
    from joblib import Parallel, delayed

    fold_of = fold_of_groups(rows.groups, held, folds)
    x, labels = _matrix(rows)
    y = np.asarray(labels)
    w = np.asarray(rows.weights, dtype=float)
    fold = np.asarray([fold_of.get(g, -1) for g in rows.groups])
    classes = sorted(set(labels))
    splits = [(np.flatnonzero(fold != k), np.flatnonzero(fold == k)) for k in range(folds)]
    # a fold is skipped when it holds nothing or leaves a single label to learn from
    splits = [(tr, te) for tr, te in splits if len(te) and len(set(y[tr])) > 1]
    results = Parallel(n_jobs=jobs)(
        delayed(_fit_predict)(x, y, w, tr, te, classes, c, max_iter, kind)
        for kind in kinds for tr, te in splits)
    order = np.concatenate([te for _tr, te in splits]) if splits else np.zeros(0, int)
    out: dict[str, np.ndarray] = {}
    for n, kind in enumerate(kinds):
        probs = np.zeros((len(order), len(classes)))  # rows of skipped folds are not scored
        start = 0
        for (_tr, te), p in zip(splits, results[n * len(splits):(n + 1) * len(splits)],
                                strict=True):
            probs[start:start + len(te)] = p
            start += len(te)
            progress(1)
        out[kind] = probs
    gold = [labels[i] for i in order]
    return out, classes, gold


def _score(pred: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    tp = sum(1 for p, g in zip(pred, gold, strict=True) if p != NONE and p == g)
    n_pred = sum(1 for p in pred if p != NONE)
    n_gold = sum(1 for g in gold if g != NONE)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


def none_cut(probs: np.ndarray, classes: list[str], gold: Sequence[str],
             threshold: float) -> list[str]:
    """The relation and trigger rule: the likeliest type unless P(none) >= threshold."""
    none = classes.index(NONE)
    masked = np.where(np.arange(len(classes)) == none, -1.0, probs)
    best = masked.argmax(axis=1)
    return [NONE if p[none] >= threshold else classes[b]
            for p, b in zip(probs, best, strict=True)]


def role_cut(probs: np.ndarray, classes: list[str], gold: Sequence[str],
             threshold: float) -> list[str]:
    """The role rule: the likeliest label, kept when it is a role at least that likely."""
    best = probs.argmax(axis=1)
    return [classes[b] if classes[b] != NONE and p[b] >= threshold else NONE
            for p, b in zip(probs, best, strict=True)]


Rule = Callable[[np.ndarray, list[str], Sequence[str], float], list[str]]


def choose(probs: np.ndarray, classes: list[str], gold: Sequence[str], rule: Rule,
           grid: Sequence[float] = GRID) -> Choice:
    """The cut with the best out-of-fold F1; on a tie, the one nearest 0.5."""
    scored = []
    for t in grid:
        f1, p, r = _score(rule(probs, classes, gold, t), gold)
        scored.append((round(f1, 6), -abs(t - 0.5), t, p, r))
    f1, _near, t, p, r = max(scored)
    half, _, _ = _score(rule(probs, classes, gold, 0.5), gold)
    return Choice(float(t), round(float(f1), 4), round(p, 4), round(r, 4), round(half, 4),
                  len(gold), calibrate(probs, classes, gold, rule(probs, classes, gold, t)))


def calibrate(probs: np.ndarray, classes: list[str], gold: Sequence[str],
              pred: Sequence[str], max_points: int = 40) -> list[list[float]]:
    """How often a kept row was right, as a function of its confidence (the probability of
    the label it was given): an isotonic fit over the out-of-fold rows, thinned to at most
    ``max_points`` knots. The pipeline reads confidences through it."""
    from sklearn.isotonic import IsotonicRegression

    column = {c: j for j, c in enumerate(classes)}
    kept = [(float(probs[i, column[p]]), float(p == g))
            for i, (p, g) in enumerate(zip(pred, gold, strict=True)) if p != NONE]
    if len(kept) < 2 or len({right for _c, right in kept}) < 2:
        return []
    conf, right = (np.asarray(v) for v in zip(*kept, strict=True))
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(conf, right)
    xs = np.unique(np.concatenate([[conf.min(), conf.max()],
                                   np.quantile(conf, np.linspace(0, 1, max_points))]))
    return [[round(float(x), 4) for x in xs], [round(float(y), 4) for y in iso.predict(xs)]]


def save(choices: dict[str, Choice], folder: Path, folds: int) -> Path:
    path = folder / THRESHOLDS_FILE
    data = {"folds": folds, "grid": [GRID[0], GRID[-1]],
            "thresholds": {k: asdict(v) for k, v in sorted(choices.items())}}
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path

"""A linear model and a small neural network over the same features, their probabilities
averaged.

The network sees interactions a linear model cannot (a cue word together with a pair of
kinds); averaging it with the linear model keeps the linear model's steadiness on rare
features. Cross-validation by outlet scored the average above either alone
(docs/evaluation.md). The blend file holds only the network, its weight and the name of the
linear model whose features it reads (a file in the same folder), so going back to the
linear decider is one config line and costs no second copy of the vocabulary.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from factionmap.extract.deciders.linear import Features, LinearModel

HIDDEN = 64
ALPHA = 3e-3  # L2 penalty
EPOCHS = 12
BATCH = 1024
LEARNING_RATE = 3e-3


@dataclass
class BlendedModel:
    base: LinearModel
    network: MLPClassifier
    weight: float  # the network's share of the averaged probability

    def __post_init__(self) -> None:
        if [str(c) for c in self.network.classes_] != self.base.classes:
            raise ValueError("the network and the linear model were fitted on different labels")
        if not 0.0 <= self.weight <= 1.0:
            raise ValueError(f"network weight {self.weight}: not between 0 and 1")

    @property
    def classes(self) -> list[str]:
        return self.base.classes

    @property
    def meta(self) -> dict[str, object]:
        return self.base.meta

    def transform(self, rows: Sequence[Features]) -> sp.csr_matrix:
        return self.base.transform(rows)

    def proba(self, rows: Sequence[Features]) -> np.ndarray:
        if not rows:
            return np.zeros((0, len(self.classes)))
        x = self.transform(rows)
        linear = self.base.classifier.predict_proba(x)
        network = self.network.predict_proba(x.astype(np.float32))
        return (1.0 - self.weight) * linear + self.weight * network

    def save(self, path: Path, base_name: str) -> None:
        """Written beside ``base_name``, the linear model file it reads features through."""
        joblib.dump({"kind": "blend", "base": base_name, "network": _lean(self.network),
                     "weight": self.weight}, path, compress=3)


# what the optimiser keeps for more training: three times the weights, not needed to predict
TRAINING_STATE = ("_optimizer", "_best_coefs", "_best_intercepts")


def _lean(network: MLPClassifier) -> MLPClassifier:
    lean = copy.copy(network)
    for name in TRAINING_STATE:
        if hasattr(lean, name):
            delattr(lean, name)
    return lean


def fit_network(x: sp.csr_matrix, labels: Sequence[str], weights: Sequence[float] | None = None,
                *, seed: int = 0, hidden: int = HIDDEN, alpha: float = ALPHA,
                epochs: int = EPOCHS) -> MLPClassifier:
    """A one-hidden-layer network for a fixed number of epochs (no early stopping, so the
    result does not depend on a validation split); float32 keeps the file small."""
    net = MLPClassifier(hidden_layer_sizes=(hidden,), alpha=alpha,
                        batch_size=min(BATCH, x.shape[0]),
                        learning_rate_init=LEARNING_RATE, max_iter=epochs, random_state=seed,
                        shuffle=True, early_stopping=False, tol=0.0, n_iter_no_change=epochs + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed epoch count, by design
        net.fit(x.astype(np.float32), list(labels),
                sample_weight=None if weights is None else np.asarray(weights, dtype=float))
    return net


def load_model(path: Path) -> LinearModel | BlendedModel:
    """A linear model file, or a blend file (which names its linear model beside it)."""
    raw = joblib.load(path)
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: not a factionmap model file")
    if raw.get("kind") != "blend":
        return LinearModel(raw["vectorizer"], raw["classifier"], raw.get("meta", {}))
    base = path.parent / str(raw["base"])
    if not base.is_file():
        raise FileNotFoundError(f"{path}: its linear model {base.name} is not beside it")
    try:
        return BlendedModel(LinearModel.load(base), raw["network"], float(raw["weight"]))
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from exc

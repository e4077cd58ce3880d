"""The blended decider: a linear model and a network over the same features."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from factionmap.extract.components import Relations
from factionmap.extract.deciders.blend import BlendedModel, fit_network, load_model
from factionmap.extract.deciders.linear import LinearModel, fit_linear
from factionmap.train import thresholds as th

# "exactly one of a and b": no linear model separates it, a hidden layer can
XOR_ROWS: list[dict[str, float]] = [{"a": 1.0}, {"b": 1.0}, {"a": 1.0, "b": 1.0}, {}] * 25
XOR_LABELS = ["allied_with", "allied_with", "none", "none"] * 25


def _fitted(weight: float = 0.5, epochs: int = 1500) -> BlendedModel:
    linear = fit_linear(XOR_ROWS, XOR_LABELS, c=1.0, min_count=1)
    network = fit_network(linear.transform(XOR_ROWS), XOR_LABELS, seed=3, hidden=8,
                          alpha=1e-4, epochs=epochs)
    return BlendedModel(linear, network, weight)


def test_the_blend_averages_the_two_models() -> None:
    model = _fitted(weight=0.25)
    rows = [{"a": 1.0}, {"a": 1.0, "b": 1.0}]
    x = model.transform(rows)
    want = 0.75 * model.base.classifier.predict_proba(x) + \
        0.25 * model.network.predict_proba(x.astype(np.float32))
    np.testing.assert_allclose(model.proba(rows), want)
    np.testing.assert_allclose(model.proba(rows).sum(axis=1), 1.0, rtol=1e-5)
    assert model.proba([]).shape == (0, 2)


def test_the_network_learns_an_interaction_the_linear_model_cannot() -> None:
    model = _fitted(weight=1.0)
    rows = [{"a": 1.0}, {"b": 1.0}, {"a": 1.0, "b": 1.0}]
    none = model.classes.index("none")
    linear = model.base.proba(rows)[:, none]
    network = model.proba(rows)[:, none]
    assert network[2] > 0.5 > max(network[0], network[1])  # both cues: none
    assert not (linear[2] > 0.5 > max(linear[0], linear[1]))


def test_a_blend_file_names_its_linear_model_and_loads_through_it(tmp_path: Path) -> None:
    model = _fitted()
    model.base.save(tmp_path / "relations.joblib")
    model.save(tmp_path / "relations-blend.joblib", "relations.joblib")
    loaded = load_model(tmp_path / "relations-blend.joblib")
    assert isinstance(loaded, BlendedModel)
    np.testing.assert_allclose(loaded.proba(XOR_ROWS[:4]), model.proba(XOR_ROWS[:4]))
    assert isinstance(load_model(tmp_path / "relations.joblib"), LinearModel)
    (tmp_path / "relations.joblib").unlink()
    with pytest.raises(FileNotFoundError, match="relations.joblib is not beside it"):
        load_model(tmp_path / "relations-blend.joblib")


def test_a_network_fitted_on_other_labels_is_refused() -> None:
    model = _fitted()
    other = fit_network(model.transform(XOR_ROWS), ["x" if lab == "none" else lab
                                                    for lab in XOR_LABELS], epochs=2)
    with pytest.raises(ValueError, match="different labels"):
        BlendedModel(model.base, other, 0.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        BlendedModel(model.base, model.network, 1.5)


def test_swapping_the_relation_model_swaps_its_cross_validated_cut(tmp_path: Path) -> None:
    th.save({"relations": th.Choice(0.525, 0.5, 0.5, 0.5, 0.5, 10),
             "relations-blend": th.Choice(0.6, 0.51, 0.5, 0.5, 0.5, 10)}, tmp_path, 5)
    assert Relations(str(tmp_path / "relations.joblib"), "cv").threshold == 0.525
    assert Relations(str(tmp_path / "relations-blend.joblib"), "cv").threshold == 0.6

"""The committed models: what the default config names is there, loads, and fits the budget."""

from __future__ import annotations

import json

from factionmap.extract.components import THRESHOLDS_FILE, models_dir
from factionmap.extract.deciders.blend import BlendedModel, load_model
from factionmap.extract.pipeline import MODEL_KEYS, OPTIONAL_MODEL_KEYS, read_config

BUDGET = 50 * 1024 * 1024  # committed weights in all; encoders come from their packages


def _named_files() -> set[str]:
    components = read_config()["components"]
    return {str(settings[key]) for settings in components.values()
            for key in (*MODEL_KEYS, *OPTIONAL_MODEL_KEYS) if settings.get(key)}


def test_every_model_the_default_config_names_is_committed() -> None:
    named = _named_files()
    assert {"relations-blend.joblib", "event_roles-blend.joblib",
            "event_sentence_types.joblib", "event_sentence_quad.joblib"} <= named
    for name in named:
        assert (models_dir() / name).is_file(), name


def test_the_committed_weights_fit_the_budget() -> None:
    total = sum(p.stat().st_size for p in models_dir().iterdir() if p.is_file())
    assert total < BUDGET, f"{total / 2**20:.1f} MiB"


def test_the_blends_load_through_their_linear_models_and_have_cuts() -> None:
    model = load_model(models_dir() / "relations-blend.joblib")
    assert isinstance(model, BlendedModel)
    assert model.classes[0] == "allied_with" and "none" in model.classes
    assert isinstance(load_model(models_dir() / "event_roles-blend.joblib"), BlendedModel)
    cuts = json.loads((models_dir() / THRESHOLDS_FILE).read_text(encoding="utf-8"))
    for key in ("relations", "relations-blend", "event_triggers", "event_roles",
                "event_roles-blend"):
        assert 0.0 < cuts["thresholds"][key]["threshold"] < 1.0, key
    assert cuts["thresholds"]["relations-blend"]["calibration"]  # confidences are mapped

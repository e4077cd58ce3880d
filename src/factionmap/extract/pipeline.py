"""Build the extraction pipeline: spaCy's small English model plus our components, in the
order and with the settings of ``pipeline.cfg`` (or a config file of one's own)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from confection import Config
from spacy.language import Language

from factionmap.config import DEFAULT_MODEL


def read_config(path: Path | None = None) -> Config:
    from factionmap.extract.components import default_config_text

    text = path.read_text(encoding="utf-8") if path is not None else default_config_text()
    try:
        return Config().from_str(text)
    except Exception as exc:  # confection raises several kinds; the file is what matters
        raise ValueError(f"{path or 'pipeline.cfg'}: not a pipeline config ({exc})") from exc


def add_extraction(nlp: Language, config: Config) -> Language:
    import factionmap.extract.components  # noqa: F401 - registers the factories

    order = config.get("pipeline", {}).get("components", [])
    components = config.get("components", {})
    for name in order:
        if name in nlp.pipe_names:
            continue
        settings = dict(components.get(name) or {})
        factory = settings.pop("factory", None)
        if factory is None:
            raise ValueError(f"pipeline config: component {name!r} has no factory")
        nlp.add_pipe(factory, name=name, config=settings, last=True)
    return nlp


@cache
def load_extractor(model: str = DEFAULT_MODEL, config: Path | None = None) -> Language:
    """The full pipeline (loaded once per process and config)."""
    import spacy

    from factionmap.nlp.components import add_components

    nlp = spacy.load(model)  # a fresh copy: the lookup-only pipeline is another object
    add_components(nlp)
    return add_extraction(nlp, read_config(config))


LOOKUP_COMPONENTS = ("fm_kb", "fm_lexicon")


@cache
def load_lookups(model: str = DEFAULT_MODEL) -> Language:
    """spaCy plus the lookup components only (knowledge-base names, the equipment lexicon):
    what training parses its texts with, before any model of ours exists."""
    import spacy

    from factionmap.nlp.components import add_components

    nlp = spacy.load(model)
    add_components(nlp)
    config = read_config()
    config["pipeline"]["components"] = [c for c in config["pipeline"]["components"]
                                        if c in LOOKUP_COMPONENTS]
    return add_extraction(nlp, config)


MODEL_KEYS = ("model", "triggers", "modes", "roles", "projection")
# models a component runs without when its folder lacks them (trained without that set)
OPTIONAL_MODEL_KEYS = ("sentence_types", "sentence_quad")


def with_models(config: Config, models: Path) -> Config:
    """The same pipeline with every model file taken from ``models`` (trained elsewhere)."""
    out = Config(config)
    for name, settings in out.get("components", {}).items():
        for key in (*MODEL_KEYS, *OPTIONAL_MODEL_KEYS):
            if isinstance(settings, dict) and isinstance(settings.get(key), str) \
                    and settings[key]:
                out["components"][name][key] = str(models / Path(settings[key]).name)
    return out


def load_extractor_from(models: Path, model: str = DEFAULT_MODEL,
                        encoder: str | None = None) -> Language:
    """A fresh pipeline whose models come from the folder ``models`` (not cached)."""
    import spacy

    from factionmap.nlp.components import add_components

    config = with_models(read_config(), models)
    if encoder is not None:
        config["components"]["fm_vectors"]["encoder"] = encoder
        config["components"]["fm_vectors"]["projection"] = str(models / f"vectors-{encoder}.npy")
    nlp = spacy.load(model)
    add_components(nlp)
    return add_extraction(nlp, config)

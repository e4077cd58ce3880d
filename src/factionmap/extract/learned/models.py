"""Which learned models the extraction hooks use: the shipped weights, or an override.

The override exists for leave-one-source-out evaluation, which trains fresh models per fold
and must run extraction with them instead of the shipped ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from factionmap.extract.learned.entities import ENTITY_MODEL_FILE, EntityTagger
from factionmap.extract.learned.relations import RELATION_MODEL_FILE, RelationModel


@dataclass(frozen=True, slots=True)
class LearnedModels:
    entities: EntityTagger | None = None
    relations: RelationModel | None = None


def load_models(folder: Path) -> LearnedModels:
    """Load whichever model files exist in ``folder`` (missing ones stay None: pass-through)."""
    ent, rel = folder / ENTITY_MODEL_FILE, folder / RELATION_MODEL_FILE
    return LearnedModels(
        entities=EntityTagger(ent) if ent.is_file() else None,
        relations=RelationModel.load(rel) if rel.is_file() else None,
    )


@cache
def shipped_models() -> LearnedModels:
    """The weights committed under ``factionmap/models`` (loaded once per process)."""
    with resources.as_file(resources.files("factionmap.models")) as folder:
        return load_models(Path(folder))


_override: list[LearnedModels] = []
NO_MODELS = LearnedModels()


def active_models() -> LearnedModels:
    return _override[-1] if _override else shipped_models()


@contextmanager
def using_models(models: LearnedModels) -> Iterator[LearnedModels]:
    """Run extraction inside this block with ``models`` instead of the shipped weights."""
    _override.append(models)
    try:
        yield models
    finally:
        _override.pop()

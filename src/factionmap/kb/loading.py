"""Building the default knowledge base from our files, pycountry and a user KB directory."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from factionmap.kb.base import KbActor, KbDataError, KnowledgeBase, actor_from_record
from factionmap.kb.countries import country_actors, merge_country

KB_DIR_ENV = "FACTIONMAP_KB_DIR"
DEFAULT_USER_KB_DIR = Path("factionmap-kb")
# Files in kb/data that are lookup tables, not actor lists.
TABLE_FILES = frozenset({"demonyms.json"})


def user_kb_dir() -> Path:
    """Where imported dictionaries live: $FACTIONMAP_KB_DIR, else ./factionmap-kb/."""
    return Path(os.environ.get(KB_DIR_ENV) or DEFAULT_USER_KB_DIR)


def read_actor_file(source: Traversable | Path) -> list[KbActor]:
    """The actors of one JSON file (a list of records); KbDataError names file and record."""
    try:
        records = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KbDataError(f"{source}: cannot read actor file: {exc}") from exc
    if not isinstance(records, list):
        raise KbDataError(f"{source}: expected a JSON list of actor records")
    actors = []
    for index, rec in enumerate(records):
        try:
            actors.append(actor_from_record(rec))
        except (ValueError, KeyError, TypeError) as exc:
            rid = rec.get("id", "?") if isinstance(rec, dict) else "?"
            raise KbDataError(f"{source}: record {index} ({rid}): {exc}") from exc
    return actors


def own_actor_files() -> list[Traversable]:
    data = resources.files("factionmap.kb.data")
    return sorted(
        (e for e in data.iterdir() if e.name.endswith(".json") and e.name not in TABLE_FILES),
        key=lambda e: e.name,
    )


def own_actors() -> list[KbActor]:
    """Our hand-written actors (kb/data/*.json), without the generated countries."""
    return [actor for f in own_actor_files() for actor in read_actor_file(f)]


def with_countries(own: Iterable[KbActor]) -> list[KbActor]:
    """Our actors plus one state per pycountry country; a hand-written state absorbs its twin."""
    actors = list(own)
    states = {a.country: i for i, a in enumerate(actors) if a.kind == "state" and a.country}
    for generated in country_actors():
        at = states.get(generated.country or "")
        if at is None:
            actors.append(generated)
        else:
            actors[at] = merge_country(actors[at], generated)
    return actors


def imported_actors(directory: Path) -> list[KbActor]:
    if not directory.is_dir():
        return []
    return [a for f in sorted(directory.glob("*.json")) for a in read_actor_file(f)]


def build_kb(user_dir: Path | None = None) -> KnowledgeBase:
    kb = KnowledgeBase()
    for actor in with_countries(own_actors()):
        kb.add(actor)
    for actor in imported_actors(user_dir if user_dir is not None else user_kb_dir()):
        if actor.id not in kb.actors:  # an import never replaces our own record
            kb.add(actor)
    return kb


@cache
def load_default_kb() -> KnowledgeBase:
    return build_kb()

"""The actor knowledge base: our own fact files, loaded once, looked up by name key."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from factionmap.kb.names import name_key
from factionmap.records import ActorKind


@dataclass(frozen=True, slots=True)
class Tenure:
    """A time-bounded tie: membership in a coalition or leadership of a group."""

    actor_id: str  # the other end: the parent coalition, or the person leading
    title: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class KbActor:
    id: str  # "kb:badr_organization"; PETRARCH imports use "petrarch:..."
    name: str
    kind: ActorKind
    country: str | None = None  # ISO 3166 alpha-3
    aliases: tuple[str, ...] = ()
    member_of: tuple[Tenure, ...] = ()
    leaders: tuple[Tenure, ...] = ()
    wikidata: str | None = None
    sector: str | None = None  # PLOVER/CAMEO sector code for generic agents
    origin: str = "factionmap"  # "factionmap" | "petrarch"

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(slots=True)
class KnowledgeBase:
    actors: dict[str, KbActor] = field(default_factory=dict)
    _by_key: dict[str, list[str]] = field(default_factory=dict)

    def add(self, actor: KbActor) -> None:
        self.actors[actor.id] = actor
        for name in actor.names():
            ids = self._by_key.setdefault(name_key(name), [])
            if actor.id not in ids:
                ids.append(actor.id)

    def get(self, actor_id: str) -> KbActor | None:
        return self.actors.get(actor_id)

    def lookup(self, name: str) -> KbActor | None:
        """The actor a surface form names, or None. Our own entries win over imports."""
        ids = self._by_key.get(name_key(name))
        if not ids:
            return None
        own = [i for i in ids if self.actors[i].origin == "factionmap"]
        return self.actors[(own or ids)[0]]

    def surface_forms(self) -> Iterator[tuple[str, KbActor]]:
        for actor in self.actors.values():
            for name in actor.names():
                yield name, actor

    def __len__(self) -> int:
        return len(self.actors)

    @classmethod
    def from_records(cls, records: list[dict[str, object]]) -> KnowledgeBase:
        kb = cls()
        for rec in records:
            kb.add(actor_from_record(rec))
        return kb


def _date(value: object) -> dt.date | None:
    if not value:
        return None
    text = str(value)
    if len(text) == 4:
        return dt.date(int(text), 1, 1)
    if len(text) == 7:
        return dt.date(int(text[:4]), int(text[5:7]), 1)
    return dt.date.fromisoformat(text)


def _tenures(items: object) -> tuple[Tenure, ...]:
    out = []
    for item in items or []:  # type: ignore[attr-defined]
        out.append(
            Tenure(
                actor_id=item["id"],
                title=item.get("title"),
                start=_date(item.get("start")),
                end=_date(item.get("end")),
            )
        )
    return tuple(out)


def actor_from_record(rec: dict[str, object]) -> KbActor:
    return KbActor(
        id=str(rec["id"]),
        name=str(rec["name"]),
        kind=rec.get("kind", "other"),  # type: ignore[arg-type]
        country=rec.get("country"),  # type: ignore[arg-type]
        aliases=tuple(rec.get("aliases", ())),  # type: ignore[arg-type]
        member_of=_tenures(rec.get("member_of")),
        leaders=_tenures(rec.get("leaders")),
        wikidata=rec.get("wikidata"),  # type: ignore[arg-type]
        sector=rec.get("sector"),  # type: ignore[arg-type]
        origin=str(rec.get("origin", "factionmap")),
    )


@cache
def default_kb() -> KnowledgeBase:
    """Our bundled actor files (``kb/data/*.json``), loaded once per process."""
    records: list[dict[str, object]] = []
    for entry in sorted(resources.files("factionmap.kb.data").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".json"):
            records.extend(json.loads(entry.read_text(encoding="utf-8")))
    return KnowledgeBase.from_records(records)

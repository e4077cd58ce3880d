"""The actor knowledge base: actors with aliases, memberships and leaders, looked up by name key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from factionmap.kb.fuzzy import closest_variant
from factionmap.kb.names import name_key
from factionmap.records import ACTOR_KINDS, ActorKind

_ORIGIN_RANK = {"factionmap": 0}  # our own entries win; every import ranks after them
FUZZY_MIN_KEY_LENGTH = 5  # keys of 4 characters or fewer only ever match exactly


class KbDataError(ValueError):
    """A knowledge-base record that cannot be read; the message names file, record and reason."""


@dataclass(frozen=True, slots=True)
class Tenure:
    """A time-bounded tie: membership in a coalition or leadership of a group."""

    actor_id: str  # the other end: the parent coalition, or the person leading
    title: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class CodeTenure:
    """A CAMEO actor code (e.g. "IRQGOV") that applies to an actor between two dates."""

    code: str
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
    codes: tuple[CodeTenure, ...] = ()  # CAMEO codes with validity dates (PETRARCH imports)

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def is_all_caps(text: str) -> bool:
    """True for "IS", "U.S.", "PMU": letters present and none lower-case."""
    return any(c.isalpha() for c in text) and not any(c.islower() for c in text)


@dataclass(slots=True)
class KnowledgeBase:
    actors: dict[str, KbActor] = field(default_factory=dict)
    _by_key: dict[str, list[str]] = field(default_factory=dict)
    # (key, actor id) pairs reached only through all-caps aliases: "IS" must not match "is".
    _caps_only: set[tuple[str, str]] = field(default_factory=set)
    _fuzzy_keys: list[str] | None = None

    def add(self, actor: KbActor) -> None:
        """Add an actor, or replace the one with the same id (its names are re-indexed)."""
        if actor.id in self.actors:
            self._unindex(self.actors[actor.id])
        self.actors[actor.id] = actor
        by_caps: dict[str, bool] = {}
        for name in actor.names():
            key = name_key(name)
            if key:
                by_caps[key] = by_caps.get(key, True) and is_all_caps(name)
        for key, caps_only in by_caps.items():
            ids = self._by_key.setdefault(key, [])
            ids.append(actor.id)
            ids.sort(key=lambda i: _ORIGIN_RANK.get(self.actors[i].origin, 1))  # stable
            if caps_only:
                self._caps_only.add((key, actor.id))
        self._fuzzy_keys = None

    def _unindex(self, actor: KbActor) -> None:
        for name in actor.names():
            key = name_key(name)
            ids = self._by_key.get(key, [])
            if actor.id in ids:
                ids.remove(actor.id)
                if not ids:
                    del self._by_key[key]
            self._caps_only.discard((key, actor.id))

    def get(self, actor_id: str) -> KbActor | None:
        return self.actors.get(actor_id)

    def lookup_all(self, name: str, *, case_sensitive_acronyms: bool = True) -> list[KbActor]:
        """Every actor a surface form names, best first (our own entries before imports)."""
        key = name_key(name)
        ids = self._by_key.get(key, ())
        if case_sensitive_acronyms and not is_all_caps(name):
            ids = [i for i in ids if (key, i) not in self._caps_only]
        return [self.actors[i] for i in ids]

    def lookup(self, name: str, *, case_sensitive_acronyms: bool = True) -> KbActor | None:
        """The actor a surface form names, or None. Our own entries win over imports.

        With ``case_sensitive_acronyms`` an alias written all in capitals ("IS", "US")
        only matches text written all in capitals, so the English words "is" and "us"
        name nobody.
        """
        found = self.lookup_all(name, case_sensitive_acronyms=case_sensitive_acronyms)
        return found[0] if found else None

    def lookup_fuzzy(
        self, name: str, threshold: float = 88.0, *, case_sensitive_acronyms: bool = True
    ) -> tuple[KbActor, float] | None:
        """The closest actor by name key (rapidfuzz ratio, 0-100) and its score, or None.

        An exact key match scores 100. Keys of 4 characters or fewer never match fuzzily:
        one letter off there is another name (Iraq/Iran), not a typo.
        """
        exact = self.lookup(name, case_sensitive_acronyms=case_sensitive_acronyms)
        if exact is not None:
            return exact, 100.0
        key = name_key(name)
        if len(key) < FUZZY_MIN_KEY_LENGTH:
            return None
        if self._fuzzy_keys is None:
            self._fuzzy_keys = [k for k in self._by_key if len(k) >= FUZZY_MIN_KEY_LENGTH]
        best = closest_variant(key, self._fuzzy_keys, threshold)
        if best is None:
            return None
        index, score = best
        return self.actors[self._by_key[self._fuzzy_keys[index]][0]], score

    def leaders_at(self, actor_id: str, when: dt.date) -> list[tuple[KbActor, Tenure]]:
        """Who led an actor on a date: (person, tenure) pairs; an end date is exclusive."""
        actor = self.actors.get(actor_id)
        if actor is None:
            return []
        return [
            (self.actors[t.actor_id], t)
            for t in actor.leaders
            if t.actor_id in self.actors
            and (t.start is None or t.start <= when)
            and (t.end is None or when < t.end)
        ]

    def generic_agent(self, phrase: str) -> GenericAgent | None:
        """Country and sector of a generic phrase ("Iraqi forces" -> IRQ, MIL), or None."""
        from factionmap.kb.agents import parse_generic_agent

        return parse_generic_agent(phrase, self)

    def surface_forms(
        self, *, origins: Collection[str] | None = None
    ) -> Iterator[tuple[str, KbActor]]:
        """(name, actor) for every name; ``origins`` keeps only e.g. {"factionmap"}."""
        for actor in self.actors.values():
            if origins is not None and actor.origin not in origins:
                continue
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


def parse_date(value: object) -> dt.date | None:
    """ "2020", "2020-01" or "2020-01-03" -> a date (the first day of a year or month)."""
    if value is None or value == "":
        return None
    text = str(value)
    if len(text) == 4:
        return dt.date(int(text), 1, 1)
    if len(text) == 7:
        return dt.date(int(text[:4]), int(text[5:7]), 1)
    return dt.date.fromisoformat(text)


def _tenures(items: object) -> tuple[Tenure, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        raise ValueError("member_of/leaders must be a list")
    out = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise ValueError(f"a tie needs an 'id': {item!r}")
        out.append(
            Tenure(
                actor_id=item["id"],
                title=item.get("title"),
                start=parse_date(item.get("start")),
                end=parse_date(item.get("end")),
            )
        )
    return tuple(out)


def _codes(items: object) -> tuple[CodeTenure, ...]:
    if not items:
        return ()
    if not isinstance(items, list):
        raise ValueError("codes must be a list")
    return tuple(
        CodeTenure(str(c["code"]), parse_date(c.get("start")), parse_date(c.get("end")))
        for c in items
    )


def _str_or_none(rec: dict[str, object], name: str) -> str | None:
    value = rec.get(name)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"'{name}' must be a string, got {value!r}")
    return value


def actor_from_record(rec: dict[str, object]) -> KbActor:
    """A KbActor from its JSON record; raises ValueError naming the bad field."""
    if not isinstance(rec, dict):
        raise ValueError(f"a record must be an object, got {type(rec).__name__}")
    for required in ("id", "name"):
        if not isinstance(rec.get(required), str) or not rec[required]:
            raise ValueError(f"missing or empty '{required}'")
    kind = rec.get("kind", "other")
    if kind not in ACTOR_KINDS:
        raise ValueError(f"unknown kind {kind!r} (one of {', '.join(ACTOR_KINDS)})")
    country = _str_or_none(rec, "country")
    if country is not None and (len(country) != 3 or not country.isupper()):
        raise ValueError(f"country {country!r} is not an ISO alpha-3 code")
    aliases = rec.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ValueError("'aliases' must be a list of strings")
    return KbActor(
        id=str(rec["id"]),
        name=str(rec["name"]),
        kind=kind,  # type: ignore[arg-type]
        country=country,
        aliases=tuple(aliases),
        member_of=_tenures(rec.get("member_of")),
        leaders=_tenures(rec.get("leaders")),
        wikidata=_str_or_none(rec, "wikidata"),
        sector=_str_or_none(rec, "sector"),
        origin=str(rec.get("origin", "factionmap")),
        codes=_codes(rec.get("codes")),
    )


def _tenure_record(t: Tenure) -> dict[str, object]:
    rec: dict[str, object] = {"id": t.actor_id}
    if t.title:
        rec["title"] = t.title
    if t.start:
        rec["start"] = t.start.isoformat()
    if t.end:
        rec["end"] = t.end.isoformat()
    return rec


def actor_to_record(actor: KbActor) -> dict[str, object]:
    """The JSON record of an actor (the inverse of ``actor_from_record``), empty fields left out."""
    rec: dict[str, object] = {"id": actor.id, "name": actor.name, "kind": actor.kind}
    if actor.country:
        rec["country"] = actor.country
    if actor.aliases:
        rec["aliases"] = list(actor.aliases)
    if actor.member_of:
        rec["member_of"] = [_tenure_record(t) for t in actor.member_of]
    if actor.leaders:
        rec["leaders"] = [_tenure_record(t) for t in actor.leaders]
    for name in ("wikidata", "sector"):
        if getattr(actor, name):
            rec[name] = getattr(actor, name)
    rec["origin"] = actor.origin
    if actor.codes:
        rec["codes"] = [
            {
                "code": c.code,
                **({"start": c.start.isoformat()} if c.start else {}),
                **({"end": c.end.isoformat()} if c.end else {}),
            }
            for c in actor.codes
        ]
    return rec


def default_kb() -> KnowledgeBase:
    """Our bundled actors, every country, and a user KB directory if present (cached)."""
    from factionmap.kb.loading import load_default_kb

    return load_default_kb()


# Imported last: agents.py needs KnowledgeBase at type-check time only.
from factionmap.kb.agents import GenericAgent  # noqa: E402

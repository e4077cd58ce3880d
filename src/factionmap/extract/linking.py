"""Attach an actor to a mention's surface form: KB actor, known state, generic agent, or new.

Every id is document-independent so ``resolve`` can merge across articles:
``kb:...`` for knowledge-base actors, ``agent:<ISO3><SECTOR>`` for generic agents
("Iraqi forces" -> ``agent:IRQMIL``) and ``new:<label>:<name_key>`` for actors we discover.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import pycountry

from factionmap.extract.lexicon import DEMONYMS
from factionmap.kb import KbActor, KnowledgeBase, name_key
from factionmap.kb.agents import HEAD_SECTORS, SECTOR_NAMES, agent_display_name
from factionmap.kb.countries import demonyms
from factionmap.records import ActorKind

# A KB actor's kind decides the mention label, whatever spaCy guessed.
_KIND_LABEL = {
    "person": "Person",
    "armed_group": "Organisation",
    "party": "Organisation",
    "government_body": "Organisation",
    "international_org": "Organisation",
    "other": "Organisation",
}
_POSSESSIVE = re.compile(r"(?:['\u2019]s?)$")


@dataclass(frozen=True, slots=True)
class ActorLink:
    actor_id: str
    actor_name: str
    actor_kind: str | None
    country: str | None
    sector: str | None
    reason: str
    label: str | None = None  # label implied by the link (KB kind), None to keep spaCy's


def label_for_kind(kind: str | None, current: str) -> str:
    if kind == "state":
        return current if current in ("Location", "Nationality", "Organisation") else "Location"
    return _KIND_LABEL.get(kind or "", current)


def clean_name(text: str) -> str:
    """Drop a leading article and a trailing possessive: "the PMU's" -> "PMU"."""
    text = _POSSESSIVE.sub("", text.strip())
    return re.sub(r"^(?:the|The|THE)\s+", "", text)


@cache
def _all_demonyms() -> dict[str, str]:
    """Lower-case demonym -> ISO alpha-3, for every country in the KB's demonym table."""
    return {w.lower(): code for code, words in demonyms().items() for w in words}


def names_a_people(name: str) -> bool:
    """"the Iraqis", "Syrians": a country's people (a group), not the country as a place."""
    low = clean_name(name).lower()
    words = _all_demonyms()
    return low.endswith("s") and low not in words and low[:-1] in words


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """ISO alpha-3 for a country name or nationality adjective, else None."""
    low = name.lower().strip()
    if low in DEMONYMS:
        return DEMONYMS[low]
    words = _all_demonyms()
    if low in words:
        return words[low]
    if low.endswith("s") and low[:-1] in words:
        return words[low[:-1]]  # its people: "the Iraqis", "Americans", "the Turks"
    if len(low) < 4:  # pycountry would read "IN", "AT" ... as country codes
        return None
    try:
        return str(pycountry.countries.lookup(name).alpha_3)
    except LookupError:
        return None


# Names repeat across a corpus ("Iraq", "the PMU"): remember lookups, up to this many.
_CACHE_LIMIT = 50_000


class ActorLinker:
    """Looks names up in one knowledge base; caches per process.

    The caches assume the KB is not edited while the linker lives (``linker_for`` builds
    one per KB object).
    """

    def __init__(self, kb: KnowledgeBase | None) -> None:
        self.kb = kb
        self._actors: dict[str, KbActor | None] = {}
        self._links: dict[tuple[str, str], ActorLink | None] = {}
        self._states: dict[str, KbActor] = {}
        if kb is not None:
            for actor in kb.actors.values():
                if actor.kind == "state" and actor.country and actor.origin == "factionmap":
                    self._states.setdefault(actor.country, actor)

    def kb_actor(self, text: str) -> KbActor | None:
        if self.kb is None:
            return None
        if text in self._actors:
            return self._actors[text]
        if len(self._actors) > _CACHE_LIMIT:
            self._actors.clear()
        actor = self._actors[text] = self._lookup(text)
        return actor

    def _lookup(self, text: str) -> KbActor | None:
        assert self.kb is not None
        actor = self.kb.lookup(text)
        if actor is None:
            cleaned = clean_name(text)
            if cleaned != text and cleaned:
                actor = self.kb.lookup(cleaned)
        return actor

    def from_kb(self, actor: KbActor, surface: str, label: str) -> ActorLink:
        return ActorLink(
            actor.id,
            actor.name,
            actor.kind,
            actor.country,
            actor.sector,
            f"kb alias '{surface}'",
            label_for_kind(actor.kind, label),
        )

    def state(self, text: str) -> ActorLink | None:
        """The state a country name or nationality adjective denotes."""
        code = country_code(clean_name(text))
        if code is None:
            return None
        actor = self._states.get(code)
        if actor is not None:
            return ActorLink(actor.id, actor.name, "state", code, None, f"state {code}")
        country = pycountry.countries.get(alpha_3=code)
        name = getattr(country, "common_name", None) or (country.name if country else code)
        return ActorLink(
            f"new:Location:{name_key(name)}", name, "state", code, None, f"state {code}"
        )

    def generic_agent(self, phrase: str, country: str | None, sector: str) -> ActorLink | None:
        """"Iraqi security forces" -> IRQ/MIL, via the KB table when it has one."""
        table = getattr(self.kb, "generic_agent", None)
        if table is not None:
            found = table(phrase)
            link = self._agent_from_kb(found, phrase)
            if link is not None:
                return link
        if not country or not sector:
            return None
        return _agent_link(country, sector)

    def agent_of(self, country: str, sector: str) -> ActorLink:
        """The generic agent of one country and sector ("Peru legislature")."""
        return _agent_link(country, sector)

    def _agent_from_kb(self, found: object, phrase: str) -> ActorLink | None:
        # The KB table may return a KbActor, an object with country/sector, or a pair.
        if found is None:
            return None
        if isinstance(found, KbActor):
            link = self.from_kb(found, phrase, "Organisation")
            return ActorLink(
                link.actor_id, link.actor_name, link.actor_kind, link.country, link.sector,
                f"generic agent {found.country}/{found.sector}",
            )
        if isinstance(found, tuple) and len(found) == 2:
            country, sector = found
        else:
            country = getattr(found, "country", None)
            sector = getattr(found, "sector", None)
        patron = getattr(found, "backed_by", None)
        if sector and not country and patron:
            return _backed_agent_link(sector, patron)
        if not sector:
            return None
        if not country:
            # "militants" with no country is no one global actor: linking every such phrase in
            # every article to one node would glue the network together. It is an actor of this
            # article only; resolution scopes the key to the document.
            return _local_agent_link(phrase, sector)
        return _agent_link(country, sector)

    def link(self, text: str, label: str) -> ActorLink | None:
        """KB actor, else state, else a new actor for names of people and organisations."""
        key = (text, label)
        if key in self._links:
            return self._links[key]
        if len(self._links) > _CACHE_LIMIT:
            self._links.clear()
        link = self._links[key] = self._link(text, label)
        return link

    def _link(self, text: str, label: str) -> ActorLink | None:
        actor = self.kb_actor(text)
        if actor is not None:
            return self.from_kb(actor, text, label)
        if label in ("Location", "Nationality", "Organisation"):
            state = self.state(text)
            if state is not None:
                return state
        if label in ("Person", "Organisation"):
            key = name_key(clean_name(text))
            if key and not _only_generic_words(clean_name(text)):
                return ActorLink(
                    f"new:{label}:{key}", clean_name(text), "person" if label == "Person" else None,
                    None, None, "new actor",
                )
        return None


# Generic agents of the state apparatus are government bodies; armed non-state sectors are
# armed groups, so kind-aware resolution and blocs treat "Iraqi forces" like a state organ.
_SECTOR_KINDS: dict[str, ActorKind] = {
    "GOV": "government_body", "MIL": "government_body", "COP": "government_body",
    "SPY": "government_body", "JUD": "government_body", "LEG": "government_body",
    "UAF": "armed_group", "REB": "armed_group", "INS": "armed_group", "PTY": "party",
}


def _agent_link(country: str | None, sector: str | None) -> ActorLink:
    """The link for a generic agent: country + sector, with a readable display name."""
    found = pycountry.countries.get(alpha_3=country) if country else None
    country_name = getattr(found, "common_name", None) or getattr(found, "name", None) or country
    return ActorLink(
        f"agent:{country or ''}{sector or ''}",
        agent_display_name(country_name, sector),
        _SECTOR_KINDS.get(sector or "", "other"),
        country,
        sector,
        f"generic agent {country}/{sector}",
    )


def _backed_agent_link(sector: str, patron: str) -> ActorLink:
    """"Iranian-backed militias": a category defined by its patron, not a state organ."""
    found = pycountry.countries.get(alpha_3=patron)
    patron_name = getattr(found, "common_name", None) or getattr(found, "name", None) or patron
    return ActorLink(
        f"agent:{sector}~{patron}",
        f"{patron_name}-backed {SECTOR_NAMES.get(sector, sector)}",
        _SECTOR_KINDS.get(sector, "other"),
        None,
        sector,
        f"generic agent {sector} backed by {patron}",
    )


# Words that name a kind of body, not a body: "State" in "Secretary of State", "the Ministry".
_GENERIC_NAME_WORDS: frozenset[str] = frozenset(
    {h for h in HEAD_SECTORS if " " not in h}
    | {
        "state", "states", "department", "office", "council", "committee", "agency", "group",
        "groups", "organization", "organisation", "alliance", "coalition", "front", "movement",
        "brigade", "brigades", "division", "unit", "units", "party", "center", "centre", "the",
        "of", "and", "for", "national", "general", "secretary",
    }
)


def _only_generic_words(name: str) -> bool:
    """A discovered name needs one word that is not a generic noun ("State", "the Ministry")."""
    words = re.findall(r"[a-z]+", name.lower())
    return not words or all(w in _GENERIC_NAME_WORDS for w in words)


def _local_agent_link(phrase: str, sector: str) -> ActorLink:
    """An unnamed generic agent ("the militants"): one actor per article, not across articles."""
    name = clean_name(phrase) or phrase
    return ActorLink(
        f"local:{sector}:{name_key(name)}",
        name,
        _SECTOR_KINDS.get(sector, "other"),
        None,
        sector,
        f"generic agent {sector}, this article only",
    )



# KnowledgeBase is a mutable dataclass (unhashable): cache by identity, keeping a reference
# so the id cannot be reused while the entry lives.
_LINKERS: dict[int, tuple[KnowledgeBase | None, ActorLinker]] = {}


def linker_for(kb: KnowledgeBase | None) -> ActorLinker:
    entry = _LINKERS.get(id(kb))
    if entry is None or entry[0] is not kb:
        if len(_LINKERS) > 8:
            _LINKERS.clear()
        entry = _LINKERS[id(kb)] = (kb, ActorLinker(kb))
    return entry[1]

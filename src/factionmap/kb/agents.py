"""Generic agents: "Iraqi forces", "the US government", "protesters" as country + sector.

Sector codes are the PLOVER/CAMEO agent codes (GOV, MIL, COP, REB, UAF, PRO, CVL, ...).
The head word of the phrase gives the sector; a country name or demonym before it gives
the country.  A patron named in a hyphenated modifier ("Iranian-backed militias",
"Saudi-led coalition", "pro-Iran militias") is kept apart in ``backed_by``: the militias
are not Iranian state forces, so ``country`` stays None there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factionmap.kb.base import KnowledgeBase

# Head word (singular and plural) -> sector, "|"-separated; multi-word heads win over single words.
_SECTOR_HEADS: dict[str, str] = {
    "GOV": (
        "government|governments|cabinet|ministry|ministries|minister|ministers|"
        "administration|authorities|authority|officials|official|regime|president|"
        "presidency|prime minister|leadership|spokesman|spokeswoman|spokesperson|"
        "diplomat|diplomats|embassy|envoy|ambassador|foreign ministry|interior ministry|"
        "defense ministry|defence ministry|governor|governors|council of ministers|"
        "secretary|secretaries|foreign secretary|secretary of state|foreign minister|"
        "chancellor|king|emir|crown prince|vice president|deputy prime minister"
    ),
    "MIL": (
        "military|militaries|army|armies|troops|troop|soldier|soldiers|forces|force|"
        "armed forces|special forces|air force|navy|marines|paramilitary|paramilitaries|"
        "paramilitary forces|commander|commanders|officers|warplanes|jets|aircraft|"
        "drones|servicemen|personnel|coalition|coalition forces|artillery|tanks|"
        "service members|service member|servicemembers|servicemember|serviceman|"
        "servicewomen|servicewoman|airmen|airman|sailors|sailor|seamen|"
        "peacekeepers|peacekeeper|commandos|commando|paratroopers|paratrooper|"
        "reservists|reservist|guardsmen|conscripts|ground forces|ground troops|naval forces"
    ),
    "COP": (
        "police|policemen|policeman|police officers|security forces|security force|"
        "riot police|border guards|gendarmerie|security services"
    ),
    "SPY": "intelligence|intelligence services|spies|spy|intelligence agency",
    "JUD": "judiciary|court|courts|judge|judges|prosecutor|prosecutors",
    "LEG": (
        "parliament|parliaments|legislature|lawmakers|lawmaker|legislators|mps|deputies|"
        "senate|senators|congress|congressmen|assembly"
    ),
    "PTY": "party|parties|bloc|blocs",
    "OPP": "opposition|dissidents|dissident",
    "REB": "rebels|rebel|rebel forces|rebel groups|separatists|guerrillas",
    "INS": "insurgents|insurgent|insurgency",
    "UAF": (
        "militia|militias|militiamen|militiaman|militants|militant|gunmen|gunman|"
        "fighters|fighter|jihadists|jihadist|terrorists|terrorist|armed groups|"
        "armed group|armed men|factions|faction"
    ),
    "PRO": "protesters|protestors|protester|demonstrators|demonstrator|crowds",
    "CVL": (
        "civilians|civilian|residents|villagers|people|citizens|locals|families|children|"
        "women|worshippers|mourners|shoppers|pilgrims|passengers|bystanders|inhabitants"
    ),
    "REF": "refugees|refugee|displaced|migrants|asylum seekers",
    "BUS": "business|businesses|companies|company|firms|businessmen",
    "MED": "media|journalists|journalist|reporters|reporter|press",
    "NGO": "aid workers|aid groups|charities|ngos|ngo|activists",
    "HLH": "doctors|hospital|hospitals|medics|health ministry|nurses",
    "EDU": "students|student|teachers|universities|university",
    "LAB": "workers|unions|union|labourers|laborers",
    "ELI": "elites|elite|tribal leaders|tribal elders|elders|sheikhs",
    "CRM": "criminals|smugglers|gangs|gang|traffickers|kidnappers",
    "REL": "clerics|cleric|clergy|imams|imam|ayatollahs",
}
# How a sector reads after a country name in an actor's display name ("Iraq military").
SECTOR_NAMES: dict[str, str] = {
    "GOV": "government", "MIL": "military", "COP": "police", "SPY": "intelligence",
    "JUD": "judiciary", "LEG": "legislature", "PTY": "parties", "OPP": "opposition",
    "REB": "rebels", "INS": "insurgents", "UAF": "armed groups", "PRO": "protesters",
    "CVL": "civilians", "REF": "refugees", "BUS": "business", "MED": "media", "NGO": "NGOs",
    "HLH": "health sector", "EDU": "education sector", "LAB": "labour", "ELI": "elites",
    "CRM": "criminals", "REL": "clergy",
}


def agent_display_name(country_name: str | None, sector: str | None) -> str:
    """A readable name for a generic agent: ("Iraq", "MIL") -> "Iraq military"."""
    label = SECTOR_NAMES.get(sector or "", sector or "")
    return " ".join(part for part in (country_name, label) if part) or "unidentified actor"


HEAD_SECTORS: dict[str, str] = {
    head: sector for sector, heads in _SECTOR_HEADS.items() for head in heads.split("|")
}
_MAX_HEAD_WORDS = max(len(h.split()) for h in HEAD_SECTORS)

# Modifiers that change the sector of a generic head: "rebel fighters" are REB, not UAF.
_SECTOR_MODIFIERS = {
    "rebel": "REB",
    "opposition": "OPP",
    "insurgent": "INS",
    "government": None,
    "police": "COP",
    "jihadist": "UAF",
    "intelligence": "SPY",
    "tribal": None,
}
# Modifiers that make a coalition or an insurgency political: "the ruling coalition" is
# parties in government, "an electoral insurgency" no armed group at all ("political
# militias" are still militias).
_POLITICAL_MODIFIERS = frozenset({"ruling", "governing", "electoral", "political",
                                  "parliamentary", "partisan", "legislative"})
_PATRON = re.compile(
    r"^(?:(?P<pre>.+?)-(?:backed|led|supported|sponsored|funded|allied|aligned|trained|armed)"
    r"|pro-(?P<post>.+))$",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[A-Za-z0-9][\w.'\u2019-]*")
_ABBREVIATION = re.compile(r"^(?:[A-Za-z]\.)+$")
_STOP = frozenset({"the", "a", "an", "some", "several", "many", "dozens", "hundreds", "of"})
_PREPOSITIONS = frozenset({"of", "in", "from", "for", "loyal"})


@dataclass(frozen=True, slots=True)
class GenericAgent:
    """A generic actor phrase as country + sector, e.g. "Iraqi forces" -> IRQ, MIL."""

    country: str | None  # ISO alpha-3 of the owner ("Iraqi forces"), None if not named
    sector: str  # PLOVER/CAMEO agent code
    head: str  # the head word as written, lower-cased ("forces")
    backed_by: str | None = None  # patron country of "Iranian-backed militias"
    actor_id: str | None = None  # a named non-state owner: "Hezbollah fighters"


def _tokens(text: str) -> list[str]:
    out = []
    for tok in _TOKEN.findall(text):
        if not _ABBREVIATION.match(tok):
            tok = tok.rstrip(".")
        if tok.lower().endswith(("'s", "\u2019s")):
            tok = tok[:-2]
        if tok:
            out.append(tok)
    return out


def _find_head(lower: list[str]) -> tuple[int, int] | None:
    """(start, end) of the rightmost known head word or words in ``lower``."""
    for end in range(len(lower), 0, -1):
        for size in range(min(_MAX_HEAD_WORDS, end), 0, -1):
            if " ".join(lower[end - size : end]) in HEAD_SECTORS:
                return end - size, end
    return None


def _owner(kb: KnowledgeBase, words: list[str]) -> tuple[str | None, str | None]:
    """(country, non-state actor id) named by the longest matching run of ``words``."""
    for size in range(min(4, len(words)), 0, -1):
        for start in range(len(words) - size, -1, -1):
            actor = kb.lookup(" ".join(words[start : start + size]))
            if actor is not None:
                return actor.country, None if actor.kind == "state" else actor.id
    return None, None


def parse_generic_agent(phrase: str, kb: KnowledgeBase) -> GenericAgent | None:
    """Country, sector and patron of a generic phrase; None if no known head word."""
    tokens = _tokens(phrase)
    # Split "forces of Iraq" / "protesters in Baghdad": head before, owner after.
    cut = next((i for i, t in enumerate(tokens) if t.lower() in _PREPOSITIONS and i > 0), None)
    before, after = (tokens[:cut], tokens[cut + 1 :]) if cut is not None else (tokens, [])
    lower = [t.lower() for t in before]
    found = _find_head(lower)
    if found is None:
        return None
    start, end = found
    head = " ".join(lower[start:end])
    sector = HEAD_SECTORS[head]
    modifiers = [t for t in before[:start] if t.lower() not in _STOP]
    if head in ("coalition", "insurgency") and any(
        t.lower() in _POLITICAL_MODIFIERS for t in modifiers
    ):
        if head == "insurgency":
            return None
        sector = "PTY"

    backed_by = None
    owners: list[str] = []
    for word in modifiers:
        patron = _PATRON.match(word)
        if patron:
            backed_by, _ = _owner(kb, re.split(r"[\s-]+", patron["pre"] or patron["post"]))
            continue
        override = _SECTOR_MODIFIERS.get(word.lower(), "")
        if override:
            sector = override
        elif override == "":
            owners.append(word)
    country, actor_id = _owner(kb, owners) if owners else (None, None)
    if country is None and actor_id is None and after:
        country, actor_id = _owner(kb, [t for t in after if t.lower() not in _STOP])
    return GenericAgent(country, sector, head, backed_by, actor_id)

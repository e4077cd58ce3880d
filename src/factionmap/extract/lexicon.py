"""Small word lists of our own that the rule-based extractors share.

Kept in one place so a newcomer can see (and extend) every vocabulary the rules use.
"""

from __future__ import annotations

import re

# -- mention lexicons (matched on token lemma, lower case) -----------------------------------
WEAPON_TERMS: tuple[str, ...] = (
    "rocket", "missile", "drone", "IED", "VBIED", "Katyusha", "mortar", "artillery",
    "bomb", "car bomb", "roadside bomb", "truck bomb", "vehicle bomb", "barrel bomb",
    "suicide attack", "suicide bombing", "explosive", "grenade", "rifle", "machine gun",
    "RPG", "ballistic missile", "cruise missile", "munition", "airstrike", "air strike",
    "rocket-propelled grenade", "rocket propelled grenade", "rocket-propelled grenade launcher",
    "rocket propelled grenade launcher", "grenade launcher", "heavy machine gun",
    "improvised explosive device", "vehicle-borne improvised explosive device",
    "artillery system", "mortar system", "anti-aircraft artillery", "anti-tank missile",
)
PLATFORM_TERMS: tuple[str, ...] = (
    "F-16", "F-35", "MQ-9", "MQ-9 Reaper", "Reaper", "Predator", "warship", "aircraft carrier",
    "destroyer", "frigate", "helicopter", "Apache", "Black Hawk", "fighter jet", "warplane",
    "jet", "bomber", "B-52", "tank", "submarine",
    "aircraft", "fighter aircraft", "military aircraft", "remotely piloted aircraft",
    "unmanned aircraft", "UAV", "unmanned aerial vehicle", "airlifter", "tanker aircraft",
    "KC-135", "KC-135R", "Stratotanker", "C-17", "C-130", "A-10", "AC-130", "F-15", "F-15E",
    "F/A-18", "Super Hornet", "Harrier", "Typhoon", "Tornado", "Rafale", "Mirage", "Su-24",
    "Su-25", "Su-34", "MiG-29", "Tu-22M", "gunship", "naval vessel", "amphibious assault ship",
    "patrol boat", "gunboat", "fast attack craft",
    # vehicles made for war are platforms, as analysts (and re3d) mark them
    "tactical vehicle", "technical vehicle", "armored vehicle", "armoured vehicle",
    "suicide vehicle", "military vehicle", "armored personnel carrier", "bulldozer",
)
# Warship names follow these prefixes: "USS Mahan", "HMS Daring", "FS Forbin".
SHIP_PREFIXES: tuple[str, ...] = ("USS", "HMS", "FS", "HMAS", "HMCS", "INS", "USNS", "RFS")
VEHICLE_TERMS: tuple[str, ...] = (
    "convoy", "truck", "Humvee", "pickup", "bus", "car", "tanker", "vehicle",
)

# -- organisation noun phrases ("the militia", "Iraqi security forces") -------------------------
# Head lemma -> PLOVER/CAMEO agent sector ("" when the head names a group but no sector).
# "Strong" heads name a group on their own ("the militia"); weak heads need a modifier
# ("U.S. service members", not bare "members").
STRONG_GROUP_HEADS: dict[str, str] = {
    "militia": "UAF",
    "coalition": "",
    "alliance": "",
    "group": "",
    "organisation": "",
    "organization": "",
    "government": "GOV",
    "administration": "GOV",
    "army": "MIL",
    "military": "MIL",
    "regime": "GOV",
    "party": "PTY",
    "brigade": "UAF",
    "faction": "",
    "movement": "",
    "police": "COP",
    "parliament": "LEG",
    "insurgent": "REB",
    "rebel": "REB",
}
WEAK_GROUP_HEADS: dict[str, str] = {
    "force": "MIL",
    "troop": "MIL",
    "soldier": "MIL",
    "member": "",
    "official": "GOV",
    "fighter": "UAF",
    "unit": "",
    "personnel": "MIL",
    "ministry": "GOV",
    "authority": "GOV",
    "officer": "MIL",
    "leadership": "",
    "diplomat": "GOV",
}
GROUP_HEADS: dict[str, str] = {**STRONG_GROUP_HEADS, **WEAK_GROUP_HEADS}
# Definite descriptions that corefer with a named organisation, and the actor kinds that fit.
DEFINITE_HEADS: dict[str, frozenset[str]] = {
    "group": frozenset({"armed_group", "party", "other", ""}),
    "militia": frozenset({"armed_group", ""}),
    "organisation": frozenset({"armed_group", "party", "international_org", "other", ""}),
    "organization": frozenset({"armed_group", "party", "international_org", "other", ""}),
    # an alliance or coalition is a party bloc or an international body, or carries the word
    # in its name (DEFINITE_NAME_HINTS); never an armed group it may be fighting
    "alliance": frozenset({"party"}),
    "coalition": frozenset({"party", "international_org"}),
    "movement": frozenset({"armed_group", "party", ""}),
    "faction": frozenset({"armed_group", "party", ""}),
    "party": frozenset({"party", ""}),
    "brigade": frozenset({"armed_group", ""}),
}
# Name words that make an unknown name fit "the alliance" etc.
DEFINITE_NAME_HINTS: dict[str, tuple[str, ...]] = {
    "alliance": ("alliance", "coalition", "bloc", "front"),
    "coalition": ("coalition", "alliance", "bloc", "front"),
    "party": ("party", "movement", "bloc"),
}

# -- roles and titles --------------------------------------------------------------------------
# Titles of people in charge: a person holding one "leads" the organisation.
LEAD_TITLES: frozenset[str] = frozenset({
    "leader", "head", "chief", "commander", "chairman", "chairwoman", "chair", "president",
    "secretary-general", "secretary general", "director", "founder", "boss", "emir",
    "prime minister", "king", "general secretary", "supreme leader", "ruler",
})
# Other titles: the holder is a member of the organisation with that role.
MEMBER_TITLES: frozenset[str] = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "deputy", "member", "minister", "ambassador",
    "envoy", "official", "adviser", "advisor", "representative", "lawmaker", "mp", "officer",
    "general", "colonel", "lieutenant", "fighter", "militant", "secretary", "senator",
    "governor", "cleric", "vice president", "deputy leader", "deputy head", "deputy commander",
    "foreign minister", "defense minister", "defence minister", "interior minister",
    "chief of staff", "negotiator", "diplomat", "mayor", "councillor", "operative", "agent",
})
ROLE_WORDS: frozenset[str] = frozenset(
    w for title in LEAD_TITLES | MEMBER_TITLES for w in title.replace("-", " ").split()
) | {"secretary-general"}
# Words that may sit inside a multi-word title ("Assistant Secretary of State").
TITLE_MODIFIERS: frozenset[str] = frozenset({
    "foreign", "defense", "defence", "interior", "prime", "vice", "deputy", "assistant",
    "supreme", "senior", "top", "former", "acting", "military", "political", "general",
    "chief", "ex", "then", "lieutenant", "major", "brigadier", "lt.", "gen.", "col.",
})

# -- modality cues -------------------------------------------------------------------------------
NEGATION_LEMMAS: frozenset[str] = frozenset({"not", "never", "no", "n't", "neither", "nor"})
DENIAL_LEMMAS: frozenset[str] = frozenset({"deny", "reject", "refute", "dismiss"})
# Words that make a noun's event a prospect, not a fact: "the threat of a strike", "a planned
# attack", "authorizing air strikes".
PROSPECT_LEMMAS: frozenset[str] = frozenset({
    "threat", "threaten", "plan", "planned", "consider", "contemplate", "propose", "proposed",
    "proposal", "authorize", "authorise", "potential", "prospect", "possibility", "option",
})
# Words whose to-clause is only meant, wished or threatened, not done: "threatened to strike
# X", "wants to meet X", "is ready to talk to X". (Not "try": a failed attack is still one.)
INTENT_LEMMAS: frozenset[str] = frozenset({
    "want", "hope", "intend", "seek", "aim", "plan", "wish", "expect", "prepare", "vow",
    "pledge", "promise", "threaten", "propose", "consider", "aspire", "plot", "mean",
    "willing", "ready", "eager", "prepared", "keen", "poised", "determined",
})
# Verbs whose object does their to-clause ("assisted the government to destroy Y", "urged
# Russia to stop bombing Y"): that object, not the verb's subject, is the clause's doer.
ENABLING_LEMMAS: frozenset[str] = frozenset({
    "help", "assist", "aid", "enable", "allow", "permit", "train", "equip", "arm", "empower",
    "force", "compel", "authorize", "authorise", "mobilize", "mobilise", "recruit",
})
# Of them, those that only ask for the act, so it is not yet done: hedged.
DIRECTIVE_LEMMAS: frozenset[str] = frozenset({
    "urge", "ask", "encourage", "press", "push", "pressure", "invite", "tell", "order",
    "instruct", "direct", "command", "advise", "warn", "persuade", "convince", "implore", "request",
    "challenge", "want", "expect", "need",
})
# Words whose to-clause is not done: "unwilling to back X", "unable to reach X".
UNWILLING_LEMMAS: frozenset[str] = frozenset({
    "unwilling", "reluctant", "loath", "hesitant", "unable",
})
# Verbs whose complement did not happen: "refused to meet X", "had avoided striking X",
# "failed to stop X", "declined to back X".
UNDONE_LEMMAS: frozenset[str] = frozenset({
    "refuse", "fail", "avoid", "decline", "neglect", "abstain", "forgo", "forego",
})
# Verbs that only carry out the act their object names: "signed an agreement with X", "held
# talks with X", "launched strikes on X". The act happens when, and only when, the verb does.
LIGHT_VERBS: frozenset[str] = frozenset({
    "sign", "hold", "conduct", "launch", "mount", "stage", "reach", "conclude", "carry",
})
HEDGE_AUX: frozenset[str] = frozenset({"may", "might", "could", "would"})
HEDGE_LEMMAS: frozenset[str] = frozenset({
    "appear", "seem", "reportedly", "allegedly", "alleged", "rumor", "rumour", "possible",
    "possibly", "perhaps", "probably", "likely", "suspect", "suspected", "apparently",
    "purportedly", "purported", "believe", "unconfirmed", "speculate", "speculation",
})
SPEECH_LEMMAS: frozenset[str] = frozenset({
    "say", "tell", "state", "claim", "announce", "report", "tweet", "write", "add", "declare",
    "insist", "assert", "note", "explain", "warn", "argue", "confirm", "accuse", "allege",
    "post", "mention", "reveal", "acknowledge", "indicate",
})

# -- nationality adjectives -> ISO 3166 alpha-3 (the region we cover first) ---------------
DEMONYMS: dict[str, str] = {
    "iraqi": "IRQ", "iranian": "IRN", "american": "USA", "us": "USA", "u.s.": "USA",
    "syrian": "SYR", "lebanese": "LBN", "turkish": "TUR", "saudi": "SAU",
    "israeli": "ISR", "russian": "RUS", "british": "GBR", "french": "FRA", "german": "DEU",
    "jordanian": "JOR", "kuwaiti": "KWT", "qatari": "QAT", "emirati": "ARE", "yemeni": "YEM",
    "afghan": "AFG", "pakistani": "PAK", "egyptian": "EGY", "chinese": "CHN", "palestinian": "PSE",
    "bahraini": "BHR", "omani": "OMN", "libyan": "LBY", "persian": "IRN", "uk": "GBR",
}

# -- unit phrases ------------------------------------------------------------------------------
# Nouns a group name qualifies to make one mention of its people or an office holder
# ("ISIL fighters", "an ISIL tactical unit", "the Houthi spokesman"), with the phrase's label.
UNIT_PHRASE_HEADS: dict[str, str] = {
    **dict.fromkeys(
        ("unit", "fighter", "terrorist", "militant", "force", "troop", "member", "operative",
         "cell", "element", "team", "squad", "group", "organisation", "organization", "network",
         "affiliate", "loyalist", "gunman", "insurgent"),
        "Organisation",
    ),
    # an unnamed office holder: "the CENTCOM commander", "a Foreign Office spokesman"
    **dict.fromkeys(
        ("commander", "spokesman", "spokeswoman", "spokesperson", "minister", "ambassador",
         "envoy", "director", "chief", "secretary"),
        "Person",
    ),
}

# World regions: portfolios in titles ("Minister for the Middle East"), never actors.
REGION_NAMES: frozenset[str] = frozenset({
    "middle east", "near east", "north africa", "africa", "asia", "europe", "the gulf", "gulf",
    "levant", "sahel", "horn of africa", "caucasus", "central asia", "south asia",
    "east asia", "southeast asia", "latin america", "americas", "balkans", "mena",
    "arabian peninsula", "persian gulf", "arab world", "commonwealth",
})

# Verbs of attack whose subject may be the weapon itself: "five strikes engaged X and
# destroyed Y", "a U.S. strike hit two vehicles".
ATTACK_VERBS: frozenset[str] = frozenset({
    "engage", "destroy", "damage", "suppress", "disable", "hit", "kill", "target", "strike",
    "attack", "bomb", "shell", "wound", "injure",
})
# Nouns that are weapons only when they attack something ("a strike" is also a walk-out).
STRIKE_NOUNS: frozenset[str] = frozenset({"strike", "strikes"})

# The second part of "ISIS-held territory", "regime-controlled areas": the first part holds
# the noun (a place mention, and ``controls`` in the patterns, which also read "-run").
HOLDING_WORDS: frozenset[str] = frozenset({"held", "controlled", "occupied"})

# Nouns that name a place by what it is (targets in strike reports): "a fighting position",
# "a VBIED storage facility". A non-empty set lists the modifiers the noun needs to be a site.
SITE_NOUNS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("building", "facility", "factory", "headquarters", "bridge", "tunnel", "cache",
         "depot", "checkpoint", "bunker", "node", "warehouse", "refinery", "wellhead",
         "airfield", "airstrip", "compound", "stronghold", "hideout", "outpost", "entrance"),
        frozenset(),
    ),
    "position": frozenset({"fighting", "defensive", "firing", "mortar", "artillery"}),
    "route": frozenset({"supply", "smuggling", "escape"}),
    "area": frozenset({"staging", "assembly", "training"}),
}


def plural_forms(word: str) -> set[str]:
    """The lower-case forms a noun can take in text: "militia(s)", "party/parties"."""
    return {word, word + "s", word[:-1] + "ies" if word.endswith("y") else word + "es"}


SITE_NOUN_FORMS: frozenset[str] = frozenset(f for head in SITE_NOUNS for f in plural_forms(head))


# A phone number ("910-432-3383", "+44 20 7008 1500") or an access code ("Passcode 3080897"):
# press releases end with them, and no actor, place, time or amount is written so.
_PHONE = re.compile(r"\+?\(?\d{2,4}\)?(?:[ .\-]\d{2,4}){2,4}")
_CODE = re.compile(r"\b\d{6,}\b")


def is_contact_number(text: str) -> bool:
    """Whether a mention's text is a phone number or holds an access code of 6+ digits."""
    text = text.strip()
    # Nine digits or more: a date written with separators ("2016-11-20") has at most eight.
    phone = _PHONE.fullmatch(text) and sum(c.isdigit() for c in text) >= 9
    return bool(phone or _CODE.search(text))

"""Peoples, faiths and diseases: "the Yazidis" are a community, and "Islam" or "COVID-19"
is no actor at all.

The small NER model reads a people's name as a person ("The Yazidis fled"), and a religion or
a disease as a group or a person; the map then grows a person called "Yazidis". Applied
after the tagger, whose features are the rules' output as it stands.
"""

from __future__ import annotations

import re
from dataclasses import replace

from factionmap.extract.linking import clean_name
from factionmap.kb.names import name_key
from factionmap.records import Mention

# Ethnic and religious communities of the region and beyond, as the news names them in the
# plural (a country's people are its demonym: "Syrians", handled by the country table).
_COMMUNITY_NAMES: dict[str, tuple[str, ...]] = {
    "Yazidis": ("yazidis", "yezidis", "yazidi community", "yezidi community"),
    "Kurds": ("kurds", "kurdish people"),
    "Arabs": ("arabs",),
    "Sunni Arabs": ("sunni arabs",),
    "Turkmen": ("turkmen", "turkmens", "turkomans"),
    "Assyrians": ("assyrians",),
    "Chaldeans": ("chaldeans",),
    "Shia Muslims": ("shia", "shias", "shiites", "shi'ites", "shia muslims", "shiite muslims"),
    "Sunni Muslims": ("sunnis", "sunni muslims"),
    "Alawites": ("alawites", "alawis"),
    "Druze": ("druze",),
    "Christians": ("christians",),
    "Muslims": ("muslims",),
    "Jews": ("jews",),
    "Copts": ("copts", "coptic christians"),
    "Maronites": ("maronites",),
    "Baloch": ("baloch", "balochs", "baluch", "baluchis"),
    "Pashtuns": ("pashtuns",),
    "Hazaras": ("hazaras",),
    "Uyghurs": ("uyghurs", "uighurs"),
    "Rohingya": ("rohingya", "rohingyas"),
    "Bedouins": ("bedouins", "bedouin"),
}
COMMUNITIES: dict[str, str] = {
    form: name for name, forms in _COMMUNITY_NAMES.items() for form in forms
}
RELIGIONS = frozenset(
    {"islam", "christianity", "judaism", "hinduism", "buddhism", "sikhism", "zoroastrianism",
     "shiism", "shi'ism", "sunnism", "yazidism"}
)
# Diseases the news names as if they acted ("COVID-19 killed thousands").
DISEASES = frozenset(
    {"covid", "covid-19", "coronavirus", "ebola", "sars", "mers", "h1n1", "zika", "cholera",
     "polio", "measles", "malaria", "influenza", "mpox", "monkeypox"}
)
_NO_ACTORS = RELIGIONS | DISEASES
_LABELS = frozenset({"Person", "Organisation", "Nationality"})
# "hundreds of Yazidis", "many Kurds", "some of the Druze": a part of the community is it.
_QUANTITY = re.compile(
    r"^(?:(?:hundreds|thousands|dozens|millions|scores|tens of thousands|many|some|most|all"
    r"|several|fellow)\s+(?:of\s+)?(?:the\s+)?)"
)


def as_communities(mentions: list[Mention]) -> list[Mention]:
    """A people's name becomes that community (an organisation-like actor shared across
    articles), a religion's or a disease's name loses any actor; known KB actors are left
    alone."""
    return [_as_community(m) for m in mentions]


def _as_community(m: Mention) -> Mention:
    if m.label not in _LABELS or (m.actor_id and not m.actor_id.startswith("new:")):
        return m
    name_text = clean_name(m.text)
    words = _QUANTITY.sub("", name_text.lower().replace("\u2019", "'"))
    *modifiers, last = name_text.split() or [""]
    if words in _NO_ACTORS or (
        last.lower() in RELIGIONS and all(w.islower() for w in modifiers)  # "radical Islam"
    ):
        label = "Organisation" if m.label == "Person" else m.label
        return replace(m, label=label, actor_id=None, actor_name=None,  # type: ignore[arg-type]
                       actor_kind=None, country=None, sector=None, link_reason=None)
    name = COMMUNITIES.get(words)
    if name is None or (m.label == "Nationality" and not words.endswith("s")):
        return m  # "Shia" and "Druze" alone are mostly adjectives: "Shia militias"
    return replace(
        m,
        label="Organisation",
        actor_id=f"new:Organisation:{name_key(name)}",
        actor_name=name,
        actor_kind="other",
        country=None,
        sector=None,
        link_reason=f"community '{name}'",
    )

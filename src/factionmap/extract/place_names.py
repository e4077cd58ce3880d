"""Places the small NER model took for people or groups.

It reads an unfamiliar place name as a person or a group, and the gazetteer only knows larger
places. The article says what X is when a place noun introduces it ("the strait of Hormuz",
"the village of Gabara"), or when X is only ever where things happen ("in Tora Bora", "at
Tora Bora") and never does or owns anything. The name itself says so when it opens with a
word Arabic place names open with ("Beit", "Kafr", "Deir"). Applied after the tagger, whose
features are the rules' output as it stands.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc

from factionmap.nlp.cache import doc_text
from factionmap.records import Mention

_NAMED_BY = re.compile(
    r"\b(?:strait|straits|city|town|village|province|port|island|region|governorate|district"
    r"|county|gulf|sea|river|valley)\s+of\s+$",
    re.IGNORECASE,
)


# First words of Arabic place names, no part of a person's or a group's name: "Beit Sahour",
# "Kafr Qaddum", "Deir Hafer", "Ras al-Ain", "Jisr al-Shughur", "Tall Abyad".
_PLACE_WORDS = frozenset({
    "beit", "beyt", "bayt", "kafr", "kfar", "kafar", "deir", "dayr", "ain", "ayn", "ein",
    "tell", "tall", "tel", "jabal", "jebel", "jabel", "wadi", "ras", "khan", "bir", "qasr",
    "jisr", "maarat", "marat", "qalaat", "nahr", "marj",
})


def _named_as_a_place(m: Mention) -> bool:
    words = m.text.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    first = re.split(r"[-’']", words[0])[0].lower() if len(words) > 1 else ""
    return _new(m) and first in _PLACE_WORDS


# Prepositions of where something is, not of whom one speaks ("to", "from" are both).
_LOCATIVE = frozenset({"in", "at", "near", "inside", "outside", "around"})


def as_named_places(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A new person or group named right after "<kind of place> of" is that place, as is
    one whose name opens with a word of Arabic place names ("Beit Sahour"), and so is a new
    person the article only ever puts things in or at, never has do or own
    anything ("in Tora Bora", "at Tora Bora"): a Location with no actor. Known actors are
    left alone ("the capital of ISIS")."""
    text = doc_text(doc)
    located = _only_located(doc, mentions)
    return [_as_place(m) if _named_by_a_place_noun(text, m) or _named_as_a_place(m)
            or m.actor_id in located else m for m in mentions]


def _new(m: Mention, labels: tuple[str, ...] = ("Person", "Organisation")) -> bool:
    return m.label in labels and (m.actor_id or "").startswith("new:")


def _named_by_a_place_noun(text: str, m: Mention) -> bool:
    return _new(m) and _NAMED_BY.search(text[max(0, m.start - 30) : m.start]) is not None


def _only_located(doc: Doc, mentions: list[Mention]) -> set[str]:
    """New people named at least twice as the object of a locative preposition and never
    as a subject or an owner: places the small NER model took for people."""
    located: dict[str, int] = {}
    acting: set[str] = set()
    for m in mentions:
        if not _new(m, ("Person",)) or m.actor_id is None:
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        if root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE:
            located[m.actor_id] = located.get(m.actor_id, 0) + 1
        elif root.dep_ in ("nsubj", "nsubjpass", "poss", "agent"):
            acting.add(m.actor_id)
    return {actor for actor, n in located.items() if n >= 2 and actor not in acting}


def _as_place(m: Mention) -> Mention:
    return replace(m, label="Location", actor_id=None, actor_name=None, actor_kind=None,
                   country=None, sector=None, link_reason=None)

"""Names that a place noun introduces: "the strait of Hormuz", "the village of Gabara".

The small NER model reads an unfamiliar place name as a person or a group, and the gazetteer
only knows larger places. "the <kind of place> of X" says what X is. Applied after the tagger,
whose features are the rules' output as it stands.
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


def as_named_places(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A new person or group named right after "<kind of place> of" is that place: a
    Location with no actor. Known actors are left alone ("the capital of ISIS")."""
    text = doc_text(doc)
    return [_as_place(text, m) for m in mentions]


def _as_place(text: str, m: Mention) -> Mention:
    if m.label not in ("Person", "Organisation") or not (m.actor_id or "").startswith("new:"):
        return m
    if _NAMED_BY.search(text[max(0, m.start - 30) : m.start]) is None:
        return m
    return replace(m, label="Location", actor_id=None, actor_name=None, actor_kind=None,
                   country=None, sector=None, link_reason=None)

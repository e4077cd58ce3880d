"""Event coding: PLOVER type, CAMEO code, Goldstein score, date and place per event."""

from __future__ import annotations

from spacy.tokens import Doc

from factionmap.records import Article, Event, Mention


def code_events(doc: Doc, mentions: list[Mention], article: Article) -> list[Event]:
    """All events asserted in one parsed article."""
    return []

"""Event coding: PLOVER type, CAMEO code, Goldstein score, date and place per event.

``code_events`` uses a default ``EventCoder``; build your own coder to add lexicon
files or PETRARCH verb dictionaries.
"""

from __future__ import annotations

from functools import cache

from spacy.tokens import Doc

from factionmap.extract.events.coder import EventCoder
from factionmap.extract.events.lexicon import (
    LexEntry,
    Lexicon,
    LexiconError,
    load_lexicon,
    load_petrarch_verbs,
)
from factionmap.records import Article, Event, Mention

__all__ = [
    "EventCoder",
    "LexEntry",
    "Lexicon",
    "LexiconError",
    "code_events",
    "default_coder",
    "load_lexicon",
    "load_petrarch_verbs",
    "strongest_event",
]

_RANK = {"asserted": 0, "attributed": 1, "hedged": 2, "negated": 3}


@cache
def default_coder() -> EventCoder:
    return EventCoder()


def code_events(doc: Doc, mentions: list[Mention], article: Article) -> list[Event]:
    """All events in one parsed article (negated and hedged ones carry their modality)."""
    return default_coder().code(doc, mentions, article)


def strongest_event(events: list[Event]) -> Event | None:
    """The event that best sums up a sentence: done acts first, then the best-supported
    (arguments found, nearest the main verb), then the most intense."""
    if not events:
        return None
    return min(events, key=lambda e: (_RANK[e.modality], -e.confidence, -abs(e.goldstein)))

"""Event facts: the CAMEO table (PLOVER type, mode, Goldstein, quad class), the event-word
lexicon (features for the event classifier), and where events happened."""

from factionmap.extract.events.lexicon import (
    LexEntry,
    Lexicon,
    LexiconError,
    load_lexicon,
    load_petrarch_verbs,
)
from factionmap.records import Event

__all__ = ["LexEntry", "Lexicon", "LexiconError", "load_lexicon", "load_petrarch_verbs",
           "strongest_event"]

_RANK = {"asserted": 0, "attributed": 1, "hedged": 2, "negated": 3}


def strongest_event(events: list[Event]) -> Event | None:
    """The event that best sums up a sentence: done acts first, then the surest, then the
    most intense."""
    if not events:
        return None
    return min(events, key=lambda e: (_RANK[e.modality], -e.confidence, -abs(e.goldstein)))

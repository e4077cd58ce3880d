"""Common words that a sentence or headline capitalises, read as names of new people.

The small NER model calls a capitalised first word a person when it does not know it:
"Debris found in water", "Aides said ...", "Ceasefire has held". Nothing about the word
itself tells it from a surname ("Votel said"), but the article does: the same word written in
lower case elsewhere in it is a common word, capitalised here only by its position.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from factionmap.extract.arguments import PRONOUNS
from factionmap.nlp.cache import doc_text
from factionmap.records import Mention


def without_common_words(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """The mentions without new one-word people that are only a common word opening a
    sentence or line, and without the pronouns linked to them."""
    text = doc_text(doc)
    suspects = {m.actor_id for m in mentions if _common_word_as_name(doc, text, m)}
    if not suspects:
        return mentions
    # a later "Mr. Debris" or "Debris, 42," would be a name after all: keep the actor
    named = {
        m.actor_id for m in mentions
        if m.actor_id in suspects and not _common_word_as_name(doc, text, m)
        and m.text.strip().lower() not in PRONOUNS
    }
    dropped = suspects - named
    return [m for m in mentions if m.actor_id not in dropped]


def _common_word_as_name(doc: Doc, text: str, m: Mention) -> bool:
    """A new person named by one title-case word that opens its sentence or line and is
    written in lower case elsewhere in the article."""
    if m.label != "Person" or not (m.actor_id or "").startswith("new:"):
        return False
    word = m.text
    if not (word.isalpha() and word[:1].isupper() and word[1:].islower()):
        return False
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    opens = max(text.rfind("\n", 0, m.start) + 1, span.sent.start_char)
    if any(c.isalnum() for c in text[opens : m.start]):
        return False
    return re.search(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])", text) is not None

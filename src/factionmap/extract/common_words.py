"""Common words that a sentence or headline capitalises, read as names of new people.

The small NER model calls a capitalised first word a person when it does not know it:
"Debris found in water", "Aides said ...", "Ceasefire has held". Nothing about the word
itself tells it from a surname ("Votel said"), but the article does: the same word written in
lower case elsewhere in it is a common word, capitalised here only by its position.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Doc

from factionmap.extract.arguments import PRONOUNS
from factionmap.nlp.cache import doc_text
from factionmap.records import Mention


def without_common_words(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """The mentions without new one-word people that are only a common word opening a
    sentence or line, and without the pronouns linked to them."""
    candidates = [_one_title_case_word(m) for m in mentions]
    if not any(candidates):
        return mentions
    text = doc_text(doc)
    sentence_starts = [sent.start_char for sent in doc.sents]
    lower_words = {t.text for t in doc if t.is_lower and t.is_alpha}
    common = [
        c and m.text.lower() in lower_words and _opens(text, sentence_starts, m.start)
        for m, c in zip(mentions, candidates, strict=True)
    ]
    suspects = {m.actor_id for m, c in zip(mentions, common, strict=True) if c}
    # a later "Mr. Debris" or "Debris, 42," would be a name after all: keep the actor
    named = {
        m.actor_id for m, c in zip(mentions, common, strict=True)
        if m.actor_id in suspects and not c and m.text.strip().lower() not in PRONOUNS
    }
    dropped = suspects - named
    return [m for m in mentions if m.actor_id not in dropped]


def _one_title_case_word(m: Mention) -> bool:
    """A new person named by one title-case word ("Debris", not "CRUZ" or "Mr. Debris")."""
    if m.label != "Person" or not (m.actor_id or "").startswith("new:"):
        return False
    word = m.text
    return word.isalpha() and word[:1].isupper() and word[1:].islower()


def _opens(text: str, sentence_starts: list[int], at: int) -> bool:
    """Whether only punctuation or space stands between ``at`` and the start of its
    sentence or line."""
    sentence = sentence_starts[max(bisect.bisect_right(sentence_starts, at) - 1, 0)]
    opens = max(text.rfind("\n", sentence, at) + 1, sentence)
    return not any(c.isalnum() for c in text[opens:at])

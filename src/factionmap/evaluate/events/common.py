"""Shared machinery: code one sentence as a one-sentence article, F1 helpers, errors."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from factionmap.extract.events import EventCoder, strongest_event
from factionmap.records import Article, Event, Mention


class GoldFileError(ValueError):
    """A gold file that cannot be read; the message names the file, row and reason."""


_SPACY_LABELS = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "GPE": "Location",
    "LOC": "Location",
    "NORP": "Nationality",
    "FAC": "Location",
}


def _ent_mentions(doc: Doc) -> list[Mention]:
    return [
        Mention(e.start_char, e.end_char, e.text, _SPACY_LABELS[e.label_])  # type: ignore[arg-type]
        for e in doc.ents
        if e.label_ in _SPACY_LABELS
    ]


def mention_finder() -> Callable[[Doc, Article], list[Mention]]:
    """The project's mention finder when present, else spaCy's entities."""
    try:
        from factionmap.extract.mentions import find_mentions
        from factionmap.kb import default_kb
    except ImportError:
        return lambda doc, article: _ent_mentions(doc)
    kb = default_kb()
    return lambda doc, article: find_mentions(doc, article, kb)


def sentence_article(text: str) -> Article:
    return Article(id=hashlib.sha1(text.encode("utf-8")).hexdigest()[:16], text=text)


class SentenceCoder:
    """Runs nlp + mentions + event coding over single sentences, batched."""

    def __init__(self, nlp: Language, coder: EventCoder | None = None) -> None:
        self.nlp = nlp
        self.coder = coder or EventCoder()
        self.find_mentions = mention_finder()

    def code(self, texts: list[str]) -> list[tuple[Doc, list[Event]]]:
        out = []
        for doc in self.nlp.pipe(texts, batch_size=64):
            article = sentence_article(doc.text)
            mentions = self.find_mentions(doc, article)
            out.append((doc, self.coder.code(doc, mentions, article)))
        return out

    def strongest(self, texts: list[str]) -> list[Event | None]:
        return [strongest_event(events) for _, events in self.code(texts)]


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "tp": tp,
        "predicted": n_pred,
        "gold": n_gold,
    }

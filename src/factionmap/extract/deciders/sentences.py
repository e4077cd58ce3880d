"""What kind of happening a whole sentence reports, as context for the trigger decider.

Two sentence classifiers learn from sets that label sentences, not words: the PLOVER type of
a story's lead (NGEC's synthetic stories) and the CAMEO quad class of a sentence (ConfliBERT).
A word alone often cannot say whether it reports an event ("a fight against corruption",
"a press release"); the sentence around it can. Their probabilities become features of every
candidate trigger of the sentence, and one feature ties them to the word: how likely the
sentence is to report the type the event lexicon lists for that word. They decide nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Span

from factionmap.extract.deciders.linear import Scorer, dense

TYPE_PREFIX = "st="  # P(the sentence reports a happening of this PLOVER type)
QUAD_PREFIX = "sq="  # P(the sentence's CAMEO quad class)
LEXICON_TYPE = "st_lex"  # P(the sentence reports the type the lexicon gives the word)


def sentence_features(span: Span, vectors: np.ndarray | None = None) -> dict[str, float]:
    """Content lemmas and the mean token vector of a sentence (or of any span)."""
    f: dict[str, float] = {"bias": 1.0}
    for tok in span:
        if tok.is_alpha and not tok.is_stop:
            f[f"w={tok.lemma_.lower()}"] = 1.0
    if vectors is not None and len(vectors) == len(span.doc) and len(span):
        f.update(dense("sv", vectors[span.start:span.end].mean(axis=0)))
    return f


@dataclass(frozen=True)
class SentenceContext:
    """The two sentence classifiers; either may be missing (a models folder without it)."""

    types: Scorer | None
    quad: Scorer | None

    def __bool__(self) -> bool:
        return self.types is not None or self.quad is not None

    def features(self, spans: Sequence[Span],
                 vectors: np.ndarray | None = None) -> list[dict[str, float]]:
        """One feature dict per span, in order."""
        out: list[dict[str, float]] = [{} for _ in spans]
        if not spans or not self:
            return out
        rows = [sentence_features(s, vectors) for s in spans]
        for model, prefix in ((self.types, TYPE_PREFIX), (self.quad, QUAD_PREFIX)):
            if model is None:
                continue
            names = [f"{prefix}{c}" for c in model.classes]
            for f, p in zip(out, model.proba(rows), strict=True):
                f.update(zip(names, p.tolist(), strict=True))
        return out


def with_context(features: dict[str, float], context: dict[str, float]) -> dict[str, float]:
    """A trigger's features with its sentence's context added, and the context's probability
    of the types the lexicon lists for the word (``lex=TYPE`` features)."""
    if not context:
        return features
    f = {**features, **context}
    lexical = [context.get(TYPE_PREFIX + k[4:], 0.0) for k in features if k.startswith("lex=")]
    if lexical:
        f[LEXICON_TYPE] = max(lexical)
    return f

"""Per-document values that spaCy recomputes on every access, computed once per Doc.

``Doc.text`` joins every token and ``Doc.noun_chunks`` re-runs the English syntax iterator;
several extraction stages read both, so the first reader stores them in ``Doc.user_data``.
"""

from __future__ import annotations

from spacy.tokens import Doc

_TEXT = "factionmap.text"
_CHUNKS = "factionmap.noun_chunks"


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def remember_text(doc: Doc, text: str) -> None:
    """Store the text a Doc was parsed from (spaCy keeps it whole), so ``doc_text`` need not
    rebuild it from the tokens."""
    doc.user_data[_TEXT] = text


def noun_chunks(doc: Doc) -> list[tuple[int, int, int]]:
    """(start, end, root index) token offsets of each noun chunk; empty without a parse."""
    chunks = doc.user_data.get(_CHUNKS)
    if chunks is None:
        if doc.has_annotation("DEP"):
            chunks = [(c.start, c.end, c.root.i) for c in doc.noun_chunks]
        else:
            chunks = []
        doc.user_data[_CHUNKS] = chunks
    return chunks


def positions_of(doc: Doc, forms: frozenset[str]) -> list[int]:
    """Indices of the tokens spelled as one of ``forms`` (lower case), found on the LOWER
    array without a Python walk over the tokens."""
    import numpy as np
    from spacy.attrs import LOWER

    strings = doc.vocab.strings
    hashes = [strings.add(f) for f in forms]
    return [int(i) for i in np.flatnonzero(np.isin(doc.to_array(LOWER), hashes))]

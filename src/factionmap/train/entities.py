"""Train the entity tagger on our annotated news, re3d and the public NER sets.

A public set marks only some of our labels (CoNLL-2003 has no dates or numbers, DWIE no
weapons); its gaps are filled with spaCy's own entities of the missing labels (see
``target_spans``). Only names teach the tagger (generic, nominal and pronoun mentions are
not exhaustively annotated).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from factionmap.extract.tagger import Featuriser, _to_crf, bio_tags, train_tagger
from factionmap.train.corpora import LabelledText

# spaCy (OntoNotes) entity types -> our labels, to spot what a partial set leaves unmarked.
ONTONOTES = {
    "PERSON": "Person", "ORG": "Organisation", "GPE": "Location", "LOC": "Location",
    "FAC": "Location", "NORP": "Nationality", "DATE": "Temporal", "TIME": "Temporal",
    "MONEY": "Money", "CARDINAL": "Quantity", "QUANTITY": "Quantity", "PERCENT": "Quantity",
}
PROJECTION_DIMS = 32


@dataclass
class TaggerData:
    items: list[list[dict[str, float]]]
    tags: list[list[str]]
    weights: list[float]


def target_spans(lt: LabelledText, doc: Doc) -> list[tuple[int, int, str]]:
    """The spans the tagger learns from one text: the source's names, and for a source that
    marks only some of our labels, spaCy's own entities of the labels it leaves unmarked
    (silver labels; spaCy's NER is also a feature, so the tagger learns when to trust it)."""
    names = [(m.start, m.end, m.label) for m in lt.mentions
             if m.form == "name" and m.label is not None]
    covered = lt.labels_covered
    if covered >= frozenset(ONTONOTES.values()):
        return names  # type: ignore[return-value]
    marked = [(m.start, m.end) for m in lt.mentions if m.label is not None]
    out = list(names)
    for ent in doc.ents:
        label = ONTONOTES.get(ent.label_)
        if label is None or label in covered:
            continue
        if any(ent.start_char < e and s < ent.end_char for s, e in marked):
            continue
        out.append((ent.start_char, ent.end_char, label))
    return out  # type: ignore[return-value]


def fit_projection(vectors: Sequence[np.ndarray], dims: int = PROJECTION_DIMS,
                   sample: int = 200_000) -> np.ndarray:
    """Principal directions of the token vectors (deterministic: every k-th row)."""
    stacked = np.concatenate([v for v in vectors if len(v)])
    step = max(1, len(stacked) // sample)
    x = stacked[::step].astype(np.float64)
    x -= x.mean(axis=0)
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    scale = np.sqrt((x @ vt[:dims].T).var(axis=0)) + 1e-6
    return (vt[:dims].T / scale).astype(np.float32)


def tagger_data(texts: Sequence[LabelledText], docs: Sequence[Doc], featuriser: Featuriser,
                vectors: Sequence[np.ndarray] | None = None,
                progress: Callable[[int], None] | None = None) -> TaggerData:
    data = TaggerData([], [], [])
    for k, (lt, doc) in enumerate(zip(texts, docs, strict=True)):
        tags = bio_tags(doc, target_spans(lt, doc))
        feats = featuriser.doc_features(doc, vectors[k] if vectors is not None else None)
        for sent in doc.sents:
            a, b = sent.start, sent.end
            if b > a:
                data.items.append([_to_crf(f) for f in feats[a:b]])
                data.tags.append(tags[a:b])
                data.weights.append(lt.weight)
        if progress:
            progress(1)
    return data


def fit_tagger(data: TaggerData, out: Path) -> int:
    # crfsuite has no per-sequence weights: a source weighted w is repeated round(2w) times.
    def sequences():  # type: ignore[no-untyped-def]
        for items, tags, w in zip(data.items, data.tags, data.weights, strict=True):
            for _ in range(max(1, round(2 * w))):
                yield items, tags
    return train_tagger(sequences(), out)

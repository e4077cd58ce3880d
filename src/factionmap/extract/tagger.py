"""The learned entity tagger: a linear-chain CRF over spaCy tokens that decides every name
span and its label (the 10 labels of our guidelines).

Features are what the parse already knows (word, shape, part of speech, dependency, the small
model's own NER guess, noun chunks), what our lookups propose (knowledge-base names, the
weapon and platform lexicon, distributional word clusters) and, optionally, a few dimensions
of a contextual encoder. No rule picks a span; the CRF weighs all of it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pycrfsuite
from spacy.tokens import Doc, Span

from factionmap.extract.clusters import WordClusters
from factionmap.nlp.cache import doc_text, noun_chunks

# The pipeline's span groups (nlp.components): KB names and lexicon terms, as features.
KB_SPANS, LEXICON_SPANS = "fm_kb", "fm_lex"
CRF_PARAMS = {"c1": 0.05, "c2": 0.02, "max_iterations": 200, "feature.possible_transitions": True}


@dataclass(frozen=True, slots=True)
class TaggedSpan:
    start: int  # character offsets
    end: int
    label: str
    confidence: float = 1.0


def _marks(doc: Doc, group: str, kind_of) -> dict[int, str]:  # type: ignore[no-untyped-def]
    out: dict[int, str] = {}
    for span in doc.spans.get(group, ()):
        kind = kind_of(span)
        for i in range(span.start, span.end):
            pos = "B" if i == span.start else "I"
            out[i] = f"{pos}{kind}"
    return out


def _chunk_marks(doc: Doc) -> dict[int, str]:
    marks: dict[int, str] = {}
    for first, end, root in noun_chunks(doc):
        last = end - 1
        for i in range(first, end):
            edge = ("U" if i == last else "B") if i == first else ("L" if i == last else "I")
            marks[i] = edge + ("R" if i == root else "")
    return marks


@cache
def _dense_keys(width: int) -> tuple[str, ...]:
    return tuple(f"v{k}" for k in range(width))


class Featuriser:
    """CRF features per token; with an encoder, its (projected) token vectors too."""

    def __init__(self, clusters: WordClusters | None, kb_kind,  # type: ignore[no-untyped-def]
                 encoder_name: str | None = None) -> None:
        self.clusters = clusters
        self.kb_kind = kb_kind
        self.encoder_name = encoder_name

    def doc_features(self, doc: Doc, vectors: np.ndarray | None = None) -> list[list[object]]:
        """Features for every token of the doc (sentences are cut from this list)."""
        kb = _marks(doc, KB_SPANS, lambda s: self.kb_kind(s.label_))
        lex = _marks(doc, LEXICON_SPANS, lambda s: s.label_)
        chunks = _chunk_marks(doc)
        dense = vectors if self.encoder_name and vectors is not None \
            and len(vectors) == len(doc) else None
        atoms = []
        for tok in doc:
            atoms.append((tok.lower_, tok.shape_, tok.pos_,
                          (tok.ent_iob_ + tok.ent_type_) if tok.ent_type_ else "O",
                          kb.get(tok.i, "-"), lex.get(tok.i, "-"), chunks.get(tok.i, "O")))
        out: list[list[object]] = []
        n = len(doc)
        sent_id = [0] * n
        for k, sent in enumerate(doc.sents):
            for i in range(sent.start, sent.end):
                sent_id[i] = k
        for tok in doc:
            i = tok.i
            lower, shape, pos, ent, kind, term, chunk = atoms[i]
            head = tok.head
            f: list[object] = [
                "b", "w=" + lower, "p3=" + lower[:3], "s3=" + lower[-3:], "sh=" + shape,
                "pos=" + pos, "tag=" + tok.tag_, "dep=" + tok.dep_,
                "hl=" + head.lemma_.lower(), "hpos=" + head.pos_, "ent=" + ent, "kb=" + kind,
                "lex=" + term, "nc=" + chunk, "hent=" + (head.ent_type_ or "O"),
            ]
            if self.clusters is not None:
                f.extend(self.clusters.features(lower))
            if tok.is_title:
                f.append("title")
            if tok.is_upper and len(lower) > 1:
                f.append("upper")
            if tok.like_num:
                f.append("num")
            if tok.is_sent_start:
                f.append("sent_start")
            for off in (-2, -1, 1, 2):
                j = i + off
                if 0 <= j < n and sent_id[j] == sent_id[i]:
                    w, sh, p, e, kd, tm, c = atoms[j]
                    f += [f"{off}w={w}", f"{off}pos={p}", f"{off}ent={e}", f"{off}kb={kd}"]
                    if abs(off) == 1:
                        f += [f"{off}sh={sh}", f"{off}lex={tm}", f"{off}nc={c}"]
                else:
                    f.append(f"{off}pad")
            if dense is not None:
                f.append(dict(zip(_dense_keys(dense.shape[1]), dense[i].tolist(), strict=True)))
            out.append(f)
        return out


def _to_crf(feats: list[object]) -> dict[str, float]:
    item: dict[str, float] = {}
    for x in feats:
        if isinstance(x, dict):
            item.update(x)
        else:
            item[str(x)] = 1.0
    return item


def bio_tags(doc: Doc, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * len(doc)
    for start, end, label in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        toks = doc.char_span(start, end, alignment_mode="expand")
        if toks is None or any(tags[i] != "O" for i in range(toks.start, toks.end)):
            continue
        tags[toks.start] = "B-" + label
        for i in range(toks.start + 1, toks.end):
            tags[i] = "I-" + label
    return tags


def decode(doc: Doc, sent: Span, tags: Sequence[str], marginal=None) -> list[TaggedSpan]:  # type: ignore[no-untyped-def]
    spans: list[TaggedSpan] = []
    start = None
    label = ""
    for k, tag in enumerate([*tags, "O"]):
        i = sent.start + k
        if tag.startswith("I-") and start is not None and tag[2:] == label:
            continue
        if start is not None:
            first, last = doc[start], doc[i - 1]
            conf = 1.0
            if marginal is not None:
                conf = min(marginal("B-" + label, start - sent.start) + marginal(
                    "I-" + label, start - sent.start), 1.0)
                for j in range(start + 1, i):
                    conf = min(conf, marginal("I-" + label, j - sent.start))
            spans.append(TaggedSpan(first.idx, last.idx + len(last), label, conf))
            start = None
        if tag != "O":
            start, label = i, tag[2:]
    return spans


_EDGE = ",;:"


def tidy(text: str, span: TaggedSpan) -> TaggedSpan | None:
    """No bracket left open, no comma or colon at an edge; money keeps its currency sign."""
    start, end = span.start, span.end
    piece = text[start:end]
    opened = piece.rfind("(")
    if opened != -1 and ")" not in piece[opened:]:
        end = start + opened
    piece = text[start:end]
    closed = piece.find(")")
    if closed != -1 and "(" not in piece[:closed]:
        start += closed + 1
    while start < end and (text[start] in _EDGE or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _EDGE or text[end - 1].isspace()):
        end -= 1
    if end <= start:
        return None
    if span.label == "Money":
        while start > 0 and unicodedata.category(text[start - 1]) == "Sc":
            start -= 1
    return TaggedSpan(start, end, span.label, span.confidence)


class EntityTagger:
    def __init__(self, path: Path, featuriser: Featuriser, min_confidence: float = 0.0) -> None:
        self.path = path
        self.featuriser = featuriser
        self.min_confidence = min_confidence
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))
        self._labels = frozenset(self._tagger.labels())

    def _marginal(self, tag: str, position: int) -> float:
        return self._tagger.marginal(tag, position) if tag in self._labels else 0.0

    def __getstate__(self) -> dict[str, object]:
        return {"path": self.path, "featuriser": self.featuriser,
                "min_confidence": self.min_confidence}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(state["path"], state["featuriser"], state["min_confidence"])  # type: ignore[misc, arg-type]

    def tag(self, doc: Doc, vectors: np.ndarray | None = None) -> list[TaggedSpan]:
        if self.featuriser.encoder_name is None:
            vectors = None
        elif vectors is None:
            raise ValueError(f"the entity tagger needs {self.featuriser.encoder_name} vectors: "
                             "set fm_vectors.encoder accordingly in the pipeline config")
        feats = self.featuriser.doc_features(doc, vectors)
        out = []
        text = doc_text(doc)
        for sent in doc.sents:
            items = [_to_crf(feats[i]) for i in range(sent.start, sent.end)]
            if not items:
                continue
            self._tagger.set(pycrfsuite.ItemSequence(items))
            tags = self._tagger.tag()
            for span in decode(doc, sent, tags, self._marginal):
                tidied = tidy(text, span)
                if tidied is not None and tidied.confidence >= self.min_confidence:
                    out.append(tidied)
        return out


def train_tagger(sequences: Iterable[tuple[list[dict[str, float]], list[str]]], out: Path,
                 params: dict[str, object] | None = None) -> int:
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.set_params({**CRF_PARAMS, **(params or {})})
    n = 0
    for items, tags in sequences:
        trainer.append(pycrfsuite.ItemSequence(items), tags)
        n += 1
    if not n:
        raise ValueError("no training sentences for the entity tagger")
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return n


def kb_kind(actor_id: str) -> str:
    """The kind of a knowledge-base actor, by id (the KB matcher labels spans with ids)."""
    from factionmap.kb import default_kb

    actor = default_kb().actors.get(actor_id)
    return actor.kind if actor is not None else "?"


def meta_path(model: Path) -> Path:
    return model.with_suffix(".meta.joblib")


def save_meta(model: Path, encoder: str | None) -> None:
    import joblib

    joblib.dump({"encoder": encoder or "none"}, meta_path(model), compress=3)


def load_tagger(model: Path, min_confidence: float = 0.0) -> EntityTagger:
    import joblib

    from factionmap.extract.clusters import shipped_word_clusters

    meta = joblib.load(meta_path(model)) if meta_path(model).is_file() else {}
    encoder = meta.get("encoder", "none")
    featuriser = Featuriser(shipped_word_clusters(), kb_kind,
                            None if encoder == "none" else encoder)
    return EntityTagger(model, featuriser, min_confidence)

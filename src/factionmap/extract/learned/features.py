"""Token features from a parsed spaCy Doc for the learned tagger and relation model."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from spacy.tokens import Doc, Span

from factionmap.extract.learned.clusters import WordClusters
from factionmap.kb import default_kb
from factionmap.nlp.cache import noun_chunks


@lru_cache(maxsize=20_000)
def kb_kind(text: str) -> str | None:
    """The KB actor kind a surface form names, if any (cached: the same names recur)."""
    actor = default_kb().lookup(text)
    return actor.kind if actor is not None else None


def _kb_marks(doc: Doc) -> dict[int, str]:
    """Token index -> KB kind, for tokens inside a spaCy entity the KB knows."""
    marks: dict[int, str] = {}
    for ent in doc.ents:
        kind = kb_kind(ent.text)
        if kind is not None:
            for i in range(ent.start, ent.end):
                marks[i] = kind
    return marks


def _chunk_marks(doc: Doc) -> dict[int, str]:
    """Token index -> position in its noun chunk (BILU), with "R" appended for the chunk root.

    re3d spans mostly coincide with noun chunks, so where a chunk starts and ends and which
    token heads it tell the tagger where a span's edges are (determiners, plural heads).
    """
    marks: dict[int, str] = {}
    for first, end, root in noun_chunks(doc):
        last = end - 1
        for i in range(first, end):
            edge = ("U" if i == last else "B") if i == first else ("L" if i == last else "I")
            marks[i] = edge + ("R" if i == root else "")
    return marks


def rule_marks(doc: Doc, spans: Iterable[tuple[int, int, str]]) -> dict[int, str]:
    """Token index -> BIO tag of the rule-based mentions (start, end, label): the tagger
    learns from re3d when to trust the rules' spans and types."""
    marks: dict[int, str] = {}
    for start, end, label in spans:
        toks = doc.char_span(start, end, alignment_mode="expand")
        if toks is None:
            continue
        marks[toks.start] = "B-" + label
        for i in range(toks.start + 1, toks.end):
            marks[i] = "I-" + label
    return marks


def sentence_features(
    doc: Doc,
    sent: Span,
    kb: dict[int, str],
    chunks: dict[int, str],
    rules: dict[int, str] | None = None,
    clusters: WordClusters | None = None,
) -> list[list[str]]:
    """One feature list per token of ``sent`` (crfsuite string features, value 1)."""
    rules = rules or {}
    # Per-token atoms first, then neighbours reuse them: cheaper than recomputing per window.
    atoms = []
    tokens = list(sent)  # iterate once: each pass over a Span builds new Token objects
    for tok in tokens:
        lower = tok.lower_
        atoms.append(
            (
                lower,
                tok.shape_,
                tok.pos_,
                tok.ent_iob_ + tok.ent_type_ if tok.ent_type_ else "O",
                kb.get(tok.i, "-"),
                chunks.get(tok.i, "O"),
                rules.get(tok.i, "O"),
            )
        )
    feats: list[list[str]] = []
    n = len(atoms)
    for k, tok in enumerate(tokens):
        lower, shape, pos, ent, kind, chunk, rule = atoms[k]
        head = tok.head
        f = [
            "b",
            "w=" + lower,
            "s3=" + lower[-3:],
            "sh=" + shape,
            "pos=" + pos,
            "dep=" + tok.dep_,
            "hl=" + head.lemma_.lower(),
            "ent=" + ent,
            "kb=" + kind,
            "nc=" + chunk,
            "r=" + rule,
            # the head's entity type: modifiers of a named head ("Iraqi" in "Iraqi forces")
            "hent=" + (head.ent_type_ or "O"),
            "bg-=" + (atoms[k - 1][0] if k else "<s>") + "|" + lower,
            "bg+=" + lower + "|" + (atoms[k + 1][0] if k + 1 < n else "</s>"),
        ]
        if clusters is not None:
            f.extend(clusters.features(lower))
        if tok.is_title:
            f.append("title")
        if tok.like_num:
            f.append("num")
        for off in (-1, 1):
            j = k + off
            if 0 <= j < n:
                w, sh, p, e, kd, c, r = atoms[j]
                f.append(f"{off}w={w}")
                f.append(f"{off}pos={p}")
                f.append(f"{off}sh={sh}")
                f.append(f"{off}ent={e}")
                f.append(f"{off}kb={kd}")
                f.append(f"{off}nc={c}")
                f.append(f"{off}r={r}")
            else:
                f.append("bos" if off < 0 else "eos")
        feats.append(f)
    return feats


def doc_marks(doc: Doc) -> tuple[dict[int, str], dict[int, str]]:
    """Document-level lookups the per-sentence features need (KB kinds, noun chunks)."""
    return _kb_marks(doc), _chunk_marks(doc)

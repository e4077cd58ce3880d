"""Training rows for the relation decider: every pair of actor mentions of a sentence in the
sources that mark relations exhaustively (our news, re3d, CrossRE, CoNLL04), labelled with
the type and direction the annotators gave, or none."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc, Span

from factionmap.extract.deciders.args import Arg
from factionmap.extract.deciders.relations import NONE, encode, pair_features
from factionmap.train.corpora import LabelledText

PAIR_LABELS = frozenset({"Person", "Organisation", "Location", "Nationality"})


@dataclass
class Rows:
    """Training rows of one classifier: features, label, sample weight, CV group."""

    features: list[dict[str, float]]
    labels: list[str]
    weights: list[float]
    groups: list[str]

    def add(self, f: dict[str, float], label: str, weight: float, group: str) -> None:
        self.features.append(f)
        self.labels.append(label)
        self.weights.append(weight)
        self.groups.append(group)


def _sentence_of(doc: Doc, start: int) -> Span | None:
    tok = doc.char_span(start, start + 1, alignment_mode="expand")
    return tok.sent if tok is not None else None


def args_of(lt: LabelledText, kind_of: Callable[[str], str | None]) -> list[Arg]:
    """One Arg per mention; pronouns and descriptions take the kind of their ref's name."""
    name_kind: dict[str, str | None] = {}
    for m in lt.mentions:
        if m.form == "name" and m.ref not in name_kind:
            name_kind[m.ref] = kind_of(lt.text[m.start:m.end])
    out = []
    for m in lt.mentions:
        kind = kind_of(lt.text[m.start:m.end]) if m.form == "name" else name_kind.get(m.ref)
        out.append(Arg(m.start, m.end, m.label or "-", m.form, kind, m.ref))
    return out


def pair_rows(texts: Sequence[LabelledText], docs: Sequence[Doc],
              kind_of: Callable[[str], str | None],
              vectors: Sequence[np.ndarray] | None = None) -> Rows:
    rows = Rows([], [], [], [])
    for k, (lt, doc) in enumerate(zip(texts, docs, strict=True)):
        if not lt.pairs_exhaustive:
            continue
        args = args_of(lt, kind_of)
        listed: dict[tuple[int, int], str] = {}
        related: set[tuple[int, frozenset[str]]] = set()
        for r in lt.relations:
            a, b = sorted((r.subject, r.object), key=lambda i: (args[i].start, args[i].end))
            listed.setdefault((a, b), encode(r.type, a == r.subject))
            related.add((args[a].start, frozenset({args[a].ref, args[b].ref})))
        by_sent: dict[int, list[int]] = {}
        sents: dict[int, Span] = {}
        for i, arg in enumerate(args):
            if arg.label not in PAIR_LABELS:
                continue
            sent = _sentence_of(doc, arg.start)
            if sent is None:
                continue
            by_sent.setdefault(sent.start, []).append(i)
            sents[sent.start] = sent
        vec = vectors[k] if vectors is not None else None
        for s, idx in by_sent.items():
            idx.sort(key=lambda i: (args[i].start, args[i].end))
            refs_related = {fs for (st, fs) in related
                            if sents[s].start_char <= st < sents[s].end_char}
            for p, i in enumerate(idx):
                for j in idx[p + 1:]:
                    x, y = args[i], args[j]
                    label = listed.get((i, j), NONE)
                    if label == NONE and (x.ref == y.ref or frozenset({x.ref, y.ref})
                                          in refs_related):
                        continue
                    if x.end > y.start:
                        continue  # overlapping spans (public sets nest some)
                    rows.features.append(pair_features(doc, sents[s], x, y, vec))
                    rows.labels.append(label)
                    rows.weights.append(lt.weight)
                    rows.groups.append(lt.group)
    return rows

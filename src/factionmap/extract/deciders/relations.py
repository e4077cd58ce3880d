"""The relation decider: for each candidate pair of actor mentions in a sentence, one of the
15 types (with its direction) or none, with the classifier's probability as confidence.

Candidates are every pair of actor mentions of a sentence (coreference brings a pronoun or
a description of an actor named elsewhere into the sentence, so facts across sentences are
candidates too). Features describe the words between and around the pair, the dependency
path joining them, the lemmas on it that often carry a relation, the two mentions' labels,
forms and kinds, and their contextual vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc, Span, Token

from factionmap.extract.deciders.args import Arg, bucket
from factionmap.extract.deciders.linear import Scorer, dense
from factionmap.extract.grammar import (
    in_quotes,
    negated,
    path_lemmas,
    path_string,
    relation_cues,
)
from factionmap.records import RELATION_TYPES, SYMMETRIC_RELATIONS

NONE = "none"
# Asymmetric types carry their direction: ">" the first mention in the text is the subject.
RELATION_LABELS: tuple[str, ...] = (
    NONE,
    *(t for t in RELATION_TYPES if t in SYMMETRIC_RELATIONS),
    *(f"{t}{d}" for t in RELATION_TYPES if t not in SYMMETRIC_RELATIONS for d in "><"),
)


def encode(rel_type: str, subject_first: bool) -> str:
    if rel_type in SYMMETRIC_RELATIONS:
        return rel_type
    return rel_type + (">" if subject_first else "<")


def decode(label: str) -> tuple[str, bool]:
    """(type, whether the first mention is the subject)."""
    if label.endswith((">", "<")):
        return label[:-1], label.endswith(">")
    return label, True


def _words(toks: Span | Sequence[Token]) -> list[str]:
    return [t.lemma_.lower() for t in toks if not t.is_punct or t.text in "-(),"]


def pair_features(doc: Doc, sent: Span, x: Arg, y: Arg,
                  vectors: np.ndarray | None = None) -> dict[str, float]:
    """Features of an unordered pair; ``x`` starts before ``y``."""
    xs, ys = x.tokens(doc), y.tokens(doc)
    f: dict[str, float] = {"bias": 1.0}
    if xs is None or ys is None:
        return f
    xh, yh = xs.root, ys.root
    f[f"lx={x.label}"] = f[f"ly={y.label}"] = 1.0
    f[f"lxy={x.label}|{y.label}"] = 1.0
    f[f"fx={x.form}"] = f[f"fy={y.form}"] = 1.0
    f[f"kx={x.kind}"] = f[f"ky={y.kind}"] = 1.0
    f[f"kxy={x.kind}|{y.kind}"] = 1.0
    f[f"hx={xh.lemma_.lower()}"] = f[f"hy={yh.lemma_.lower()}"] = 1.0
    between = doc[xs.end:ys.start] if ys.start >= xs.end else doc[ys.end:ys.end]
    n_between = len(between)
    f[f"dist={bucket(n_between)}"] = 1.0
    words = _words(between)
    if n_between <= 12:
        for w in set(words):
            f[f"bw={w}"] = 1.0
        if words:
            f[f"bw1={words[0]}"] = f[f"bwL={words[-1]}"] = 1.0
        if n_between == 0:
            f["adjacent"] = 1.0
        if 1 <= n_between <= 3:
            f["bseq=" + "_".join(words)] = 1.0
    else:
        f["bw=far"] = 1.0
    before = doc[max(sent.start, xs.start - 2):xs.start]
    after = doc[ys.end:min(sent.end, ys.end + 2)]
    for w in _words(before):
        f[f"pre={w}"] = 1.0
    for w in _words(after):
        f[f"post={w}"] = 1.0
    path = path_string(xh, yh)
    f[f"path={path}"] = 1.0
    f[f"depx={xh.dep_}"] = f[f"depy={yh.dep_}"] = 1.0
    f[f"depxy={xh.dep_}|{yh.dep_}"] = 1.0
    if xh.head.i == yh.i:
        f[f"x_child_of_y={xh.dep_}"] = 1.0
    if yh.head.i == xh.i:
        f[f"y_child_of_x={yh.dep_}"] = 1.0
    if xh.head.i == yh.head.i:
        f[f"siblings={xh.dep_}|{yh.dep_}|{xh.head.lemma_.lower()}"] = 1.0
    cues = relation_cues()
    lemmas = path_lemmas(xh, yh)
    for lemma in lemmas:
        f[f"pl={lemma}"] = 1.0
        if lemma in cues:
            f[f"cue={cues[lemma]}"] = 1.0
    for w in words if n_between <= 12 else ():
        if w in cues:
            f[f"bcue={cues[w]}"] = 1.0
    for tok in (*xs, *ys):
        if tok.head.lemma_.lower() in cues and tok.head.i not in range(xs.start, ys.end):
            f[f"hcue={cues[tok.head.lemma_.lower()]}"] = 1.0
    if negated(xh) or negated(yh):
        f["neg"] = 1.0
    if in_quotes(sent, xh) or in_quotes(sent, yh):
        f["quoted"] = 1.0
    if vectors is not None and len(vectors) == len(doc):
        vx = vectors[xs.start:xs.end].mean(axis=0)
        vy = vectors[ys.start:ys.end].mean(axis=0)
        f.update(dense("vx", vx))
        f.update(dense("vy", vy))
        if n_between:
            f.update(dense("vb", vectors[between.start:between.end].mean(axis=0)))
    return f


@dataclass(frozen=True, slots=True)
class Decision:
    subject: Arg
    object: Arg
    type: str
    confidence: float


class RelationDecider:
    def __init__(self, model: Scorer, threshold: float = 0.5) -> None:
        self.model = model
        self.threshold = threshold
        self.encoder = str(model.meta.get("encoder", "none"))

    def decide(self, doc: Doc, pairs: Sequence[tuple[Span, Arg, Arg]],
               vectors: np.ndarray | None = None) -> list[Decision | None]:
        """One decision per candidate pair, in order; None where the pair holds nothing."""
        if not pairs:
            return []
        rows = [pair_features(doc, sent, x, y, vectors) for sent, x, y in pairs]
        probs = self.model.proba(rows)
        classes = self.model.classes
        none = classes.index(NONE)
        out: list[Decision | None] = []
        for (_sent, x, y), p in zip(pairs, probs, strict=True):
            # the likeliest type, kept when "none" is less likely than the threshold
            best = int(np.argmax(np.where(np.arange(len(p)) == none, -1.0, p)))
            if p[none] >= self.threshold:
                out.append(None)
                continue
            rel_type, first_is_subject = decode(classes[best])
            subj, obj = (x, y) if first_is_subject else (y, x)
            out.append(Decision(subj, obj, rel_type, float(p[best])))
        return out

"""Learned relation scoring: sentence-internal mention pairs, logistic regression.

Each candidate is an ordered pair (left mention, right mention). The classifier predicts
``none`` or a relation type with a direction suffix (``>`` left is the subject, ``<`` right is
the subject); symmetric types carry no direction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from factionmap.extract.arguments import is_actor
from factionmap.extract.modality import modality_for
from factionmap.extract.sparse import vectorize
from factionmap.records import SYMMETRIC_RELATIONS, Mention, Modality, Relation, Span

RELATION_MODEL_FILE = "re3d_relations.joblib"
NONE = "none"
MAX_GAP_TOKENS = 30  # pairs further apart in one sentence are almost never related in re3d
MAX_BETWEEN_WORDS = 10
MIN_PROBABILITY = 0.5  # default cut-off when no held-out data chose one
# Cut-offs tried when choosing the threshold on held-out training sources.
THRESHOLD_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
NEVER = 1.01  # a per-type cut-off no probability reaches: the type is left to the patterns
SEED = 13


@dataclass(frozen=True, slots=True)
class PairMention:
    """What the relation model needs to know about one end of a candidate pair."""

    start: int
    end: int
    label: str
    kind: str | None = None
    actor: bool = True  # names an actor; a pair needs at least one (gold spans count as actors)


@dataclass(frozen=True, slots=True)
class GoldPair:
    type: str
    subject: tuple[int, int]
    object: tuple[int, int]


def _path_to_root(tok: Token) -> list[Token]:
    path = [tok]
    while path[-1].head.i != path[-1].i and len(path) < 40:
        path.append(path[-1].head)
    return path


def _dep_path(up: list[Token], down: list[Token]) -> tuple[str, list[str], Token | None]:
    """The dependency path between the first tokens of two paths to the root (see
    ``_path_to_root``): labels, the lemmas passed on the way, and the lowest common head."""
    a, b = up[0], down[0]
    down_ids = {t.i: k for k, t in enumerate(down)}
    for k, tok in enumerate(up):
        if tok.i in down_ids:
            j = down_ids[tok.i]
            steps = [t.dep_ + "^" for t in up[:k]] + [t.dep_ + "v" for t in reversed(down[:j])]
            lemmas = [t.lemma_.lower() for t in up[1:k]] + [
                t.lemma_.lower() for t in reversed(down[1:j])
            ]
            if tok.i not in (a.i, b.i):
                lemmas.append(tok.lemma_.lower())
            return " ".join(steps) if len(steps) <= 6 else "long", lemmas, tok
    return "none", [], None


def _bucket(n: int) -> str:
    if n <= 2:
        return str(n)
    if n <= 5:
        return "3-5"
    return "6-10" if n <= 10 else "11+"


@dataclass(frozen=True, slots=True)
class PairEnd:
    """One mention of a document as a pair end, with its parse looked up once."""

    span: SpacySpan
    mention: PairMention
    root: Token
    path: list[Token]  # from the root token up to the sentence root
    sent_end: int


def pair_end(span: SpacySpan, mention: PairMention) -> PairEnd:
    root = span.root
    return PairEnd(span, mention, root, _path_to_root(root), span.sent.end)


def pair_features(doc: Doc, end_a: PairEnd, end_b: PairEnd, n_between: int) -> dict[str, float]:
    """Features of one candidate; ``end_a`` precedes ``end_b`` in the sentence."""
    a, b, ma, mb = end_a.span, end_b.span, end_a.mention, end_b.mention
    f: dict[str, float] = {
        "labels=" + ma.label + "|" + mb.label: 1.0,
        "la=" + ma.label: 1.0,
        "lb=" + mb.label: 1.0,
        "kinds=" + str(ma.kind) + "|" + str(mb.kind): 1.0,
        "gap=" + _bucket(b.start - a.end): 1.0,
        "nm=" + _bucket(n_between): 1.0,
        "ha=" + end_a.root.lemma_.lower(): 1.0,
        "hb=" + end_b.root.lemma_.lower(): 1.0,
    }
    between = doc[a.end : b.start]
    if not len(between):
        f["adjacent"] = 1.0
    for tok in between[:MAX_BETWEEN_WORDS]:
        f["bw=" + tok.lemma_.lower()] = 1.0
    if len(between):
        f["bw0=" + between[0].lower_] = 1.0
        f["bwl=" + between[-1].lower_] = 1.0
        if len(between) <= 3:
            f["btw=" + " ".join(t.lower_ for t in between)] = 1.0
    path, lemmas, lca = _dep_path(end_a.path, end_b.path)
    f["path=" + path] = 1.0
    for lemma in lemmas:
        f["pl=" + lemma] = 1.0
    if lca is not None:
        f["lca=" + lca.lemma_.lower()] = 1.0
        f["lcapos=" + lca.pos_] = 1.0
        f["path+l=" + path + "|" + ma.label + "|" + mb.label] = 1.0
    if a.start > 0:
        f["before=" + doc[a.start - 1].lower_] = 1.0
    if b.end < len(doc):
        f["after=" + doc[b.end].lower_] = 1.0
    return f


def candidates(
    doc: Doc, mentions: Sequence[PairMention]
) -> list[tuple[PairMention, PairMention, dict[str, float]]]:
    """Ordered pairs of non-overlapping mentions within one sentence, with features."""
    ends: list[PairEnd] = []
    for m in sorted(set(mentions), key=lambda m: (m.start, m.end)):
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None and len(span):
            ends.append(pair_end(span, m))
    out = []
    for i, end_a in enumerate(ends):
        a, ma = end_a.span, end_a.mention
        for j in range(i + 1, len(ends)):
            end_b = ends[j]
            b, mb = end_b.span, end_b.mention
            if b.start >= end_a.sent_end or b.start - a.end > MAX_GAP_TOKENS:
                break
            if b.start < a.end:  # nested or overlapping: not two arguments
                continue
            if not (ma.actor or mb.actor):  # no actor at either end: nothing for the map
                continue
            between = sum(
                1
                for k in range(i + 1, j)
                if ends[k].span.start >= a.end and ends[k].span.end <= b.start
            )
            out.append((ma, mb, pair_features(doc, end_a, end_b, between)))
    return out


def pair_label(
    ma: PairMention, mb: PairMention, gold: dict[tuple[tuple[int, int], tuple[int, int]], str]
) -> str:
    a, b = (ma.start, ma.end), (mb.start, mb.end)
    if (a, b) in gold:
        t = gold[(a, b)]
        return t if t in SYMMETRIC_RELATIONS else t + ">"
    if (b, a) in gold:
        t = gold[(b, a)]
        return t if t in SYMMETRIC_RELATIONS else t + "<"
    return NONE


class RelationModel:
    """A fitted vectorizer + classifier; ``predict`` returns typed relations between mentions."""

    def __init__(
        self,
        vectorizer: DictVectorizer,
        classifier: LogisticRegression,
        threshold: float = MIN_PROBABILITY,
        type_thresholds: dict[str, float] | None = None,
    ) -> None:
        self.vectorizer = vectorizer
        self.classifier = classifier
        self.threshold = threshold
        # Cut-offs for single relation types that held-out sources showed need their own.
        self.type_thresholds = dict(type_thresholds or {})

    @classmethod
    def load(cls, path: Path) -> RelationModel:
        data = joblib.load(path)
        return cls(
            data["vectorizer"],
            data["classifier"],
            data.get("threshold", MIN_PROBABILITY),
            data.get("type_thresholds"),
        )

    def cut_for(self, rel_type: str) -> float:
        return self.type_thresholds.get(rel_type, self.threshold)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "vectorizer": self.vectorizer,
            "classifier": self.classifier,
            "threshold": self.threshold,
            "type_thresholds": self.type_thresholds,
        }
        joblib.dump(data, path, compress=3)

    def predict(self, doc: Doc, mentions: Sequence[Mention]) -> list[Relation]:
        by_key: dict[tuple[int, int], Mention] = {}
        pms = []
        for m in mentions:
            by_key.setdefault((m.start, m.end), m)
            pms.append(PairMention(m.start, m.end, m.label, m.actor_kind, is_actor(m)))
        cands = candidates(doc, pms)
        if not cands:
            return []
        probs = self.classifier.predict_proba(vectorize(self.vectorizer, [c[2] for c in cands]))
        classes = self.classifier.classes_
        best = np.argmax(probs, axis=1)
        out: list[Relation] = []
        for (ma, mb, _), k, row in zip(cands, best, probs, strict=True):
            label, p = str(classes[k]), float(row[k])
            if label == NONE or p < self.cut_for(label.rstrip("<>")):
                continue
            subj, obj = (ma, mb) if not label.endswith("<") else (mb, ma)
            out.append(
                _relation(
                    doc,
                    label.rstrip("<>"),
                    by_key[(subj.start, subj.end)],
                    by_key[(obj.start, obj.end)],
                    p,
                )
            )
        return out


def _span(m: Mention) -> Span:
    return Span(m.start, m.end, m.text, m.actor_id, m.actor_name)


def _relation(doc: Doc, rel_type: str, subj: Mention, obj: Mention, p: float) -> Relation:
    a = doc.char_span(subj.start, subj.end, alignment_mode="expand")
    b = doc.char_span(obj.start, obj.end, alignment_mode="expand")
    evidence = a.sent if a is not None else doc[:]
    modality: Modality = "asserted"
    speaker = None
    if a is not None and b is not None:
        # The clause joining the two arguments carries the fact's modality ("it appears that
        # ...", "'...,' said Z"), as it does for the pattern relations.
        lca = _dep_path(_path_to_root(a.root), _path_to_root(b.root))[2]
        modality, speaker = modality_for(doc, lca if lca is not None else a.root)
    return Relation(
        type=rel_type,  # type: ignore[arg-type]
        subject=_span(subj),
        object=_span(obj),
        evidence=Span(evidence.start_char, evidence.end_char, evidence.text),
        modality=modality,
        confidence=round(p, 3),
        attributed_to=speaker,
        pattern="learned:re3d-logreg",
    )


def _pairs(
    examples: Iterable[tuple[Doc, list[PairMention], list[GoldPair]]],
) -> tuple[list[dict[str, float]], list[str]]:
    X: list[dict[str, float]] = []
    y: list[str] = []
    for doc, mentions, gold in examples:
        lookup = {(g.subject, g.object): g.type for g in gold}
        for ma, mb, feats in candidates(doc, mentions):
            X.append(feats)
            y.append(pair_label(ma, mb, lookup))
    return X, y


def _fit(X: list[dict[str, float]], y: list[str]) -> tuple[DictVectorizer, LogisticRegression]:
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(X)
    # Balanced weights: relations are rare among candidate pairs, and unweighted the model
    # almost always answers "none".
    classifier = LogisticRegression(
        C=1.0, class_weight="balanced", max_iter=2000, random_state=SEED
    )
    classifier.fit(matrix, y)
    return vectorizer, classifier


def _held_out_scores(
    groups: Sequence[Sequence[tuple[Doc, list[PairMention], list[GoldPair]]]],
) -> list[tuple[str, str, float]]:
    """(gold, predicted, probability) for every pair, each group scored by a model trained
    on the others."""
    scored: list[tuple[str, str, float]] = []
    for k in range(len(groups)):
        train = [ex for j, g in enumerate(groups) if j != k for ex in g]
        X, y = _pairs(train)
        Xh, yh = _pairs(groups[k])
        if len(set(y)) < 2 or not Xh:
            continue
        vec, clf = _fit(X, y)
        probs = clf.predict_proba(vec.transform(Xh))
        best = np.argmax(probs, axis=1)
        for gold, j, row in zip(yh, best, probs, strict=True):
            scored.append((gold, str(clf.classes_[j]), float(row[j])))
    return scored


# Held-out precision a learned relation type must reach at its cut-off to be published at all:
# an analyst should be able to trust most of what the model adds to the patterns. The held-out
# pairs are gold spans of re3d's own kind of text, so the bar is set well above one half: at
# 0.5, a hand-check of unseen news found under a third of the model's relations right.
MIN_PRECISION = 0.7


def choose_thresholds(
    groups: Sequence[Sequence[tuple[Doc, list[PairMention], list[GoldPair]]]],
) -> tuple[float, dict[str, float]]:
    """The cut-offs with the best pooled pair-level micro-F1 when each group is held out in
    turn: one for all types, then one per type where that does better (a type the held-out
    groups never got right is switched off).

    Only the training data is used (one group = one re3d source), so the evaluated fold
    never chooses its own thresholds.
    """
    if len(groups) < 2:
        return MIN_PROBABILITY, {}
    scored = _held_out_scores(groups)
    if not scored:
        return MIN_PROBABILITY, {}
    n_gold = sum(1 for g, _, _ in scored if g != NONE)

    def f1(cuts: dict[str, float], default: float) -> float:
        kept = [(g, p) for g, p, q in scored
                if p != NONE and q >= cuts.get(p.rstrip("<>"), default)]
        hits = sum(1 for g, p in kept if p == g)
        return 2 * hits / (n_gold + len(kept)) if n_gold + len(kept) else 0.0

    def precision(rel_type: str, cut: float) -> float:
        kept = [g for g, p, q in scored if p.rstrip("<>") == rel_type and q >= cut]
        return sum(1 for g in kept if g.rstrip("<>") == rel_type) / len(kept) if kept else 0.0

    default = max(THRESHOLD_GRID, key=lambda cut: (f1({}, cut), -cut))
    cuts: dict[str, float] = {}
    for rel_type in sorted({p.rstrip("<>") for _, p, _ in scored if p != NONE}):
        # a cut-off is only worth having if the facts it lets through are mostly right
        options = (*(c for c in THRESHOLD_GRID if precision(rel_type, c) >= MIN_PRECISION),
                   NEVER)
        best = max(options, key=lambda cut: (f1({**cuts, rel_type: cut}, default), -cut))
        if (f1({**cuts, rel_type: best}, default) > f1(cuts, default)
                or precision(rel_type, default) < MIN_PRECISION):
            cuts[rel_type] = best
    return default, cuts


def train_relation_model(
    examples: Iterable[tuple[Doc, list[PairMention], list[GoldPair]]],
    groups: Sequence[Sequence[tuple[Doc, list[PairMention], list[GoldPair]]]] = (),
) -> RelationModel:
    """Fit on gold entity pairs of the training documents; every unannotated pair is ``none``.

    ``groups`` (the same examples split by source) choose the probability thresholds by
    leave-one-group-out; without them the default threshold is kept.
    """
    X, y = _pairs(examples)
    if len(set(y)) < 2:
        raise ValueError("relation training data needs at least one relation and one non-relation")
    vectorizer, classifier = _fit(X, y)
    # float32 halves the file; the precision loss does not change any argmax that matters.
    classifier.coef_ = classifier.coef_.astype(np.float32)
    classifier.intercept_ = classifier.intercept_.astype(np.float32)
    return RelationModel(vectorizer, classifier, *choose_thresholds(groups))


def merge_relations(pattern: list[Relation], learned: list[Relation]) -> list[Relation]:
    """Pattern relations stay; a learned one is added only for a pair of arguments no pattern
    relation already links (in either direction, with any type): the construction-specific
    patterns are more precise, so a learned ``member_of`` next to a pattern ``leads`` only adds
    a contradiction."""

    def touches(a: Span, b: Span) -> bool:
        return a.start < b.end and b.start < a.end

    out = list(pattern)
    for rel in learned:
        same = any(
            (touches(p.subject, rel.subject) and touches(p.object, rel.object))
            or (touches(p.subject, rel.object) and touches(p.object, rel.subject))
            for p in pattern
        )
        if not same:
            out.append(rel)
    return out

"""Precision / recall / F1 for labelled spans and span-pair relations.

Exact entity matching compares (document, start, end, label). Overlap matching and relation
matching are one-to-one: candidate gold/prediction pairs are ranked by character overlap and
taken greedily, so one prediction can never satisfy two gold items.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from factionmap.records import SYMMETRIC_RELATIONS

MICRO = "micro"
# Predicted types scored as another type (gold InChargeOf means "leads or controls").
PREDICTED_TYPE_ALIASES = {"controls": "leads"}
ACTOR_RELATIONS = frozenset(
    {
        "member_of",
        "leads",
        "same_as",
        "supports",
        "opposes",
        "fighting_against",
        "allied_with",
        "communicated_with",
    }
)


@dataclass(frozen=True, slots=True)
class LabelledSpan:
    doc_id: str
    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class SpanPair:
    doc_id: str
    type: str
    subject_start: int
    subject_end: int
    object_start: int
    object_end: int


@dataclass(slots=True)
class Prf:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Prf) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


Table = dict[str, Prf]  # label -> counts, plus MICRO


def merge_tables(tables: Iterable[Table]) -> Table:
    """Pool counts (not averages) over folds."""
    out: Table = {}
    for table in tables:
        for label, prf in table.items():
            out.setdefault(label, Prf()).add(prf)
    return out


def table_to_dict(table: Table) -> dict[str, dict[str, float | int]]:
    return {label: prf.to_dict() for label, prf in sorted(table.items())}


def _table(gold_labels: list[str], pred_labels: list[str], matched_labels: list[str]) -> Table:
    gold_n, pred_n, hit_n = Counter(gold_labels), Counter(pred_labels), Counter(matched_labels)
    table: Table = {}
    for label in sorted(set(gold_n) | set(pred_n)):
        tp = hit_n[label]
        table[label] = Prf(tp, pred_n[label] - tp, gold_n[label] - tp)
    micro = Prf()
    for prf in table.values():
        micro.add(prf)
    table[MICRO] = micro
    return table


def score_spans_exact(gold: Iterable[LabelledSpan], pred: Iterable[LabelledSpan]) -> Table:
    gold_set, pred_set = set(gold), set(pred)
    hits = gold_set & pred_set
    return _table([g.label for g in gold_set], [p.label for p in pred_set], [h.label for h in hits])


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def greedy_match(weights: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """One-to-one matching: take (gold, pred) pairs by descending weight, each side used once.

    ``weights`` holds (weight, gold index, pred index); ties go to the earlier indices.
    """
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _w, gi, pi in sorted(weights, key=lambda t: (-t[0], t[1], t[2])):
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        pairs.append((gi, pi))
    return pairs


def score_spans_overlap(gold: Iterable[LabelledSpan], pred: Iterable[LabelledSpan]) -> Table:
    golds, preds = sorted(set(gold), key=_span_key), sorted(set(pred), key=_span_key)
    by_doc: dict[tuple[str, str], list[int]] = {}
    for pi, p in enumerate(preds):
        by_doc.setdefault((p.doc_id, p.label), []).append(pi)
    weights = []
    for gi, g in enumerate(golds):
        for pi in by_doc.get((g.doc_id, g.label), ()):
            w = _overlap(g.start, g.end, preds[pi].start, preds[pi].end)
            if w:
                weights.append((w, gi, pi))
    matched = greedy_match(weights)
    return _table(
        [g.label for g in golds], [p.label for p in preds], [golds[gi].label for gi, _ in matched]
    )


def _span_key(s: LabelledSpan) -> tuple[str, int, int, str]:
    return (s.doc_id, s.start, s.end, s.label)


def normalise_pair(pair: SpanPair) -> SpanPair:
    """Map predicted type aliases and order symmetric pairs, so equal facts compare equal."""
    rel_type = PREDICTED_TYPE_ALIASES.get(pair.type, pair.type)
    s, o = (pair.subject_start, pair.subject_end), (pair.object_start, pair.object_end)
    if rel_type in SYMMETRIC_RELATIONS and o < s:
        s, o = o, s
    return SpanPair(pair.doc_id, rel_type, s[0], s[1], o[0], o[1])


def _pair_weight(g: SpanPair, p: SpanPair) -> int:
    """Overlap of subject and object (either direction for symmetric types); 0 = no match."""
    direct = (
        _overlap(g.subject_start, g.subject_end, p.subject_start, p.subject_end),
        _overlap(g.object_start, g.object_end, p.object_start, p.object_end),
    )
    best = sum(direct) if min(direct) else 0
    if g.type in SYMMETRIC_RELATIONS:
        crossed = (
            _overlap(g.subject_start, g.subject_end, p.object_start, p.object_end),
            _overlap(g.object_start, g.object_end, p.subject_start, p.subject_end),
        )
        if min(crossed):
            best = max(best, sum(crossed))
    return best


def score_relations(
    gold: Iterable[SpanPair], pred: Iterable[SpanPair], types: frozenset[str] | None = None
) -> Table:
    """P/R/F1 per relation type; ``types`` limits both sides (e.g. the actor subset).

    Predicted types with no gold counterpart in the protocol are left out by the caller.
    """
    golds = sorted(
        {normalise_pair(g) for g in gold if types is None or g.type in types}, key=_pair_key
    )
    preds = sorted({normalise_pair(p) for p in pred}, key=_pair_key)
    if types is not None:
        preds = [p for p in preds if p.type in types]
    by_doc: dict[tuple[str, str], list[int]] = {}
    for pi, p in enumerate(preds):
        by_doc.setdefault((p.doc_id, p.type), []).append(pi)
    weights = []
    for gi, g in enumerate(golds):
        for pi in by_doc.get((g.doc_id, g.type), ()):
            w = _pair_weight(g, preds[pi])
            if w:
                weights.append((w, gi, pi))
    matched = greedy_match(weights)
    return _table(
        [g.type for g in golds], [p.type for p in preds], [golds[gi].type for gi, _ in matched]
    )


def _pair_key(p: SpanPair) -> tuple[str, str, int, int, int, int]:
    return (p.doc_id, p.type, p.subject_start, p.subject_end, p.object_start, p.object_end)

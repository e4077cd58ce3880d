"""Inter-annotator agreement on doubly annotated articles, per layer.

Entities, relations, events and modality reuse the gold scorer with annotator B read as
predictions against annotator A (F1 is symmetric in the two). Relation pairs get Cohen's
kappa over the 16 labels (15 types and none) on the pairs both annotators formed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from factionmap.evaluate.newsgold.loader import GoldArticle, Pair, pairs
from factionmap.evaluate.newsgold.schema import NONE, GoldDoc, is_symmetric
from factionmap.evaluate.newsgold.scoring import (
    PredEntity,
    PredEvent,
    Prediction,
    PredRelation,
    score,
)


def as_prediction(doc: GoldDoc, *, names_only: bool = True) -> Prediction:
    ents = {e.id: e for e in doc.entities}

    def span(eid: str) -> tuple[int, int]:
        return ents[eid].start, ents[eid].end

    return Prediction(
        article=doc.article,
        entities=[PredEntity(e.start, e.end, e.label) for e in doc.entities
                  if not names_only or e.form == "name"],
        relations=[PredRelation(r.type, span(r.subject), span(r.object), r.modality)
                   for r in doc.relations],
        events=[PredEvent((ev.trigger.start, ev.trigger.end), ev.type,
                          tuple(span(m) for m in ev.sources),
                          tuple(span(m) for m in ev.targets), ev.modality)
                for ev in doc.events],
    )


def _pair_label(pair: Pair, order: tuple[str, str]) -> str:
    if not pair.labels:
        return NONE
    rel_type, subject, _obj, _mod = sorted(pair.labels)[0]
    if is_symmetric(rel_type):
        return rel_type
    return rel_type + ("" if subject == order[0] else "<")


def cohen_kappa(labels: Sequence[tuple[str, str]]) -> float:
    n = len(labels)
    if not n:
        return 0.0
    observed = sum(a == b for a, b in labels) / n
    ca, cb = Counter(a for a, _ in labels), Counter(b for _, b in labels)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def pair_agreement(a: GoldArticle, b: GoldArticle) -> list[tuple[str, str]]:
    """(label by A, label by B) for every pair of mentions both annotators have."""
    b_ents = {e.id: e for e in b.gold.entities}

    def align(eid: str) -> str | None:
        e = b_ents[eid]
        best, best_overlap = None, 0
        for x in a.gold.entities:
            overlap = min(x.end, e.end) - max(x.start, e.start)
            if overlap > best_overlap:
                best, best_overlap = x.id, overlap
        return best

    b_pairs = {}
    for p in pairs(b):
        x, y = align(p.a), align(p.b)
        if x and y and x != y:
            b_pairs[frozenset((x, y))] = (p, (p.a, p.b) if x < y else (p.b, p.a))
    out = []
    for p in pairs(a):
        key = frozenset((p.a, p.b))
        if key not in b_pairs:
            continue
        order_a = (p.a, p.b) if p.a < p.b else (p.b, p.a)
        bp, order_b = b_pairs[key]
        out.append((_pair_label(p, order_a), _pair_label(bp, order_b)))
    return out


def agreement(first: Sequence[GoldArticle], second: Sequence[GoldArticle]) -> dict[str, object]:
    by_id = {x.gold.article: x for x in second}
    common = [a for a in first if a.gold.article in by_id]
    names = score(common, {a.gold.article: as_prediction(by_id[a.gold.article].gold)
                           for a in common}).to_dict()
    all_forms = score(common, {a.gold.article: as_prediction(by_id[a.gold.article].gold,
                                                             names_only=False)
                               for a in common}).to_dict()
    labelled = [x for a in common for x in pair_agreement(a, by_id[a.gold.article])]
    return {
        "articles": len(common),
        "entities_names_exact": names["entities_exact"],
        "entities_names_overlap": names["entities_overlap"],
        "entities_all_forms_exact": all_forms["entities_exact"],
        "relation_pairs": {"pairs": len(labelled),
                           "kappa": round(cohen_kappa(labelled), 4),
                           "raw_agreement": round(sum(x == y for x, y in labelled)
                                                  / len(labelled), 4) if labelled else 0.0},
        "relations": names["relations"],
        "relations_article": names["relations_article"],
        "events": names["events"],
        "event_type_accuracy": names["event_type_accuracy"],
        "modality_accuracy": names["modality_accuracy"],
        "modality_matched": names["modality_matched"],
    }

"""Counts of the gold annotations, as the issue's targets and the docs state them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.table import Table

from factionmap.evaluate.newsgold.loader import GoldArticle, pairs
from factionmap.evaluate.newsgold.sampling import CONFLICT_TOPICS
from factionmap.evaluate.newsgold.schema import NONE, RELATION_TYPES


def gold_stats(articles: Sequence[GoldArticle]) -> dict[str, object]:
    pair_labels: Counter[str] = Counter()
    relation_types: Counter[str] = Counter()
    event_types: Counter[str] = Counter()
    modalities: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    forms: Counter[str] = Counter()
    for a in articles:
        for p in pairs(a):
            pair_labels[p.label] += 1
        for r in a.gold.relations:
            relation_types[r.type] += 1
            modalities["relation " + r.modality] += 1
        for ev in a.gold.events:
            event_types[ev.type] += 1
            modalities["event " + ev.modality] += 1
        for e in a.gold.entities:
            labels[e.label] += 1
            forms[e.form] += 1
    return {
        "articles": len(articles),
        "outlets": len({a.gold.outlet for a in articles}),
        "conflict_articles": sum(a.row.topic in CONFLICT_TOPICS for a in articles),
        "sentences": sum(len(a.gold.sentences) for a in articles),
        "entities": sum(labels.values()),
        "entity_labels": dict(labels.most_common()),
        "entity_forms": dict(forms.most_common()),
        "pairs": sum(pair_labels.values()),
        "pairs_not_none": sum(v for k, v in pair_labels.items() if k != NONE),
        "pair_labels": {t: pair_labels.get(t, 0) for t in (*RELATION_TYPES, NONE)},
        "relations": sum(relation_types.values()),
        "relation_types": {t: relation_types.get(t, 0) for t in RELATION_TYPES},
        "events": sum(event_types.values()),
        "event_types": dict(event_types.most_common()),
        "modalities": dict(sorted(modalities.items())),
    }


def stats_tables(figures: dict[str, object], split: str) -> list[Table]:
    head = Table(title=f"news gold, {split}")
    head.add_column("")
    head.add_column("count", justify="right")
    for key in ("articles", "outlets", "conflict_articles", "sentences", "entities", "pairs",
                "pairs_not_none", "relations", "events"):
        head.add_row(key.replace("_", " "), f"{figures[key]:,}")
    rel = Table(title="relations by type (listed facts; pairs by first label)")
    for col in ("type", "facts", "pairs"):
        rel.add_column(col, justify="left" if col == "type" else "right")
    rt, pl = figures["relation_types"], figures["pair_labels"]
    assert isinstance(rt, dict) and isinstance(pl, dict)
    for t in (*RELATION_TYPES, NONE):
        rel.add_row(t, str(rt.get(t, "")), str(pl.get(t, 0)))
    ev = Table(title="events by type")
    ev.add_column("type")
    ev.add_column("count", justify="right")
    et = figures["event_types"]
    assert isinstance(et, dict)
    for t, n in et.items():
        ev.add_row(t, str(n))
    return [head, rel, ev]

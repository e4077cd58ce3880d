"""Smoke test on the real re3d dev split (skipped without ../shared)."""

from __future__ import annotations

from factionmap.evaluate.re3d import evaluate_re3d


def test_dev_split_figures_are_proportions(shared_dir, nlp) -> None:
    report = evaluate_re3d(shared_dir / "data" / "re3d-dev", loso=False, nlp=nlp)
    pooled = report.pooled
    assert pooled is not None and pooled.documents > 0
    for table in (
        pooled.entities_exact,
        pooled.entities_overlap,
        pooled.relations,
        pooled.actor_relations,
    ):
        for prf in table.values():
            assert 0.0 <= prf.precision <= 1.0 and 0.0 <= prf.recall <= 1.0 and 0.0 <= prf.f1 <= 1.0
    assert pooled.entities_overlap["micro"].tp >= pooled.entities_exact["micro"].tp
    assert pooled.entities_exact["micro"].tp + pooled.entities_exact["micro"].fn > 1000

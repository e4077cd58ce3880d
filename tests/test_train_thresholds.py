"""Decision cuts chosen by cross-validation by outlet (train/thresholds.py) and read back by
the pipeline (extract/components.py decision_cut)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from factionmap.extract.components import (
    THRESHOLDS_FILE,
    _cross_validated_file,
    confidence_map,
    decision_cut,
)
from factionmap.train import thresholds as th
from factionmap.train.relations import Rows

CLASSES = ["none", "leads>", "opposes"]


def test_none_cut_keeps_the_likeliest_type_below_the_cut() -> None:
    probs = np.array([[0.6, 0.3, 0.1], [0.4, 0.1, 0.5], [0.9, 0.05, 0.05]])
    assert th.none_cut(probs, CLASSES, [], 0.5) == ["none", "opposes", "none"]
    assert th.none_cut(probs, CLASSES, [], 0.7) == ["leads>", "opposes", "none"]


def test_role_cut_needs_the_role_itself_to_be_likely() -> None:
    classes = ["none", "source", "target"]
    probs = np.array([[0.2, 0.45, 0.35], [0.1, 0.2, 0.7], [0.5, 0.3, 0.2]])
    assert th.role_cut(probs, classes, [], 0.5) == ["none", "target", "none"]
    assert th.role_cut(probs, classes, [], 0.4) == ["source", "target", "none"]


def test_choose_lowers_a_cautious_cut_and_reports_the_old_one() -> None:
    # every true relation sits at P(none) 0.6: the fixed cut 0.5 finds none of them
    probs = np.array([[0.6, 0.4, 0.0]] * 4 + [[0.95, 0.05, 0.0]] * 6)
    gold = ["leads>"] * 4 + ["none"] * 6
    choice = th.choose(probs, CLASSES, gold, th.none_cut)
    assert 0.6 < choice.threshold <= 0.95
    assert choice.f1 == 1.0 and choice.f1_at_half == 0.0 and choice.rows == 10


def test_choose_prefers_the_cut_nearest_half_on_a_tie() -> None:
    probs = np.array([[0.1, 0.9, 0.0], [0.99, 0.01, 0.0]])
    choice = th.choose(probs, CLASSES, ["leads>", "none"], th.none_cut)
    assert choice.threshold == 0.5


def test_a_wrong_type_counts_as_a_miss_and_a_false_alarm() -> None:
    probs = np.array([[0.1, 0.0, 0.9]])
    assert th._score(th.none_cut(probs, CLASSES, [], 0.5), ["leads>"]) == (0.0, 0.0, 0.0)


def test_folds_keep_an_outlet_together_and_leave_public_sets_training() -> None:
    groups = ["a", "a", "b", "c", "d", "conll04", "conll04"]
    fold_of = th.fold_of_groups(groups, {"a", "b", "c", "d"}, 2)
    assert set(fold_of) == {"a", "b", "c", "d"}  # never a public set
    assert sorted(fold_of.values()) == [0, 0, 1, 1]
    assert fold_of == th.fold_of_groups(list(reversed(groups)), {"a", "b", "c", "d"}, 2)


def _rows(n_outlets: int = 6, per: int = 40) -> Rows:
    rng = random.Random(5)
    rows = Rows([], [], [], [])
    for g in range(n_outlets):
        for _ in range(per):
            positive = rng.random() < 0.3
            cue = positive if rng.random() < 0.85 else not positive
            rows.add({"bias": 1.0, f"cue={cue}": 1.0, f"noise={rng.randrange(3)}": 1.0},
                     "leads>" if positive else "none", 1.0, f"outlet{g}")
    for _ in range(30):  # a public set: trains every fold, scored in none
        rows.add({"bias": 1.0, "cue=True": 1.0}, "leads>", 0.5, "public")
    return rows


def test_out_of_fold_scores_every_held_row_once_and_deterministically() -> None:
    rows = _rows()
    held = {f"outlet{g}" for g in range(6)}
    scored, classes, gold = th.out_of_fold(rows, held, folds=3)
    probs = scored["linear"]
    assert classes == ["leads>", "none"]
    assert probs.shape == (240, 2) and len(gold) == 240
    assert sorted(gold) == sorted(lab for lab, g in zip(rows.labels, rows.groups,
                                                         strict=True) if g in held)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    again, _, gold_again = th.out_of_fold(rows, held, folds=3, jobs=2)
    np.testing.assert_allclose(probs, again["linear"])
    assert gold == gold_again
    choice = th.choose(probs, classes, gold, th.none_cut)
    assert choice.f1 > 0.6  # the cue carries the label 85 % of the time


def test_the_network_is_scored_on_the_same_folds_as_the_linear_model() -> None:
    rows = _rows()
    held = {f"outlet{g}" for g in range(6)}
    scored, classes, gold = th.out_of_fold(rows, held, folds=3, kinds=("linear", "network"))
    assert set(scored) == {"linear", "network"}
    assert scored["network"].shape == scored["linear"].shape == (len(gold), 2)
    np.testing.assert_allclose(scored["network"].sum(axis=1), 1.0, rtol=1e-5)
    # both learned the cue: where it fires, both put leads> first
    assert th.choose(scored["network"], classes, gold, th.none_cut).f1 > 0.6
    again, _, _ = th.out_of_fold(rows, held, folds=3, kinds=("network",), jobs=2)
    np.testing.assert_allclose(scored["network"], again["network"])  # seeded


def test_save_writes_what_the_pipeline_reads(tmp_path: Path) -> None:
    choice = th.Choice(0.75, 0.5, 0.5, 0.5, 0.3, 100)
    path = th.save({"relations": choice,
                    "event_triggers": th.Choice(0.8, 0.4, 0.4, 0.4, 0.2, 9)}, tmp_path, 5)
    assert path.name == THRESHOLDS_FILE
    model = str(tmp_path / "relations.joblib")
    assert decision_cut("cv", model, "relations") == 0.75
    assert decision_cut("cv", model, "event_triggers") == 0.8
    assert decision_cut("cv", model, "event_roles") == 0.5  # not cross-validated: neutral
    assert decision_cut(0.3, model, "relations") == 0.3  # a number in the config wins


def test_cv_without_a_thresholds_file_is_the_neutral_cut(tmp_path: Path) -> None:
    assert decision_cut("cv", str(tmp_path / "relations.joblib"), "relations") == 0.5


def test_bad_thresholds_are_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="a number or"):
        decision_cut("high", str(tmp_path / "relations.joblib"), "relations")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / THRESHOLDS_FILE).write_text(json.dumps({"thresholds": {"relations": 3}}))
    _cross_validated_file.cache_clear()
    with pytest.raises(ValueError, match="thresholds.json: not a thresholds file"):
        decision_cut("cv", str(broken / "relations.joblib"), "relations")
    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / THRESHOLDS_FILE).write_text(json.dumps({"thresholds": {"relations": {
        "threshold": 0.5, "calibration": [[0.1, 0.9], [0.2, 1.7]]}}}))
    with pytest.raises(ValueError, match="calibration map"):
        confidence_map("cv", str(odd / "relations.joblib"), "relations")
    with pytest.raises(ValueError, match="\"cv\" or \"none\""):
        confidence_map("isotonic", str(odd / "relations.joblib"), "relations")


def test_calibration_maps_confidence_to_how_often_kept_rows_were_right() -> None:
    rng = np.random.default_rng(4)
    conf = rng.uniform(0.3, 1.0, 4000)
    # the model says conf, but a kept row is right only (conf - 0.3) of the time
    right = rng.uniform(0, 1, 4000) < (conf - 0.3)
    gold = ["leads>" if r else "none" for r in right]
    probs = np.column_stack([conf, 1 - conf])
    pred = ["leads>"] * len(gold)
    xs, ys = th.calibrate(probs, ["leads>", "none"], gold, pred)
    assert len(xs) == len(ys) <= 42 and xs == sorted(xs) and ys == sorted(ys)
    for c in (0.5, 0.8, 0.95):
        assert abs(float(np.interp(c, xs, ys)) - (c - 0.3)) < 0.08
    assert th.calibrate(probs[:5], ["leads>", "none"], ["none"] * 5, pred[:5]) == []


def test_the_pipeline_reads_confidences_through_the_saved_map(tmp_path: Path) -> None:
    choice = th.Choice(0.5, 0.5, 0.5, 0.5, 0.5, 10, [[0.2, 0.6, 1.0], [0.1, 0.3, 0.9]])
    th.save({"relations-blend": choice}, tmp_path, 5)
    model = str(tmp_path / "relations-blend.joblib")
    read = confidence_map("cv", model, "relations-blend")
    assert read(0.6) == pytest.approx(0.3)
    assert read(0.8) == pytest.approx(0.6)
    assert read(0.05) == pytest.approx(0.1) and read(1.0) == pytest.approx(0.9)
    assert confidence_map("none", model, "relations-blend")(0.8) == 0.8
    assert confidence_map("cv", model, "relations")(0.8) == 0.8  # no map: as is


def _public_folder(root: Path) -> Path:
    """Each unified set ``gather`` reads, one made-up sentence apiece."""
    root.mkdir()
    line = {"id": "1", "text": "Ana Diaz leads the Harbour Union.",
            "entities": [{"start": 0, "end": 8, "label": "Person"},
                         {"start": 15, "end": 32, "label": "Organisation"}],
            "relations": [{"type": "leads", "subject": 0, "object": 1}]}
    for name in ("crossner_conll2003", "dwie", "crossner_politics", "crossre", "conll04"):
        (root / f"{name}.jsonl").write_text(json.dumps(line) + "\n", "utf-8")
    return root


@pytest.mark.parametrize(("weight", "expected"), [(0.0, set()), (0.25, {"crossre",
                                                                         "conll04"})])
def test_public_relation_sets_follow_their_weight(tmp_path: Path, weight: float,
                                                  expected: set[str]) -> None:
    from factionmap.train.models import Sources, gather

    public = _public_folder(tmp_path / "unified")
    corpus = gather(Sources(news=None, re3d=None, public=public,
                            public_relation_weight=weight))
    assert {t.corpus for t in corpus.relation_texts} == expected
    assert all(t.weight == weight for t in corpus.relation_texts)
    assert {t.corpus for t in corpus.entity_texts} == {"crossner_conll2003", "dwie",
                                                       "crossner_politics"}


def test_a_fold_left_with_one_label_is_skipped_not_misaligned() -> None:
    rows = _rows(n_outlets=2, per=30)
    # outlet0 (and the public rows, moved into it) says nothing but none: the fold that
    # holds outlet1 out would train on one label, so it is skipped
    rows.groups = [g if g != "public" else "outlet0" for g in rows.groups]
    rows.labels = ["none" if g == "outlet0" else lab
                   for g, lab in zip(rows.groups, rows.labels, strict=True)]
    scored, _classes, gold = th.out_of_fold(rows, {"outlet0", "outlet1"}, folds=2)
    probs = scored["linear"]
    assert len(probs) == len(gold) == 60  # outlet0's 30 + 30 rows, scored by outlet1's model
    assert set(gold) == {"none"}

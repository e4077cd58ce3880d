"""Word clusters for the entity tagger: building, saving, features and the training command."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factionmap.cli.main import app
from factionmap.extract.clusters import (
    CLUSTER_SIZES,
    CLUSTERS_FILE,
    WordClusters,
    build_word_clusters,
    load_word_clusters,
    shipped_word_clusters,
)
from factionmap.extract.tagger import Featuriser

runner = CliRunner(env={"COLUMNS": "250"})

GROUPS = ["falcons", "lions", "wolves", "hawks"]
TOWNS = ["qasr", "rumman", "sirin", "dawud"]


def _two_families(n: int = 40) -> list[list[str]]:
    """Armed groups and towns, each family only ever seen in its own contexts."""
    rng = random.Random(3)
    docs = []
    for _ in range(n):
        g, t = rng.choice(GROUPS), rng.choice(TOWNS)
        docs.append(f"the {g} attacked a convoy . residents of {t} fled east .".split())
    return docs


def test_words_sharing_contexts_share_a_cluster() -> None:
    clusters = build_word_clusters(_two_families(), sizes=(4,), min_count=1, dimensions=6)
    group_ids = {clusters.table[g] for g in GROUPS}
    town_ids = {clusters.table[t] for t in TOWNS}
    assert len(group_ids) == 1 and len(town_ids) == 1
    assert group_ids != town_ids


def test_building_is_deterministic_and_refuses_too_few_words() -> None:
    docs = _two_families()
    first = build_word_clusters(docs, sizes=(4,), min_count=1, dimensions=6)
    assert build_word_clusters(docs, sizes=(4,), min_count=1, dimensions=6) == first
    with pytest.raises(ValueError, match="too few"):
        build_word_clusters(docs, sizes=(64,), min_count=1)


def test_saved_table_reloads_and_is_byte_identical(tmp_path: Path) -> None:
    table = WordClusters((2, 8), {"militia": (1, 5), "brigade": (1, 6)})
    a, b = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    table.save(a)
    WordClusters((2, 8), {"brigade": (1, 6), "militia": (1, 5)}).save(b)
    assert a.read_bytes() == b.read_bytes()
    loaded = load_word_clusters(a)
    assert loaded == table
    assert loaded.features("militia") == ("c2=1", "c8=5")
    assert loaded.features("unseen-word") == ("c2=-", "c8=-")


def test_shipped_table_groups_like_words() -> None:
    shipped = shipped_word_clusters()
    assert shipped is not None and shipped.sizes == CLUSTER_SIZES
    assert len(shipped.table) > 20_000
    # the coarse clusters put armed forces and capital cities in different groups
    assert shipped.table["soldiers"][0] == shipped.table["troops"][0]
    assert shipped.table["soldiers"][0] != shipped.table["damascus"][0]


def test_tagger_features_carry_the_clusters_of_each_word(nlp) -> None:
    doc = nlp("The militia entered Mosul.")
    table = WordClusters((2,), {"militia": (1,)})
    with_clusters = Featuriser(table, lambda actor_id: "?").doc_features(doc)
    without = Featuriser(None, lambda actor_id: "?").doc_features(doc)
    assert "c2=1" in with_clusters[1] and "c2=-" in with_clusters[3]
    assert not any(str(f).startswith("c2=") for f in without[1])


def test_train_clusters_command_reports_bad_input_and_writes_the_table(tmp_path: Path) -> None:
    rng = random.Random(5)
    words = [f"w{i:04d}" for i in range(1100)]
    rows = []
    for k in range(150):
        text = " ".join(rng.choice(words) for _ in range(120)) + "."
        rows.append(json.dumps({"id": f"a{k}", "text": text}))
    rows.insert(10, "{not json")
    news = tmp_path / "news.jsonl.gz"
    with gzip.open(news, "wt", encoding="utf-8") as out:
        out.write("\n".join(rows) + "\n")
    missing = tmp_path / "absent.jsonl"
    result = runner.invoke(
        app, ["train", "clusters", str(news), str(missing), "--out", str(tmp_path / "m")]
    )
    assert result.exit_code == 0, result.output
    assert "absent.jsonl" in result.output and "150 articles (2 failed)" in result.output
    table = load_word_clusters(tmp_path / "m" / CLUSTERS_FILE)
    assert table.sizes == CLUSTER_SIZES and len(table.table) > 1024


def test_train_clusters_command_fails_clearly_on_a_tiny_corpus(tmp_path: Path) -> None:
    news = tmp_path / "news.jsonl"
    news.write_text(json.dumps({"id": "a", "text": "Too few words to cluster."}) + "\n")
    result = runner.invoke(app, ["train", "clusters", str(news), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "too few" in result.output and not (tmp_path / CLUSTERS_FILE).exists()

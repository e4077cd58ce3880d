"""Our annotated news as stored: the frozen blind test, the sample's promises, and every span
still slicing the shared text it was annotated on."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from factionmap.evaluate.newsgold.corpus import DEFAULT_NEWS
from factionmap.evaluate.newsgold.loader import GOLD_DIR, load_split, read_gold_file

# The blind test is frozen: nobody edits it, and nobody reads its individual errors.
BLIND_SHA256 = "033489bc2482a5507c6e6fa430e6b161db85578a96e99885d19dca3aa7e0ba8c"

needs_news = pytest.mark.skipif(not DEFAULT_NEWS.is_file(), reason="../shared not present")


def test_blind_test_is_frozen() -> None:
    digest = hashlib.sha256((GOLD_DIR / "blind.jsonl").read_bytes()).hexdigest()
    assert digest == BLIND_SHA256


def test_sample_keeps_blind_outlets_apart_and_meets_its_counts() -> None:
    sample = json.loads((GOLD_DIR / "sample.json").read_text(encoding="utf-8"))
    train, blind = sample["train"], sample["blind"]
    assert len(train) >= 400 and len(blind) == 80
    assert not {r["outlet"] for r in train} & {r["outlet"] for r in blind}
    assert len({r["outlet"] for r in train}) >= 100
    assert sum(r["conflict"] for r in train) >= 2 * len(train) / 3
    assert set(sample["double"]) <= {r["id"] for r in blind} and len(sample["double"]) == 20


def test_blind_records_are_the_sampled_articles() -> None:
    sample = json.loads((GOLD_DIR / "sample.json").read_text(encoding="utf-8"))
    stored = read_gold_file(GOLD_DIR / "blind.jsonl")
    assert {d.article for d in stored} == {r["id"] for r in sample["blind"]}
    assert all(d.split == "blind" for d in stored)


def test_stored_files_hold_no_article_text() -> None:
    raw = (GOLD_DIR / "blind.jsonl").read_text(encoding="utf-8")
    assert '"text"' not in raw and '"trigger":{"start"' in raw


@needs_news
def test_every_blind_span_slices_the_shared_text() -> None:
    articles = load_split("blind")  # raises on any span that no longer matches
    assert len(articles) == 80
    assert sum(len(a.gold.entities) for a in articles) > 3000


@needs_news
def test_agreement_files_cover_the_doubly_annotated_articles() -> None:
    sample = json.loads((GOLD_DIR / "sample.json").read_text(encoding="utf-8"))
    folder: Path = GOLD_DIR / "agreement"
    for name in ("double-a.jsonl", "double-b.jsonl", "adjudicated.jsonl"):
        docs = read_gold_file(folder / name)
        assert {d.article for d in docs} == set(sample["double"]), name


@needs_news
def test_training_annotations_meet_the_counts_they_were_drawn_for() -> None:
    from factionmap.evaluate.newsgold.stats import gold_stats

    figures = gold_stats(load_split("train"))
    assert figures["articles"] >= 400 and figures["outlets"] >= 100
    assert figures["conflict_articles"] * 3 >= figures["articles"] * 2  # type: ignore[operator]
    assert figures["pairs"] >= 4000 and figures["pairs_not_none"] >= 1500  # type: ignore[operator]
    assert figures["events"] >= 2000  # type: ignore[operator]


def test_no_training_article_shares_an_outlet_with_the_blind_test() -> None:
    train = read_gold_file(GOLD_DIR / "train.jsonl")
    blind = read_gold_file(GOLD_DIR / "blind.jsonl")
    assert not {d.outlet for d in train} & {d.outlet for d in blind}

"""The fast feature vectorizer builds what scikit-learn's DictVectorizer builds."""

from __future__ import annotations

import random

from sklearn.feature_extraction import DictVectorizer

from factionmap.extract.sparse import vectorize


def test_vectorize_matches_dictvectorizer():
    rng = random.Random(3)
    words = [f"w={i}" for i in range(50)]
    train = [{w: 1.0 for w in rng.sample(words[:40], 6)} for _ in range(30)]
    vec = DictVectorizer().fit(train)
    # unseen features (w=40..49) are ignored by both; values other than 1 are kept
    rows = [{w: rng.choice([1.0, 0.5, 2.0]) for w in rng.sample(words, 8)} for _ in range(20)]
    rows.append({})
    ours, theirs = vectorize(vec, rows), vec.transform(rows)
    assert ours.shape == theirs.shape
    assert (ours != theirs).nnz == 0
    assert ours.nnz > 0

"""Distributional word clusters: which words occur in the same contexts in news text.

re3d is small, so the entity tagger meets most names and nouns of a new source for the first
time. A cluster id learned from a large unlabelled news corpus lets it treat an unseen word like
the seen words it shares contexts with ("Nujaba" like "Hezbollah", "Mosul" like "Aleppo").

Built by ``factionmap train clusters``: positive pointwise mutual information of each word with
its neighbours, reduced by truncated SVD, then k-means at several granularities. The table is a
small file shipped beside the tagger weights; nothing is read from the corpus at run time.
"""

from __future__ import annotations

import gzip
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import scipy.sparse as sp

CLUSTERS_FILE = "word_clusters.tsv.gz"
CLUSTER_SIZES = (256, 1024)
MIN_COUNT = 5  # rarer words get no cluster: too few contexts to place them
CONTEXT_WORDS = 10_000  # the most frequent words serve as contexts
WINDOW = 2
DIMENSIONS = 100
UNKNOWN = "-"


@dataclass(frozen=True, slots=True)
class WordClusters:
    """Lower-cased word -> one cluster id per granularity in ``sizes``."""

    sizes: tuple[int, ...]
    table: dict[str, tuple[int, ...]]
    _features: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _unknown: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Feature strings built once: the tagger asks for them on every token.
        names = [f"c{k}=" for k in self.sizes]
        feats = {
            w: tuple(n + str(c) for n, c in zip(names, ids, strict=True))
            for w, ids in self.table.items()
        }
        object.__setattr__(self, "_features", feats)
        object.__setattr__(self, "_unknown", tuple(n + UNKNOWN for n in names))

    def features(self, word: str) -> tuple[str, ...]:
        """CRF features of a lower-cased word: ``("c256=17", "c1024=803")``."""
        return self._features.get(word) or self._unknown

    def save(self, path: Path) -> None:
        """Write a gzipped TSV sorted by word; byte-identical for the same table."""
        lines = ["word\t" + "\t".join(f"k{k}" for k in self.sizes)]
        lines += [w + "\t" + "\t".join(map(str, ids)) for w, ids in sorted(self.table.items())]
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")  # an interrupted save leaves the old table
        # no file name or time in the gzip header: the same table gives the same bytes
        with open(partial, "wb") as raw, gzip.GzipFile("", "wb", fileobj=raw, mtime=0) as out:
            out.write(("\n".join(lines) + "\n").encode("utf-8"))
        os.replace(partial, path)


def load_word_clusters(path: Path) -> WordClusters:
    """Read a table written by ``WordClusters.save``."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        header = next(lines).rstrip("\n").split("\t")
        sizes = tuple(int(name[1:]) for name in header[1:])
        table = {}
        for line in lines:
            word, *ids = line.rstrip("\n").split("\t")
            table[word] = tuple(int(i) for i in ids)
    return WordClusters(sizes, table)


@cache
def shipped_word_clusters() -> WordClusters | None:
    """The table committed under ``factionmap/models``; None if it is absent."""
    with resources.as_file(resources.files("factionmap.models")) as folder:
        path = Path(folder) / CLUSTERS_FILE
        return load_word_clusters(path) if path.is_file() else None


def build_word_clusters(
    documents: Sequence[Sequence[str]],
    *,
    sizes: Sequence[int] = CLUSTER_SIZES,
    min_count: int = MIN_COUNT,
    dimensions: int = DIMENSIONS,
    seed: int = 0,
) -> WordClusters:
    """Cluster the words of ``documents`` (each a sequence of lower-cased tokens)."""
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD

    counts = Counter(w for d in documents for w in d)
    vocab = [w for w, n in counts.most_common() if n >= min_count]
    if len(vocab) <= max(sizes):
        raise ValueError(
            f"{len(vocab)} words occur {min_count}+ times: too few for {max(sizes)} clusters"
        )
    ppmi = _ppmi(_cooccurrences(documents, {w: i for i, w in enumerate(vocab)}))
    dims = min(dimensions, ppmi.shape[1] - 1, len(vocab) - 1)
    vectors = TruncatedSVD(dims, random_state=seed).fit_transform(ppmi)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9  # cosine geometry
    labels = [
        MiniBatchKMeans(k, random_state=seed, batch_size=4096, n_init=3).fit(vectors).labels_
        for k in sizes
    ]
    table = {w: tuple(int(lab[i]) for lab in labels) for i, w in enumerate(vocab)}
    return WordClusters(tuple(sizes), table)


def _cooccurrences(docs: Sequence[Sequence[str]], index: dict[str, int]) -> sp.csr_matrix:
    """Counts of (word, context word and side) within ``WINDOW`` tokens; left and right
    contexts are separate columns, so word order is kept."""
    n_ctx = min(CONTEXT_WORDS, len(index))
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for doc in docs:
        ids = np.fromiter((index.get(w, -1) for w in doc), dtype=np.int64, count=len(doc))
        for off in range(1, WINDOW + 1):
            left, right = ids[:-off], ids[off:]
            # right context of the earlier word
            keep = (left >= 0) & (right >= 0) & (right < n_ctx)
            rows.append(left[keep])
            cols.append(right[keep] + n_ctx)
            # left context of the later word
            keep = (right >= 0) & (left >= 0) & (left < n_ctx)
            rows.append(right[keep])
            cols.append(left[keep])
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    data = np.ones(len(r), dtype=np.float64)
    return sp.csr_matrix((data, (r, c)), shape=(len(index), 2 * n_ctx))


def _ppmi(counts: sp.csr_matrix) -> sp.csr_matrix:
    """Positive PMI with context counts smoothed by the 0.75 power (rare contexts weigh less)."""
    total = counts.sum()
    word = np.asarray(counts.sum(axis=1)).ravel()
    ctx = np.asarray(counts.sum(axis=0)).ravel() ** 0.75
    ctx = ctx / ctx.sum() * total
    coo = counts.tocoo()
    pmi = np.log(coo.data * total / (word[coo.row] * ctx[coo.col]))
    keep = pmi > 0
    return sp.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=counts.shape)

"""Feature dicts to a sparse matrix, for models fitted with scikit-learn's DictVectorizer.

``DictVectorizer.transform`` validates and type-checks every value in Python, which costs
more than the model itself on a few dozen rows per document. Our feature values are always
numbers, so a plain vocabulary lookup builds the same matrix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction import DictVectorizer


def vectorize(vectorizer: DictVectorizer, rows: Sequence[Mapping[str, float]]) -> csr_matrix:
    """The matrix ``vectorizer.transform(rows)`` gives for numeric feature values."""
    vocab: dict[str, int] = vectorizer.vocabulary_
    indices: list[int] = []
    data: list[float] = []
    indptr = [0]
    for row in rows:
        for key, value in row.items():
            j = vocab.get(key)
            if j is not None:
                indices.append(j)
                data.append(value)
        indptr.append(len(indices))
    return csr_matrix(
        (np.asarray(data, dtype=vectorizer.dtype), np.asarray(indices, dtype=np.int32), indptr),
        shape=(len(rows), len(vocab)),
    )

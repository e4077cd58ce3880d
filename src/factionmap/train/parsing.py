"""Parse training texts once and keep them: spaCy Docs (DocBin) and encoder vectors (npz) in a
cache folder outside the repository, keyed by the texts, the model and the encoder."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, DocBin

CACHE = Path(os.environ.get("FACTIONMAP_CACHE", Path.home() / ".cache" / "factionmap"))


def _key(texts: Sequence[str], *parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode())
    for t in texts:
        h.update(t.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:20]


def parse_texts(nlp: Language, texts: Sequence[str], name: str,
                progress: Callable[[int], None] | None = None) -> list[Doc]:
    from factionmap.nlp.cache import remember_text

    key = _key(texts, nlp.meta.get("name", ""), ",".join(nlp.pipe_names))
    path = CACHE / "parsed" / f"{name}-{key}.spacy"
    if path.is_file():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        tensors = np.load(path.with_suffix(".npz"), allow_pickle=False)
        for i, d in enumerate(docs):
            d.tensor = tensors[f"t{i}"]
            remember_text(d, d.text)
        if progress:
            progress(len(docs))
        return docs
    docs = []
    for doc in nlp.pipe(texts, batch_size=32):
        docs.append(doc)
        if progress:
            progress(1)
    path.parent.mkdir(parents=True, exist_ok=True)
    bin_ = DocBin(store_user_data=False, docs=docs)
    tmp = path.with_suffix(".tmp")
    bin_.to_disk(tmp)
    np.savez(path.with_suffix(".npz"), **{f"t{i}": d.tensor for i, d in enumerate(docs)})
    tmp.replace(path)
    return docs


def encode_docs(docs: Sequence[Doc], encoder_name: str, name: str,
                progress: Callable[[int], None] | None = None) -> list[np.ndarray]:
    from factionmap.nlp.encoders import encoder

    path = CACHE / "vectors" / f"{name}-{encoder_name}-{_key([d.text for d in docs])}.npz"
    if path.is_file():
        data = np.load(path, allow_pickle=False)
        if progress:
            progress(len(docs))
        return [data[f"v{i}"] for i in range(len(docs))]
    enc = encoder(encoder_name)
    out = []
    for d in docs:
        out.append(enc(d))
        if progress:
            progress(1)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **{f"v{i}": v for i, v in enumerate(out)})
    return out

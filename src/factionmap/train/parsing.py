"""Parse training texts once and keep them: each text's Doc (with its token vectors) in a
cache folder outside the repository, keyed by the text, the model and the pipeline, so any
subset (a cross-validation fold) reuses what was parsed before."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

CACHE = Path(os.environ.get("FACTIONMAP_CACHE", Path.home() / ".cache" / "factionmap"))


def _hash(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:24]


def _pipeline_key(nlp: Language) -> str:
    return _hash(nlp.meta.get("name", ""), nlp.meta.get("version", ""), *nlp.pipe_names)


def parse_texts(nlp: Language, texts: Sequence[str], name: str = "",
                progress: Callable[[int], None] | None = None) -> list[Doc]:
    from factionmap.nlp.cache import remember_text

    folder = CACHE / "parsed" / _pipeline_key(nlp)
    paths = [folder / f"{_hash(t)}.bin" for t in texts]
    docs: list[Doc | None] = [None] * len(texts)
    todo = []
    for i, path in enumerate(paths):
        if path.is_file():
            doc = Doc(nlp.vocab).from_bytes(path.read_bytes())
            tensor = path.with_suffix(".npy")
            if tensor.is_file():
                doc.tensor = np.load(tensor, allow_pickle=False)
            remember_text(doc, doc.text)
            docs[i] = doc
            if progress:
                progress(1)
        else:
            todo.append(i)
    folder.mkdir(parents=True, exist_ok=True)
    for i, doc in zip(todo, nlp.pipe((texts[i] for i in todo), batch_size=32), strict=True):
        tmp = paths[i].with_suffix(".tmp")
        tmp.write_bytes(doc.to_bytes(exclude=["user_data"]))
        np.save(paths[i].with_suffix(".npy"), np.asarray(doc.tensor, dtype=np.float32))
        tmp.replace(paths[i])
        docs[i] = doc
        if progress:
            progress(1)
    return [d for d in docs if d is not None]


def encode_docs(docs: Sequence[Doc], encoder_name: str, name: str = "",
                progress: Callable[[int], None] | None = None) -> list[np.ndarray]:
    from factionmap.nlp.encoders import encoder

    folder = CACHE / "vectors" / encoder_name
    folder.mkdir(parents=True, exist_ok=True)
    enc = None
    out = []
    for d in docs:
        path = folder / f"{_hash(d.text, str(len(d)))}.npy"
        if path.is_file():
            out.append(np.load(path, allow_pickle=False))
        else:
            enc = enc or encoder(encoder_name)
            v = enc(d)
            np.save(path, v)
            out.append(v)
        if progress:
            progress(1)
    return out

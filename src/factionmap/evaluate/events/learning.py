"""Train the learned event layer on a gold file and score it held-out (k-fold).

Sentences are parsed and their mentions found once; each fold then trains fresh
models on the other folds and runs the real ``EventCoder.code`` path with them on
its own sentences, so every figure comes from sentences the models never saw.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sklearn.model_selection import KFold
from spacy.tokens import Doc

from factionmap.evaluate.events.common import GoldFileError, SentenceCoder, sentence_article
from factionmap.extract.events import EventCoder
from factionmap.extract.events.coder import Coding
from factionmap.extract.events.learned import (
    NO_MODELS,
    EventModels,
    Features,
    candidate_phrases,
    main_coding,
    role_features,
    sentence_features,
)
from factionmap.records import Article, Event, Mention


@dataclass
class Parsed:
    doc: Doc
    mentions: list[Mention]
    article: Article
    codings: list[Coding]  # rule codings (live ones only)


def fingerprint(path: str | Path) -> str:
    """sha1 of a gold file: models remember what they were trained on."""
    try:
        return hashlib.sha1(Path(path).read_bytes()).hexdigest()
    except OSError as exc:
        raise GoldFileError(f"{path}: cannot read: {exc}") from exc


def check_folds(path: str | Path, n: int, folds: int) -> None:
    """k-fold needs at least two rows per fold."""
    if folds >= 2 and n < 2 * folds:
        raise GoldFileError(
            f"{path}: {n} rows are too few for {folds}-fold training; "
            "use --folds 0 (shipped weights) or --rules-only"
        )


class TrainedModel(Protocol):
    """What the evaluators need of a learned model: its training file and ``save``."""

    trained_on: str

    def save(self, path: Path) -> None: ...


def scoring_mode(
    path: str | Path,
    n_rows: int,
    folds: int,
    model: TrainedModel | None,
    digest: str,
    *,
    model_name: str,
    unit: str = "sentence",
) -> str:
    """How a gold file is scored: ``model`` as given, k-fold held-out, or rules only.

    Refuses a ``model`` trained on this very file (``digest``) and too few rows for k folds.
    """
    if model is None:
        check_folds(path, n_rows, folds)
    elif model.trained_on == digest:
        raise GoldFileError(f"{path}: the {model_name} model was trained on this file; use --folds")
    if model is not None:
        return "shipped/loaded model (trained on another file)"
    if folds >= 2:
        return f"{folds}-fold held-out (each {unit} scored by a model not trained on it)"
    return "rules only"


def save_trained(model: TrainedModel, digest: str, folder: Path, filename: str) -> str:
    """Write a model trained on the whole gold file, marked with that file; its path."""
    model.trained_on = digest
    folder.mkdir(parents=True, exist_ok=True)
    model.save(folder / filename)
    return str(folder / filename)


def parse_all(sc: SentenceCoder, texts: Sequence[str]) -> list[Parsed]:
    rules = EventCoder(lexicon=sc.coder.lexicon, models=NO_MODELS)
    out = []
    for doc in sc.nlp.pipe(texts, batch_size=64):
        article = sentence_article(doc.text)
        live = [c for c in rules.codings(doc) if not c.dropped and c.plover is not None]
        out.append(Parsed(doc, sc.find_mentions(doc, article), article, live))
    return out


def sentence_rows(
    parsed: Sequence[Parsed], labels: Sequence[str], idx: Sequence[int]
) -> tuple[list[Features], list[str]]:
    """One training row per trigger-bearing sentence (the only ones the model sees)."""
    rows, ys = [], []
    for i in idx:
        p = parsed[i]
        if p.codings:
            rows.append(sentence_features(p.codings[0].head.sent, p.codings))
            ys.append(labels[i])
    return rows, ys


def role_rows(
    parsed: Sequence[Parsed],
    gold: Sequence[tuple[set[tuple[int, int]], set[tuple[int, int]]]],
    idx: Sequence[int],
) -> tuple[list[Features], list[str]]:
    """Candidate phrases around each sentence's main trigger, labelled S/T/O by overlap."""
    rows, ys = [], []
    for i in idx:
        p = parsed[i]
        top = main_coding(p.codings)
        if top is None:
            continue
        gold_s, gold_t = gold[i]
        for ph in candidate_phrases(top.head.sent):
            if ph.start <= top.head.i < ph.end:
                continue
            lo, hi = ph.start_char, ph.end_char

            def hits(spans: set[tuple[int, int]], lo: int = lo, hi: int = hi) -> int:
                return sum(max(0, min(hi, e) - max(lo, s)) for s, e in spans)

            s_hit, t_hit = hits(gold_s), hits(gold_t)
            label = "O" if not (s_hit or t_hit) else ("S" if s_hit >= t_hit else "T")
            rows.append(role_features(ph, top.head, top))
            ys.append(label)
    return rows, ys


Trainer = Callable[[Sequence[int]], EventModels]


def code_with(
    sc: SentenceCoder, parsed: Sequence[Parsed], models: EventModels
) -> list[Event | None]:
    """The strongest event per sentence, coded by the product path with ``models``."""
    from factionmap.extract.events import strongest_event

    coder = EventCoder(lexicon=sc.coder.lexicon, models=models)
    return [strongest_event(coder.code(p.doc, p.mentions, p.article)) for p in parsed]


def held_out(
    sc: SentenceCoder, parsed: Sequence[Parsed], train: Trainer, folds: int
) -> list[Event | None]:
    """Each sentence coded by models trained on the other ``folds - 1`` folds."""
    out: list[Event | None] = [None] * len(parsed)
    splitter = KFold(n_splits=folds, shuffle=True, random_state=0)
    for train_idx, test_idx in splitter.split(list(range(len(parsed)))):
        models = train([int(i) for i in train_idx])
        test = [parsed[int(i)] for i in test_idx]
        for i, event in zip(test_idx, code_with(sc, test, models), strict=True):
            out[int(i)] = event
    return out

"""Which models score an event gold file, so that no figure is in-sample.

``folds = 0`` scores a fixed models folder (by default the shipped models).

``folds = K`` (K >= 2) cross-validates the sentence-level event training data: the scored
sentences are split into K folds (``KFold(shuffle=True, random_state=CV_SEED)``), and each fold
is scored by event models that ``train_models`` fits on the usual event sources (our annotated
news, when present) plus the PLOVER gold records at their lower weight, minus every PLOVER
record of the fold itself (the record scored, or any record with the same text); the ConfliBERT
quad-class sentences that train the triggers' sentence context are held out the same way, by
text. The vector
projection, the entity tagger and the relation model come from the base models folder
(``train_models(base=...)``): they never learn from event data, so they are the same in every
fold. Folds whose training data come out identical (no scored sentence is a training record,
as for the PETRARCH file) share one training.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factionmap.evaluate.events.common import GoldFileError, same_text, sentence_events
from factionmap.records import Event

if TYPE_CHECKING:
    from factionmap.train.models import Sources

CV_SEED = 20261207
EVENT_COMPONENT = "fm_events"
Progress = Callable[[str, int, int | None], None]  # (stage, advance, total)


def default_plover() -> Path:
    from factionmap.train.corpora import SHARED

    return SHARED / "plover" / "PLOVER_GSR_CAMEO.txt"


def no_progress(stage: str, advance: int, total: int | None) -> None:
    return None


@dataclass
class Scored:
    """Each sentence's events, and how they were obtained (for the report)."""

    events: list[list[Event]]
    how: dict[str, Any] = field(default_factory=dict)


def fold_assignment(n: int, folds: int, where: str | Path) -> list[int]:
    from sklearn.model_selection import KFold

    if n < 2 * folds:
        raise GoldFileError(f"{where}: {n} rows are too few for {folds}-fold "
                            "cross-validation; use --folds 0 to score fixed models")
    out = [0] * n
    splitter = KFold(n_splits=folds, shuffle=True, random_state=CV_SEED)
    for k, (_train, test) in enumerate(splitter.split(list(range(n)))):
        for i in test:
            out[int(i)] = k
    return out


def fixed_models(texts: Sequence[str], models: Path | None, encoder: str | None,
                 progress: Progress = no_progress) -> Scored:
    from factionmap.evaluate.extraction import scoring_pipeline

    started = time.perf_counter()
    pipe = scoring_pipeline(models, encoder)
    _need_events(pipe.left_out, pipe.models)
    progress("extracting", 0, len(texts))
    events = sentence_events(pipe.nlp, texts, lambda n: progress("extracting", n, None))
    return Scored(events, {"mode": f"fixed models: {pipe.describe()}",
                           "seconds": round(time.perf_counter() - started, 1)})


def _need_events(left_out: Sequence[str], folder: Path) -> None:
    if EVENT_COMPONENT in left_out:
        raise ValueError(f"{folder}: no event models (event_triggers.joblib, ...) to score")


def training_sets(texts: Sequence[str], assignment: Sequence[int], pool: Sequence[Any],
                  record_ids: Sequence[str] | None = None
                  ) -> list[tuple[list[Any], list[int]]]:
    """For each distinct training set, the labelled texts of ``pool`` in it and the folds it
    scores: a fold's training leaves out the pool texts of its rows (by ``record_ids``) and
    any pool text equal to one of its sentences."""
    groups: dict[tuple[str, ...], tuple[list[Any], list[int]]] = {}
    for k in range(max(assignment, default=-1) + 1):
        test = [i for i, f in enumerate(assignment) if f == k]
        ids = {record_ids[i] for i in test} if record_ids is not None else set()
        keys = {same_text(texts[i]) for i in test}
        extra = [t for t in pool if t.id not in ids and same_text(t.text) not in keys]
        groups.setdefault(tuple(t.id for t in extra), (extra, []))[1].append(k)
    return list(groups.values())


def cross_validated(texts: Sequence[str], folds: int, where: str | Path, *,
                    plover: Path | None, record_ids: Sequence[str] | None = None,
                    base: Path | None = None, encoder: str | None = None,
                    training: Sources | None = None, progress: Progress = no_progress) -> Scored:
    """Each text's events from models trained without it (see the module docstring).

    ``record_ids``: for the PLOVER file itself, the training-text id of each scored row.
    ``training``: the event sources besides PLOVER (``train.models.Sources``; default: our
    annotated news when present).
    """
    from factionmap.evaluate.extraction import scoring_pipeline, shipped_models
    from factionmap.train.eventsets import PLOVER_WEIGHT, plover_texts, quad_texts
    from factionmap.train.models import Sources, train_models

    started = time.perf_counter()
    assignment = fold_assignment(len(texts), folds, where)
    base = base or shipped_models()
    converted = plover_texts(plover) if plover is not None else None
    defaults = training or Sources.defaults()
    # ConfliBERT's quad-class sentences train the triggers' sentence context: a scored
    # sentence is held out of them as out of the PLOVER records
    quads = list(defaults.quad_texts) if defaults.quad_texts is not None else \
        quad_texts(defaults.quad) if defaults.quad is not None else []
    pool = [*(converted.texts if converted else []), *quads]
    groups = training_sets(texts, assignment, pool, record_ids)
    events: list[list[Event]] = [[] for _ in texts]
    reports = []
    with tempfile.TemporaryDirectory(prefix="events-cv-") as tmp:
        for g, (extra, ks) in enumerate(groups):
            folder = Path(tmp) / f"models-{g}"
            # Base mode reads only the event sources: news annotations and PLOVER records.
            sources = Sources(news=defaults.news, re3d=None, public=None,
                              news_texts=defaults.news_texts,
                              plover_texts=[t for t in extra if t.corpus == "plover"],
                              ngec=defaults.ngec,
                              quad_texts=[t for t in extra if t.corpus == "conflibert_class"])
            label = f"training {g + 1}/{len(groups)}"

            def step(stage: str, n: int, total: int | None, label: str = label) -> None:
                progress(f"{label}: {stage}", n, total)

            reports.append(train_models(sources, folder, encoder or "spacy", step, base=base))
            pipe = scoring_pipeline(folder, encoder)
            _need_events(pipe.left_out, folder)
            idx = [i for i, f in enumerate(assignment) if f in ks]
            stage = "extracting fold" + ("s " if len(ks) > 1 else " ") + \
                ", ".join(str(k + 1) for k in ks)
            progress(stage, 0, len(idx))

            def advance(n: int, stage: str = stage) -> None:
                progress(stage, n, None)

            found = sentence_events(pipe.nlp, [texts[i] for i in idx], advance)
            for i, evs in zip(idx, found, strict=True):
                events[i] = evs
    how: dict[str, Any] = {
        "mode": f"{folds}-fold cross-validation (each sentence scored by event models "
                "trained without it)",
        "folds": folds,
        "trainings": len(groups),
        "fixed_from_base": f"vector projection, entity tagger, relation model from {base}",
        "event_training": [
            *(["our annotated news (train split)"]
              if defaults.news is not None or defaults.news_texts else []),
            *([f"PLOVER gold records of {plover} (weight {PLOVER_WEIGHT}) outside the fold"]
              if plover is not None else []),
            *([f"sentence context: NGEC story leads of {defaults.ngec}"]
              if defaults.ngec is not None else []),
            *(["sentence context: ConfliBERT quad-class sentences outside the fold"]
              if quads else []),
        ],
        "plover_records_skipped": converted.skipped if converted is not None else [],
        "event_models_fitted": sorted({str(m) for r in reports
                                       for m in _as_list(r.get("event_models_fitted"))}),
        "seconds": round(time.perf_counter() - started, 1),
    }
    if len(groups) == 1 and folds > 1:
        how["note"] = ("no scored sentence is in the training data, so every fold has the "
                       "same training set and one training serves all folds")
    return Scored(events, how)


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def score_events(texts: Sequence[str], where: str | Path, *, folds: int,
                 models: Path | None = None, encoder: str | None = None,
                 plover: Path | None = None, record_ids: Sequence[str] | None = None,
                 training: Sources | None = None, progress: Progress = no_progress) -> Scored:
    """Fixed models (``folds`` 0 or 1) or cross-validation (``folds`` >= 2)."""
    if folds >= 2:
        return cross_validated(texts, folds, where, plover=plover, record_ids=record_ids,
                               base=models, encoder=encoder, training=training,
                               progress=progress)
    return fixed_models(texts, models, encoder, progress)

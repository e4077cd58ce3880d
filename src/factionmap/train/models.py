"""Rebuild every committed model from data paths: ``factionmap train models``.

Deterministic: sources are read in a fixed order, samples are seeded, the CRF and the
logistic regressions are fitted single-threaded, and the vector projection comes from an
SVD of every k-th token vector.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from factionmap.train.corpora import SHARED, UNIFIED, LabelledText, news_gold, re3d, unified

SEED = 20261207
PUBLIC_WEIGHT = 0.5
CONLL_SENTENCES = 6000  # a seeded sample: the full set is 1990s sports-heavy newswire
RELATION_C = 0.5
EVENT_C = 0.5


@dataclass
class Sources:
    news: Path | None  # folder with train.jsonl, or None to leave our news out
    re3d: Path | None
    public: Path | None
    news_texts: Sequence[LabelledText] | None = None  # given directly (cross-validation)
    re3d_exclude: frozenset[str] = frozenset()  # re3d source folders left out (by name)
    # PLOVER gold records (a file), or their labelled texts given directly (cross-validation):
    # events only, at their own lower weight, never modality (the records do not mark it)
    plover: Path | None = None
    plover_texts: Sequence[LabelledText] | None = None

    @classmethod
    def defaults(cls) -> Sources:
        from factionmap.evaluate.newsgold.loader import GOLD_DIR

        plover = SHARED / "plover" / "PLOVER_GSR_CAMEO.txt"
        return cls(GOLD_DIR if (GOLD_DIR / "train.jsonl").is_file() else None,
                   SHARED / "re3d-dev", UNIFIED, plover=plover if plover.is_file() else None)


@dataclass
class Corpus:
    entity_texts: list[LabelledText] = field(default_factory=list)
    relation_texts: list[LabelledText] = field(default_factory=list)
    event_texts: list[LabelledText] = field(default_factory=list)
    # sentence-level event sets: triggers, modes and roles only
    extra_event_texts: list[LabelledText] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # records that could not be read


def gather(sources: Sources) -> Corpus:
    news: list[LabelledText] = list(sources.news_texts or [])
    if sources.news_texts is None and sources.news is not None:
        news = news_gold("train", gold_dir=sources.news)
    r3 = re3d(sources.re3d, exclude=sources.re3d_exclude) if sources.re3d is not None else []
    plover: list[LabelledText] = list(sources.plover_texts or [])
    skipped: list[str] = []
    if sources.plover_texts is None and sources.plover is not None:
        from factionmap.train.eventsets import plover_texts

        converted = plover_texts(sources.plover)
        plover, skipped = converted.texts, converted.skipped
    public_ner: list[LabelledText] = []
    public_rel: list[LabelledText] = []
    if sources.public is not None:
        conll = list(unified("crossner_conll2003", sources.public, weight=PUBLIC_WEIGHT))
        random.Random(SEED).shuffle(conll)
        public_ner += sorted(conll[:CONLL_SENTENCES], key=lambda t: t.id)
        public_ner += list(unified("dwie", sources.public, weight=PUBLIC_WEIGHT))
        public_ner += list(unified("crossner_politics", sources.public, weight=PUBLIC_WEIGHT))
        public_rel += list(unified("crossre", sources.public, weight=PUBLIC_WEIGHT))
        public_rel += list(unified("conll04", sources.public, weight=PUBLIC_WEIGHT))
    return Corpus(
        entity_texts=[*news, *r3, *public_ner],
        relation_texts=[*news, *r3, *public_rel],
        event_texts=list(news),
        extra_event_texts=plover,
        skipped=skipped,
    )


Progress = Callable[[str, int, int | None], None]  # (stage, advance, total)


def _noop(stage: str, advance: int, total: int | None) -> None:
    return None


def train_models(sources: Sources, out: Path, encoder: str = "spacy",
                 progress: Progress = _noop, base: Path | None = None) -> dict[str, object]:
    """Fit and write every model into ``out``; returns counts for the report.

    With ``base`` (a folder trained on the same entity and relation sources), the vector
    projection, the entity tagger and the relation model are copied from it and only the
    event and modality models are fitted: the first three never depend on the event data,
    so cross-validating event data needs them once, not once per fold.
    """
    from factionmap.extract.clusters import shipped_word_clusters
    from factionmap.extract.deciders.linear import fit_linear
    from factionmap.extract.pipeline import load_lookups
    from factionmap.extract.tagger import Featuriser, kb_kind, save_meta
    from factionmap.train.entities import fit_projection, fit_tagger, tagger_data
    from factionmap.train.events import event_rows
    from factionmap.train.parsing import encode_docs, parse_texts
    from factionmap.train.relations import pair_rows

    out.mkdir(parents=True, exist_ok=True)
    corpus = gather(sources)
    nlp = load_lookups()
    main = [*corpus.event_texts] if base is not None else \
        [*corpus.entity_texts, *corpus.relation_texts, *corpus.event_texts]
    texts: dict[str, LabelledText] = {}
    for t in (*main, *corpus.extra_event_texts):
        texts.setdefault(t.id, t)
    main_ids = {t.id for t in main}
    ordered = sorted(texts.values(), key=lambda t: t.id)
    progress("parsing", 0, len(ordered))
    docs = parse_texts(nlp, [t.text for t in ordered], "train",
                       lambda n: progress("parsing", n, None))
    raw = encode_docs(docs, encoder, "train", lambda n: progress("encoding", n, None)) \
        if encoder != "spacy" else [d.tensor for d in docs]
    if base is None:
        # fitted on the main corpora only, so adding an event set changes no other model
        projection = fit_projection([v for t, v in zip(ordered, raw, strict=True)
                                     if t.id in main_ids])
        np.save(out / f"vectors-{encoder}.npy", projection)
    else:
        projection = _copy_base(base, out, encoder)
    projected = {t.id: v @ projection for t, v in zip(ordered, raw, strict=True)}
    doc_of = {t.id: d for t, d in zip(ordered, docs, strict=True)}

    def pick(group: Sequence[LabelledText]) -> tuple[list, list, list]:  # type: ignore[type-arg]
        return (list(group), [doc_of[t.id] for t in group], [projected[t.id] for t in group])

    report: dict[str, object] = {"encoder": encoder, "texts": len(ordered)}
    kind_of = _kind_lookup()
    meta: dict[str, object] = {"encoder": encoder, "width": int(projection.shape[1])}
    if base is None:
        # entities
        progress("entities", 0, None)
        ents, edocs, evecs = pick(corpus.entity_texts)
        featuriser = Featuriser(shipped_word_clusters(), kb_kind, encoder)
        data = tagger_data(ents, edocs, featuriser, evecs)
        fit_tagger(data, out / "entities.crfsuite")
        save_meta(out / "entities.crfsuite", encoder)
        report["entity_sentences"] = len(data.items)
        # relations
        progress("relations", 0, None)
        rels, rdocs, rvecs = pick(corpus.relation_texts)
        rows = pair_rows(rels, rdocs, kind_of, rvecs)
        fit_linear(rows.features, rows.labels, rows.weights, c=RELATION_C,
                   meta=meta).save(out / "relations.joblib")
        report["relation_pairs"] = len(rows.labels)
    # events and modality
    progress("events", 0, None)
    evs, vdocs, vvecs = pick(corpus.event_texts)
    erows = event_rows(evs, vdocs, kind_of, vvecs)
    if corpus.extra_event_texts:
        xs, xdocs, xvecs = pick(corpus.extra_event_texts)
        extra = event_rows(xs, xdocs, kind_of, xvecs)
        for mine, theirs in ((erows.triggers, extra.triggers), (erows.modes, extra.modes),
                             (erows.roles, extra.roles)):  # not modality: never marked
            mine.features += theirs.features
            mine.labels += theirs.labels
            mine.weights += theirs.weights
            mine.groups += theirs.groups
        report["extra_event_texts"] = len(xs)
    if corpus.skipped:
        report["skipped"] = corpus.skipped
    fitted = []
    no_vectors: dict[str, object] = {"encoder": "none"}
    for rows_, name, model_meta in (
            (erows.triggers, "event_triggers.joblib", meta),
            (erows.modes, "event_modes.joblib", meta),
            (erows.roles, "event_roles.joblib", meta),
            (erows.modality, "modality.joblib", no_vectors)):
        if len(set(rows_.labels)) < 2:
            continue  # nothing to learn from (with ``base``, its model stays)
        fit_linear(rows_.features, rows_.labels, rows_.weights, c=EVENT_C,
                   meta=model_meta).save(out / name)
        fitted.append(name)
    report.update({"trigger_candidates": len(erows.triggers.labels),
                   "role_candidates": len(erows.roles.labels),
                   "modality_examples": len(erows.modality.labels),
                   "event_models_fitted": fitted})
    return report


# What ``base`` lends: everything but the event and modality models.
BASE_FILES = ("entities.crfsuite", "entities.meta.joblib", "relations.joblib")
EVENT_FILES = ("event_triggers.joblib", "event_modes.joblib", "event_roles.joblib",
               "modality.joblib")


def _copy_base(base: Path, out: Path, encoder: str) -> np.ndarray:
    import shutil

    projection = f"vectors-{encoder}.npy"
    for name in (*BASE_FILES, projection):
        if not (base / name).is_file():
            raise FileNotFoundError(f"{base / name}: missing from the base models folder")
    if base.resolve() != out.resolve():
        for name in (*BASE_FILES, projection, *EVENT_FILES):
            if (base / name).is_file():
                shutil.copyfile(base / name, out / name)
    return np.load(out / projection, allow_pickle=False)


def _kind_lookup() -> Callable[[str], str | None]:
    from factionmap.extract.candidates import kind_of_name

    return kind_of_name

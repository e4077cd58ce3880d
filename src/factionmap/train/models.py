"""Rebuild every committed model from data paths: ``factionmap train models``.

Deterministic: sources are read in a fixed order, samples are seeded, the CRF and the
logistic regressions are fitted single-threaded, the networks of the blends are seeded and
run a fixed number of epochs, and the vector projection comes from an SVD of every k-th
token vector.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from factionmap.train.corpora import SHARED, UNIFIED, LabelledText, news_gold, re3d, unified
from factionmap.train.relations import Rows

if TYPE_CHECKING:
    from factionmap.extract.deciders.sentences import SentenceContext
    from factionmap.train.events import EventRows

SEED = 20261207
PUBLIC_WEIGHT = 0.5
# CrossRE and CoNLL04 relations. Cross-validation by outlet on our news favoured leaving them
# out; the blind test did not confirm it, so the broader data stays (docs/evaluation.md).
PUBLIC_RELATION_WEIGHT = PUBLIC_WEIGHT
CONLL_SENTENCES = 6000  # a seeded sample: the full set is 1990s sports-heavy newswire
RELATION_C = 0.5
EVENT_C = 0.5
SENTENCE_C = 0.5
NETWORK_WEIGHT = 0.5  # a network's share in a blend (relations-blend.joblib, ...)
THRESHOLD_FOLDS = 5  # cross-validation by outlet of the decision cuts


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
    public_relation_weight: float = PUBLIC_RELATION_WEIGHT  # 0: not read at all
    # sentence-labelled sets that train only the sentence context of the trigger decider
    # (extract.deciders.sentences): NGEC's unified file, ConfliBERT's cameo_class file (or
    # its labelled texts given directly, for cross-validation)
    ngec: Path | None = None
    quad: Path | None = None
    quad_texts: Sequence[LabelledText] | None = None

    @classmethod
    def defaults(cls) -> Sources:
        from factionmap.evaluate.newsgold.loader import GOLD_DIR

        plover = SHARED / "plover" / "PLOVER_GSR_CAMEO.txt"
        ngec = UNIFIED / "ngec_synthetic_events.jsonl"
        quad = SHARED / "conflibert-cameo" / "cameo_class.train.tsv"
        return cls(GOLD_DIR if (GOLD_DIR / "train.jsonl").is_file() else None,
                   SHARED / "re3d-dev", UNIFIED, plover=plover if plover.is_file() else None,
                   ngec=ngec if ngec.is_file() else None,
                   quad=quad if quad.is_file() else None)


@dataclass
class Corpus:
    entity_texts: list[LabelledText] = field(default_factory=list)
    relation_texts: list[LabelledText] = field(default_factory=list)
    event_texts: list[LabelledText] = field(default_factory=list)
    # sentence-level event sets: triggers, modes and roles only
    extra_event_texts: list[LabelledText] = field(default_factory=list)
    # whole sentences with a PLOVER type (NGEC) or a quad class (ConfliBERT)
    type_texts: list[LabelledText] = field(default_factory=list)
    quad_texts: list[LabelledText] = field(default_factory=list)
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
        if sources.public_relation_weight > 0:
            for name in ("crossre", "conll04"):
                public_rel += list(unified(name, sources.public,
                                           weight=sources.public_relation_weight))
    from factionmap.train.eventsets import ngec_texts, quad_texts

    types: list[LabelledText] = []
    if sources.ngec is not None:
        types, unusable = ngec_texts(sources.ngec)
        skipped += unusable
    quads = list(sources.quad_texts) if sources.quad_texts is not None else \
        quad_texts(sources.quad) if sources.quad is not None else []
    return Corpus(
        entity_texts=[*news, *r3, *public_ner],
        relation_texts=[*news, *r3, *public_rel],
        event_texts=list(news),
        extra_event_texts=plover,
        type_texts=types,
        quad_texts=quads,
        skipped=skipped,
    )


Progress = Callable[[str, int, int | None], None]  # (stage, advance, total)


def _noop(stage: str, advance: int, total: int | None) -> None:
    return None


@dataclass
class Prepared:
    """Every text of a training run parsed once, with its projected token vectors."""

    corpus: Corpus
    docs: dict[str, Any]
    vectors: dict[str, np.ndarray]

    def pick(self, group: Sequence[LabelledText]) -> tuple[list, list, list]:  # type: ignore[type-arg]
        return (list(group), [self.docs[t.id] for t in group],
                [self.vectors[t.id] for t in group])


def prepare(sources: Sources, out: Path, encoder: str, progress: Progress = _noop,
            projection_from: Path | None = None, events_only: bool = False) -> Prepared:
    """Parse (cached) and encode the texts; fit the vector projection into ``out`` unless
    ``projection_from`` lends one."""
    from factionmap.extract.pipeline import load_lookups
    from factionmap.train.entities import fit_projection
    from factionmap.train.parsing import encode_docs, parse_texts

    # a lent projection is checked first: a folder missing files fails before the parse
    lent = _copy_base(projection_from, out, encoder) if projection_from is not None else None
    corpus = gather(sources)
    nlp = load_lookups()
    main = [*corpus.event_texts] if events_only else \
        [*corpus.entity_texts, *corpus.relation_texts, *corpus.event_texts]
    texts: dict[str, LabelledText] = {}
    for t in (*main, *corpus.extra_event_texts, *corpus.type_texts, *corpus.quad_texts):
        texts.setdefault(t.id, t)
    main_ids = {t.id for t in main}
    ordered = sorted(texts.values(), key=lambda t: t.id)
    progress("parsing", 0, len(ordered))
    docs = parse_texts(nlp, [t.text for t in ordered], "train",
                       lambda n: progress("parsing", n, None))
    raw = encode_docs(docs, encoder, "train", lambda n: progress("encoding", n, None)) \
        if encoder != "spacy" else [d.tensor for d in docs]
    if lent is None:
        # fitted on the main corpora only, so adding an event set changes no other model
        projection = fit_projection([v for t, v in zip(ordered, raw, strict=True)
                                     if t.id in main_ids])
        np.save(out / f"vectors-{encoder}.npy", projection)
    else:
        projection = lent
    return Prepared(corpus, {t.id: d for t, d in zip(ordered, docs, strict=True)},
                    {t.id: v @ projection for t, v in zip(ordered, raw, strict=True)})


def relation_rows(prep: Prepared) -> Rows:
    from factionmap.train.relations import pair_rows

    texts, docs, vectors = prep.pick(prep.corpus.relation_texts)
    return pair_rows(texts, docs, _kind_lookup(), vectors)


def all_event_rows(prep: Prepared, context: SentenceContext | None = None) -> EventRows:
    """Our news's event rows plus the sentence-level event sets' (triggers, modes, roles),
    the triggers with their sentence's ``context``."""
    from factionmap.train.events import event_rows

    kind_of = _kind_lookup()
    evs, vdocs, vvecs = prep.pick(prep.corpus.event_texts)
    erows = event_rows(evs, vdocs, kind_of, vvecs, context)
    if prep.corpus.extra_event_texts:
        xs, xdocs, xvecs = prep.pick(prep.corpus.extra_event_texts)
        extra = event_rows(xs, xdocs, kind_of, xvecs, context)
        for mine, theirs in ((erows.triggers, extra.triggers), (erows.modes, extra.modes),
                             (erows.roles, extra.roles)):  # not modality: never marked
            mine.features += theirs.features
            mine.labels += theirs.labels
            mine.weights += theirs.weights
            mine.groups += theirs.groups
    return erows


def tune_thresholds(prep: Prepared, out: Path, rel: Rows | None, erows: EventRows,
                    folds: int = THRESHOLD_FOLDS, jobs: int = 1,
                    progress: Progress = _noop, write: bool = True) -> dict[str, object]:
    """Cross-validate the decision cuts by outlet on our news and write thresholds.json
    (``write=False``: only report the out-of-fold figures, e.g. to compare training data)."""
    from factionmap.train import thresholds as th

    held = {t.group for t in prep.corpus.event_texts}
    choices: dict[str, th.Choice] = {}
    # (model file stem, rows, rule, C, kinds): where a blend exists, the linear model and the
    # network are scored on the same folds, so each file gets its own cut
    plans: list[tuple[str, Rows, th.Rule, float, tuple[str, ...]]] = [
        ("event_triggers", erows.triggers, th.none_cut, EVENT_C, ("linear",)),
        ("event_roles", erows.roles, th.role_cut, EVENT_C, ("linear", "network"))]
    if rel is not None:
        plans.insert(0, ("relations", rel, th.none_cut, RELATION_C, ("linear", "network")))
    for name, rows, rule, c, kinds in plans:
        stage = f"cut {name}"
        progress(stage, 0, folds * len(kinds))

        def advance(n: int, stage: str = stage) -> None:
            progress(stage, n, None)

        probs, classes, gold = th.out_of_fold(rows, held, folds=folds, c=c, jobs=jobs,
                                              kinds=kinds, progress=advance)
        if not gold or th.NONE not in classes:
            continue
        choices[name] = th.choose(probs["linear"], classes, gold, rule)
        if "network" in probs:
            blended = (1 - NETWORK_WEIGHT) * probs["linear"] + NETWORK_WEIGHT * probs["network"]
            choices[f"{name}-blend"] = th.choose(blended, classes, gold, rule)
    if rel is None and (out / th.THRESHOLDS_FILE).is_file():
        # events only: keep the relation cut the base folder chose (copied with its models)
        previous = json.loads((out / th.THRESHOLDS_FILE).read_text(encoding="utf-8"))
        for key in ("relations", "relations-blend"):
            if key in previous.get("thresholds", {}):
                choices[key] = th.Choice(**previous["thresholds"][key])
    if write:
        th.save(choices, out, folds)
    return {f"threshold_{k}": f"{v.threshold} (out-of-fold row F1 {v.f1} vs {v.f1_at_half} "
            f"at 0.5; P {v.precision} R {v.recall}; {v.rows} rows)"
            for k, v in choices.items()}


def train_models(sources: Sources, out: Path, encoder: str = "spacy",
                 progress: Progress = _noop, base: Path | None = None,
                 threshold_folds: int = THRESHOLD_FOLDS, jobs: int = 1) -> dict[str, object]:
    """Fit and write every model into ``out``; returns counts for the report.

    With ``base`` (a folder trained on the same entity and relation sources), the vector
    projection, the entity tagger and the relation model are copied from it and only the
    event and modality models are fitted: the first three never depend on the event data,
    so cross-validating event data needs them once, not once per fold. With
    ``threshold_folds`` > 1 the decision cuts are cross-validated by outlet afterwards.
    """
    from factionmap.extract.clusters import shipped_word_clusters
    from factionmap.extract.deciders.linear import fit_linear
    from factionmap.extract.tagger import Featuriser, kb_kind, save_meta
    from factionmap.train.entities import fit_tagger, tagger_data

    out.mkdir(parents=True, exist_ok=True)
    prep = prepare(sources, out, encoder, progress, projection_from=base,
                   events_only=base is not None)
    corpus = prep.corpus
    report: dict[str, object] = {"encoder": encoder, "texts": len(prep.docs)}
    width = next(iter(prep.vectors.values())).shape[1] if prep.vectors else 0
    meta: dict[str, object] = {"encoder": encoder, "width": int(width)}
    rows: Rows | None = None
    if base is None:
        # entities
        progress("entities", 0, None)
        ents, edocs, evecs = prep.pick(corpus.entity_texts)
        featuriser = Featuriser(shipped_word_clusters(), kb_kind, encoder)
        data = tagger_data(ents, edocs, featuriser, evecs)
        fit_tagger(data, out / "entities.crfsuite")
        save_meta(out / "entities.crfsuite", encoder)
        report["entity_sentences"] = len(data.items)
        # relations
        progress("relations", 0, None)
        rows = relation_rows(prep)
        _fit_blend(rows, RELATION_C, meta, out, "relations")
        report["relation_pairs"] = len(rows.labels)
    # events and modality; first the sentence context the trigger decider reads
    progress("sentence context", 0, None)
    context, sentence_rows = fit_sentence_context(prep, out, meta, lent=base is not None)
    report["sentence_context"] = sentence_rows
    progress("events", 0, None)
    erows = all_event_rows(prep, context)
    if corpus.extra_event_texts:
        report["extra_event_texts"] = len(corpus.extra_event_texts)
    if corpus.skipped:
        report["skipped"] = corpus.skipped
    fitted: list[str] = []
    no_vectors: dict[str, object] = {"encoder": "none"}
    for rows_, name, model_meta in (
            (erows.triggers, "event_triggers.joblib", meta),
            (erows.modes, "event_modes.joblib", meta),
            (erows.roles, "event_roles.joblib", meta),
            (erows.modality, "modality.joblib", no_vectors)):
        if len(set(rows_.labels)) < 2:
            continue  # nothing to learn from (with ``base``, its model stays)
        if name in BLENDED:
            fitted += _fit_blend(rows_, EVENT_C, model_meta, out, Path(name).stem)
            continue
        fit_linear(rows_.features, rows_.labels, rows_.weights, c=EVENT_C,
                   meta=model_meta).save(out / name)
        fitted.append(name)
    report.update({"trigger_candidates": len(erows.triggers.labels),
                   "role_candidates": len(erows.roles.labels),
                   "modality_examples": len(erows.modality.labels),
                   "event_models_fitted": fitted})
    if threshold_folds > 1 and corpus.event_texts:
        report.update(tune_thresholds(prep, out, rows, erows, threshold_folds, jobs, progress))
    return report


# Deciders that also ship a blend with a network (``<stem>-blend.joblib``): where
# cross-validation by outlet put the blend above the linear model alone (docs/evaluation.md).
BLENDED = ("relations.joblib", "event_roles.joblib")


def _fit_blend(rows: Rows, c: float, meta: dict[str, object], out: Path,
               stem: str) -> list[str]:
    """The linear model ``<stem>.joblib`` and, over its features, ``<stem>-blend.joblib``."""
    from factionmap.extract.deciders.blend import BlendedModel, fit_network
    from factionmap.extract.deciders.linear import fit_linear

    linear = fit_linear(rows.features, rows.labels, rows.weights, c=c, meta=meta)
    linear.save(out / f"{stem}.joblib")
    network = fit_network(linear.transform(rows.features), rows.labels, rows.weights,
                          seed=SEED)
    BlendedModel(linear, network, NETWORK_WEIGHT).save(out / f"{stem}-blend.joblib",
                                                       f"{stem}.joblib")
    return [f"{stem}.joblib", f"{stem}-blend.joblib"]


def thresholds_only(sources: Sources, models: Path, encoder: str = "spacy",
                    folds: int = THRESHOLD_FOLDS, jobs: int = 1,
                    progress: Progress = _noop, write: bool = True) -> dict[str, object]:
    """Cross-validate the cuts for a models folder already trained on ``sources`` (the same
    step ``train_models`` ends with, without refitting the models themselves)."""
    prep = prepare(sources, models, encoder, progress, projection_from=models)
    return tune_thresholds(prep, models, relation_rows(prep),
                           all_event_rows(prep, load_sentence_context(models)), folds,
                           jobs, progress, write)


# The sentence classifiers (extract.deciders.sentences), by the label set each learns.
SENTENCE_MODELS = {"types": "event_sentence_types.joblib", "quad": "event_sentence_quad.joblib"}


def fit_sentence_context(prep: Prepared, out: Path, meta: dict[str, object],
                         lent: bool = False) -> tuple[SentenceContext, dict[str, int]]:
    """Fit each sentence classifier that has texts to learn from; one without keeps the
    file a ``base`` folder lent (``lent``), else none is left in ``out``. Returns the
    context the trigger rows read and the texts each classifier learned from."""
    from factionmap.extract.deciders.linear import fit_linear
    from factionmap.extract.deciders.sentences import sentence_features
    from factionmap.train.eventsets import SENTENCE_LABEL

    used: dict[str, int] = {}
    for key, texts in (("types", prep.corpus.type_texts), ("quad", prep.corpus.quad_texts)):
        picked, docs, vectors = prep.pick(texts)
        labels = [str(t.meta[SENTENCE_LABEL]) for t in picked]
        if len(set(labels)) < 2:
            if not lent:
                (out / SENTENCE_MODELS[key]).unlink(missing_ok=True)  # not from another run
            continue
        rows = [sentence_features(d[:], v) for d, v in zip(docs, vectors, strict=True)]
        fit_linear(rows, labels, [t.weight for t in picked], c=SENTENCE_C,
                   meta=meta).save(out / SENTENCE_MODELS[key])
        used[SENTENCE_MODELS[key]] = len(rows)
    return load_sentence_context(out), used


def load_sentence_context(models: Path) -> SentenceContext:
    from factionmap.extract.deciders.linear import LinearModel
    from factionmap.extract.deciders.sentences import SentenceContext

    found = {k: LinearModel.load(models / name) if (models / name).is_file() else None
             for k, name in SENTENCE_MODELS.items()}
    return SentenceContext(found["types"], found["quad"])


# What ``base`` lends: everything but the event and modality models.
BASE_FILES = ("entities.crfsuite", "entities.meta.joblib", "relations.joblib",
              "relations-blend.joblib")
EVENT_FILES = ("event_triggers.joblib", "event_modes.joblib", "event_roles.joblib",
               "event_roles-blend.joblib", "modality.joblib", *SENTENCE_MODELS.values())


def _copy_base(base: Path, out: Path, encoder: str) -> np.ndarray:
    import shutil

    projection = f"vectors-{encoder}.npy"
    for name in (*BASE_FILES, projection):
        if not (base / name).is_file():
            raise FileNotFoundError(f"{base / name}: missing from the base models folder")
    if base.resolve() != out.resolve():
        for name in (*BASE_FILES, projection, *EVENT_FILES, "thresholds.json"):
            if (base / name).is_file():
                shutil.copyfile(base / name, out / name)
    return np.load(out / projection, allow_pickle=False)


def _kind_lookup() -> Callable[[str], str | None]:
    from factionmap.extract.candidates import kind_of_name

    return kind_of_name


SENTENCE_C_GRID = (0.25, 0.5, 1.0, 2.0)


def sentence_cv(sources: Sources, models: Path, encoder: str = "spacy", folds: int = 5,
                grid: Sequence[float] = SENTENCE_C_GRID,
                progress: Progress = _noop) -> dict[str, object]:
    """Each sentence classifier alone, by stratified K-fold cross-validation on its own
    texts (seeded), for each penalty of ``grid``: accuracy and macro-F1 of the likeliest
    label. The vector projection comes from ``models``."""
    import tempfile

    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    from factionmap.extract.deciders.linear import fit_linear
    from factionmap.extract.deciders.sentences import sentence_features
    from factionmap.train.eventsets import SENTENCE_LABEL

    only = Sources(news=None, re3d=None, public=None, ngec=sources.ngec, quad=sources.quad,
                   quad_texts=sources.quad_texts)
    with tempfile.TemporaryDirectory(prefix="sentence-cv-") as tmp:
        prep = prepare(only, Path(tmp), encoder, progress, projection_from=models,
                       events_only=True)
    report: dict[str, object] = {"folds": folds}
    for key, texts in (("types", prep.corpus.type_texts), ("quad", prep.corpus.quad_texts)):
        picked, docs, vectors = prep.pick(texts)
        labels = np.asarray([str(t.meta[SENTENCE_LABEL]) for t in picked])
        if len(set(labels.tolist())) < 2:
            continue
        rows = [sentence_features(d[:], v) for d, v in zip(docs, vectors, strict=True)]
        splits = list(StratifiedKFold(folds, shuffle=True, random_state=SEED)
                      .split(np.zeros(len(rows)), labels))
        progress(f"cross-validating {key}", 0, len(grid) * folds)
        scores = {}
        for c in grid:
            predicted = np.empty(len(rows), dtype=object)
            for train, test in splits:
                model = fit_linear([rows[i] for i in train], labels[train].tolist(), c=c)
                probs = model.proba([rows[i] for i in test])
                predicted[test] = [model.classes[j] for j in probs.argmax(axis=1)]
                progress(f"cross-validating {key}", 1, None)
            guess = predicted.astype(str)
            scores[str(c)] = {
                "accuracy": round(float(accuracy_score(labels, guess)), 4),
                "macro_f1": round(float(f1_score(labels, guess, average="macro")), 4)}
        report[SENTENCE_MODELS[key]] = {"texts": len(rows), "by_penalty": scores,
                                        "shipped_penalty": SENTENCE_C}
    return report

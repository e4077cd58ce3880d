"""The extraction components, registered as spaCy factories.

Each declares what it assigns; their order, models and thresholds live in
``pipeline.cfg``. They read the article an incoming Doc belongs to
(``doc.user_data["fm_article"]``, set by ``nlp.pipeline.pipe_articles``); a Doc without
one is treated as an undated article.
Everything a component keeps is picklable (model files are reopened by path), so a built
pipeline can be sent to worker processes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from factionmap.nlp.cache import doc_text
from factionmap.records import (
    ACTOR_LABELS,
    Article,
    Event,
    EventDate,
    Mention,
    Relation,
)
from factionmap.records import Span as TextSpan

for _name in ("fm_vectors", "fm_tagged", "fm_mentions", "fm_relations", "fm_events"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def models_dir() -> Path:
    import factionmap.models

    return Path(factionmap.models.__file__).parent


def model_path(name: str) -> Path:
    path = Path(name)
    return path if path.is_absolute() else models_dir() / path


THRESHOLDS_FILE = "thresholds.json"  # written by ``factionmap train models``
NEUTRAL_CUT = 0.5


@cache
def _cross_validated_file(folder: str) -> dict[str, Any]:
    import json

    path = Path(folder) / THRESHOLDS_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))["thresholds"]
        for v in data.values():
            float(v["threshold"])
            xs, ys = v.get("calibration") or ([], [])
            if len(xs) != len(ys) or any(not 0.0 <= float(y) <= 1.0 for y in ys):
                raise ValueError("a calibration map needs as many values in [0, 1] as knots")
        return dict(data)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{path}: not a thresholds file ({exc})") from exc


def _cross_validated(folder: str) -> dict[str, float]:
    return {k: float(v["threshold"]) for k, v in _cross_validated_file(folder).items()}


def confidence_map(value: str, model: str, key: str) -> Callable[[float], float]:
    """A configured calibration: "cv", the map cross-validated by outlet with the cut (how
    often a kept fact of that confidence was right out of fold), or "none"."""
    if value == "none":
        return _same
    if value != "cv":
        raise ValueError(f"pipeline config: {key} calibration {value!r}: \"cv\" or \"none\"")
    entry = _cross_validated_file(str(model_path(model).parent)).get(key, {})
    xs, ys = entry.get("calibration") or ([], [])
    if not xs:
        return _same
    knots, values = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    return lambda confidence: float(np.interp(confidence, knots, values))


def _same(confidence: float) -> float:
    return confidence


def decision_cut(value: float | str, model: str, key: str) -> float:
    """A configured cut: a number, or "cv" for the one cross-validated by outlet when the
    model beside it was trained (the neutral 0.5 if that folder has none)."""
    if isinstance(value, int | float):
        return float(value)
    if value != "cv":
        raise ValueError(f"pipeline config: {key} threshold {value!r}: a number or \"cv\"")
    return _cross_validated(str(model_path(model).parent)).get(key, NEUTRAL_CUT)


def doc_article(doc: Doc) -> Article:
    article = doc.user_data.get("fm_article")
    if article is None:
        from factionmap.sources.article import article_id

        text = doc_text(doc)
        article = Article(id=article_id(text), text=text)
        doc.user_data["fm_article"] = article
    return article


def tokens_at(doc: Doc, start: int, end: int) -> Span:
    """The tokens under character offsets our components produced (always token-aligned)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        raise ValueError(f"no tokens at {start}-{end}")
    return span


def _span(m: Mention) -> TextSpan:
    return m.span()


def _sentence_span(doc: Doc, sent: Span) -> TextSpan:
    text = doc_article(doc).text
    return TextSpan(sent.start_char, sent.end_char, text[sent.start_char:sent.end_char])


# -- lookups that propose features: knowledge-base names and the equipment lexicon -----------


@Language.factory("factionmap_kb_matcher", assigns=["doc.spans"])
def make_kb_matcher(nlp: Language, name: str) -> Any:
    from factionmap.kb import default_kb
    from factionmap.nlp.components import KbMatcher, kb_names

    return KbMatcher(nlp.vocab, kb_names(default_kb()))


@Language.factory("factionmap_lexicon", assigns=["doc.spans"])
def make_lexicon(nlp: Language, name: str) -> Any:
    from factionmap.extract.lexicon import (
        PLATFORM_TERMS,
        SHIP_PREFIXES,
        VEHICLE_TERMS,
        WEAPON_TERMS,
    )
    from factionmap.nlp.components import LexiconMatcher

    return LexiconMatcher(
        nlp.vocab,
        {"Weapon": WEAPON_TERMS, "MilitaryPlatform": PLATFORM_TERMS, "Vehicle": VEHICLE_TERMS},
        SHIP_PREFIXES,
    )


# -- contextual token vectors ------------------------------------------------------------------


class Vectors:
    """Token vectors of the configured encoder, projected onto the few directions the models
    were trained with (the projection is fitted by ``factionmap train``)."""

    def __init__(self, encoder: str, projection: str) -> None:
        self.encoder = encoder
        self.projection = projection

    def __call__(self, doc: Doc) -> Doc:
        from factionmap.nlp.encoders import encoder

        raw = encoder(self.encoder)(doc)
        doc._.fm_vectors = raw @ _projection(self.projection)
        return doc


@cache
def _projection(name: str) -> np.ndarray:
    return np.load(model_path(name), allow_pickle=False)


@Language.factory("factionmap_vectors", assigns=["doc._.fm_vectors"],
                  default_config={"encoder": "spacy", "projection": "vectors-spacy.npy"})
def make_vectors(nlp: Language, name: str, encoder: str, projection: str) -> Vectors:
    return Vectors(encoder, projection)


# -- entities ------------------------------------------------------------------------------------


class EntityTaggerComponent:
    def __init__(self, model: str, min_confidence: float) -> None:
        self.model = model
        self.min_confidence = min_confidence
        self._tagger: Any = None

    def __getstate__(self) -> dict[str, Any]:
        return {"model": self.model, "min_confidence": self.min_confidence, "_tagger": None}

    def tagger(self) -> Any:
        if self._tagger is None:
            from factionmap.extract.tagger import load_tagger

            self._tagger = load_tagger(model_path(self.model), self.min_confidence)
        return self._tagger

    def __call__(self, doc: Doc) -> Doc:
        doc._.fm_tagged = self.tagger().tag(doc, doc._.fm_vectors)
        return doc


@Language.factory("factionmap_entity_tagger", assigns=["doc._.fm_tagged"],
                  requires=["doc.spans", "token.dep"],
                  default_config={"model": "entities.crfsuite", "min_confidence": 0.0})
def make_entity_tagger(nlp: Language, name: str, model: str,
                       min_confidence: float) -> EntityTaggerComponent:
    return EntityTaggerComponent(model, min_confidence)


# -- mentions: names, generic agents, coreference --------------------------------------------------


class Mentions:
    def __call__(self, doc: Doc) -> Doc:
        from factionmap.extract.candidates import assemble_mentions
        from factionmap.extract.linking import linker_for
        from factionmap.kb import default_kb

        kb = doc.user_data.get("fm_kb") or default_kb()
        doc._.fm_mentions = assemble_mentions(doc, doc_article(doc), doc._.fm_tagged or [],
                                              linker_for(kb))
        return doc


@Language.factory("factionmap_mentions", assigns=["doc._.fm_mentions"],
                  requires=["doc._.fm_tagged"])
def make_mentions(nlp: Language, name: str) -> Mentions:
    return Mentions()


# -- relations -----------------------------------------------------------------------------------


@cache
def _model(path: str) -> Any:
    from factionmap.extract.deciders.blend import load_model

    return load_model(model_path(path))


@cache
def _optional_model(path: str) -> Any:
    """The model at ``path``; None for "" or a file the models folder does not hold (trained
    without that optional set)."""
    if not path or not model_path(path).is_file():
        return None
    return _model(path)


def _vectors_for(doc: Doc, model: Any) -> np.ndarray | None:
    want = model.meta.get("encoder", "none")
    if want == "none":
        return None
    vectors = doc._.fm_vectors
    width = model.meta.get("width")
    if vectors is None or (width is not None and vectors.shape[1] != width):
        raise ValueError(f"the model needs {want} vectors of width {width}: set "
                         f"fm_vectors.encoder = \"{want}\" in the pipeline config")
    return vectors


class Relations:
    def __init__(self, model: str, threshold: float | str, calibration: str = "cv") -> None:
        self.model = model
        # a cut belongs to a model file (keyed by its stem): swapping the file swaps the cut
        self.threshold = decision_cut(threshold, model, Path(model).stem)
        self.calibrate = confidence_map(calibration, model, Path(model).stem)

    def __call__(self, doc: Doc) -> Doc:
        from factionmap.extract.candidates import as_arg, relation_pairs
        from factionmap.extract.deciders.relations import RelationDecider
        from factionmap.extract.temporal import valid_time

        model = _model(self.model)
        decider = RelationDecider(model, self.threshold)
        pairs = relation_pairs(doc, doc._.fm_mentions or [])
        rows = [(sent, as_arg(x), as_arg(y)) for sent, x, y in pairs]
        mention_of = {a: m for (_s, x, y), (_t, ax, ay) in zip(pairs, rows, strict=True)
                      for a, m in ((ax, x), (ay, y))}
        reference = doc_article(doc).date
        out = []
        decisions = decider.decide(doc, rows, _vectors_for(doc, model))
        for (sent, _x, _y), decision in zip(rows, decisions, strict=True):
            if decision is None:
                continue
            subj, obj = mention_of[decision.subject], mention_of[decision.object]
            anchors = [toks.root for m in (subj, obj)
                       if (toks := doc.char_span(m.start, m.end, alignment_mode="expand"))]
            out.append(Relation(
                type=decision.type,  # type: ignore[arg-type]
                subject=_span(subj), object=_span(obj), evidence=_sentence_span(doc, sent),
                confidence=round(self.calibrate(decision.confidence), 3),
                valid=valid_time(anchors, reference),
                pattern=f"model:{Path(self.model).stem}",
            ))
        doc._.fm_relations = out
        return doc


@Language.factory("factionmap_relation_classifier", assigns=["doc._.fm_relations"],
                  requires=["doc._.fm_mentions"],
                  default_config={"model": "relations.joblib", "threshold": "cv",
                                  "calibration": "cv"})
def make_relations(nlp: Language, name: str, model: str, threshold: float | str,
                   calibration: str) -> Relations:
    return Relations(model, threshold, calibration)


# -- events --------------------------------------------------------------------------------------


def _cameo_for(token: Token, ptype: str, mode: str | None) -> str:
    from factionmap.extract.deciders.events import _lexicon
    from factionmap.extract.events import cameo

    for entry in _lexicon().candidates(token.lemma_.lower()):
        if entry.plover == ptype and (mode is None or entry.mode in (None, mode)):
            return entry.cameo
    for code, info in sorted(cameo.cameo_table().items()):
        if info.plover == ptype and mode is not None and info.mode == mode:
            return code
    return cameo.base_code(ptype) or "01"


def _role_candidates(mentions: list[Mention]) -> list[Mention]:
    """Actors that can do or suffer an event: not places (a city is where it happened)."""
    return [m for m in mentions if m.label in ACTOR_LABELS
            and not (m.label == "Location" and m.actor_kind != "state")]


class Events:
    def __init__(self, triggers: str, modes: str, roles: str, threshold: float | str,
                 role_threshold: float | str, sentence_types: str = "",
                 sentence_quad: str = "") -> None:
        self.triggers, self.modes, self.roles = triggers, modes, roles
        # "" leaves a sentence classifier out, as does a models folder trained without it
        self.sentence_types, self.sentence_quad = sentence_types, sentence_quad
        self.threshold = decision_cut(threshold, triggers, Path(triggers).stem)
        self.role_threshold = decision_cut(role_threshold, roles, Path(roles).stem)

    def __call__(self, doc: Doc) -> Doc:
        from factionmap.extract.candidates import as_arg, sentence_args
        from factionmap.extract.deciders.events import EventDecider, SentenceInput
        from factionmap.extract.deciders.sentences import SentenceContext
        from factionmap.extract.events import cameo

        trig = _model(self.triggers)
        decider = EventDecider(trig, _model(self.modes) if self.modes else None,
                               _model(self.roles), self.threshold, self.role_threshold)
        by_sent = {sent.start: ms for sent, ms in sentence_args(doc, doc._.fm_mentions or [])}
        mention_of: dict[Any, Mention] = {}
        inputs = []
        sents = list(doc.sents)
        context = SentenceContext(_optional_model(self.sentence_types),
                                  _optional_model(self.sentence_quad))
        contexts = context.features(sents, _vectors_for(doc, trig) if context else None)
        for sent, sent_context in zip(sents, contexts, strict=True):
            ms = by_sent.get(sent.start, [])
            by_token: dict[int, Any] = {}
            for m in ms:
                a = as_arg(m)
                mention_of[a] = m
                for t in tokens_at(doc, m.start, m.end):
                    by_token.setdefault(t.i, a)
            inputs.append(SentenceInput(sent, by_token,
                                        tuple(as_arg(m) for m in _role_candidates(ms)),
                                        sent_context))
        text = doc_article(doc).text
        events: list[Event] = []
        for found in decider.decide(doc, inputs, _vectors_for(doc, trig)):
            tok = found.trigger.token
            code = _cameo_for(tok, found.trigger.type, found.trigger.mode)
            info = cameo.lookup(code)
            events.append(Event(
                type=found.trigger.type,  # type: ignore[arg-type]
                cameo=code, goldstein=cameo.goldstein(code), quad_class=cameo.quad_class(code),
                evidence=_sentence_span(doc, found.sent),
                trigger=TextSpan(tok.idx, tok.idx + len(tok.text),
                                 text[tok.idx:tok.idx + len(tok.text)]),
                sources=tuple(_span(mention_of[a]) for a in found.sources),
                targets=tuple(_span(mention_of[a]) for a in found.targets),
                mode=found.trigger.mode,
                context=info.context if info else None,
                confidence=round(found.trigger.confidence, 3),
            ))
        doc._.fm_events = events
        return doc


@Language.factory("factionmap_event_classifier", assigns=["doc._.fm_events"],
                  requires=["doc._.fm_mentions"],
                  default_config={"triggers": "event_triggers.joblib",
                                  "modes": "event_modes.joblib",
                                  "roles": "event_roles.joblib",
                                  "threshold": "cv", "role_threshold": "cv",
                                  "sentence_types": "", "sentence_quad": ""})
def make_events(nlp: Language, name: str, triggers: str, modes: str, roles: str,
                threshold: float | str, role_threshold: float | str,
                sentence_types: str, sentence_quad: str) -> Events:
    return Events(triggers, modes, roles, threshold, role_threshold, sentence_types,
                  sentence_quad)


# -- modality -----------------------------------------------------------------------------------


class Modality:
    def __init__(self, model: str) -> None:
        self.model = model

    def __call__(self, doc: Doc) -> Doc:
        from factionmap.extract.deciders.modality import (
            ModalityDecider,
            anchor_of,
            modality_features,
            speaker_token,
        )

        decider = ModalityDecider(_model(self.model))
        mentions = doc._.fm_mentions or []
        relations = doc._.fm_relations or []
        events = doc._.fm_events or []
        anchors: list[Token] = []
        rows = []
        for r in relations:
            xs = doc.char_span(r.subject.start, r.subject.end, alignment_mode="expand")
            ys = doc.char_span(r.object.start, r.object.end, alignment_mode="expand")
            anchor = anchor_of(doc, xs, ys) if xs is not None and ys is not None else \
                tokens_at(doc, r.evidence.start, r.evidence.end).root
            anchors.append(anchor)
            rows.append(modality_features(doc, anchor.sent, anchor, "relation", r.type))
        for e in events:
            anchor = tokens_at(doc, e.trigger.start, e.trigger.end).root
            anchors.append(anchor)
            rows.append(modality_features(doc, anchor.sent, anchor, "event", e.type))
        decided = decider.decide(rows)
        speakers = [_speaker(doc, mentions, speaker_token(a)) for a in anchors]
        n = len(relations)
        doc._.fm_relations = [
            replace(r, modality=m, attributed_to=speakers[k] if m != "asserted" else None)
            for k, (r, (m, _p)) in enumerate(zip(relations, decided[:n], strict=True))
        ]
        doc._.fm_events = [
            replace(e, modality=m, attributed_to=speakers[n + k] if m != "asserted" else None)
            for k, (e, (m, _p)) in enumerate(zip(events, decided[n:], strict=True))
        ]
        return doc


def _speaker(doc: Doc, mentions: list[Mention], tok: Token | None) -> TextSpan | None:
    if tok is None:
        return None
    for m in mentions:
        if m.start <= tok.idx < m.end and m.label in ACTOR_LABELS:
            return m.span()
    return None


@Language.factory("factionmap_modality_classifier",
                  assigns=["doc._.fm_relations", "doc._.fm_events"],
                  requires=["doc._.fm_relations", "doc._.fm_events"],
                  default_config={"model": "modality.joblib"})
def make_modality(nlp: Language, name: str, model: str) -> Modality:
    return Modality(model)


# -- when and where events happened ---------------------------------------------------------------

# Event dates outside this window are numbers misread as years ("resolution 1850").
EARLIEST_EVENT_YEAR = 1900
LATEST_AFTER_ARTICLE = dt.timedelta(days=366)


def plausible(date: EventDate, published: dt.date | None) -> bool:
    if date.date is None or date.phrase is None:
        return True
    if date.date.year < EARLIEST_EVENT_YEAR:
        return False
    return published is None or date.date <= published + LATEST_AFTER_ARTICLE


class EventContext:
    def __call__(self, doc: Doc) -> Doc:
        from factionmap.extract.dates import find_event_date
        from factionmap.extract.events.places import article_country, find_event_place

        article = doc_article(doc)
        mentions = doc._.fm_mentions or []
        country = article_country(mentions) if mentions else None
        out = []
        for e in doc._.fm_events or []:
            toks = tokens_at(doc, e.trigger.start, e.trigger.end)
            sent = toks.sent
            date = find_event_date(doc, sent, toks.root, article.date)
            if not plausible(date, article.date):
                date = EventDate(article.date, "reported", None)
            place = find_event_place(sent.start_char, sent.end_char, toks.root.idx, mentions,
                                     country, text=doc_article(doc).text)
            out.append(replace(e, date=date, location=place))
        doc._.fm_events = out
        return doc


@Language.factory("factionmap_event_context", assigns=["doc._.fm_events"],
                  requires=["doc._.fm_events"])
def make_event_context(nlp: Language, name: str) -> EventContext:
    return EventContext()


def default_config_text() -> str:
    return resources.files("factionmap.extract").joinpath("pipeline.cfg").read_text("utf-8")

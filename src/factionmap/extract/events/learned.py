"""The learned layer over the rule coder: a sentence classifier and an argument-role tagger.

Both models are scikit-learn ``DictVectorizer`` + ``LogisticRegression`` pipelines over
features of the spaCy parse and of the rule coder's own output (trigger lemmas, PLOVER
types, modality, dependency labels). They only run on sentences where the rule lexicon
found a trigger, and predict a whole document's rows in one vectorised call.

- ``SentenceModel`` predicts one label per trigger-bearing sentence: the PLOVER type
  (``events_plover.joblib``) or the CAMEO quad class (``events_quad.joblib``).
- ``RoleModel`` labels candidate noun phrases of a trigger's sentence as source (S),
  target (T) or neither (O) (``events_roles.joblib``).

Weights are optional: when a file is absent the coder stays rules-only.
Train them with ``factionmap evaluate ... --train-out DIR`` (see docs/evaluation-events.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import joblib
import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from factionmap.extract.events import cameo, syntax
from factionmap.extract.sparse import vectorize
from factionmap.nlp.cache import noun_chunks

if TYPE_CHECKING:
    from factionmap.extract.events.coder import Coding

PLOVER_MODEL_FILE = "events_plover.joblib"
QUAD_MODEL_FILE = "events_quad.joblib"
ROLE_MODEL_FILE = "events_roles.joblib"
ROLES = ("S", "T", "O")
Features = dict[str, float]
_MOD_RANK = {"asserted": 0, "attributed": 1, "hedged": 2, "negated": 3}


# --- features ------------------------------------------------------------------------


def main_coding(codings: Sequence[Coding]) -> Coding | None:
    """The coding that sums up a sentence, ranked like ``strongest_event``."""
    live = [c for c in codings if not c.dropped and c.plover is not None]
    if not live:
        return None
    return min(
        live,
        key=lambda c: (
            _MOD_RANK[c.modality],
            -bool(c.sources) - bool(c.targets) - 0.5 * (syntax.depth(c.head) == 0),
            -abs(cameo.goldstein(c.cameo)),
        ),
    )


def sentence_features(sent: SpacySpan, codings: Sequence[Coding]) -> Features:
    """Bag of content lemmas plus what the rules found in this sentence."""
    f: Features = {}
    for tok in sent:
        if tok.is_alpha and not tok.is_stop:
            f[f"w={tok.lemma_.lower()}"] = 1.0
        if tok.pos_ == "VERB":
            f[f"v={tok.lemma_.lower()}"] = 1.0
        if tok.dep_ == "neg":
            f[f"neg={tok.head.lemma_.lower()}"] = 1.0
    root = sent.root
    f[f"root={root.lemma_.lower()}"] = 1.0
    for c in codings:
        lemma = " ".join(c.entry.lemmas)
        f[f"trig={lemma}"] = 1.0
        f[f"trig_type={c.plover}"] = f.get(f"trig_type={c.plover}", 0.0) + 1.0
        f[f"trig_quad={cameo.quad_class(c.cameo)}"] = 1.0
        f[f"trig_type_mod={c.plover}|{c.modality}"] = 1.0
        if c.head.i == root.i:
            f[f"root_type={c.plover}"] = 1.0
    top = main_coding(codings)
    if top is not None:
        f[f"top_type={top.plover}"] = 1.0
        f[f"top_cameo={top.cameo[:3]}"] = 1.0
        f[f"top_quad={cameo.quad_class(top.cameo)}"] = 1.0
        f[f"top_mod={top.modality}"] = 1.0
        f[f"top_lemma={' '.join(top.entry.lemmas)}"] = 1.0
        f[f"top_dep={top.head.dep_}"] = 1.0
    else:
        f["top_type=none"] = 1.0
    return f


def candidate_phrases(sent: SpacySpan) -> list[SpacySpan]:
    """Noun phrases (spaCy noun chunks) and the named entities no chunk covers."""
    return DocIndex(sent.doc).phrases(sent)


class DocIndex:
    """Sentences, noun chunks and entities of a document, each computed once: spaCy's
    ``Token.sent`` and ``Span.noun_chunks`` rescan the whole document on every call."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.sents = list(doc.sents)
        self._sent_of = np.zeros(len(doc), dtype=np.int32)
        for k, sent in enumerate(self.sents):
            self._sent_of[sent.start : sent.end] = k
        self._phrases: dict[int, list[SpacySpan]] | None = None

    def sent(self, token_i: int) -> SpacySpan:
        return self.sents[int(self._sent_of[token_i])]

    def phrases(self, sent: SpacySpan) -> list[SpacySpan]:
        if self._phrases is None:
            by_sent: dict[int, list[SpacySpan]] = {}
            covered = np.zeros(len(self.doc), dtype=bool)
            for start, end, _ in noun_chunks(self.doc):
                chunk = self.doc[start:end]
                by_sent.setdefault(int(self._sent_of[chunk.start]), []).append(chunk)
                covered[chunk.start : chunk.end] = True
            for ent in self.doc.ents:
                if not covered[ent.start : ent.end].any():
                    by_sent.setdefault(int(self._sent_of[ent.start]), []).append(ent)
            self._phrases = {k: sorted(v, key=lambda s: s.start) for k, v in by_sent.items()}
        return self._phrases.get(int(self._sent_of[sent.start]), [])


def _up_path(tok: Token, stop: Token, limit: int = 4) -> tuple[list[str], Token | None]:
    """Dependency labels from ``tok`` up to ``stop`` (or None when ``stop`` is not above)."""
    deps: list[str] = []
    node = tok
    for _ in range(limit):
        if node.i == stop.i:
            return deps, node
        if node.head.i == node.i:
            break
        deps.append(node.dep_ if node.dep_ != "prep" else f"prep:{node.lower_}")
        node = node.head
    return deps, (node if node.i == stop.i else None)


def _clause_verb(tok: Token) -> Token:
    """The verb heading the clause a token sits in (the token itself when it is a verb)."""
    node = tok
    for _ in range(8):
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            return node
        node = node.head
    return node


def _bucket(n: int) -> str:
    return str(n) if n < 4 else ("4-7" if n < 8 else "8+")


def role_features(
    phrase: SpacySpan,
    trigger: Token,
    coding: Coding | None,
    sent: SpacySpan | None = None,
    cache: RoleFeatureCache | None = None,
) -> Features:
    """Where a candidate phrase sits relative to the trigger, and what it is.

    ``cache`` keeps the parts that depend on the phrase or the trigger alone, for a document
    whose every phrase is scored against every trigger of its sentence.
    """
    sent = sent if sent is not None else syntax.sentence_of(phrase.root)
    if cache is None:
        cache = RoleFeatureCache()
    own, root, own_verb = cache.phrase_part(phrase, sent)
    trig, passive, trig_verb = cache.trigger_part(trigger)
    f: Features = {**own, **trig}
    f[f"side={'before' if root.i < trigger.i else 'after'}"] = 1.0
    f[f"dist={_bucket(abs(root.i - trigger.i))}"] = 1.0
    if passive:
        f[f"pass_dep={root.dep_}"] = 1.0
    down, hit = _up_path(root, trigger)
    if hit is not None:
        f[f"path={'/'.join(down)}"] = 1.0
        f[f"path1={down[0] if down else 'self'}"] = 1.0
    else:
        up, anc = _up_path(trigger, root.head, 3)
        f[f"tpath={'/'.join(up)}" if anc is not None else "tpath=none"] = 1.0
        f[f"hlemma_dep={root.dep_}|{root.head.pos_}"] = 1.0
    f[f"trig_dep={trigger.lemma_.lower()}|{root.dep_}"] = 1.0
    same = own_verb == trig_verb
    f[f"same_clause={same}"] = 1.0
    f[f"same_clause_dep={same}|{root.dep_}"] = 1.0
    if coding is not None:
        f[f"type={coding.plover}"] = 1.0
        f[f"type_side={coding.plover}|{f'side={root.i < trigger.i}'}"] = 1.0
        if any(phrase.start <= t.i < phrase.end for t in coding.sources):
            f["rule=S"] = 1.0
        if any(phrase.start <= t.i < phrase.end for t in coding.targets):
            f["rule=T"] = 1.0
    return f


class RoleFeatureCache:
    """Role features of a phrase alone and of a trigger alone, computed once each."""

    def __init__(self) -> None:
        self._phrases: dict[tuple[int, int], tuple[Features, Token, int]] = {}
        self._triggers: dict[int, tuple[Features, bool, int]] = {}
        self._sent_roots: dict[int, Token] = {}

    def phrase_part(self, phrase: SpacySpan, sent: SpacySpan) -> tuple[Features, Token, int]:
        """The phrase's own features, its root, and the index of its clause's verb."""
        key = (phrase.start, phrase.end)
        hit = self._phrases.get(key)
        if hit is None:
            root = phrase.root
            f: Features = {
                f"dep={root.dep_}": 1.0,
                f"hdep={root.head.dep_}": 1.0,
                f"ent={root.ent_type_ or '-'}": 1.0,
                f"pos={root.pos_}": 1.0,
                f"first={phrase.start == sent.start}": 1.0,
            }
            if root.dep_ == "pobj":
                f[f"prep={root.head.lower_}"] = 1.0
                f[f"prep_hpos={root.head.lower_}|{root.head.head.pos_}"] = 1.0
            # Relative to the sentence's main verb too: the trigger may be a side event.
            sroot = self._sent_roots.get(sent.start)
            if sroot is None:
                sroot = self._sent_roots[sent.start] = sent.root
            rdeps, rhit = _up_path(root, sroot, 3)
            f[f"rpath={'/'.join(rdeps) if rhit is not None else 'far'}"] = 1.0
            f[f"rside={'before' if root.i < sroot.i else 'after'}"] = 1.0
            if any(t.lower_ in ("who", "which", "that") for t in phrase):
                f["relpron"] = 1.0
            hit = self._phrases[key] = (f, root, _clause_verb(root).i)
        return hit

    def trigger_part(self, trigger: Token) -> tuple[Features, bool, int]:
        """The trigger's own features, whether it is passive, and its clause verb's index."""
        hit = self._triggers.get(trigger.i)
        if hit is None:
            f: Features = {f"tpos={trigger.pos_}": 1.0, f"tdep={trigger.dep_}": 1.0}
            passive = syntax.is_passive(trigger)
            hit = self._triggers[trigger.i] = (f, passive, _clause_verb(trigger).i)
        return hit


# --- models --------------------------------------------------------------------------


@dataclass
class _LinearModel:
    """A fitted vectoriser + classifier, saved as a joblib dict of its fields."""

    vectorizer: DictVectorizer
    classifier: LogisticRegression

    def predict(self, rows: Sequence[Features]) -> list[tuple[str, float]]:
        if not rows:
            return []
        proba = self.classifier.predict_proba(vectorize(self.vectorizer, rows))
        best = proba.argmax(axis=1)
        labels = self.classifier.classes_
        return [(str(labels[j]), float(proba[i, j])) for i, j in enumerate(best)]

    def save(self, path: Path) -> None:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        joblib.dump(data, path, compress=3)

    @classmethod
    def load(cls, path: Path) -> Self:
        data = joblib.load(path)
        return cls(**{f.name: data[f.name] for f in fields(cls)})


@dataclass
class SentenceModel(_LinearModel):
    """One label per trigger-bearing sentence (PLOVER type or quad class)."""

    kind: str  # "plover" or "quad"
    trained_on: str = ""  # sha1 of the gold file, so evaluations can refuse to test on it


@dataclass
class RoleModel(_LinearModel):
    """S/T/O labels for candidate phrases around a trigger."""

    trained_on: str = ""


def _fit(rows: Sequence[Features], labels: Sequence[str], c: float) -> tuple[DictVectorizer, Any]:
    vec = DictVectorizer()
    x = vec.fit_transform(rows)
    clf = LogisticRegression(C=c, max_iter=2000, class_weight="balanced", solver="lbfgs")
    clf.fit(x, np.asarray(labels))
    return vec, clf


def train_sentence_model(
    rows: Sequence[Features], labels: Sequence[str], kind: str, c: float = 1.0
) -> SentenceModel:
    vec, clf = _fit(rows, labels, c)
    return SentenceModel(vec, clf, kind)


def train_role_model(rows: Sequence[Features], labels: Sequence[str], c: float = 0.5) -> RoleModel:
    vec, clf = _fit(rows, labels, c)
    return RoleModel(vec, clf)


# --- which weights are in use ----------------------------------------------------------


@dataclass(frozen=True)
class EventModels:
    """The learned parts in use; any may be None (rules only for that part)."""

    plover: SentenceModel | None = None
    quad: SentenceModel | None = None
    roles: RoleModel | None = None


NO_MODELS = EventModels()


def load_event_models(folder: Path) -> EventModels:
    """Whichever ``events_*`` weight files exist in ``folder``."""
    names = (PLOVER_MODEL_FILE, QUAD_MODEL_FILE, ROLE_MODEL_FILE)
    plover, quad, roles = (folder / n for n in names)
    return EventModels(
        plover=SentenceModel.load(plover) if plover.is_file() else None,
        quad=SentenceModel.load(quad) if quad.is_file() else None,
        roles=RoleModel.load(roles) if roles.is_file() else None,
    )


@cache
def shipped_event_models() -> EventModels:
    """The ``events_*`` weights committed under ``factionmap/models`` (loaded once)."""
    with resources.as_file(resources.files("factionmap.models")) as folder:
        return load_event_models(Path(folder))

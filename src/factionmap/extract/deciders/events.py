"""The event deciders: which words report a happening and of what PLOVER type and mode, and
which actor mentions of the sentence did it (sources) or had it done to them (targets).

Candidates are the sentence's verbs and nouns; the event lexicon only adds features (the
types and modes a word often carries). Arguments are candidates among the sentence's actor
mentions, decided per (trigger, mention) pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from spacy.tokens import Doc, Span, Token

from factionmap.extract.deciders.args import Arg, bucket
from factionmap.extract.deciders.linear import LinearModel, Scorer, dense
from factionmap.extract.deciders.sentences import with_context
from factionmap.extract.grammar import (
    denial_above,
    future_cue,
    hedge_cues,
    in_quotes,
    is_passive,
    negated,
    path_string,
    speech_verb_above,
    subject_of,
)

NONE = "none"
NO_MODE = "-"
SOURCE, TARGET = "source", "target"
TRIGGER_POS = frozenset({"VERB", "NOUN"})


@cache
def _lexicon():  # type: ignore[no-untyped-def]
    from factionmap.extract.events.lexicon import load_lexicon

    return load_lexicon()


def lexicon_features(tok: Token) -> dict[str, float]:
    f: dict[str, float] = {}
    lex = _lexicon()
    lemma = tok.lemma_.lower()
    for entry in lex.candidates(lemma):
        if entry.pos not in ("*", "V" if tok.pos_ == "VERB" else "N"):
            continue
        n = len(entry.lemmas)
        if n > 1:
            following = [t.lemma_.lower() for t in tok.doc[tok.i:tok.i + n]]
            if following != list(entry.lemmas):
                continue
        f[f"lex={entry.plover}"] = 1.0
        if entry.mode:
            f[f"lexmode={entry.plover}/{entry.mode}"] = 1.0
        f[f"lexroot={entry.cameo[:2]}"] = 1.0
    return f


def candidates(sent: Span) -> list[Token]:
    return [t for t in sent if t.pos_ in TRIGGER_POS and t.dep_ not in ("aux", "auxpass")]


def _arg_of(tok: Token, spans: dict[int, Arg]) -> Arg | None:
    return spans.get(tok.i)


def trigger_features(doc: Doc, sent: Span, tok: Token, by_token: dict[int, Arg],
                     vectors: np.ndarray | None = None) -> dict[str, float]:
    lemma = tok.lemma_.lower()
    f: dict[str, float] = {"bias": 1.0, f"l={lemma}": 1.0, f"pos={tok.pos_}": 1.0,
                           f"tag={tok.tag_}": 1.0, f"dep={tok.dep_}": 1.0,
                           f"hl={tok.head.lemma_.lower()}": 1.0,
                           f"hdep={tok.dep_}|{tok.head.pos_}": 1.0,
                           f"s3={tok.lower_[-3:]}": 1.0}
    f.update(lexicon_features(tok))
    for c in tok.children:
        arg = _arg_of(c, by_token)
        dep = c.dep_
        if dep == "prep":
            for g in c.children:
                a = _arg_of(g, by_token)
                if a is not None:
                    f[f"prep_arg={c.lower_}|{a.label}"] = 1.0
            f[f"prep={c.lower_}"] = 1.0
            continue
        if dep in ("nsubj", "nsubjpass", "dobj", "agent", "poss", "compound", "dative"):
            f[f"ch={dep}|{arg.label if arg else '-'}"] = 1.0
            if arg is not None:
                f[f"chk={dep}|{arg.kind}"] = 1.0
        if dep == "neg":
            f["neg_child"] = 1.0
    if is_passive(tok):
        f["passive"] = 1.0
    if negated(tok):
        f["negated"] = 1.0
    for cue in hedge_cues(tok):
        f[f"hedge={cue}"] = 1.0
    if future_cue(tok):
        f["future"] = 1.0
    speech = speech_verb_above(tok)
    if speech is not None:
        f[f"speech={speech.lemma_.lower()}"] = 1.0
    if denial_above(tok):
        f["denied"] = 1.0
    if in_quotes(sent, tok):
        f["quoted"] = 1.0
    if any(t.lower_ == "if" and t.dep_ == "mark" for t in tok.subtree):
        f["if"] = 1.0
    n_args = len({a.ref for a in by_token.values()})
    f[f"n_actor_refs={bucket(n_args)}"] = 1.0
    if tok.i > sent.start:
        f[f"w-1={doc[tok.i - 1].lower_}"] = 1.0
    if tok.i + 1 < sent.end:
        f[f"w+1={doc[tok.i + 1].lower_}"] = 1.0
    if vectors is not None and len(vectors) == len(doc):
        f.update(dense("v", vectors[tok.i]))
    return f


def role_features(doc: Doc, sent: Span, trigger: Token, event_type: str, arg: Arg,
                  vectors: np.ndarray | None = None) -> dict[str, float]:
    span = arg.tokens(doc)
    f: dict[str, float] = {"bias": 1.0, f"type={event_type}": 1.0,
                           f"l={trigger.lemma_.lower()}": 1.0,
                           f"label={arg.label}": 1.0, f"form={arg.form}": 1.0,
                           f"kind={arg.kind}": 1.0, f"tl={event_type}|{arg.label}": 1.0}
    if span is None:
        return f
    head = span.root
    path = path_string(trigger, head)
    f[f"path={path}"] = 1.0
    f[f"tpath={event_type}|{path}"] = 1.0
    f[f"hdep={head.dep_}"] = 1.0
    if head.head.i == trigger.i:
        f[f"direct={head.dep_}"] = 1.0
        f[f"tdirect={event_type}|{head.dep_}"] = 1.0
    if head.head.dep_ in ("prep", "agent") and head.head.head.i == trigger.i:
        f[f"via={head.head.lower_}"] = 1.0
        f[f"tvia={event_type}|{head.head.lower_}"] = 1.0
    passive = is_passive(trigger)
    if passive:
        f["passive"] = 1.0
        f[f"pdep={head.dep_}"] = 1.0
    f["before" if span.start < trigger.i else "after"] = 1.0
    f[f"dist={bucket(abs(head.i - trigger.i))}"] = 1.0
    speech = speech_verb_above(trigger)
    if speech is not None:
        subj = subject_of(speech)
        if subj is not None and span.start <= subj.i < span.end:
            f["speaker"] = 1.0
    if in_quotes(sent, head):
        f["quoted"] = 1.0
    if vectors is not None and len(vectors) == len(doc):
        f.update(dense("vt", vectors[trigger.i]))
        f.update(dense("va", vectors[span.start:span.end].mean(axis=0)))
    return f


@dataclass(frozen=True, slots=True)
class TriggerDecision:
    token: Token
    type: str
    confidence: float
    mode: str | None


@dataclass(frozen=True, slots=True)
class SentenceInput:
    sent: Span
    by_token: dict[int, Arg]  # actor mentions' tokens (features)
    candidates: tuple[Arg, ...]  # actor mentions that may be arguments
    context: dict[str, float] = field(default_factory=dict)  # deciders.sentences


@dataclass(frozen=True, slots=True)
class Found:
    sent: Span
    trigger: TriggerDecision
    sources: tuple[Arg, ...]
    targets: tuple[Arg, ...]


class EventDecider:
    """Triggers, then modes, then roles, each decided for a whole document in one call."""

    def __init__(self, triggers: LinearModel, modes: LinearModel | None,
                 roles: Scorer, threshold: float = 0.5,
                 role_threshold: float = 0.5) -> None:
        self.triggers = triggers
        self.modes = modes
        self.roles = roles
        self.threshold = threshold
        self.role_threshold = role_threshold

    def decide(self, doc: Doc, sentences: Sequence[SentenceInput],
               vectors: np.ndarray | None = None) -> list[Found]:
        cands: list[tuple[SentenceInput, Token]] = []
        rows = []
        for item in sentences:
            for tok in candidates(item.sent):
                if tok.i in item.by_token:
                    continue  # a word inside an actor's name reports nothing
                cands.append((item, tok))
                rows.append(with_context(
                    trigger_features(doc, item.sent, tok, item.by_token, vectors),
                    item.context))
        if not rows:
            return []
        probs = self.triggers.proba(rows)
        classes = self.triggers.classes
        none = classes.index(NONE)
        others = np.arange(len(classes)) != none
        chosen = []
        for k, p in enumerate(probs):
            if p[none] >= self.threshold:
                continue
            best = int(np.argmax(np.where(others, p, -1.0)))
            chosen.append((k, classes[best], float(p[best])))
        modes: list[str | None] = [None] * len(chosen)
        if self.modes is not None and chosen:
            mrows = [{**rows[k], f"type={etype}": 1.0} for k, etype, _ in chosen]
            mclasses = self.modes.classes
            for j, mp in enumerate(self.modes.proba(mrows)):
                m = mclasses[int(np.argmax(mp))]
                etype = chosen[j][1]
                if m != NO_MODE and m.startswith(etype + "/"):
                    modes[j] = m.split("/", 1)[1]
        decisions = [TriggerDecision(cands[k][1], etype, conf, modes[j])
                     for j, (k, etype, conf) in enumerate(chosen)]
        role_rows, owners = [], []
        for j, (k, _etype, _conf) in enumerate(chosen):
            item = cands[k][0]
            for a in item.candidates:
                role_rows.append(role_features(doc, item.sent, decisions[j].token,
                                               decisions[j].type, a, vectors))
                owners.append((j, a))
        sources: list[list[Arg]] = [[] for _ in chosen]
        targets: list[list[Arg]] = [[] for _ in chosen]
        if role_rows:
            rclasses = self.roles.classes
            src, tgt = rclasses.index(SOURCE), rclasses.index(TARGET)
            for (j, a), p in zip(owners, self.roles.proba(role_rows), strict=True):
                best = int(np.argmax(p))
                if best == src and p[src] >= self.role_threshold:
                    sources[j].append(a)
                elif best == tgt and p[tgt] >= self.role_threshold:
                    targets[j].append(a)
        return [Found(cands[k][0].sent, decisions[j], tuple(sources[j]), tuple(targets[j]))
                for j, (k, _e, _c) in enumerate(chosen)]

"""Training rows for the event deciders (triggers, modes, roles) and the modality decider,
from the sources that annotate events and modality: our news annotations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc

from factionmap.extract.deciders.args import Arg
from factionmap.extract.deciders.events import (
    NO_MODE,
    NONE,
    SOURCE,
    TARGET,
    candidates,
    role_features,
    trigger_features,
)
from factionmap.extract.deciders.modality import anchor_of, modality_features
from factionmap.extract.deciders.sentences import SentenceContext, with_context
from factionmap.train.corpora import LabelledText
from factionmap.train.relations import PAIR_LABELS, Rows, args_of


@dataclass
class EventRows:
    triggers: Rows
    modes: Rows
    roles: Rows
    modality: Rows


def _by_token(doc: Doc, args: Sequence[Arg]) -> dict[int, Arg]:
    out: dict[int, Arg] = {}
    for a in args:
        if a.label not in PAIR_LABELS:
            continue
        span = a.tokens(doc)
        if span is not None:
            for t in span:
                out.setdefault(t.i, a)
    return out


def event_rows(texts: Sequence[LabelledText], docs: Sequence[Doc],
               kind_of: Callable[[str], str | None],
               vectors: Sequence[np.ndarray] | None = None,
               context: SentenceContext | None = None) -> EventRows:
    """Trigger candidates (with their sentence's ``context``), modes, roles and modality
    examples of the texts that mark events exhaustively."""
    out = EventRows(Rows([], [], [], []), Rows([], [], [], []), Rows([], [], [], []),
                    Rows([], [], [], []))
    for k, (lt, doc) in enumerate(zip(texts, docs, strict=True)):
        if not lt.events_exhaustive:
            continue
        vec = vectors[k] if vectors is not None else None
        args = args_of(lt, kind_of)
        by_token = _by_token(doc, args)
        gold_at: dict[int, int] = {}
        for e, ev in enumerate(lt.events):
            span = doc.char_span(*ev.trigger, alignment_mode="expand")
            if span is not None:
                gold_at.setdefault(span.root.i, e)
        sents = list(doc.sents)
        contexts = context.features(sents, vec) if context else [{} for _ in sents]
        for sent, sent_context in zip(sents, contexts, strict=True):
            sent_tokens = {i: a for i, a in by_token.items() if sent.start <= i < sent.end}
            cands = {t.i: t for t in candidates(sent)}
            for i in gold_at:
                if sent.start <= i < sent.end:
                    cands.setdefault(i, doc[i])
            sent_args = [a for a in args if a.label in PAIR_LABELS
                         and sent.start_char <= a.start < sent.end_char]
            for i, tok in sorted(cands.items()):
                f = with_context(trigger_features(doc, sent, tok, sent_tokens, vec),
                                 sent_context)
                found = gold_at.get(i)
                if found is None:
                    out.triggers.add(f, NONE, lt.weight, lt.group)
                    continue
                ev = lt.events[found]
                out.triggers.add(f, ev.type, lt.weight, lt.group)
                mode = f"{ev.type}/{ev.mode}" if ev.mode else NO_MODE
                out.modes.add({**f, f"type={ev.type}": 1.0}, mode, lt.weight, lt.group)
                out.modality.add(modality_features(doc, sent, tok, "event", ev.type),
                                 ev.modality, lt.weight, lt.group)
                sources = {args[m].ref for m in ev.sources}
                targets = {args[m].ref for m in ev.targets}
                src_ids, tgt_ids = set(ev.sources), set(ev.targets)
                for j, a in enumerate(args):
                    if a not in sent_args:
                        continue
                    label = SOURCE if j in src_ids else TARGET if j in tgt_ids else NONE
                    if label == NONE and a.ref in sources | targets:
                        continue  # another mention of an argument: no evidence either way
                    out.roles.add(role_features(doc, sent, tok, ev.type, a, vec), label,
                                  lt.weight, lt.group)
        for r in lt.relations:
            xs, ys = args[r.subject].tokens(doc), args[r.object].tokens(doc)
            if xs is None or ys is None:
                continue
            anchor = anchor_of(doc, xs, ys)
            out.modality.add(modality_features(doc, anchor.sent, anchor, "relation", r.type),
                             r.modality, lt.weight, lt.group)
    return out

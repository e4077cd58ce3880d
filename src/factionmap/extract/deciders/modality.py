"""The modality decider: asserted, attributed, hedged or negated, for an event's trigger or a
relation's anchor (the token that joins its two mentions), from the grammar around it; the
speaker of an attributed fact is the subject of the reporting verb above it, if any."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.tokens import Doc, Span, Token

from factionmap.extract.deciders.linear import LinearModel
from factionmap.extract.grammar import (
    denial_above,
    future_cue,
    hedge_cues,
    in_quotes,
    lowest_common_ancestor,
    negated,
    speech_verb_above,
    subject_of,
)

MODALITIES = ("asserted", "attributed", "hedged", "negated")


def anchor_of(doc: Doc, x: Span, y: Span) -> Token:
    """The token a relation hangs on: the two heads' common ancestor (else the later head)."""
    lca = lowest_common_ancestor(x.root, y.root)
    return lca if lca is not None else max(x.root, y.root, key=lambda t: t.i)


def modality_features(doc: Doc, sent: Span, anchor: Token, layer: str,
                      kind: str) -> dict[str, float]:
    from factionmap.extract.modality import modality_for

    f: dict[str, float] = {"bias": 1.0, f"layer={layer}": 1.0, f"kind={kind}": 1.0,
                           f"al={anchor.lemma_.lower()}": 1.0, f"apos={anchor.pos_}": 1.0}
    if negated(anchor):
        f["neg"] = 1.0
    for cue in hedge_cues(anchor):
        f[f"hedge={cue}"] = 1.0
    if future_cue(anchor):
        f["future"] = 1.0
    speech = speech_verb_above(anchor)
    if speech is not None:
        f[f"speech={speech.lemma_.lower()}"] = 1.0
        f["speech"] = 1.0
        if negated(speech):
            f["speech_neg"] = 1.0
    if denial_above(anchor):
        f["denied"] = 1.0
    if in_quotes(sent, anchor):
        f["quoted"] = 1.0
    words = {t.lower_ for t in sent}
    if "according" in words:
        f["according"] = 1.0
    for w in ("reportedly", "allegedly", "suspected", "possibly", "apparently", "likely"):
        if w in words:
            f[f"sw={w}"] = 1.0
    if sent.text.rstrip().endswith("?"):
        f["question"] = 1.0
    if any(t.lower_ == "if" and t.dep_ == "mark" for t in anchor.head.subtree):
        f["if"] = 1.0
    rule, _speaker = modality_for(doc, anchor)
    f[f"grammar={rule}"] = 1.0
    return f


def speaker_token(anchor: Token) -> Token | None:
    speech = speech_verb_above(anchor)
    if speech is not None:
        return subject_of(speech)
    return None


class ModalityDecider:
    def __init__(self, model: LinearModel) -> None:
        self.model = model

    def decide(self, rows: Sequence[dict[str, float]]) -> list[tuple[str, float]]:
        if not rows:
            return []
        probs = self.model.proba(rows)
        classes = self.model.classes
        return [(classes[int(np.argmax(p))], float(p.max())) for p in probs]

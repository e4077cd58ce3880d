"""English grammar helpers shared by every learned decider's features (one place for them).

Paths through the dependency tree, clause heads, voice, negation, hedges, speech and
attribution. They describe a sentence; they never decide a relation or an event.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from spacy.tokens import Span, Token

from factionmap.extract.lexicon import (
    DENIAL_LEMMAS,
    HEDGE_AUX,
    HEDGE_LEMMAS,
    INTENT_LEMMAS,
    NEGATION_LEMMAS,
    SPEECH_LEMMAS,
)

QUOTES = frozenset('"\u201c\u201d')
FUTURE_WORDS = frozenset({"will", "shall", "'ll", "plan", "intend", "vow", "threaten",
                          "going", "expect", "aim"})


def head_token(span: Span) -> Token:
    return span.root


def ancestors_to_root(tok: Token, limit: int = 40) -> list[Token]:
    out = [tok]
    while out[-1].head.i != out[-1].i and len(out) < limit:
        out.append(out[-1].head)
    return out


def lowest_common_ancestor(a: Token, b: Token) -> Token | None:
    up_a = ancestors_to_root(a)
    seen = {t.i for t in up_a}
    for t in ancestors_to_root(b):
        if t.i in seen:
            return t
    return None


def dep_path(a: Token, b: Token) -> tuple[list[Token], list[Token], Token | None]:
    """Tokens from ``a`` up to the common ancestor, and from ``b`` up to it (exclusive)."""
    lca = lowest_common_ancestor(a, b)
    if lca is None:
        return [], [], None
    up, down = [], []
    t = a
    while t.i != lca.i:
        up.append(t)
        t = t.head
    t = b
    while t.i != lca.i:
        down.append(t)
        t = t.head
    return up, down, lca


def path_string(a: Token, b: Token, max_len: int = 6) -> str:
    up, down, lca = dep_path(a, b)
    if lca is None or len(up) + len(down) > max_len:
        return "far"
    parts = [f"{t.dep_}^" for t in up]
    parts.append(lca.lemma_.lower() if lca.i not in (a.i, b.i) else "*")
    parts += [f"v{t.dep_}" for t in reversed(down)]
    return " ".join(parts)


def path_lemmas(a: Token, b: Token) -> list[str]:
    up, down, lca = dep_path(a, b)
    inner = [t for t in (*up[1:], *down[1:]) if t.pos_ in ("VERB", "NOUN", "ADP", "ADJ")]
    if lca is not None and lca.i not in (a.i, b.i):
        inner.append(lca)
    return [t.lemma_.lower() for t in inner]


def clause_head(tok: Token) -> Token:
    """The nearest verb at or above ``tok`` (or the sentence root)."""
    t = tok
    for _ in range(40):
        if t.pos_ in ("VERB", "AUX") or t.head.i == t.i:
            return t
        t = t.head
    return t


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def negated(tok: Token) -> bool:
    head = clause_head(tok)
    return any(c.dep_ == "neg" or c.lower_ in NEGATION_LEMMAS for c in (*tok.children,
                                                                       *head.children))


def hedge_cues(tok: Token) -> list[str]:
    head = clause_head(tok)
    cues = [c.lower_ for c in head.children if c.lower_ in HEDGE_AUX]
    cues += [c.lemma_.lower() for c in (*head.children, *tok.children)
             if c.lemma_.lower() in HEDGE_LEMMAS]
    return cues


def future_cue(tok: Token) -> bool:
    head = clause_head(tok)
    if any(c.lower_ in ("will", "shall", "'ll") for c in head.children):
        return True
    return head.dep_ == "xcomp" and head.head.lemma_.lower() in FUTURE_WORDS | INTENT_LEMMAS


def speech_verb_above(tok: Token, limit: int = 6) -> Token | None:
    t = clause_head(tok)
    for _ in range(limit):
        if t.head.i == t.i:
            return t if t.lemma_.lower() in SPEECH_LEMMAS and t is not clause_head(tok) else None
        t = t.head
        if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in SPEECH_LEMMAS:
            return t
    return None


def denial_above(tok: Token) -> bool:
    t = clause_head(tok)
    for _ in range(6):
        if t.head.i == t.i:
            return False
        t = t.head
        if t.lemma_.lower() in DENIAL_LEMMAS:
            return True
    return False


def subject_of(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    return None


def in_quotes(sent: Span, tok: Token) -> bool:
    """Whether ``tok`` stands between an odd number of quotation marks of its sentence
    (computed once per Doc)."""
    doc = sent.doc
    inside = doc.user_data.get(_QUOTED)
    if inside is None:
        inside = bytearray(len(doc))
        for s in doc.sents:
            opened = 0
            for t in s:
                inside[t.i] = opened
                if t.text in QUOTES:
                    opened ^= 1
        doc.user_data[_QUOTED] = inside
    return bool(inside[tok.i])


_QUOTED = "factionmap.quoted"


@cache
def relation_cues() -> dict[str, str]:
    text = resources.files("factionmap.extract").joinpath("data/relation_cues.tsv").read_text(
        "utf-8")
    out = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            lemma, rel = line.split("\t")
            out[lemma] = rel
    return out

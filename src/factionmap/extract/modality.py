"""Modality of a fact: asserted, negated, hedged, or attributed to a speaker.

The fact's own clause decides negation and hedging ("did not attack", "may have attacked");
clauses above it decide hedging ("it appears that ...") and attribution ("..., said Z",
"Z told ...", "according to Z"). Facts inside a noun phrase ("X, spokesman of Y, slammed ...")
do not take the negation of the verb they sit in.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from factionmap.extract.control import asked_for
from factionmap.extract.lexicon import (
    DENIAL_LEMMAS,
    HEDGE_AUX,
    HEDGE_LEMMAS,
    INTENT_LEMMAS,
    LIGHT_VERBS,
    PROSPECT_LEMMAS,
    SPEECH_LEMMAS,
    UNDONE_LEMMAS,
    UNWILLING_LEMMAS,
)
from factionmap.records import Modality, Span

_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "iobj", "dative", "agent"})
_COPULA_DEPS = frozenset({"attr", "acomp", "oprd"})
_PROSPECT_MODIFIERS = PROSPECT_LEMMAS | HEDGE_LEMMAS  # "a planned attack", "a possible strike"
# Inflected forms too: the lemmatiser reads "hopes" as "hop".
_INTENT_FORMS = INTENT_LEMMAS | {
    w + end for w in INTENT_LEMMAS
    for end in ("s", "d", "ed", "ing", w[-1] + "ed", w[-1] + "ing")
} | {w[:-1] + "ing" for w in INTENT_LEMMAS if w.endswith("e")} | UNWILLING_LEMMAS
_DISPOSED = INTENT_LEMMAS | UNWILLING_LEMMAS


def modality_for(
    doc: Doc, target: Token | SpacySpan, *, definitional: bool = False,
    stance: bool = False,
    negation_read: bool = False,
) -> tuple[Modality, Span | None]:
    """How the text presents the fact anchored at ``target``, and who said it (if anyone).

    ``definitional`` facts (an alias given in parentheses) are never negated or hedged by
    the clause around them; they can still be someone's words. A ``stance`` (support,
    opposition) is held as much when it is only meant ("vowed to back X", "wants to punish
    X"): intent does not hedge it. ``negation_read``: the clause's own negation or denial is
    what states the fact ("will not allow X", "deny X a haven" oppose X).
    """
    token = target.root if isinstance(target, SpacySpan) else target
    own, above = _clauses(token)
    if own is not None and not definitional:
        if not negation_read and _is_negated(own):
            return "negated", None
        if _is_hedged(own):
            return "hedged", None
    if own is None and not definitional and _in_prospect(token):
        return "hedged", None
    if own is not None and not definitional and _conditional(own):
        return "hedged", None
    # unlike one's own intent, a request hedges a stance as well: the one urged has not taken it
    if own is not None and not definitional and asked_for(own):
        return "hedged", None
    if own is not None and not definitional and not stance and (
        intent := _intended_by(own)
    ) is not None:
        unwilling = intent.lemma_.lower() in UNWILLING_LEMMAS or intent.lower_ in UNWILLING_LEMMAS
        return ("negated" if unwilling or _is_negated(intent) else "hedged"), None
    speaker = None
    for verb in above:
        # A fact inside a noun phrase ("Iran-backed militias appear to ...") is presupposed:
        # only clauses that embed the fact's own clause can hedge or deny it, and a clause
        # beside it ("denied wrongdoing and accused X") neither denies nor hedges it.
        embeds = own is not None and not definitional and not _beside(own, verb)
        if embeds and (_is_hedged(verb) or _denies(verb)):
            return ("negated" if _denies(verb) else "hedged"), None
        if embeds and own is not None and _left_undone(own, verb):
            return "negated", None
        if speaker is None and verb.lemma_.lower() in SPEECH_LEMMAS:
            speaker = _subject_span(doc, verb)
    if speaker is None:
        speaker = _according_to(doc, token)
    if speaker is not None:
        return "attributed", speaker
    return "asserted", None


def _clauses(token: Token) -> tuple[Token | None, list[Token]]:
    """The fact's own clause verb (None when the fact sits inside an argument) and those above.

    A noun a light verb carries out ("refused to sign an agreement with X") has that verb's
    clause: the agreement is as negated or hedged as the signing."""
    if token.dep_ == "dobj" and token.head.lemma_.lower() in LIGHT_VERBS:
        return _clauses(token.head)
    own: Token | None = None
    cur = token
    embedded = False
    while True:
        if cur.pos_ in ("VERB", "AUX") and not embedded:
            own = cur
            break
        if cur.dep_ in _COPULA_DEPS and not embedded:
            own = cur.head
            break
        if cur.dep_ in _ARGUMENT_DEPS:
            embedded = True
        if cur.head.i == cur.i:
            break
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX") and embedded:
            break
    start = own if own is not None else cur
    above = []
    node = start
    while node.head.i != node.i:
        node = node.head
        if node.pos_ in ("VERB", "AUX", "NOUN"):
            above.append(node)
    if own is None and start.pos_ in ("VERB", "AUX"):
        above.insert(0, start)
    return own, above


def _is_negated(verb: Token) -> bool:
    for child in verb.children:
        if child.dep_ == "neg" or child.lower_ in ("never",):
            # "did not rule out" is a double negation: a possibility, not a denial.
            return not _is_rule_out(verb)
    return _denies(verb)


def _in_prospect(noun: Token) -> bool:
    """Whether a fact named by a noun is only threatened, planned or possible: "a planned
    attack", "the threat of a strike on X", "authorizing air strikes against X" (up to the
    first verb above the noun), "wants to strike a deal with X" (that verb only meant)."""
    if any(c.dep_ in ("amod", "compound") and c.lemma_.lower() in _PROSPECT_MODIFIERS
           for c in noun.children):
        return True
    cur = noun
    for _ in range(4):
        if cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.lemma_.lower() in PROSPECT_LEMMAS:
            return True
        if cur.pos_ in ("VERB", "AUX"):
            # "too willing to strike a bad deal with X": the deal is only meant; but not
            # what sits deeper ("urged X to mend the rift between Hamas in Gaza and ...")
            return cur.i == _phrase_head(noun).head.i and (
                _intended_by(cur) is not None or asked_for(cur))
    return False


# Nouns that only count or sort the noun after "of": "any kind of agreement", "a series of
# strikes" are the agreement and the strikes.
_KIND_NOUNS = frozenset({"kind", "sort", "type", "form", "series", "round", "wave",
                         "set", "string", "couple", "range"})


def _phrase_head(noun: Token) -> Token:
    """``noun``, or the counting noun it is the "of" object of."""
    while (noun.dep_ == "pobj" and noun.head.lower_ == "of"
           and noun.head.head.lemma_.lower() in _KIND_NOUNS and noun.head.head.i != noun.i):
        noun = noun.head.head
    return noun


def _intended_by(own: Token) -> Token | None:
    """The word whose to-clause the fact's clause is, when it only means, wants or threatens
    it: "threatened to strike X", "wants to meet X and sign ...", "is ready to talk to X"."""
    node = own
    for _ in range(4):
        # "Unwilling to back X, the US ...": the parser may hang the adjective on the verb
        before = [c for c in node.children if c.i < node.i and c.dep_ in ("advmod", "amod")
                  and c.lower_ in UNWILLING_LEMMAS]
        if before:
            return before[0]
        if node.dep_ == "conj":
            node = node.head
        elif node.dep_ == "xcomp":
            head = node.head
            if head.lemma_.lower() in _DISPOSED or head.lower_ in _INTENT_FORMS:
                return head
            node = head
        elif node.dep_ == "acl" and node.head.lemma_.lower() in _ABILITY_NOUNS:
            return node.head  # "its capacity to attack X": a means, not an attack
        else:
            return None
    return None


_ABILITY_NOUNS = frozenset({"capacity", "ability", "capability", "means", "power"})


_CONDITIONS = frozenset({"if", "unless", "whether"})


def _conditional(own: Token) -> bool:
    """Whether the fact's clause only holds on a condition: it is the condition ("if he
    meets X", "whether he met X") or what would follow from one ("X will strike Y if ...")."""
    node = own
    for _ in range(4):
        if any(c.dep_ == "mark" and c.lower_ in _CONDITIONS for c in node.children):
            return True
        if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless")
                                         for m in c.children) for c in node.children):
            return True
        if node.dep_ not in ("conj", "xcomp") or node.head.i == node.i:
            return False
        node = node.head
    return False


def _beside(own: Token, verb: Token) -> bool:
    """Whether the fact's clause is coordinated with ``verb`` rather than embedded in it."""
    node = own
    while node.head.i != node.i and node.head.i != verb.i:
        node = node.head
    return node.head.i == verb.i and node.dep_ == "conj"


def _left_undone(own: Token, verb: Token) -> bool:
    """Whether ``verb`` is a "refuse" / "fail" / "avoid" whose complement is the fact's own
    clause ("refused to meet X", "avoided striking X"), itself not negated ("did not fail to
    ..." is the fact again)."""
    if verb.lemma_.lower() not in UNDONE_LEMMAS or any(c.dep_ == "neg" for c in verb.children):
        return False
    node = own
    while node.head.i != node.i and node.i != verb.i:
        if node.dep_ not in ("xcomp", "pcomp", "prep", "ccomp", "dobj", "conj"):
            return False
        node = node.head
    return node.i == verb.i


def _is_rule_out(verb: Token) -> bool:
    return verb.lemma_.lower() == "rule" and any(c.lower_ == "out" for c in verb.children)


def _denies(verb: Token) -> bool:
    return verb.lemma_.lower() in DENIAL_LEMMAS


def _is_hedged(verb: Token) -> bool:
    if verb.lemma_.lower() in HEDGE_LEMMAS:
        return True
    if _is_rule_out(verb) and any(c.dep_ == "neg" for c in verb.children):
        return True
    for child in verb.children:
        low = child.lower_
        if child.dep_ in ("aux", "auxpass") and low in HEDGE_AUX:
            return True
        if child.dep_ in ("advmod", "amod", "npadvmod") and child.lemma_.lower() in HEDGE_LEMMAS:
            return True
        # "Possible coalition partners include X", "potential allies are Y": only maybe so
        if child.dep_ in ("nsubj", "nsubjpass") and any(
            g.dep_ == "amod" and g.lemma_.lower() in _PROSPECT_MODIFIERS for g in child.children
        ):
            return True
    return False


def _subject_span(doc: Doc, verb: Token) -> Span | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return _np_span(doc, child)
    return None


def _according_to(doc: Doc, token: Token) -> Span | None:
    for tok in token.sent:
        if tok.lower_ == "according":
            for prep in tok.children:
                if prep.lower_ == "to":
                    for obj in prep.children:
                        if obj.dep_ == "pobj":
                            return _np_span(doc, obj)
    return None


def _np_span(doc: Doc, head: Token) -> Span:
    """The noun phrase headed by ``head`` without trailing clauses (compounds and names only)."""
    mods = [c.left_edge.i for c in head.lefts if c.dep_ in ("compound", "amod", "det", "nmod")]
    start = min([head.i, *mods])
    if doc[start].dep_ == "det":
        start += 1
    span = doc[start : head.i + 1]
    return Span(span.start_char, span.end_char, span.text)

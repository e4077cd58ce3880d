"""Dependency-parse helpers: who did it (sources) and to whom (targets), and the
modality of a trigger (negated, hedged, attributed), for active, passive, relative
and nominal event forms."""

from __future__ import annotations

from spacy.tokens import Span, Token

SUBJ = ("nsubj", "csubj")
PASSIVE_SUBJ = ("nsubjpass", "csubjpass")
OBJ = ("dobj", "obj", "dative", "attr")
# Prepositions whose object is the event's target ("strikes on", "met with").
TARGET_PREPS = frozenset(
    {"on", "against", "with", "at", "upon", "toward", "towards", "into", "to", "of"}
)
VERB_TARGET_PREPS = TARGET_PREPS - {"of", "to"}
RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that"})
# Verbs that carry an event noun: "carried out airstrikes", "held talks".
LIGHT_VERBS = frozenset(
    {
        "carry",
        "launch",
        "conduct",
        "stage",
        "mount",
        "hold",
        "make",
        "wage",
        "lead",
        "perform",
        "undertake",
        "begin",
        "start",
        "continue",
        "step",
        "intensify",
        "order",
        "execute",
        "have",
        "claim",
        "unleash",
        "fire",
    }
)
# Governors that make the act they govern not (yet) done: "plans to strike".
HEDGE_GOVERNORS = frozenset(
    {
        "plan",
        "intend",
        "threaten",
        "vow",
        "want",
        "seek",
        "try",
        "prepare",
        "aim",
        "hope",
        "expect",
        "consider",
        "propose",
        "promise",
        "pledge",
        "refuse",
        "ready",
        "able",
        "likely",
        "go",
        "decide",
        "wish",
        "urge",
        "ask",
        "call",
        "demand",
        "warn",
        "agree",
        "offer",
        "attempt",
        "possible",
        "would",
        "deny",
    }
)
HEDGE_AUX = frozenset({"may", "might", "could", "would", "should", "will", "shall", "must", "can"})
HEDGE_MODIFIERS = frozenset(
    {
        "possible",
        "potential",
        "planned",
        "future",
        "alleged",
        "likely",
        "imminent",
        "expected",
        "proposed",
        "threatened",
    }
)
# Deontic modals: "X must withdraw" states what should happen, not what did. In a demand's
# own trigger ("talks must be conditioned on ...") they are the demand, not a hedge.
DEONTIC_AUX = frozenset({"must", "should"})
# Words that make an act a condition or a conditioned act, not a fact: "conditioned on X",
# "predicated on X", "subject to X", "contingent on X", "X will depend on Y", "on condition that".
CONDITION_WORDS = frozenset(
    {
        "condition",
        "conditional",
        "predicate",
        "subject",
        "contingent",
        "dependent",
        "depend",
        "hinge",
    }
)
CONDITION_MARKS = frozenset({"if", "unless"})
# Dependencies to climb from an act to the word that may make it a condition.
_CONDITION_CLIMB = frozenset(
    {"pobj", "prep", "pcomp", "acl", "nsubj", "nsubjpass", "dobj", "advcl", "xcomp", "ccomp"}
)
NEGATORS = frozenset({"not", "n't", "never", "no"})
SPEECH_VERBS = frozenset(
    {
        "say",
        "claim",
        "report",
        "allege",
        "tell",
        "announce",
        "state",
        "insist",
        "accuse",
        "add",
        "assert",
        "confirm",
        "believe",
        "write",
        "tweet",
        "argue",
        "note",
        "suggest",
        "declare",
        "according",
    }
)


def sentence_of(token: Token) -> Span:
    """The token's sentence. spaCy's ``Token.sent`` rescans the whole document on every
    call; scanning to the nearest sentence starts costs only the sentence's length."""
    doc = token.doc
    start = token.i
    while start > 0 and not doc[start].is_sent_start:
        start -= 1
    end = token.i + 1
    while end < len(doc) and not doc[end].is_sent_start:
        end += 1
    return doc[start:end]


def conjuncts(token: Token) -> list[Token]:
    """The token and its coordinated siblings ("X and Y")."""
    out = [token]
    for child in token.children:
        if child.dep_ == "conj":
            out.extend(conjuncts(child))
    return out


def children(token: Token, deps: tuple[str, ...]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def prep_objects(token: Token, preps: frozenset[str]) -> list[tuple[str, Token]]:
    """(preposition, object) pairs under a token: "attacks on [bases]"."""
    out: list[tuple[str, Token]] = []
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in preps:
            out.extend((prep.lower_, obj) for obj in prep.children if obj.dep_ == "pobj")
    return out


def agent_objects(token: Token) -> list[Token]:
    """Objects of "by" in passives and nominals: "struck by [Y]", "killing of X by [Y]"."""
    out: list[Token] = []
    for child in token.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            out.extend(obj for obj in child.children if obj.dep_ == "pobj")
    return out


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in PASSIVE_SUBJ or c.dep_ == "auxpass" for c in verb.children)


def verb_subject(verb: Token) -> Token | None:
    """The grammatical subject, borrowed from a coordinated or governing verb if absent."""
    current: Token | None = verb
    for _ in range(4):
        if current is None:
            return None
        subj = children(current, SUBJ)
        if subj:
            return subj[0]
        # "X is about to strike": climb through the predicate adjective too.
        if current.dep_ in ("conj", "xcomp", "advcl", "acomp") and current.head.i != current.i:
            current = current.head
            continue
        return None
    return None


def negated(token: Token) -> bool:
    if any(
        c.dep_ == "neg" or (c.lower_ in NEGATORS and c.dep_ in ("neg", "det", "advmod"))
        for c in token.children
    ):
        return True
    head = token.head
    # "did not carry out attacks": the light verb carries the negation.
    return (
        token.dep_ in OBJ
        and head.lemma_ in LIGHT_VERBS
        and any(c.dep_ == "neg" for c in head.children)
    )


def _modal_aux(token: Token, deontic_hedges: bool) -> bool:
    modals = HEDGE_AUX if deontic_hedges else HEDGE_AUX - DEONTIC_AUX
    if any(c.dep_ in ("aux", "auxpass") and c.lemma_.lower() in modals for c in token.children):
        return True
    # "would have to withdraw": the modal sits on "have", whose xcomp is the act.
    head = token.head
    return (
        deontic_hedges
        and token.dep_ == "xcomp"
        and head.lemma_.lower() == "have"
        and any(c.dep_ == "aux" and c.lemma_.lower() in HEDGE_AUX for c in head.children)
    )


def conditional(token: Token) -> bool:
    """Whether the act is a condition or is conditioned: "talks must be conditioned on the
    withdrawal" (both), "subject to the release", "only if the army withdraws", "on condition
    that the troops leave". Climbs at most to the nearest clause, then one clause up."""
    node = token
    clauses = 0
    for _ in range(6):
        if any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKS for c in node.children):
            return True
        head = node.head
        if head.i == node.i or node.dep_ not in _CONDITION_CLIMB:
            return False
        if head.lemma_.lower() in CONDITION_WORDS or head.lower_ in CONDITION_WORDS:
            return True
        # "X would be subject to Y": the condition word is the copula's complement.
        if node.dep_ in SUBJ and any(
            c.dep_ == "acomp" and c.lemma_.lower() in CONDITION_WORDS for c in head.children
        ):
            return True
        if head.pos_ in ("VERB", "AUX"):
            clauses += 1
            if clauses > 2:
                return False
        node = head
    return False


def hedged(token: Token, *, deontic_hedges: bool = True) -> bool:
    """Whether the act is not (yet) done. ``deontic_hedges=False`` for demand triggers, whose
    "must"/"should" is the demand itself."""
    if _modal_aux(token, deontic_hedges):
        return True
    # "talks must be held": a passive act noun under a deontic or future modal.
    if (
        deontic_hedges
        and token.dep_ == "nsubjpass"
        and token.pos_ in ("NOUN", "PROPN")
        and any(c.dep_ == "aux" and c.lemma_.lower() in HEDGE_AUX for c in token.head.children)
    ):
        return True
    if conditional(token):
        return True
    if any(
        c.dep_ in ("amod", "compound") and c.lemma_.lower() in HEDGE_MODIFIERS
        for c in token.children
    ):
        return True
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in token.children):
        return True
    head, node = token.head, token
    # Walk up through the clause that embeds the act: "plans to launch an attack".
    for _ in range(3):
        if (
            node.dep_ in ("xcomp", "ccomp", "advcl", "pcomp", "pobj", "dobj", "acomp")
            and head.i != node.i
        ):
            if head.lemma_.lower() in HEDGE_GOVERNORS:
                return True
            if node.dep_ == "advcl" and any(c.lower_ in ("if", "unless") for c in node.children):
                return True
            node, head = head, head.head
            continue
        break
    return False


def speech_governor(token: Token) -> Token | None:
    """The speech verb whose content holds this token ("X said [Y attacked Z]")."""
    node = token
    for _ in range(6):
        if node.dep_ == "ROOT" or node.head.i == node.i:
            break
        if node.dep_ in ("ccomp", "parataxis") and node.head.lemma_.lower() in SPEECH_VERBS:
            return node.head
        node = node.head
    # "according to X"
    sent = sentence_of(token)
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "to":
            return tok
    # "X said" after the clause: the trigger's root is a speech verb with the clause as ccomp.
    root = sent.root
    if root.lemma_.lower() in SPEECH_VERBS and root.i != token.i:
        for child in root.children:
            if child.dep_ in ("ccomp", "parataxis") and token in child.subtree:
                return root
    return None


def speaker(governor: Token) -> Token | None:
    """Who said it; for "X issued a statement saying ..." the statement's issuer."""
    if governor.dep_ == "acl" and governor.head.pos_ in ("NOUN", "PROPN"):
        return _issuer(governor.head)
    return _speaker(governor)


def _issuer(statement: Token) -> Token | None:
    """The author of a statement noun: "a statement by/from X", "X's statement", or the
    subject of the verb that issued it ("X issued/released a statement")."""
    for child in statement.children:
        if child.dep_ == "poss":
            return child
    for _, obj in prep_objects(statement, frozenset({"by", "from"})):
        return obj
    if statement.dep_ in OBJ and statement.head.pos_ in ("VERB", "AUX"):
        return verb_subject(statement.head)
    return None


def _speaker(governor: Token) -> Token | None:
    if governor.lower_ == "according":
        for prep in governor.children:
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    return obj
        nxt = governor.nbor(1)
        for obj in nxt.children:
            if obj.dep_ == "pobj":
                return obj
        return None
    subj = children(governor, SUBJ)
    if subj:
        return subj[0]
    agents = agent_objects(governor)
    return agents[0] if agents else None


def depth(token: Token) -> int:
    """Steps from the token up to its sentence root (0 for the root)."""
    n = 0
    while token.head.i != token.i and n < 50:
        token, n = token.head, n + 1
    return n

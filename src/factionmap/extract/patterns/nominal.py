"""Noun-phrase patterns: aliases, "Y-backed X", "X of Y", "X is part of Y", "X in Y"."""

from __future__ import annotations

from spacy.tokens import Token

from factionmap.extract.coref import is_alias_pair
from factionmap.extract.lexicon import ATTACK_VERBS
from factionmap.extract.patterns.context import SentenceContext
from factionmap.extract.patterns.verbs import (
    POSSESSIVE_PRONOUNS,
    RELATIVE_PRONOUNS,
    subject_token,
)
from factionmap.records import Mention, RelationType

# An alias defined in text ("the Hashd, or Popular Mobilization Units") is explicit: high.
CONF_ALIAS = 0.85
CONF_BACKED_COMPOUND = 0.75
CONF_PART_OF = 0.8
CONF_OF = 0.55
CONF_IN = 0.5
_BACKING_WORDS = frozenset({"backed", "funded", "sponsored", "supported", "armed"})


# Labels whose mentions have aliases: actors, and named ships or aircraft ("USS Mahan (DDG 72)").
_ALIAS_LABELS = frozenset({"Organisation", "Person", "MilitaryPlatform"})


def alias_relations(ctx: SentenceContext, mentions: list[Mention]) -> None:
    text = ctx.text
    for i in range(1, len(mentions)):
        cur, prev = mentions[i], mentions[i - 1]
        if i >= 2 and prev.label not in _ALIAS_LABELS:
            prev = mentions[i - 2]  # "X, also known by its Arabic [Nationality] acronym as Y"
        if prev.label in _ALIAS_LABELS and cur.label == prev.label and \
                is_alias_pair(text, prev, cur):
            anchor = ctx.doc.char_span(cur.start, cur.end, alignment_mode="expand")
            if anchor is not None:
                ctx.add("same_as", cur, prev, confidence=CONF_ALIAS, pattern="alias",
                        anchor=anchor.root, definitional=True)


_BACKABLE = frozenset({"Organisation", "Person"})


def backed_compounds(ctx: SentenceContext) -> None:
    """"Iranian-backed militias", "Iran-backed X": the modifier is the backer."""
    for tok, backed, backer in ctx.prefixed_mentions(_BACKING_WORDS, _BACKABLE):
        ctx.add("backed_by", backed, backer, confidence=CONF_BACKED_COMPOUND,
                pattern="backed_compound", anchor=tok.head)


def _pobj_mentions(ctx: SentenceContext, tok: Token, preps: frozenset[str]) -> list[Mention]:
    out: list[Mention] = []
    for child in tok.children:  # the parser calls a preposition after a participle "agent"
        if child.dep_ in ("prep", "agent") and child.lower_ in preps:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    out.extend(ctx.with_conjuncts(obj))
    return out


def _pobj_owners(ctx: SentenceContext, tok: Token, preps: frozenset[str]) -> list[Mention]:
    """Owners of what follows the preposition: "pressure on [Assad's] regime", "attacks on
    [ISIL] positions" aim at the owner."""
    return [m for child in tok.children if child.dep_ == "prep" and child.lower_ in preps
            for obj in child.children if obj.dep_ == "pobj"
            for c in obj.children if c.dep_ in ("poss", "compound") and c.i < obj.i
            for m in ctx.with_conjuncts(c) if m.label != "Location" or m.actor_kind == "state"]


def _as_part_holders(head: Token) -> list[Token]:
    """Who acts "as part of Y": the actor "as" qualifies ("the UK, as part of the coalition"),
    else the subject of the clause ("we will fly missions as part of Y")."""
    if head.pos_ in ("VERB", "AUX"):
        subj = subject_token(head)
        if subj is not None and subj.lower_ in RELATIVE_PRONOUNS and head.dep_ == "relcl":
            subj = head.head  # "the squadron, which will fly missions as part of Y"
        return [subj] if subj is not None else []
    return [head]


def part_of(ctx: SentenceContext) -> None:
    for tok in ctx.tokens:
        if tok.lower_ not in ("part", "member", "members", "wing", "branch", "faction") or \
                ctx.mention(tok) is not None:
            continue
        if tok.dep_ == "attr":
            holders = [c for c in tok.head.children if c.dep_ == "nsubj"]
        elif tok.dep_ == "appos":
            holders = [tok.head]
        elif tok.lower_ == "part" and tok.dep_ == "pobj" and tok.head.lower_ == "as":
            holders = _as_part_holders(tok.head.head)
        else:
            continue
        # "the parties: the members of the UNSC, as well as Germany": Germany stands beside
        # the members, it is not one of them
        beside = [m for c in tok.conjuncts if (m := ctx.mention(c)) is not None]
        for h in holders:
            for subj in ctx.with_conjuncts(h):
                if (subj.label == "Person" and tok.lower_ != "member") or subj in beside:
                    continue
                for obj in _pobj_mentions(ctx, tok, frozenset({"of"})):
                    if obj.label != "Person":
                        ctx.add("member_of", subj, obj, confidence=CONF_PART_OF,
                                pattern="part_of", anchor=tok)


# Bodies named by what they are made of: "a coalition of X", "an alliance of X".
_MADE_OF = frozenset({"coalition", "alliance", "bloc", "union", "federation", "league",
                      "network", "umbrella", "grouping", "confederation", "consortium"})


def of_and_in(ctx: SentenceContext, mentions: list[Mention]) -> None:
    """"the brigades of the PMU" -> member_of; "militias in Iraq" -> located_in."""
    doc = ctx.doc
    for m in mentions:
        if m.label not in ("Organisation", "Person"):
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        head = span.root
        if m.label == "Organisation":
            for obj in _pobj_mentions(ctx, head, frozenset({"of"})):
                if obj.label == "Organisation" and obj.actor_kind != "state":
                    # "a coalition of militias" is made of them: the militias are members
                    member, body = (obj, m) if head.lemma_.lower() in _MADE_OF else (m, obj)
                    ctx.add("member_of", member, body, confidence=CONF_OF,
                            pattern="org_of_org", anchor=head)
        # "Turkey within NATO", "the Sadrists within the alliance"
        for obj in _pobj_mentions(ctx, head, frozenset({"within"})):
            if obj.label == "Organisation" and obj.actor_kind != "state":
                ctx.add("member_of", m, obj, confidence=CONF_OF, pattern="within_org",
                        anchor=head)
        for obj in _pobj_mentions(ctx, head, frozenset({"in", "inside"})):
            if obj.label == "Location":
                ctx.add("located_in", m, obj, confidence=CONF_IN, pattern="actor_in_place",
                        anchor=head)


CONF_SUPPORT_NOUN = 0.55
_SUPPORT_NOUNS = frozenset({"support", "backing", "assistance", "aid"})
_SUPPORT_PREPS = frozenset({"of", "for", "to"})


def _verb_above(tok: Token) -> Token | None:
    """The verb of the clause a noun phrase sits in, a few steps up the parse."""
    node = tok
    for _ in range(6):
        if node.head.i == node.i:
            return None
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return node
    return None


def _clause_subject(ctx: SentenceContext, tok: Token) -> Mention | None:
    """The subject of the clause a noun phrase sits in ("X remains firm in its support")."""
    verb = _verb_above(tok)
    subj = subject_token(verb) if verb is not None else None
    if subj is None and verb is not None and _owned_by_pronoun(tok):
        # "the EU is united in its condemnation of X": "its" is the passive's subject
        subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    return ctx.mention(subj) if subj is not None else None


def _owned_by_pronoun(noun: Token) -> bool:
    return any(c.dep_ == "poss" and c.lower_ in POSSESSIVE_PRONOUNS for c in noun.children)


# Verbs whose subject judges, reports, grieves or suffers an act rather than doing it.
_REACTION_VERBS = frozenset({"condemn", "denounce", "deplore", "decry", "mourn", "regret",
                             "lament", "report", "document", "investigate", "confirm",
                             "welcome", "mark", "criticize", "criticise", "witness", "survive",
                             "blame", "claim", "describe", "endure", "suffer", "face",
                             "withstand", "weather", "repel", "repulse", "foil", "thwart"})


def _reacts_to(noun: Token) -> bool:
    """Whether the verb above ``noun`` is a reaction to it ("X condemned the attack on Y")."""
    verb = _verb_above(noun)
    return verb is not None and verb.lemma_.lower() in _REACTION_VERBS


# Verbs by which a subject owns up to an act: negated, they say nothing of who did it.
# ("X did not carry out the attack" is the attack denied: the light verb's modality.)
_OWNING_VERBS = frozenset({"take", "claim", "admit", "acknowledge", "accept", "order"})


def _disowns(noun: Token) -> bool:
    """Whether the clause a nominal act sits in only says the subject does not own up to it:
    "X did not take responsibility for the attack on Y" (but "X did not stop its attacks"
    still has X attack)."""
    verb = _verb_above(noun)
    return (verb is not None and verb.lemma_.lower() in _OWNING_VERBS
            and any(c.dep_ == "neg" for c in verb.children))


def _relate_doer(ctx: SentenceContext, noun: Token, doer: Mention | None, objects: list[Mention],
                 rel_type: RelationType, confidence: float, pattern: str) -> None:
    """``rel_type(doer, object)`` for each object of a nominal act, anchored on the noun."""
    if doer is None:
        return
    for obj in objects:
        if obj is not doer:
            ctx.add(rel_type, doer, obj, confidence=confidence, pattern=pattern, anchor=noun)


def support_nouns(ctx: SentenceContext) -> None:
    """"X's support for Y", "X ... in support of Y": ``supports`` from the noun."""
    if ctx.lacks(_SUPPORT_NOUNS):
        return
    for tok in ctx.tokens:
        if tok.lemma_.lower() not in _SUPPORT_NOUNS or tok.pos_ != "NOUN":
            continue
        supported = [m for m in _pobj_mentions(ctx, tok, _SUPPORT_PREPS) if m.label != "Location"
                     or m.actor_kind == "state"]
        if not supported:  # "in support of SDF operations": whoever runs them
            supported = [m for m in _pobj_owners(ctx, tok, _SUPPORT_PREPS)
                         if m.label != "Location" or m.actor_kind == "state"]
        if not supported:  # "provide the government of Iraq with military support"
            supported = _provided_with(ctx, tok)
        givers = _support_from(ctx, tok)
        if not supported and givers:
            # "X liberated the town, aided by support from Y", "X won support from Y"
            receiver = _receiver(ctx, tok)
            supported = [receiver] if receiver is not None and receiver not in givers else []
        if not supported:
            continue
        supporter = _named_doer(ctx, tok) or _giver_of(ctx, tok)
        if supporter is None and givers:
            for giver in givers:
                _relate_doer(ctx, tok, giver, supported, "supports", CONF_SUPPORT_NOUN,
                             "support_noun")
            continue
        if supporter is None and not (_reacts_to(tok) or _regards(tok)):
            # "X remains firm in its support for Y"; but whoever criticises "support for Y"
            # is not the one giving it
            supporter = _clause_subject(ctx, tok)
        _relate_doer(ctx, tok, supporter, supported,
                     "allied_with" if _strikes_in_support(tok) else "supports",
                     CONF_SUPPORT_NOUN, "support_noun")


# Strikes flown "in support of" someone are fought beside them.
_STRIKE_NOUNS = frozenset({"strike", "airstrike", "raid", "sortie", "attack", "bombing",
                           "mission"})


def _strikes_in_support(noun: Token) -> bool:
    """Whether the support is strikes for someone: "conducted ten strikes in support of X",
    "will continue to strike ISIL targets in support of our partners": allies in the fight,
    not a patron and a client."""
    if noun.dep_ != "pobj" or noun.head.lower_ != "in":
        return False
    node = noun.head.head
    for _ in range(3):
        if node.lemma_.lower() in ATTACK_VERBS and node.pos_ == "VERB":
            return True
        if any(c.dep_ == "dobj" and c.lemma_.lower() in _STRIKE_NOUNS for c in node.children):
            return True
        if node.lemma_.lower() in _STRIKE_NOUNS and node.pos_ == "NOUN":
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


# Verbs that take support away from its receiver: "withdrew support from X".
_WITHDRAWING = frozenset({"withdraw", "pull", "cut", "remove", "suspend", "end", "halt",
                          "divert", "drain", "strip"})


def _support_from(ctx: SentenceContext, noun: Token) -> list[Mention]:
    """The givers in "support from X" (not "withdrew support from X", where X receives it)."""
    verb = _verb_above(noun)
    if verb is not None and verb.lemma_.lower() in _WITHDRAWING:
        return []
    givers = _pobj_mentions(ctx, noun, frozenset({"from"}))
    if not givers and noun.dep_ == "dobj" and noun.head.lemma_.lower() in _RECEIVING:
        givers = _pobj_mentions(ctx, noun.head, frozenset({"from"}))  # parser's attachment
    return givers


def _receiver(ctx: SentenceContext, noun: Token) -> Mention | None:
    """Who gets the support a clause names: its subject, or, in the passive, whoever owns
    what the support serves ("the president's survival was assured by support from X")."""
    verb = _verb_above(noun)
    patient = next((c for c in verb.children if c.dep_ == "nsubjpass"), None) if verb else None
    if patient is not None:
        return ctx.mention(patient) or next(
            (ctx.mention(c) for c in patient.children if c.dep_ == "poss"), None)
    return _clause_subject(ctx, noun)


# Verbs whose subject gets the support their object names: "received support from X".
_RECEIVING = frozenset({"receive", "get", "win", "obtain", "gain", "enjoy", "accept", "seek",
                        "secure", "draw"})


_PROVIDING = frozenset({"provide", "supply", "furnish", "equip", "offer"})
# Nouns that carry the support they are "of": "Obama's statements of support for X".
_EXPRESSIONS = frozenset({"statement", "expression", "pledge", "message", "promise", "show",
                          "declaration", "offer", "signal", "gesture", "vow", "letter"})


def _giver_of(ctx: SentenceContext, noun: Token) -> Mention | None:
    """Who gives the support that "X's statements of support" carry: X."""
    if noun.dep_ != "pobj" or noun.head.lower_ != "of":
        return None
    carrier = noun.head.head
    if carrier.lemma_.lower() not in _EXPRESSIONS:
        return None
    return _named_doer(ctx, carrier)


def _provided_with(ctx: SentenceContext, noun: Token) -> list[Mention]:
    """Who is given the support in "provide Y with support" (the verb's object)."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "with" or prep.head.lemma_.lower() not in _PROVIDING:
        return []
    return [m for c in prep.head.children if c.dep_ == "dobj" for m in ctx.with_conjuncts(c)
            if m.label != "Location" or m.actor_kind == "state"]


CONF_HOSTILE_NOUN = 0.55
_HOSTILE_NOUNS = frozenset({
    "attack", "strike", "airstrike", "raid", "offensive", "campaign", "fight", "war",
    "bombing", "assault", "operation", "mission", "struggle", "battle", "defense", "defence",
})
_HOSTILE_PREPS = frozenset({"on", "against"})


def _doer_of_noun(ctx: SentenceContext, noun: Token) -> Mention | None:
    """Who carries out a nominal act: "the regime's attacks", "attacks by X", "U.S. strikes",
    else the subject of the clause ("the coalition conducted strikes against ...")."""
    return _named_doer(ctx, noun) or _clause_subject(ctx, noun)


def _named_doer(ctx: SentenceContext, noun: Token) -> Mention | None:
    """The doer a nominal act names itself: its owner ("Iran's support", "U.S. support",
    "Russian support") or its agent ("support by X")."""
    for child in noun.children:
        if child.dep_ in ("poss", "compound", "amod", "nmod") and child.i < noun.i:
            # "Iran's missile strikes": the owner may hang on the compound before the noun
            for tok in (child, *(g for g in child.children
                                 if child.dep_ == "compound" and g.dep_ == "poss")):
                m = ctx.mention(tok)
                if m is not None and (m.label != "Location" or m.actor_kind == "state"):
                    return m
        if child.dep_ == "prep" and child.lower_ == "by":
            for obj in child.children:
                if obj.dep_ == "pobj" and ctx.mention(obj) is not None:
                    return ctx.mention(obj)
    return None


_OPPOSING_NOUNS = frozenset({"pressure", "sanction", "condemnation", "opposition",
                            "criticism", "denunciation"})
_OPPOSING_PREPS = frozenset({"on", "against", "to"})
# "condemnation of X's policies": what is condemned follows "of"
_OF_OPPOSING = frozenset({"condemnation", "criticism", "denunciation"})


# Verbs that carry out an opposing noun: "apply pressure", "impose sanctions".
_IMPOSING = frozenset({"apply", "put", "exert", "impose", "increase", "keep", "maintain",
                       "step", "ratchet", "place", "pile", "levy", "slap", "tighten"})


def hostile_nouns(ctx: SentenceContext) -> None:
    """"X's attacks on Y", "the fight against Y", "strikes against Y" -> ``fighting_against``;
    "pressure on Y", "sanctions against Y" -> ``opposes``."""
    for tok in ctx.tokens:
        lemma = tok.lemma_.lower()
        if tok.pos_ != "NOUN":
            continue
        if lemma in ("defense", "defence") and tok.tag_ != "NNS":
            continue  # a military group's "defenses against X"; "his defense" is a lawyer's
        if lemma in _HOSTILE_NOUNS:
            rel_type: RelationType = "fighting_against"
            preps = _HOSTILE_PREPS
        elif lemma in _OPPOSING_NOUNS:
            rel_type, preps = "opposes", _OPPOSING_PREPS
            if lemma in _OF_OPPOSING:
                preps = preps | {"of"}
        else:
            continue
        if ctx.mention(tok) is not None:
            continue  # part of a name ("Operation Inherent Resolve")
        targets = _pobj_mentions(ctx, tok, preps) or _pobj_owners(ctx, tok, preps)
        if not targets and rel_type == "opposes" and tok.dep_ == "dobj" and (
                tok.head.lemma_.lower() in _IMPOSING):
            # "applying pressure to the regime", "imposed sanctions on Iran": the parser
            # hangs the target on the verb that carries the noun
            targets = _pobj_mentions(ctx, tok.head, preps - {"of"})
        if not targets:
            continue
        doer = _named_doer(ctx, tok)
        doers = [doer] if doer is not None else _fought_alongside(ctx, tok)
        if not doers:
            doer = _clause_subject(ctx, tok)
            if doer is not None and (_reacts_to(tok) or _disowns(tok)):
                continue  # "the US condemns the attack on X": the condemner did not attack
            doers = [doer] if doer is not None else []
        for doer in doers:
            _relate_doer(ctx, tok, doer, targets, rel_type, CONF_HOSTILE_NOUN,
                         f"{rel_type}_noun")


def _fought_alongside(ctx: SentenceContext, noun: Token) -> list[Mention]:
    """Who fights in "support for X in the fight against Y" (X, not the supporter) and in
    "work with X in the fight against Y" (X and the clause's subject)."""
    if noun.dep_ != "pobj" or noun.head.lower_ != "in":
        return []
    host = noun.head.head
    helps = [host] if host.lemma_.lower() in _SUPPORT_NOUNS else [
        c for c in host.children if c.dep_ == "dobj" and c.lemma_.lower() in _SUPPORT_NOUNS]
    helped = [m for h in helps for m in _pobj_mentions(ctx, h, frozenset({"for", "to"}))]
    if helped:
        return helped
    partners = _pobj_mentions(ctx, host, frozenset({"with"}))
    subject = _clause_subject(ctx, noun) if partners else None
    return partners + ([subject] if subject is not None and subject not in partners else [])


CONF_MEETING_NOUN = 0.55
_MEETING_NOUNS = frozenset({"meeting", "talk", "call", "discussion", "conversation",
                            "consultation", "negotiation", "agreement", "summit", "contact",
                            "touch", "deal", "accord", "pact", "dialogue"})


def meeting_nouns(ctx: SentenceContext) -> None:
    """"X held talks with Y", "X's call with Y", "an agreement between X and Y" ->
    ``communicated_with``."""
    if ctx.lacks(_MEETING_NOUNS):
        return
    for tok in ctx.tokens:
        if tok.lemma_.lower() not in _MEETING_NOUNS or tok.pos_ != "NOUN":
            continue
        # "between" hangs on the noun, on a participle after it ("the agreement reached
        # yesterday between X and Y") or on a date ("the agreement on 2 December between")
        hosts = [tok, *(c for c in tok.children if c.dep_ == "acl"),
                 *(o for p in tok.children if p.dep_ == "prep" and p.lower_ != "between"
                   for o in p.children if o.dep_ == "pobj" and o.ent_type_ == "DATE")]
        between = [m for h in hosts for m in _pobj_mentions(ctx, h, frozenset({"between"}))]
        for k, a in enumerate(between):
            for b in between[k + 1 :]:
                ctx.add("communicated_with", a, b, confidence=CONF_MEETING_NOUN,
                        pattern="meeting_between", anchor=tok)
        partners = _pobj_mentions(ctx, tok, frozenset({"with"}))
        if not partners:
            continue
        doer = _doer_of_noun(ctx, tok)
        if doer is not None and doer is _clause_subject(ctx, tok) and (
            _reacts_to(tok) or _regards(tok)
        ):
            continue  # "Israel criticised the deal with Iran": a party's critic, not a party
        _relate_doer(ctx, tok, doer, partners, "communicated_with", CONF_MEETING_NOUN,
                     "meeting_with")


def _regards(noun: Token) -> bool:
    """Whether the clause only holds a view of the act a noun names: an adjective stands
    between them ("officials, who are skeptical of any deal with X", "wary of talks")."""
    node = noun
    for _ in range(6):
        if node.head.i == node.i:
            return False
        node = node.head
        if node.pos_ == "ADJ":
            return True
        if node.pos_ in ("VERB", "AUX"):
            return False
    return False


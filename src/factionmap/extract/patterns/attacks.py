"""Attacks: weapons and whoever wields them fight what they hit ("five strikes engaged X",
"a U.S. strike hit Y", "the use of IEDs against the SDF", "attacks claimed by ISIL killed Z")."""

from __future__ import annotations

from spacy.tokens import Token

from factionmap.extract.lexicon import ATTACK_VERBS
from factionmap.extract.patterns.context import SentenceContext
from factionmap.extract.patterns.verbs import (
    RELATIVE_PRONOUNS,
    is_passive,
    owners,
    subject_token,
)
from factionmap.records import Mention

CONF_INSTRUMENT = 0.55
_INSTRUMENT_LABELS = frozenset({"Weapon", "MilitaryPlatform"})


def _instruments(ctx: SentenceContext, tok: Token) -> list[Mention]:
    return [m for m in ctx.held_things(tok) if m.label in _INSTRUMENT_LABELS]


def _targets(ctx: SentenceContext, tok: Token) -> list[Mention]:
    """Who or what is attacked at ``tok``: actors, else their owners ("ISIL targets"), and
    the places and equipment hit."""
    found = ctx.with_conjuncts(tok)
    if ctx.mention(tok) is None:  # "three ISIL tactical units": the owner is hit
        found = [m for m in owners(ctx, tok) if m not in found] + found
    return found + [m for m in ctx.held_things(tok) if m not in found]


def _subjects(verb: Token) -> list[Token]:
    """Every subject of ``verb`` or of the verb it is conjoined to: the parser makes a fronted
    place a second subject now and then ("Near Hit, one strike destroyed ..."). A relative
    pronoun stands for its noun ("attacks which killed X"), and "a series of strikes" for the
    strikes."""
    head = verb
    while head.dep_ == "conj" and head.head.pos_ == "VERB":
        head = head.head
    out = []
    for v in {verb, head}:
        for c in v.children:
            if c.dep_ != "nsubj":
                continue
            if c.lower_ in RELATIVE_PRONOUNS and v.dep_ == "relcl":
                c = v.head
            if c.lemma_.lower() in _SERIES_NOUNS:
                c = next((o for p in c.children if p.dep_ == "prep" and p.lower_ == "of"
                          for o in p.children if o.dep_ == "pobj"), c)
            out.append(c)
    return out


# "a series of airstrikes killed X": the strikes did it
_SERIES_NOUNS = frozenset({"series", "wave", "string", "barrage", "spate", "round", "number"})
_ATTACK_NOUNS = frozenset({"attack", "bombing", "strike", "airstrike", "raid", "assault",
                           "shelling", "bombardment", "blast", "explosion", "ambush"})


def attack_doers(ctx: SentenceContext, noun: Token) -> list[Mention]:
    """Who carried out the attack a noun names: "ISIL's attacks", "attacks by X", "attacks
    claimed by X", "bombings for which X claimed responsibility"."""
    if noun.lemma_.lower() not in _ATTACK_NOUNS:
        return []
    out = [m for m in owners(ctx, noun) if m.label != "Location"]
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            out += [m for o in child.children if o.dep_ == "pobj" for m in ctx.with_conjuncts(o)]
        elif child.dep_ in ("acl", "relcl") and child.lemma_.lower() == "claim":
            out += [m for a in child.children if a.dep_ == "agent"
                    for o in a.children if o.dep_ == "pobj" for m in ctx.with_conjuncts(o)]
            out += [m for a in child.children if a.dep_ == "nsubj" for m in ctx.with_conjuncts(a)]
    claim = noun.head
    if claim.lemma_.lower() == "claim" and claim.pos_ == "VERB":
        if noun.dep_ == "dobj":  # "X claimed the attacks, which killed Y"
            subj = subject_token(claim)
            out += ctx.with_conjuncts(subj) if subj is not None else []
        elif noun.dep_ == "nsubj":  # "attacks, claimed by X, killed Y" misparsed as a clause
            out += [m for a in claim.children if a.dep_ == "agent"
                    for o in a.children if o.dep_ == "pobj" for m in ctx.with_conjuncts(o)]
    return out


def _attack_lemma(verb: Token) -> bool:
    """Whether ``verb`` attacks; the small model leaves some past forms unlemmatised
    ("suppressed")."""
    lemma = verb.lemma_.lower()
    if lemma in ATTACK_VERBS:
        return True
    return lemma.endswith("ed") and (lemma[:-1] in ATTACK_VERBS or lemma[:-2] in ATTACK_VERBS)


def _users(ctx: SentenceContext, tok: Token) -> list[Mention]:
    """Who uses the weapon at ``tok``: "Coalition forces conducted strikes using bomber
    aircraft against X" (the subject of "using")."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    verb = tok if tok.pos_ == "VERB" else tok.head
    if verb.lemma_.lower() != "use" or verb.pos_ != "VERB":
        return []
    subj = subject_token(verb)
    return ctx.with_conjuncts(subj) if subj is not None else []


def _withowners(ctx: SentenceContext, weapons: list[Mention]) -> list[Mention]:
    """The weapons and the actors they belong to: in "U.S. airstrikes destroyed X" the
    United States fights X as well as the strikes do."""
    out = list(weapons)
    for weapon in weapons:
        span = ctx.doc.char_span(weapon.start, weapon.end, alignment_mode="expand")
        if span is not None:
            out += [m for m in owners(ctx, span.root) if m not in out]
    return out


def attack_instruments(ctx: SentenceContext) -> None:
    """A weapon, and whoever it belongs to, fights what it attacks: "five strikes engaged X;
    destroyed Y", "a U.S. strike hit Y", "X was killed by a coalition airstrike", "the use of
    IEDs against the SDF". Analysts (and re3d) mark the strike, not only whoever flew it.
    Whoever carried out an attack fights what it hit: "attacks claimed by ISIL killed X"."""
    for tok in ctx.tokens:
        doers: list[Mention] = []
        if tok.pos_ == "VERB" and _attack_lemma(tok):
            if is_passive(tok):
                weapons = [m for a in tok.children if a.dep_ == "agent"
                           for o in a.children if o.dep_ == "pobj" for m in _instruments(ctx, o)]
                targets = [m for c in tok.children if c.dep_ == "nsubjpass"
                           for m in _targets(ctx, c)]
            else:
                subjects = _subjects(tok)
                weapons = [m for subj in subjects for m in _instruments(ctx, subj)]
                doers += [m for subj in subjects for m in attack_doers(ctx, subj)]
                targets = [m for c in tok.children if c.dep_ == "dobj" for m in _targets(ctx, c)]
        elif tok.dep_ == "prep" and tok.lower_ == "against":
            weapons = _instruments(ctx, tok.head)
            if not weapons and tok.head.lemma_.lower() == "use":  # "(the) use of / using W"
                weapons = [m for c in tok.head.children if c.dep_ == "dobj"
                           for m in _instruments(ctx, c)]
                weapons += [m for c in tok.head.children if c.dep_ == "prep" and c.lower_ == "of"
                            for o in c.children if o.dep_ == "pobj"
                            for m in _instruments(ctx, o)]
            targets = [m for c in tok.children if c.dep_ == "pobj" for m in _targets(ctx, c)]
            if weapons:  # "used harsh language against X": words, no weapon
                doers += _users(ctx, tok.head)
        else:
            continue
        if not ((weapons or doers) and targets):
            continue
        attackers = _withowners(ctx, weapons)
        attackers += [m for m in doers if m not in attackers]
        for attacker in attackers:
            for target in targets:
                if target is not attacker:
                    ctx.add("fighting_against", attacker, target, confidence=CONF_INSTRUMENT,
                            pattern="attack_instrument", anchor=tok)


def attack_owners(ctx: SentenceContext, weapons: list[Mention]) -> None:
    """Whoever carried out a strike or an attack wields it: "a U.S. strike", "ISIL's suicide
    attacks", "regime bombardment", "attacks claimed by X" -> ``controls`` (re3d's
    InChargeOf)."""
    for weapon in weapons:
        span = ctx.doc.char_span(weapon.start, weapon.end, alignment_mode="expand")
        if span is None:
            continue
        for doer in attack_doers(ctx, span.root):
            if doer.label in ("Organisation", "Person") or doer.actor_kind == "state":
                ctx.add("controls", doer, weapon, confidence=CONF_INSTRUMENT,
                        pattern="attack_owner", anchor=span.root)


CONF_HOSTILE_ACT = 0.55
# Verbs of doing harm to someone named after "against": "atrocities ISIL perpetrated against
# X", "abuses carried out by the militia against Y", "X waged a campaign against Y".
_HOSTILE_ACT_VERBS = frozenset({"perpetrate", "commit", "carry", "conduct", "wage", "launch",
                                "mount", "unleash", "stage", "direct", "inflict", "fly",
                                "deliver"})
_AGAINST = frozenset({"against"})


def _group_owners(ctx: SentenceContext, thing: Token) -> list[Mention]:
    """The group whose things are hit ("against ISIL targets"); not a country adjective, which
    says where they are ("against Iraqi air bases")."""
    return [m for m in owners(ctx, thing) if m.label != "Nationality"]


def hostile_acts(ctx: SentenceContext) -> None:
    """Whoever commits or carries out something against an actor fights it."""
    if ctx.lacks(_AGAINST) or ctx.lacks(_HOSTILE_ACT_VERBS):
        return
    for verb in ctx.tokens:
        lemma = verb.lemma_.lower()
        if verb.pos_ != "VERB" or lemma not in _HOSTILE_ACT_VERBS:
            continue
        if lemma == "carry" and not any(c.dep_ == "prt" and c.lower_ == "out"
                                        for c in verb.children):
            continue  # "carried weapons against" is rare; "carried out ... against" is an act
        # "against" hangs on the verb, or on what was done ("committed atrocities against")
        hosts = [verb, *(c for c in verb.children if c.dep_ in ("dobj", "nsubjpass"))]
        targets = [m for h in hosts for p in h.children if p.dep_ == "prep"
                   and p.lower_ == "against" for o in p.children if o.dep_ == "pobj"
                   for m in ctx.with_conjuncts(o) or _group_owners(ctx, o)]
        if not targets:
            continue
        if is_passive(verb):
            doers = [m for a in verb.children if a.dep_ == "agent"
                     for o in a.children if o.dep_ == "pobj" for m in ctx.with_conjuncts(o)]
        else:
            subj = subject_token(verb)
            doers = ctx.with_conjuncts(subj) if subj is not None else []
            if not doers and subj is not None:
                doers = attack_doers(ctx, subj)  # "the coalition's airstrikes delivered ..."
        for doer in doers:
            for target in targets:
                if doer.label != "Location" or doer.actor_kind == "state":
                    ctx.add("fighting_against", doer, target, confidence=CONF_HOSTILE_ACT,
                            pattern=f"against_{lemma}", anchor=verb)

"""Stances stated without a stance verb: branding ("X classified Y as terrorists") and dismay
("I am appalled by this attack by X")."""

from __future__ import annotations

from spacy.tokens import Token

from factionmap.extract.patterns.attacks import attack_doers
from factionmap.extract.patterns.context import SentenceContext
from factionmap.extract.patterns.verbs import agents, is_passive, owners, subject_token
from factionmap.records import Mention

CONF_BRANDED = 0.6
# Verbs that call someone something: "the US would classify AAH as a terrorist organisation"
_BRANDING_VERBS = frozenset({"classify", "label", "brand", "list", "declare", "consider",
                             "call", "describe", "regard", "deem"})
_HOSTILE_LABELS = frozenset({"terrorist", "terrorists", "terror", "terrorism", "enemy",
                             "enemies", "criminal", "criminals", "threat", "extremist"})
# Verbs that put someone on a list: "the US spoke of placing AAH on its terrorism list"
_LISTING_VERBS = frozenset({"place", "put", "add", "include", "keep"})
_LIST_WORDS = frozenset({"list", "blacklist", "lists", "blacklists"})
_HOSTILE_LISTS = _HOSTILE_LABELS | {"sanction", "sanctions", "blacklist", "blacklists"}


def _hostile_list(verb: Token) -> bool:
    """Whether ``verb`` puts its object "on" or "to" a list of terrorists or sanctions."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("on", "to", "in"):
            continue
        words = {t.lower_ for t in prep.subtree}
        if words & _LIST_WORDS and words & _HOSTILE_LISTS:
            return True
    return False


def branded_hostile(ctx: SentenceContext) -> None:
    """"X classified Y as terrorists", "X labelled Y a terrorist group", "X put Y on its
    terrorism list" -> ``opposes``."""
    if ctx.lacks(_BRANDING_VERBS) and ctx.lacks(_LISTING_VERBS):
        return
    for verb in ctx.tokens:
        lemma = verb.lemma_.lower()
        if verb.pos_ != "VERB" or lemma not in _BRANDING_VERBS | _LISTING_VERBS:
            continue
        if lemma in _LISTING_VERBS:
            if not _hostile_list(verb):
                continue
        elif not any(t.lower_ in _HOSTILE_LABELS for c in verb.children
                     if (c.dep_ == "prep" and c.lower_ == "as") or c.dep_ in ("oprd", "xcomp")
                     for t in c.subtree):
            continue
        subj_tok = subject_token(verb)
        # "put Hezbollah's armed wing on the list": the wing's owner is the one listed
        branded = [m for c in verb.children if c.dep_ == "dobj"
                   for m in (ctx.with_conjuncts(c) or owners(ctx, c))]
        if is_passive(verb):  # "Y was designated as a terrorist group by X"
            branded = [m for c in verb.children if c.dep_ == "nsubjpass"
                       for m in ctx.with_conjuncts(c)]
            brands = agents(ctx, verb)
        else:
            brands = ctx.with_conjuncts(subj_tok) if subj_tok is not None else []
        for brand in brands:
            for target in branded:
                ctx.add("opposes", brand, target, confidence=CONF_BRANDED,
                        pattern="branded_hostile", anchor=verb)


CONF_DISMAYED = 0.55
# "I am appalled by X's attack", "the minister was outraged at the raid by X"
_DISMAY_WORDS = frozenset({
    "appal", "appall", "appalled", "outrage", "outraged", "horrify", "horrified", "shock",
    "shocked", "disgust", "disgusted", "sicken", "sickened", "alarm", "alarmed", "dismay",
    "dismayed", "concern", "concerned", "angered", "anger",
})
_DISMAY_PREPS = frozenset({"by", "at", "about", "over"})


def _dismay_holders(ctx: SentenceContext, word: Token) -> list[Mention]:
    if word.dep_ == "acomp":  # "the minister was outraged at ..."
        return [m for c in word.head.children if c.dep_ == "nsubj"
                for m in ctx.with_conjuncts(c)]
    return [m for c in word.children if c.dep_ in ("nsubj", "nsubjpass")
            for m in ctx.with_conjuncts(c)]


def dismayed_by(ctx: SentenceContext) -> None:
    """"I am appalled by this attack by Assad's regime", "X was outraged at Y's raid" ->
    ``opposes``: whoever is dismayed opposes whoever did it."""
    if ctx.lacks(_DISMAY_WORDS):
        return
    for word in ctx.tokens:
        if word.lower_ not in _DISMAY_WORDS or word.pos_ not in ("VERB", "ADJ"):
            continue
        objs = [o for c in word.children
                if c.dep_ in ("prep", "agent") and c.lower_ in _DISMAY_PREPS
                for o in c.children if o.dep_ == "pobj"]
        targets = [m for o in objs
                   for m in (ctx.with_conjuncts(o) or attack_doers(ctx, o) or owners(ctx, o))
                   if m.label != "Location" or m.actor_kind == "state"]
        if not targets:
            continue
        for holder in _dismay_holders(ctx, word):
            for target in targets:
                ctx.add("opposes", holder, target, confidence=CONF_DISMAYED,
                        pattern="dismayed_by", anchor=word)


CONF_THWARTED = 0.55
# "X will not allow Y to ...", "deny Y safe haven", "protect civilians from Y", "support the
# army against Y": whoever is kept out, shielded against or fought alongside against is opposed
_SHIELDING_VERBS = frozenset({"defend", "protect", "shield", "save", "rescue"})
_BACKING_VERBS = frozenset({"support", "help", "assist", "back", "aid", "train", "equip"})
_HAVEN_NOUNS = frozenset({"haven", "sanctuary", "refuge", "foothold"})
_THWARTING_WORDS = frozenset({"allow", "let", "permit", "deny"}) | _SHIELDING_VERBS | _BACKING_VERBS


def thwarted(ctx: SentenceContext) -> None:
    """``opposes`` from what a subject will not let happen: "we will not allow ISIL to
    regroup", "deny al-Qaida safe haven", "defend the people from Assad's barrel bombs",
    "the UK supports the Iraqi government against the terrorism of ISIL"."""
    if ctx.lacks(_THWARTING_WORDS):
        return
    for verb in ctx.tokens:
        if verb.pos_ != "VERB":
            continue
        lemma = verb.lemma_.lower()
        if lemma in ("allow", "let", "permit"):
            if not any(c.dep_ == "neg" for c in verb.children):
                continue
            heads = [c for c in verb.children if c.dep_ == "dobj"]
            heads += [s for c in verb.children if c.dep_ in ("ccomp", "xcomp")
                      for s in c.children if s.dep_ == "nsubj"]
        elif lemma == "deny":
            havens = [c for c in verb.children if c.dep_ in ("dobj", "dative")
                      and c.lemma_.lower() in _HAVEN_NOUNS]
            if not havens:
                continue
            heads = [c for c in verb.children if c.dep_ in ("dative", "dobj")
                     and c not in havens]
            heads += [o for h in (verb, *havens) for p in h.children
                      if p.dep_ == "prep" and p.lower_ in ("to", "for")
                      for o in p.children if o.dep_ == "pobj"]
        elif lemma in _SHIELDING_VERBS or lemma in _BACKING_VERBS:
            prep = "from" if lemma in _SHIELDING_VERBS else "against"
            heads = [o for p in verb.children if p.dep_ == "prep" and p.lower_ == prep
                     for o in p.children if o.dep_ == "pobj"]
        else:
            continue
        opposed = [m for h in heads for m in _named_at(ctx, h)]
        if not opposed:
            continue
        subj_tok = subject_token(verb)
        for holder in ctx.with_conjuncts(subj_tok) if subj_tok is not None else []:
            for target in opposed:
                if target is not holder:
                    ctx.add("opposes", holder, target, confidence=CONF_THWARTED,
                            pattern=f"thwarted_{lemma}", anchor=verb,
                            negation_read=lemma in ("allow", "let", "permit", "deny"))


def _named_at(ctx: SentenceContext, tok: Token) -> list[Mention]:
    """The actors at ``tok``: its mentions, else whose it is ("Assad's barrel bombs", "the
    terrorism of ISIL")."""
    found: list[Mention] = []
    for t in (tok, *tok.conjuncts):
        here = ctx.with_conjuncts(t)[:1] or owners(ctx, t) or [
            m for p in t.children if p.dep_ == "prep" and p.lower_ == "of"
            for o in p.children if o.dep_ == "pobj" for m in ctx.with_conjuncts(o)]
        found += [m for m in here if m not in found]
    return [m for m in found if m.label != "Location" or m.actor_kind == "state"]

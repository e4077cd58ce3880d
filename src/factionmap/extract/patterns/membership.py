"""Membership, control and leadership read from noun phrases and lists.

"Coalition nations include Australia, Bahrain and Canada" / "partners, including France" /
"groups such as Nujaba" -> ``member_of`` for each listed actor; "fighters from the PMU" ->
``member_of``; "ISIL-held buildings", "X has control of Y" -> ``controls``; "X used drones" ->
``controls`` of the equipment; "the U.S.-led coalition" -> ``leads``; "3rd Battalion, 321st
Field Artillery Regiment" -> ``member_of`` (the smaller unit belongs to the larger).
"""

from __future__ import annotations

from spacy.tokens import Token

from factionmap.extract.arguments import EQUIPMENT_LABELS, NON_STATE_SECTORS
from factionmap.extract.lexicon import HOLDING_WORDS
from factionmap.extract.patterns.context import HELD_LABELS, SentenceContext
from factionmap.extract.patterns.verbs import subject_token
from factionmap.records import Mention, Span

CONF_LISTED = 0.7
CONF_FROM = 0.55
CONF_HELD = 0.7
CONF_USED = 0.55
_LIST_PREPS = frozenset({"including", "like"})
_HOLDING_WORDS = HOLDING_WORDS | {"run", "operated"}
_USING_VERBS = frozenset({"use", "employ", "deploy", "fly", "operate", "possess", "field",
                          "fire", "launch", "drop", "deliver"})


def _group(m: Mention | None) -> bool:
    return m is not None and m.label == "Organisation" and m.actor_kind != "state"


def _a_kind_of_people(group: Mention | Span) -> bool:
    """A generic group of people ("people", "residents"): what it lists are examples."""
    return (group.actor_id or "").startswith("local:CVL:")


def _a_bare_class(group: Mention | Span) -> bool:
    """A generic group named by one plural noun ("firms", "companies"), or a kind of armed or
    civilian group ("terrorist groups", "Sunni militias"): a kind of thing, whose examples
    ("like X", "such as X") belong to no body."""
    if not (group.actor_id or "").startswith("local:"):
        return False
    sector = group.sector if isinstance(group, Mention) else None
    return len(group.text.split()) == 1 or sector in NON_STATE_SECTORS


def _members(ctx: SentenceContext, tok: Token) -> list[Mention]:
    return [m for m in ctx.with_conjuncts(tok) if m.label != "Location" or m.actor_kind == "state"]


_BLOC_NOUNS = frozenset({"nation", "country", "member", "partner", "ally", "state", "force"})


def _unnamed_bloc(ctx: SentenceContext, head: Token) -> Span | None:
    """"Coalition nations", "partner countries": a bloc named by its members' kind, as the
    document-scoped generic agent its phrase gives (no name, so no actor beyond this text)."""
    if head.lemma_.lower() not in _BLOC_NOUNS or head.tag_ != "NNS":
        return None
    mods = [c for c in head.lefts if c.dep_ in ("compound", "amod")]
    if not mods:
        return None  # a bare "countries" names no bloc
    first = min(m.left_edge.i for m in mods)
    start, end = ctx.doc[first].idx, head.idx + len(head.text)
    text = ctx.text[start:end]
    link = ctx.linker.generic_agent(text, None, "")
    if link is None:
        return None
    return Span(start, end, text, link.actor_id, link.actor_name)


# "made up of", "composed of", "comprised of", "consisting of": the group is made of members
_MADE_OF_VERBS = frozenset({"make", "compose", "comprise", "consist"})


def _made_of(tok: Token) -> list[Token] | None:
    """The member tokens of "X, made up (in part) of/by A and B"; None for other verbs."""
    lemma = tok.lemma_.lower()
    if lemma not in _MADE_OF_VERBS or tok.pos_ != "VERB":
        return None
    if lemma == "make" and not any(c.dep_ == "prt" and c.lower_ == "up" for c in tok.children):
        return None
    preps = [p for p in tok.children if p.dep_ in ("prep", "agent")]
    # "made up in part of A": the "of" hangs on "part"
    preps += [q for p in preps if p.lower_ == "in" for o in p.children if o.lower_ == "part"
              for q in o.children if q.dep_ == "prep"]
    return [o for p in preps if p.lower_ in ("of", "by") for o in p.children if o.dep_ == "pobj"]


def _the_group(ctx: SentenceContext, verb: Token) -> list[Token]:
    """Who a membership verb describes: its subject, or the noun a relative or participle
    clause hangs on ("the SDF, which includes ...", "the SDF, made up of ...")."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if verb.dep_ in ("relcl", "acl") and (
        not subjects or all(s.lower_ in ("which", "that", "who") for s in subjects)
    ):
        return [verb.head]
    return subjects


_LISTING_WORDS = _MADE_OF_VERBS | _LIST_PREPS | {"include", "such"}


def listed_members(ctx: SentenceContext) -> None:
    """"X include A, B", "X, including A and B", "X such as A", "X, made up of A and B":
    each listed actor is a member."""
    if ctx.lacks(_LISTING_WORDS):
        return
    for tok in ctx.tokens:
        made_of = _made_of(tok)
        if made_of is not None:
            groups, listed = _the_group(ctx, tok), made_of
        elif tok.lower_ in _LIST_PREPS and tok.dep_ == "prep":
            # before the verb branch: the tagger calls "including" a VERB now and then.
            # "X and Western nations, including A": the parser hangs the list on X, but it
            # names the nearest item before it
            near = max((c for c in (tok.head, *tok.head.conjuncts) if c.i < tok.i),
                       key=lambda c: c.i, default=tok.head)
            groups, listed = [near], [c for c in tok.children if c.dep_ == "pobj"]
        elif tok.lemma_.lower() == "include" and tok.pos_ in ("VERB", "AUX"):
            groups = _the_group(ctx, tok)
            listed = [c for c in tok.children if c.dep_ in ("dobj", "attr")]
        elif tok.lower_ == "as" and tok.i > 0 and ctx.doc[tok.i - 1].lower_ == "such":
            head = tok.head if tok.head.lower_ != "such" else tok.head.head
            groups, listed = [head], [c for c in tok.children if c.dep_ == "pobj"]
        else:
            continue
        # "the members of NATO include ...", "factions of the PMU, including A": the group is
        # the "of" object of an unnamed head
        groups = groups + [o for g in groups if ctx.mention(g) is None
                           for p in g.children if p.dep_ == "prep" and p.lower_ == "of"
                           for o in p.children if o.dep_ == "pobj"]
        for g in groups:
            named = ctx.mention(g)
            if named is not None and not _group(named):
                continue
            group: Mention | Span | None = named or _unnamed_bloc(ctx, g)
            if group is None or _a_kind_of_people(group) or (
                tok.lower_ in ("like", "as") and _a_bare_class(group)
            ):
                continue  # "people like Jim Foley", "firms like Boeing": examples, no body
            for item in listed:
                for member in _members(ctx, item):
                    if member is not group:
                        ctx.add("member_of", member, group, confidence=CONF_LISTED,
                                pattern="listed_member", anchor=tok)


def members_from(ctx: SentenceContext, mentions: list[Mention]) -> None:
    """"Airmen from the 158th Fighter Wing", "experts from WMF": people from a group."""
    doc = ctx.doc
    for m in mentions:
        if m.label not in ("Organisation", "Person") or m.actor_kind == "state":
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        head = span.root
        # "from" hangs on the noun or on a participle after it ("deployed from", "visiting from")
        hosts = [head, *(c for c in head.children if c.dep_ == "acl")]
        for host in hosts:
            for prep in host.children:
                if prep.dep_ != "prep" or prep.lower_ != "from":
                    continue
                for obj in prep.children:
                    if obj.dep_ != "pobj":
                        continue
                    for group in ctx.with_conjuncts(obj):
                        if _group(group) and group is not m:
                            ctx.add("member_of", m, group, confidence=CONF_FROM,
                                    pattern="member_from", anchor=prep)


def held_by(ctx: SentenceContext) -> None:
    """"ISIL-held buildings", "regime-controlled areas": the first part holds the head noun."""
    if not ctx.may_have_prefix(_HOLDING_WORDS):
        return
    for tok in ctx.tokens:
        found = ctx.hyphen_prefix(tok, _HOLDING_WORDS)
        if found is None:
            continue
        held = ctx.by_token.get(tok.head.i)
        # one mention may span the phrase ("an ISIL-held building"): the prefix is linked alone
        holder = ctx.prefix_actor(*found, held) if held is not None else ctx.mention(found[0])
        if holder is None:
            continue
        # only the noun the prefix qualifies: in "ISIL-held buildings, two vehicles" the
        # vehicles are the next item of a list, not held
        targets = [held] if held is not None else ctx.held_things(tok.head)[:1]
        for target in targets:
            if target is not holder:
                ctx.add("controls", holder, target, confidence=CONF_HELD, pattern="held_by",
                        anchor=tok)


def equipment_used(ctx: SentenceContext) -> None:
    """"X used drones", "strikes using fighter aircraft" (the doer of the clause holds them)."""
    if ctx.lacks(_USING_VERBS):
        return
    for verb in ctx.tokens:
        if verb.lemma_.lower() not in _USING_VERBS or verb.pos_ != "VERB":
            continue
        dobjs = [c for c in verb.children if c.dep_ == "dobj"]
        # "fired dozens of rockets": the count heads the object
        dobjs += [o for c in dobjs for p in c.children if p.dep_ == "prep" and p.lower_ == "of"
                  for o in p.children if o.dep_ == "pobj"]
        objects = [m for c in dobjs for m in ctx.held_things(c) if m.label in EQUIPMENT_LABELS]
        if not objects:
            continue
        subj_tok = subject_token(verb)
        for doer in ctx.with_conjuncts(subj_tok) if subj_tok is not None else []:
            if doer.label in ("Organisation", "Person"):
                for obj in objects:
                    ctx.add("controls", doer, obj, confidence=CONF_USED,
                            pattern=f"uses_{verb.lemma_.lower()}", anchor=verb)


# "X was involved in / responsible for the use of W": whoever is involved is a user
_INVOLVED = frozenset({"involve", "involved", "responsible", "participate", "complicit"})
_USE = frozenset({"use"})


def use_nouns(ctx: SentenceContext) -> None:
    """"X's use of drones", "the use of chemical weapons by X", "X was involved in the use of
    IEDs" -> ``controls`` of the equipment. A clause subject counts only when involved: in
    "the UK condemned the use of barrel bombs" the UK uses nothing."""
    if ctx.lacks(_USE):
        return
    for tok in ctx.tokens:
        if tok.lemma_.lower() != "use" or tok.pos_ != "NOUN":
            continue
        used = [m for p in tok.children if p.dep_ == "prep" and p.lower_ == "of"
                for o in p.children if o.dep_ == "pobj" for m in ctx.held_things(o)
                if m.label in EQUIPMENT_LABELS]
        if not used:
            continue
        users = [m for c in tok.children if c.dep_ == "poss" for m in ctx.with_conjuncts(c)]
        users += [m for p in tok.children if p.dep_ in ("prep", "agent") and p.lower_ == "by"
                  for o in p.children if o.dep_ == "pobj" for m in ctx.with_conjuncts(o)]
        host = tok.head.head if tok.dep_ == "pobj" else None
        if not users and host is not None and host.lemma_.lower() in _INVOLVED:
            verb = host if host.pos_ in ("VERB", "AUX") else host.head
            # "X was involved in": the passive subject is the one involved
            subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            subj = subj or subject_token(verb)
            users = ctx.with_conjuncts(subj) if subj is not None else []
        for user in users:
            if user.label in ("Organisation", "Person"):
                for thing in used:
                    ctx.add("controls", user, thing, confidence=CONF_USED, pattern="use_noun",
                            anchor=tok)


CONF_CONTROL_NOUN = 0.6
_CONTROL = frozenset({"control"})
CONF_LED_COMPOUND = 0.7
_LED = frozenset({"led"})
_ORGANISATION = frozenset({"Organisation"})


def control_nouns(ctx: SentenceContext) -> None:
    """"X has (taken) control of Y", "X's control of Y" -> ``controls``."""
    if ctx.lacks(_CONTROL):
        return
    for tok in ctx.tokens:
        if tok.lemma_.lower() != "control" or tok.pos_ != "NOUN":
            continue
        held = [m for p in tok.children if p.dep_ == "prep" and p.lower_ in ("of", "over")
                for o in p.children if o.dep_ == "pobj" for m in ctx.held_things(o)]
        held += [m for p in tok.children if p.dep_ == "prep" and p.lower_ in ("of", "over")
                 for o in p.children if o.dep_ == "pobj" for m in ctx.with_conjuncts(o)
                 if m not in held]
        if not held:
            continue
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        holder = ctx.mention(owner) if owner is not None else None
        if holder is None and tok.head.pos_ in ("VERB", "AUX"):
            subj = subject_token(tok.head)
            holder = ctx.mention(subj) if subj is not None else None
        if holder is None or holder.label not in ("Organisation", "Person"):
            continue
        for target in held:
            if target is not holder:
                ctx.add("controls", holder, target, confidence=CONF_CONTROL_NOUN,
                        pattern="control_noun", anchor=tok)


# Nouns naming a change of hands: "the fall of Mosul to ISIL", "the liberation of X from Y",
# "the re-taking by Z of X".
_FALL_NOUNS = frozenset({"fall"})
_TAKING_NOUNS = frozenset({"liberation", "capture", "recapture", "seizure", "retaking",
                           "re-taking", "takeover", "loss"})
_CHANGE_NOUNS = _FALL_NOUNS | _TAKING_NOUNS


def control_changes(ctx: SentenceContext) -> None:
    """Control read from a change of hands: "the fall of Mosul to ISIL" (ISIL holds Mosul),
    "the liberation of Mosul from ISIL" (ISIL held it), "the re-taking by Z of X" (Z holds X)."""
    if ctx.lacks(_CHANGE_NOUNS):
        return
    for tok in ctx.tokens:
        low = tok.lower_
        if tok.pos_ != "NOUN" or not (low in _FALL_NOUNS or tok.lemma_.lower() in _TAKING_NOUNS
                                      or low in _TAKING_NOUNS):
            continue
        by_prep = _prep_objects(ctx, tok)
        places = [m for m in by_prep.get("of", []) if m.label in HELD_LABELS]
        if not places:
            continue
        if low in _FALL_NOUNS:
            gainers, losers = by_prep.get("to", []) or _to_after(ctx, tok), []
        else:
            gainers, losers = by_prep.get("by", []), by_prep.get("from", [])
        for holders, lost in ((gainers, False), (losers, True)):
            for holder in holders:
                if holder.label not in ("Organisation", "Person"):
                    continue
                for place in places:
                    ctx.add("controls", holder, place, confidence=CONF_CONTROL_NOUN,
                            pattern="control_change", anchor=tok, lost=lost)


def _to_after(ctx: SentenceContext, noun: Token) -> list[Mention]:
    """"the fall of Mosul to ISIL" when the parser hangs "to ISIL" on the clause: the "to"
    right after the noun phrase."""
    nxt = noun.right_edge.i + 1
    if nxt >= ctx.sent.end or ctx.doc[nxt].lower_ != "to" or ctx.doc[nxt].dep_ != "prep":
        return []
    return [m for o in ctx.doc[nxt].children if o.dep_ == "pobj" for m in ctx.with_conjuncts(o)]


def _prep_objects(ctx: SentenceContext, noun: Token) -> dict[str, list[Mention]]:
    """The mentions after each preposition of ``noun``: places and equipment, and actors."""
    out: dict[str, list[Mention]] = {}
    for prep in noun.children:
        if prep.dep_ != "prep":
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            found = ctx.held_things(obj) + [m for m in ctx.with_conjuncts(obj)]
            out.setdefault(prep.lower_, []).extend(dict.fromkeys(found))
    return out


def led_compounds(ctx: SentenceContext) -> None:
    """"the U.S.-led coalition", "Saudi-led forces": the first part leads the group."""
    for tok, group, leader in ctx.prefixed_mentions(_LED, _ORGANISATION):
        ctx.add("leads", leader, group, confidence=CONF_LED_COMPOUND, pattern="led_compound",
                anchor=tok)


CONF_ECHELON = 0.65
# Military echelons from smallest to largest: in "2nd Battalion, 5th Special Forces Group" the
# battalion is part of the group. Words of one rank are interchangeable across services.
_ECHELONS: dict[str, int] = {
    **dict.fromkeys(("team", "squad", "section", "crew"), 1),
    **dict.fromkeys(("platoon", "flight"), 2),
    **dict.fromkeys(("company", "battery", "troop"), 3),
    **dict.fromkeys(("battalion", "squadron"), 4),
    **dict.fromkeys(("regiment", "group", "wing", "brigade"), 5),
    **dict.fromkeys(("division", "fleet"), 6),
    **dict.fromkeys(("corps", "command", "army"), 7),
}


def _echelon(m: Mention) -> int | None:
    words = m.text.lower().split()
    return _ECHELONS.get(words[-1]) if words else None


def unit_chains(ctx: SentenceContext) -> None:
    """"Abel Battery, 3rd Battalion": a unit named with the larger unit it belongs to."""
    for tok in ctx.tokens:
        if tok.dep_ != "appos":
            continue
        small, large = ctx.mention(tok.head), ctx.mention(tok)
        if not _group(small) or not _group(large) or small is large:
            continue
        rank_small, rank_large = _echelon(small), _echelon(large)  # type: ignore[arg-type]
        if rank_small is not None and rank_large is not None and rank_small < rank_large:
            ctx.add("member_of", small, large, confidence=CONF_ECHELON,  # type: ignore[arg-type]
                    pattern="unit_chain", anchor=tok)

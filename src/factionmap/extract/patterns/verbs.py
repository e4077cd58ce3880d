"""Clause patterns: "X leads Y", "Y is headed by X", "X met Y", "X attacked Y", "X split from Y"."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from factionmap.extract.control import agent_like, controlled_clause, controller
from factionmap.extract.patterns.context import HELD_LABELS, SentenceContext
from factionmap.extract.patterns.roles import own_following
from factionmap.kb.agents import HEAD_SECTORS
from factionmap.records import Mention, RelationType, Span


@dataclass(frozen=True, slots=True)
class VerbRule:
    type: RelationType
    confidence: float
    preps: frozenset[str] = frozenset()  # prepositions that introduce the object
    # The object is the relation's subject: "Iran backs X" -> backed_by(X, Iran).
    reverse: bool = False
    direct: bool = True  # a direct object counts
    # Only organisations (not states, not people) split from one another: "Iraq broke with
    # the United States" is diplomacy, not a faction leaving its parent.
    groups_only: bool = False
    # In the passive the grammatical subject is still the relation's subject: "X was
    # assigned to Y" (no "by" agent is involved).
    passive_keeps_subject: bool = False


def _r(type_: RelationType, conf: float, preps: str = "", reverse: bool = False,
       direct: bool = True, groups_only: bool = False,
       passive_keeps_subject: bool = False) -> VerbRule:
    return VerbRule(type_, conf, frozenset(preps.split()), reverse, direct, groups_only,
                    passive_keeps_subject)


# Confidence reflects how often the verb with two actor arguments means the relation:
# "lead"/"head" almost always; "call"/"strike" less (phone call vs call for; strike a deal).
VERB_RULES: dict[str, VerbRule] = {
    "lead": _r("leads", 0.8),
    "head": _r("leads", 0.8),
    "command": _r("leads", 0.75),
    "chair": _r("leads", 0.75),
    "found": _r("leads", 0.6),
    "meet": _r("communicated_with", 0.75, "with"),
    "call": _r("communicated_with", 0.55),
    "phone": _r("communicated_with", 0.7),
    "visit": _r("communicated_with", 0.65),
    "host": _r("communicated_with", 0.6),
    "receive": _r("communicated_with", 0.55),  # "X received Y": only actor objects reach here
    "talk": _r("communicated_with", 0.65, "with to", direct=False),
    "speak": _r("communicated_with", 0.6, "with to", direct=False),
    "negotiate": _r("communicated_with", 0.65, "with", direct=False),
    "consult": _r("communicated_with", 0.65, "with"),
    "tell": _r("communicated_with", 0.5),
    "brief": _r("communicated_with", 0.55),
    "convey": _r("communicated_with", 0.5, "to", direct=False),
    "telephone": _r("communicated_with", 0.7),
    "confer": _r("communicated_with", 0.65, "with", direct=False),
    "discuss": _r("communicated_with", 0.5, "with", direct=False),
    # addressing someone directly: "the UN updated Council members", "Carter thanked Abadi"
    "update": _r("communicated_with", 0.5),
    "inform": _r("communicated_with", 0.55),
    "urge": _r("communicated_with", 0.5),
    "thank": _r("communicated_with", 0.55),
    "congratulate": _r("communicated_with", 0.55),
    "compliment": _r("communicated_with", 0.5),
    "assure": _r("communicated_with", 0.5),
    "invite": _r("communicated_with", 0.5),
    "fight": _r("fighting_against", 0.75, "against"),
    "attack": _r("fighting_against", 0.75),
    "strike": _r("fighting_against", 0.55),
    "target": _r("fighting_against", 0.6),
    "bomb": _r("fighting_against", 0.7),
    "shell": _r("fighting_against", 0.7),
    "ambush": _r("fighting_against", 0.75),
    "clash": _r("fighting_against", 0.75, "with", direct=False),
    "battle": _r("fighting_against", 0.7, "with against"),
    "kill": _r("fighting_against", 0.55),
    "support": _r("supports", 0.7),
    "endorse": _r("supports", 0.65),
    # praise is a stance ("I commend the Peshmerga", "X welcomed Y's decision")
    "commend": _r("supports", 0.6),
    "praise": _r("supports", 0.6),
    "applaud": _r("supports", 0.6),
    "hail": _r("supports", 0.55),
    "salute": _r("supports", 0.55),
    "welcome": _r("supports", 0.5),
    "stand": _r("supports", 0.55, "with beside behind", direct=False),  # "stands with X"
    "back": _r("backed_by", 0.7, reverse=True),
    "fund": _r("backed_by", 0.7, reverse=True),
    "finance": _r("backed_by", 0.7, reverse=True),
    "arm": _r("backed_by", 0.65, reverse=True),
    "sponsor": _r("backed_by", 0.65, reverse=True),
    "train": _r("backed_by", 0.5, reverse=True),
    "condemn": _r("opposes", 0.7),
    "oppose": _r("opposes", 0.75),
    "criticize": _r("opposes", 0.65),
    "criticise": _r("opposes", 0.65),
    "slam": _r("opposes", 0.65),
    "denounce": _r("opposes", 0.7),
    "accuse": _r("opposes", 0.55),
    # listing a group as terrorist, or punishing it: "the US designated KH", "X sanctioned Y"
    "designate": _r("opposes", 0.6),
    "blacklist": _r("opposes", 0.65),
    "sanction": _r("opposes", 0.6),
    "split": _r("split_from", 0.75, "from", direct=False, groups_only=True),
    "break": _r("split_from", 0.6, "from", direct=False, groups_only=True),
    "defect": _r("split_from", 0.65, "from", direct=False),
    "merge": _r("merged_with", 0.75, "with into"),
    "join": _r("member_of", 0.65),
    "represent": _r("member_of", 0.55),  # "the KRG, represented by Prime Minister X"
    # "X was assigned to 2nd Battalion"
    "assign": _r("member_of", 0.6, "to", direct=False, passive_keeps_subject=True),
    "attach": _r("member_of", 0.55, "to", direct=False, passive_keeps_subject=True),
    "ally": _r("allied_with", 0.7, "with"),
    "control": _r("controls", 0.7),
    "seize": _r("controls", 0.7),
    "capture": _r("controls", 0.7),
    "retake": _r("controls", 0.7),
    "retook": _r("controls", 0.7),  # the small model leaves "retook" unlemmatised
    "take": _r("controls", 0.5),
    "recapture": _r("controls", 0.7),
    "hold": _r("controls", 0.5),
    "defeat": _r("fighting_against", 0.65),
    "destroy": _r("fighting_against", 0.6),
    "engage": _r("fighting_against", 0.55),
    "confront": _r("fighting_against", 0.6),
    "counter": _r("fighting_against", 0.55),
    "liberate": _r("fighting_against", 0.6, "from", direct=False),
    "fire": _r("fighting_against", 0.6, "on at upon", direct=False),  # "fighters firing on X"
    "free": _r("fighting_against", 0.55, "from", direct=False),
    "expel": _r("fighting_against", 0.6),
    "repel": _r("fighting_against", 0.6),
    "besiege": _r("fighting_against", 0.65),
    "eliminate": _r("fighting_against", 0.6),
    "degrade": _r("fighting_against", 0.55),
    "dismantle": _r("fighting_against", 0.55),
    "crush": _r("fighting_against", 0.6),
    "hit": _r("fighting_against", 0.55),
    "damage": _r("fighting_against", 0.55),
    "suppress": _r("fighting_against", 0.55),
    "disable": _r("fighting_against", 0.55),
    "wound": _r("fighting_against", 0.55),
    "injure": _r("fighting_against", 0.55),
    "occupy": _r("controls", 0.65),
}
RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
# Nouns of a joint undertaking whose purpose clause belongs to whoever undertakes it.
_EFFORT_NOUNS = frozenset({"effort", "campaign", "fight", "bid", "attempt", "drive", "push",
                           "mission", "operation", "offensive", "struggle", "commitment",
                           "determination", "resolve", "plan", "strategy", "pledge",
                           "promise", "vow", "decision", "readiness", "willingness",
                           "intention", "capacity", "ability", "capability"})
# What someone issues to speak: "X issued a statement condemning Y and thanking Z" is X's.
_VOICE_NOUNS = frozenset({"statement", "communique", "message", "letter", "declaration",
                          "tweet", "post", "video", "speech", "address", "resolution"})
# "committed to defeating Y" climbs through the adjective (acomp) to the subject of "are".
POSSESSIVE_PRONOUNS = frozenset({"its", "their", "his", "her", "our", "my"})
_INHERIT_DEPS = frozenset({"xcomp", "advcl", "pcomp", "conj", "relcl", "acl", "acomp"})
_PARTICLES = frozenset({"away", "off", "over"})


def subject_token(verb: Token) -> Token | None:
    """The subject, following relative pronouns and infinitive/participle chains upward."""
    seen = 0
    cur = verb
    controlled = controlled_clause(verb)  # "assisted the government to destroy Y"
    speakers: Token | None = None  # "our" owning the effort the verb serves
    direct = True  # still at the verb or a verb it is coordinated with
    while seen < 6:
        seen += 1
        for child in cur.children:
            # above the verb, a passive governor's subject is the doer too: "X is committed
            # to defeating Y", "X was determined to attack Y"
            if child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and cur is not verb):
                if child.lower_ in RELATIVE_PRONOUNS and cur.dep_ == "relcl":
                    return _who_antecedent(cur.head) if child.lower_ == "who" else cur.head
                if speakers is not None and child.lower_ not in ("we", "i"):
                    return speakers  # "he will discuss our efforts to defeat Y": ours
                return child
        if cur is verb and _object_relative_on_its_subject(verb):
            return cur.head
        if cur.dep_ in ("relcl", "acl") and direct and cur.tag_ != "VBN":
            if cur.head.lemma_.lower() not in _EFFORT_NOUNS | _VOICE_NOUNS or (
                    cur.head.dep_ == "appos"):
                return cur.head  # "Operation X, the operation to eliminate Y": X, see callers
            # "X's efforts to destroy Y": X acts; "X leads the campaign to defeat Y": the
            # campaign is X's, so the subject is found further up
            if (named_owner := _named_owner(cur.head)) is not None:
                return named_owner
            owner = next((c for c in cur.head.children if c.dep_ == "poss"), None)
            # "Coalition efforts to support Y", "U.S. efforts to help Y", "Iraqi efforts to ..."
            named = [c for c in cur.head.children if c.dep_ in ("compound", "amod", "nmod")
                     and c.i < cur.head.i and agent_like(c) and c.pos_ != "PRON"]
            if owner is None and named:
                return named[0]
            if owner is not None and (helped := _helped_in(cur.head)) is not None:
                return helped
            if owner is not None and owner.lower_ in ("our", "my"):
                speakers = owner
            # "X reaffirms its commitment to support Y": "its" is X, the clause subject,
            # found further up
        if controlled is not None and cur.i == controlled.i:
            return controller(cur)
        if cur.dep_ not in _INHERIT_DEPS and cur.head.pos_ not in ("ADP", "NOUN"):
            return None
        if cur.head.i == cur.i:
            return None
        direct = direct and cur.dep_ == "conj"
        cur = cur.head
        while cur.pos_ in ("ADP", "NOUN", "SCONJ") and cur.head.i != cur.i:
            if (owner := _named_owner(cur)) is not None:
                return owner  # "reiterates the UK's commitment to defeating Y": the UK's
            if cur.pos_ == "NOUN" and cur.dep_ not in ("pobj", "dobj", "attr"):
                break
            cur = cur.head
    return None


def _named_owner(noun: Token) -> Token | None:
    """The owner a noun of undertaking or of speech names ("the UK's commitment", "Iraq's
    efforts", "Kerry's statement"); not a pronoun, which stands for someone found further up."""
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in _EFFORT_NOUNS | _VOICE_NOUNS:
        return None
    return next((c for c in noun.children
                 if c.dep_ == "poss" and c.lower_ not in POSSESSIVE_PRONOUNS), None)


_PLACE_NOUNS = frozenset({"country", "part", "area", "region", "city", "town", "village",
                          "province", "state", "territory", "side", "north", "south", "east",
                          "west", "capital"})


def _who_antecedent(head: Token) -> Token:
    """What "who" stands for: the parser may hang the clause on the last noun before it, a
    place or a thing ("forces operating in the north of the country who are leading ..."),
    when it is the actor that noun phrase sits in."""
    node = head
    for _ in range(8):
        if agent_like(node) and node.ent_type_ not in ("GPE", "LOC", "FAC") and (
                node.lemma_.lower() not in _PLACE_NOUNS):
            return node
        if node.head.i == node.i:
            break
        node = node.head
    return head


# Who helps another fight, or commands it, is in the fight: "the coalition is assisting the
# government to destroy Y", "Soleimani directed his proxies to attack Y". (Not "allowed X
# to", "urged X to".)
_ASSISTING_LEMMAS = frozenset({"help", "assist", "aid", "enable", "train", "equip", "arm",
                               "empower", "support", "back", "order", "direct", "command",
                               "instruct"})


def helper_token(verb: Token) -> Token | None:
    """The subject of the verb that helps ``verb``'s doer do it, if any."""
    clause = controlled_clause(verb)
    if clause is not None:
        helper = clause.head
    elif verb.dep_ in ("relcl", "acl") and _helped_in(verb.head) is not None:
        helper = verb.head.head.head  # effort <- in <- support
    else:
        return None
    if helper.lemma_.lower() not in _ASSISTING_LEMMAS:
        return None
    return subject_token(helper)


def _helped_in(effort: Token) -> Token | None:
    """"supported the ISF in its efforts to defeat Y", "thanked Turkey for its efforts to
    ...": the effort a pronoun owns is the one helped or thanked, the verb's object."""
    prep = effort.head
    if effort.dep_ != "pobj" or prep.lower_ not in ("in", "for") or prep.head.pos_ != "VERB":
        return None
    return next((c for c in prep.head.children
                 if c.dep_ == "dobj" and c.i < prep.i and agent_like(c)), None)


def is_passive(verb: Token) -> bool:
    """A passive clause, or a bare participle modifying a noun ("the town seized by ISIL").
    A participle with a subject of its own is active, however attached: the parser makes
    "reports that ISIL has killed X" an acl of "reports"."""
    if any(c.dep_ in ("auxpass", "nsubjpass", "agent") for c in verb.children):
        return True
    return verb.dep_ == "acl" and verb.tag_ == "VBN" and not any(
        c.dep_ == "nsubj" for c in verb.children
    ) and not _object_relative_on_its_subject(verb)


def _object_relative_on_its_subject(verb: Token) -> bool:
    """"the crimes that the regime perpetrated against X": the small parser hangs the clause
    on its subject ("regime" <-acl- "perpetrated"), so that noun is the doer, not the done-to.
    Told by the relative pronoun just before the noun phrase."""
    if verb.dep_ != "acl" or verb.head.i > verb.i:
        return False
    left = verb.head.left_edge.i
    return left > 0 and verb.doc[left - 1].lower_ in ("that", "which", "whom")


# Stances and attacks aimed at what an actor did or holds are aimed at the actor:
# "condemned ISIL's attacks", "struck the militia's positions".
_OWNER_TYPES = frozenset({"opposes", "supports", "fighting_against"})


# Types whose object may be a place or a piece of equipment as well as an actor.
_THING_TYPES = frozenset({"controls", "fighting_against"})


# "ISIL's positions", "ISIL positions", "the ISIL terrorist group" (the parser's amod/nmod)
_OWNER_DEPS = frozenset({"poss", "compound", "amod", "nmod"})


def owners(ctx: SentenceContext, thing: Token) -> list[Mention]:
    return [m for c in thing.children if c.dep_ in _OWNER_DEPS and c.i < thing.i
            for m in ctx.with_conjuncts(c) if m.label != "Location" or m.actor_kind == "state"]


def _objects(ctx: SentenceContext, verb: Token, rule: VerbRule) -> list[Mention]:
    out: list[Mention] = []
    for child in verb.children:
        if child.dep_ in ("dobj", "attr") and rule.direct:
            found = _parties(ctx, child, rule)
            if not any(m.actor_id for m in found) and rule.type in _OWNER_TYPES:
                found = owners(ctx, child) or _members_of(ctx, child) or found
            if not any(m.actor_id for m in found) and rule.type == "fighting_against" and (
                    child.lemma_.lower() not in _CONDUCT_NOUNS):
                # "destroying the scourge of ISIL"; but "targeting the policies of X" is words
                found = _of_owner(ctx, child) or found
            if rule.type in _THING_TYPES:  # "ISIL seized the tanks", "X destroyed two tanks"
                found += [m for m in ctx.held_things(child) if m not in found]
            out.extend(found)
        elif child.dep_ == "prep" and child.lower_ in rule.preps:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    out.extend(_parties(ctx, obj, rule))
        elif child.dep_ == "advcl" and not rule.direct:
            # "stand shoulder to shoulder with X": the parser hangs "with" on the idiom
            out += [m for prep in child.children
                    if prep.dep_ == "prep" and prep.lower_ in rule.preps
                    for obj in prep.children if obj.dep_ == "pobj"
                    for m in _parties(ctx, obj, rule)]
        elif child.dep_ in ("prt", "advmod") and child.lower_ in _PARTICLES:
            # "broke away from X": the parser hangs "from" under the particle.
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lower_ in rule.preps:
                    for obj in prep.children:
                        if obj.dep_ == "pobj":
                            out.extend(ctx.with_conjuncts(obj))
    return out


def _of_owner(ctx: SentenceContext, thing: Token) -> list[Mention]:
    """Whose thing is struck when it is named with "of": "the headquarters of ISIL", "a
    convoy of the Iraqi army"."""
    return [m for prep in thing.children if prep.dep_ == "prep" and prep.lower_ == "of"
            for obj in prep.children if obj.dep_ == "pobj"
            for m in ctx.with_conjuncts(obj) if m.label != "Location" or m.actor_kind == "state"]


def _parties(ctx: SentenceContext, tok: Token, rule: VerbRule) -> list[Mention]:
    """The mentions at ``tok`` and its conjuncts; for a stance or an attack, a people named by
    its country stands for it too ("stands with the government and people of Iraq")."""
    found = ctx.with_conjuncts(tok)
    if rule.type in _OWNER_TYPES:
        for item in (tok, *tok.conjuncts):
            if ctx.mention(item) is None and item.lemma_.lower() in _PEOPLE_NOUNS:
                people = _members_of(ctx, item) or _state_of(ctx, item)
                found += [m for m in people if m not in found]
    return found


def _state_of(ctx: SentenceContext, tok: Token) -> list[Mention]:
    """The state in "the people of Iraq", however the tagger labelled the name. In "the
    government and people of Iraq" the parser hangs the shared "of Iraq" on the first noun."""
    preps = [c for c in tok.children if c.dep_ == "prep"]
    if tok.dep_ == "conj":
        preps += [c for c in tok.head.children if c.dep_ == "prep" and c.i > tok.i]
    return [m for prep in preps if prep.lower_ == "of"
            for obj in prep.children if obj.dep_ == "pobj"
            for m in [ctx.by_token.get(obj.i)] if m is not None and m.actor_kind == "state"]


# People counted as part of a group: "killed 70 members of the tribe", "dozens of its fighters"
_PEOPLE_NOUNS = frozenset({"people", "population", "citizen", "resident", "civilian"})
_PART_NOUNS = _PEOPLE_NOUNS | frozenset({
    "member", "fighter", "soldier", "troop", "militant", "supporter", "officer", "personnel",
    "dozen", "hundred", "thousand", "score", "number"})


def _members_of(ctx: SentenceContext, tok: Token, hops: int = 2) -> list[Mention]:
    """The group whose people ``tok`` counts: "70 members of the Albu Nimr tribe", "dozens
    of members of the Peshmerga"."""
    if hops == 0 or tok.lemma_.lower() not in _PART_NOUNS:
        return []
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    return (ctx.with_conjuncts(obj) or owners(ctx, obj)
                            or _members_of(ctx, obj, hops - 1))
    return []


def _is_group(m: Mention) -> bool:
    return m.label == "Organisation" and m.actor_kind != "state"


def agents(ctx: SentenceContext, verb: Token) -> list[Mention]:
    out: list[Mention] = []
    for child in verb.children:
        if child.dep_ == "agent":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    out.extend(ctx.with_conjuncts(obj))
    return out


def clause_relations(ctx: SentenceContext) -> None:
    for verb in ctx.tokens:
        if verb.pos_ not in ("VERB", "NOUN") or verb.dep_ == "compound":
            continue
        rule = VERB_RULES.get(verb.lemma_.lower())
        if rule is None or verb.pos_ == "NOUN" or _names_as(ctx, verb):
            continue
        if is_passive(verb):
            doers = agents(ctx, verb)
            patient_tok = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            if (patient_tok is None and verb.dep_ == "acl") or (
                patient_tok is not None and patient_tok.lower_ in RELATIVE_PRONOUNS
                and verb.dep_ == "relcl"
            ):
                patient_tok = verb.head  # "X, who was assigned to Y"
            patients = ctx.with_conjuncts(patient_tok) if patient_tok is not None else []
            pairs = [(d, p) for d in doers for p in patients]
            if rule.passive_keeps_subject:
                pairs = [(p, o) for p in patients for o in _objects(ctx, verb, rule)]
            pattern = f"passive_{verb.lemma_.lower()}"
        else:
            subj_tok = subject_token(verb)
            subjects = ctx.with_conjuncts(subj_tok) if subj_tok is not None else []
            if not subjects and subj_tok is not None:
                # "Iraq's efforts to destroy the group": the owner of the effort acts
                subjects = [m for c in subj_tok.children if c.dep_ == "poss"
                            for m in ctx.with_conjuncts(c)]
            if (not any(m.actor_id for m in subjects) and subj_tok is not None
                    and rule.type in _OWNER_TYPES and subj_tok.lemma_.lower() in _PART_NOUNS):
                # "Kataib Hezbollah fighters killed X", "members of the tribe attacked Y"
                subjects = owners(ctx, subj_tok) or _members_of(ctx, subj_tok) or subjects
            if rule.type == "fighting_against" and (helper := helper_token(verb)) is not None:
                subjects += [m for m in ctx.with_conjuncts(helper) if m not in subjects]
            if not subjects and subj_tok is not None and subj_tok.dep_ == "appos":
                # "Operation X, the operation to eliminate Y": the named one acts
                subjects = ctx.with_conjuncts(subj_tok.head)
            pairs = [(s, o) for s in subjects for o in _objects(ctx, verb, rule)]
            pattern = f"verb_{verb.lemma_.lower()}"
        for doer, patient in pairs:
            subj, obj = (patient, doer) if rule.reverse else (doer, patient)
            if rule.type == "controls" and obj.label not in HELD_LABELS:
                continue
            if rule.groups_only and not (_is_group(subj) and _is_group(obj)):
                continue
            if rule.type == "leads" and subj.label != "Person" and obj.label == "Person":
                continue
            ctx.add(_reading(verb, rule.type, obj), subj, obj, confidence=rule.confidence,
                    pattern=pattern, anchor=verb,
                    role="leader" if rule.type == "leads" else None)


def _reading(verb: Token, rel_type: RelationType, obj: Mention) -> RelationType:
    """The relation a verb gives with this object and these complements, where it is not
    the verb's usual one: "hit X with sanctions", "attacked X for hiring ...", "expelled 35
    diplomats" oppose X; one welcomes a visitor to meet him (a decision, to back it); one
    joins others "in condemning X" on their side, not as a member."""
    lemma = verb.lemma_.lower()
    if rel_type == "fighting_against" and (
        _by_measures(verb) or _for_conduct(verb) or (lemma == "expel" and _envoys(obj))
        or (verb.dep_ in ("acl", "relcl") and verb.head.lemma_.lower() in _VOICE_NOUNS)
    ):
        return "opposes"  # "a resolution targeting X" is words, not force
    if lemma == "welcome" and obj.label == "Person":
        return "communicated_with"
    if lemma == "join" and _joined_in_doing(verb):
        return "allied_with"
    return rel_type


_ENVOY_WORDS = frozenset({"diplomat", "diplomats", "ambassador", "ambassadors", "envoy",
                          "envoys", "attache", "attaches", "journalist", "journalists",
                          "correspondent", "correspondents", "staff", "officials"})


def _envoys(m: Mention | Span) -> bool:
    words = m.text.lower().split()
    return bool(words) and words[-1] in _ENVOY_WORDS


def _joined_in_doing(verb: Token) -> bool:
    """"X joined Y in condemning Z": a shared act, not membership of Y."""
    return any(p.dep_ == "prep" and p.lower_ == "in" and any(
        c.dep_ == "pcomp" and c.tag_ == "VBG" for c in p.children) for p in verb.children)


def _names_as(ctx: SentenceContext, verb: Token) -> bool:
    """"X called Y a terrorist", "... called Y weak": a name given, not a phone call (the
    parser may also cut Y's own name into object and complement)."""
    if verb.lemma_.lower() != "call":
        return False
    complements = [c for c in verb.children if c.dep_ in ("oprd", "acomp", "attr")]
    objects = [ctx.mention(c) for c in verb.children if c.dep_ == "dobj"]
    if not any(objects) and complements:
        objects = [ctx.mention(complements[0])]  # "called [Y] to discuss": Y read as oprd
    return any(ctx.mention(c) is None or all(ctx.mention(c) is not o for o in objects)
               for c in complements)


# Means that make an attack verb a measure, not force: "hit Iran with new sanctions".
_MEASURES = frozenset({"sanction", "tariff", "duty", "levy", "embargo", "fine", "penalty",
                       "lawsuit", "indictment", "charge", "restriction", "ban", "subpoena"})


# What someone is attacked over when the attack is words: "attacked X over his remarks".
_CONDUCT_NOUNS = frozenset({"remark", "comment", "statement", "tweet", "speech", "policy",
                            "decision", "handling", "stance", "position", "record", "response",
                            "vote", "view", "claim", "rhetoric", "plan", "proposal"})


def _for_conduct(verb: Token) -> bool:
    """Whether the attack is blame for something done or said ("Rubio attacked Trump for
    hiring ...", "... over his remarks"): criticism, not force."""
    for prep in verb.children:
        if prep.dep_ != "prep":
            continue
        if prep.lower_ == "for" and any(c.dep_ == "pcomp" and c.tag_ == "VBG"
                                        for c in prep.children):
            return True
        if prep.lower_ == "over" and any(c.dep_ == "pobj" and c.lemma_.lower() in _CONDUCT_NOUNS
                                         for c in prep.children):
            return True
    return False


def _by_measures(verb: Token) -> bool:
    return any(c.dep_ == "prep" and c.lower_ == "with" and any(
        o.dep_ == "pobj" and o.lemma_.lower() in _MEASURES for o in c.children)
        for c in verb.children)


CONF_JOINT_SUBJECTS = 0.6
# Verbs whose conjoined subjects did the thing with each other: "X and Y met", "X and Y signed
# an agreement".
_JOINT_VERBS = frozenset({"meet", "talk", "negotiate", "confer", "sign", "agree", "speak",
                          "discuss"})


# Where people who "spoke" or "talked" addressed an audience, not each other: "X and Y spoke
# at the rally", "... spoke to reporters", "... spoke before Congress".
_AUDIENCE_PREPS = frozenset({"at", "to", "before"})


def _to_each_other(verb: Token) -> bool:
    """Whether joint subjects of a talk verb talked with each other: not when they "spoke
    out" (each said something in public) or spoke to an audience."""
    if any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children):
        return False
    return verb.lemma_.lower() not in ("speak", "talk") or not any(
        c.dep_ == "prep" and c.lower_ in _AUDIENCE_PREPS for c in verb.children)


CONF_CO_BELLIGERENTS = 0.55
CONF_MUTUAL_FIGHT = 0.6
# Fighting verbs whose joint subjects, with no object, fought one another ("X and Y clashed").
_MUTUAL_FIGHT_VERBS = frozenset({"clash", "fight", "battle", "skirmish"})


def _reciprocal(verb: Token) -> bool:
    """"X and Y fought each other", "X and Y clashed near Z": the subjects fought one another."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if any(" ".join(t.lower_ for t in o.subtree) in _EACH_OTHER for o in objects):
        return True
    return verb.lemma_.lower() in _MUTUAL_FIGHT_VERBS and not objects and not any(
        c.dep_ == "prep" and c.lower_ in ("with", "against") for c in verb.children)


_EACH_OTHER = frozenset({"each other", "one another"})


def _fights_agents(verb: Token) -> bool:
    """Whether the verb's object is a kind of fighters or people ("defeating these
    terrorists"), though no mention: an enemy all the subjects share."""
    return any(c.dep_ == "dobj" and (c.lower_ in HEAD_SECTORS or c.lemma_.lower() in _FOES)
               for c in verb.children)


# Who is fought, without a sector of their own: "battled the attackers together".
_FOES = frozenset({"attacker", "assailant", "gunman", "enemy", "jihadist", "hijacker"})


def joint_subjects(ctx: SentenceContext) -> None:
    """"X and Y met" -> ``communicated_with``; "X and Y fought ISIL" -> ``allied_with``
    (parties that fight the same enemy together are co-belligerents)."""
    for verb in ctx.tokens:
        if verb.pos_ != "VERB":
            continue
        lemma = verb.lemma_.lower()
        if lemma in _JOINT_VERBS:
            if not _to_each_other(verb):
                continue
            # the parser splits "Hadi al-Amiri and Qais al-Khazali met" into several subjects
            subjects = [c for c in verb.children if c.dep_ == "nsubj"]
            rel_type: RelationType = "communicated_with"
            conf = CONF_JOINT_SUBJECTS
        elif (rule := VERB_RULES.get(lemma)) is not None and rule.type == "fighting_against":
            subj = subject_token(verb)
            subjects = [subj] if subj is not None else []
            if _reciprocal(verb):
                rel_type, conf = "fighting_against", CONF_MUTUAL_FIGHT
            elif _objects(ctx, verb, rule) or _fights_agents(verb):
                rel_type, conf = "allied_with", CONF_CO_BELLIGERENTS
            else:
                continue  # no enemy in common: "X and Y hit the campaign trail"
        else:
            continue
        parties: list[Mention] = []
        for subj in subjects:
            parties += [m for m in ctx.with_conjuncts(subj)
                        if (m.label != "Location" or m.actor_kind == "state")
                        and all(m is not p for p in parties)]
        for k, a in enumerate(parties):
            for b in parties[k + 1 :]:
                if not own_following(ctx, a, b):  # "Assad and his regime" are not allies
                    ctx.add(rel_type, a, b, confidence=conf, pattern=f"joint_{lemma}",
                            anchor=verb)



CONF_COMPANION = 0.55
_TOGETHER = frozenset({"together", "along", "jointly", "side"})


def companions(ctx: SentenceContext) -> None:
    """"X, together with Y, ...", "X fought alongside Y", "X, along with Y, entered Z" ->
    ``allied_with``: whoever acts together with another is on its side."""
    if ctx.lacks(frozenset({"alongside", "together", "along", "jointly"})):
        return
    for prep in ctx.tokens:
        if prep.dep_ != "prep":
            continue
        low, head = prep.lower_, prep.head
        if low == "with" and head.lower_ in _TOGETHER and head.dep_ in ("prep", "advmod"):
            head = head.head  # "along with Y" hangs "with" on "along"
        elif not (low == "alongside" or (low == "with" and any(
                c.lower_ in _TOGETHER for c in (*prep.children, *head.children)
                if c.dep_ == "advmod"))):
            continue
        partners = [m for o in prep.children if o.dep_ == "pobj"
                    for m in ctx.with_conjuncts(o) if _can_ally(m)]
        if head.pos_ in ("VERB", "AUX"):
            subj = subject_token(head)
            actors = ctx.with_conjuncts(subj) if subj is not None else []
        else:
            actors = ctx.with_conjuncts(head)
        for actor in (a for a in actors if _can_ally(a)):
            for partner in partners:
                ctx.add("allied_with", actor, partner, confidence=CONF_COMPANION,
                        pattern="companion", anchor=prep)


def _can_ally(m: Mention) -> bool:
    return m.label in ("Organisation", "Person") or m.actor_kind == "state"


CONF_WRESTED = 0.6
# Verbs that take something from someone: "X seized the hospital from ISIL fighters".
_WRESTING_VERBS = frozenset({"seize", "capture", "retake", "recapture", "take", "wrest",
                             "reclaim", "clear", "retook", "retaken", "liberate", "free"})


# What one "takes" without taking it from anyone by force
_TAKEN_IDIOMS = frozenset({"office", "control", "power", "charge", "credit", "part", "place",
                           "responsibility", "step", "action", "note", "time", "advantage"})


def wrested_from(ctx: SentenceContext) -> None:
    """"X retook the town from Y": X fights Y, and Y held the town until then (X's own
    control is read by the clause patterns)."""
    if ctx.lacks(_WRESTING_VERBS):
        return
    for verb in ctx.tokens:
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in _WRESTING_VERBS:
            continue
        # "from Y" hangs on the verb or, as often, on the thing taken ("the dam from Y")
        taken = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        # "took control of Mosul from Y": what is controlled is taken
        taken += [o for t in taken if t.lemma_.lower() == "control" for p in t.children
                  if p.dep_ == "prep" and p.lower_ == "of" for o in p.children
                  if o.dep_ == "pobj" and ctx.held_things(o)]
        if any(t.lemma_.lower() in _TAKEN_IDIOMS for t in taken) and not any(
                ctx.held_things(t) for t in taken):
            continue  # "took office", "took control of security duties from the police"
        heads = [verb, *taken]
        losers = [m for h in heads for prep in h.children
                  if prep.dep_ == "prep" and prep.lower_ == "from"
                  for obj in prep.children if obj.dep_ == "pobj"
                  for m in _losers(ctx, obj)]
        if not losers:
            continue
        for loser in losers:
            for thing in (m for t in taken for m in ctx.held_things(t)):
                ctx.add("controls", loser, thing, confidence=CONF_WRESTED,
                        pattern="wrested_from", anchor=verb, lost=True)
        subj_tok = subject_token(verb)
        for doer in ctx.with_conjuncts(subj_tok) if subj_tok is not None else []:
            for loser in losers:
                ctx.add("fighting_against", doer, loser, confidence=CONF_WRESTED,
                        pattern="wrested_from", anchor=verb)


def _losers(ctx: SentenceContext, obj: Token) -> list[Mention]:
    """Who lost the thing: "from ISIL", and "from ISIL control" (the controlling group)."""
    found = [m for m in ctx.with_conjuncts(obj) if m.label in ("Organisation", "Person")]
    if not found and obj.lemma_.lower() in ("control", "hand", "grip", "rule"):
        found = [m for c in obj.children if c.dep_ in ("compound", "poss", "amod", "nmod")
                 for m in ctx.with_conjuncts(c) if m.label in ("Organisation", "Person")]
    return found

"""Titles and roles: appositions, copulas, title-before-name and possessives.

"X, spokesman of Y" / "X, the leader of Y" / "X is a leader of Y" / "Y's Foreign Minister X" /
"US Ambassador to Iraq X" / "alliance leader X". A leading title gives ``leads``; any other title
gives ``member_of`` (except a title run before the name, which is part of how the person is
named); all give ``role`` with the title.
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from factionmap.extract.lexicon import LEAD_TITLES, MEMBER_TITLES, ROLE_WORDS, TITLE_MODIFIERS
from factionmap.extract.patterns.context import SentenceContext
from factionmap.records import Mention, RelationType, Span

# Confidence: an explicit "X, title of Y" apposition is rarely wrong; a title run before a
# name is right most of the time but its organisation can be a posting ("ambassador to Iraq").
CONF_APPOSITION = 0.8
CONF_COPULA = 0.75
CONF_PRENOMINAL = 0.7
CONF_POSSESSIVE = 0.55
_ORG_PREPS = frozenset({"of", "for", "at", "in"})
_POSSESSIVE = frozenset({"'s", "\u2019s", "'", "\u2019"})


def _is_role(tok: Token) -> bool:
    return tok.lower_ in ROLE_WORDS and tok.pos_ in ("NOUN", "PROPN")


# Titles written "<noun> of <noun>" whose first noun alone would be another title.
_OF_TITLES = frozenset(t for t in LEAD_TITLES | MEMBER_TITLES if " of " in t)


def title_of(role: Token) -> str:
    """The title around a role noun: "Foreign Minister", "deputy commander" (lower case)."""
    words = [role]
    for child in role.lefts:
        low = child.lower_
        if child.dep_ in ("compound", "amod") and (low in TITLE_MODIFIERS or low in ROLE_WORDS):
            words.append(child)
    words.sort(key=lambda t: t.i)
    title = " ".join(t.lower_ for t in words if t.lower_ not in ("former", "then", "acting", "ex"))
    # a title that runs on past its noun ("chief of staff" is no chief)
    for prep in role.rights:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for obj in prep.children:
                if obj.dep_ == "pobj" and f"{role.lower_} of {obj.lower_}" in _OF_TITLES:
                    return f"{title} of {obj.lower_}"
    return title


def _emit(ctx: SentenceContext, person: Mention, org: Mention, role: Token, title: str,
          confidence: float, pattern: str) -> None:
    if person.label != "Person" or org.label == "Person":
        return
    time = [role, *([role.head] if role.dep_ in ("attr",) else [])]
    ctx.add("role", person, org, confidence=confidence, pattern=pattern, anchor=role,
            role=title, time_anchors=time)
    leading = title in LEAD_TITLES or title.split()[-1] in LEAD_TITLES or (
        # an army's chief of staff commands it; a president's runs his office
        title.endswith("chief of staff") and org.sector == "MIL")
    kind: RelationType = "leads" if leading else "member_of"
    if title.startswith(("deputy", "vice", "assistant")) or _leads_a_subunit(role):
        kind = "member_of"  # "an ISIL cell leader" leads a cell and belongs to ISIL
    if kind == "member_of" and pattern == "title_before_name":
        # "US Secretary of State John Kerry" is one published mention: the title is how the
        # person is named, and its ``role`` already holds the affiliation (with the title).
        return
    ctx.add(kind, person, org, confidence=confidence, pattern=pattern, anchor=role,
            role=title if kind == "leads" else None, time_anchors=time)


_SUBUNITS = frozenset({"gang", "cell", "unit", "squad", "team", "network", "battalion",
                       "company", "platoon", "branch", "wing", "faction"})


# Words between a title and a name that are no part of the office ("Supreme Leader Ayatollah").
_HONORIFICS = frozenset({"ayatollah", "grand", "sheikh", "shaikh", "mullah", "imam", "sayyed",
                         "sayyid", "hajji", "haji", "emir"})
_TITLE_JOINS = frozenset({"of", "for", "to", "the", "-", "and"})


def _head_after_role(ctx: SentenceContext, run: list[Token], role: Token) -> list[str]:
    """Title words after the role word, where the title has another head: in "CNN Chief
    National Correspondent John King" the office is a correspondent's, not the chief's."""
    after = [t for t in run if t.i > role.i and ctx.by_token.get(t.i) is None]
    return [t.lower_ for t in after if t.lower_ not in ROLE_WORDS
            and t.lower_ not in TITLE_MODIFIERS and t.lower_ not in _HONORIFICS
            and t.lower_ not in _TITLE_JOINS and t.text not in _POSSESSIVE
            and not t.text.endswith(".")]  # abbreviations: "Mr.", "Gen."


def _leads_a_subunit(role: Token) -> bool:
    return any(c.dep_ == "compound" and c.lower_ in _SUBUNITS for c in role.lefts)


def _role_orgs(ctx: SentenceContext, role: Token) -> list[Mention]:
    """Organisations a role noun is attached to: "of Y", "Y's", "Y spokesman"."""
    out: list[Mention] = []
    for child in role.children:
        if child.dep_ == "prep" and child.lower_ in _ORG_PREPS:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    out.extend(m for m in ctx.with_conjuncts(obj)
                               if not (child.lower_ == "for" and _is_place(m)))
        elif child.dep_ in ("poss", "compound", "nmod") and child.i < role.i:
            m = ctx.mention(child)
            if m is not None:
                out.append(m)
        elif child.dep_ == "appos" and child.i > role.i:
            # "X, commander, Combined Joint Task Force": the unit stands beside the title
            out += _unit_beside(ctx, child)
    if role.dep_ == "appos" and not out:
        # ... or the parser hangs it on the name, as the title's sibling
        for sib in role.head.rights:
            if sib.dep_ == "appos" and sib.i > role.right_edge.i:
                out += _unit_beside(ctx, sib)
                break
    return [m for m in out if m.label != "Person"]


def _unit_beside(ctx: SentenceContext, tok: Token) -> list[Mention]:
    """The organisation named by an apposition, or by the first mention inside it when the
    parse stretches past the name ("Land Component Command - Operation Inherent Resolve")."""
    m = ctx.mention(tok)
    if m is None:
        m = next((ctx.mention(t) for t in tok.subtree if ctx.mention(t) is not None), None)
    return [m] if m is not None and m.label == "Organisation" else []


def _is_place(m: Mention) -> bool:
    """A country or place after "for" is a portfolio ("Special Representative for Syria",
    "Minister for the Middle East"), not whom the person works for."""
    return m.label == "Location" or m.actor_kind == "state"


def _holder(ctx: SentenceContext, role: Token) -> Mention | None:
    """The person holding the role, through apposition or copula."""
    if role.dep_ == "appos":
        m = ctx.mention(role.head)
        if m is not None:
            return m
    for child in role.children:
        if child.dep_ == "appos":
            m = ctx.mention(child)
            if m is not None and m.label == "Person":
                return m
    if role.dep_ in ("attr",):
        for child in role.head.children:
            if child.dep_ == "nsubj":
                return ctx.mention(child)
    # "X, commander, Y met ...": set off by commas right after the name, whatever the parse
    before = min([role.i, *(c.left_edge.i for c in role.lefts if not c.is_punct)]) - 1
    if before > ctx.sent.start and ctx.doc[before].text == ",":
        m = ctx.mention(ctx.doc[before - 1])
        if m is not None and m.label == "Person" and _comma_after(ctx, role):
            return m
    return None


def _comma_after(ctx: SentenceContext, role: Token) -> bool:
    """A comma closes the title, before its unit ("commander, Y") or after its phrase."""
    return any(i < ctx.sent.end and ctx.doc[i].text == ","
               for i in (role.i + 1, role.right_edge.i + 1))


def dependency_roles(ctx: SentenceContext) -> None:
    """Appositions and copulas around role nouns."""
    for role in ctx.tokens:
        if not _is_role(role) or ctx.mention(role) is not None:
            continue
        person = _holder(ctx, role)
        if person is None:
            continue
        pattern = "copula_role" if role.dep_ == "attr" else "apposition_role"
        conf = CONF_COPULA if role.dep_ == "attr" else CONF_APPOSITION
        orgs = _role_orgs(ctx, role)
        for org in orgs:
            _emit(ctx, person, org, role, title_of(role), conf, pattern)
        if role.dep_ != "attr":
            _describe(ctx, person, role)


def _describe(ctx: SentenceContext, person: Mention, role: Token) -> None:
    """"X, the CJTF-OIR spokesperson": the title phrase is another name for X (``same_as``,
    both ends X, so the map shows no edge but the description keeps its evidence)."""
    doc = ctx.doc
    name = doc.char_span(person.start, person.end, alignment_mode="expand")
    if name is None:
        return
    first, last = role.left_edge.i, role.right_edge.i
    if role.i < name.start:  # "The CJTF-OIR commanding general, Lt. Gen. X": up to the comma
        last = role.i
        for child in role.rights:
            if child.dep_ == "prep" and child.right_edge.i < name.start:
                last = child.right_edge.i
    elif first <= name.end - 1:
        return
    while last > first and (doc[last].is_punct or doc[last].lower_ in _TRAILING):
        last -= 1
    while first < last and doc[first].is_punct:
        first += 1
    phrase = doc[first : last + 1]
    if not phrase.text.strip():
        return
    described = Span(phrase.start_char, phrase.end_char, phrase.text, person.actor_id,
                     person.actor_name)
    ctx.add("same_as", person, described, confidence=CONF_APPOSITION,
            pattern="apposition_description", anchor=role)


_TRAILING = frozenset({"and", "or", ","})


def prenominal_titles(ctx: SentenceContext, persons: list[Mention]) -> None:
    """"US Ambassador to Iraq Douglas Silliman", "Iran's Foreign Minister X", "Y's X".

    Read as a token run left of the name, not from the parse: parsers often break these.
    """
    doc = ctx.doc
    for person in persons:
        first = doc.char_span(person.start, person.end, alignment_mode="expand")
        if first is None:
            continue
        run: list[Token] = []
        i = first.start - 1
        while i >= ctx.sent.start:
            tok = doc[i]
            m = ctx.by_token.get(i)
            if m is not None and m.label == "Person":
                break
            ok = (
                m is not None
                or tok.lower_ in ROLE_WORDS
                or tok.lower_ in TITLE_MODIFIERS
                or tok.text in _POSSESSIVE
                or tok.lower_ in ("to", "of", "for", "-")
                or (tok.text[:1].isupper() and tok.pos_ in ("PROPN", "NOUN", "ADJ"))
            )
            if not ok:
                break
            run.insert(0, tok)
            i -= 1
        if not run:
            continue
        roles = [t for t in run if t.lower_ in ROLE_WORDS and ctx.by_token.get(t.i) is None]
        orgs: list[Mention] = []
        passed: list[Mention] = []
        for t in run:
            m = ctx.mention(t)
            prev = doc[t.i - 1] if t.i > 0 else None
            if m is None or m in orgs or m in passed or m.label == "Person":
                continue
            passed.append(m)
            if prev is not None and prev.lower_ == "to" and ctx.by_token.get(prev.i) is None:
                continue  # "ambassador to Iraq": the posting, not the employer
            if _where_not_whose(ctx, prev, first):
                continue  # "In Turkey Minister X": where he was, not whose minister
            orgs.append(m)
        if not orgs:
            continue
        org = orgs[0]
        anchor = doc[first.root.i]
        if roles:
            role = roles[-1]
            # keep only the contiguous title words ending at the role noun
            title_words: list[str] = []
            for t in reversed([t for t in run if t.i <= role.i]):
                if t.lower_ in ROLE_WORDS or t.lower_ in TITLE_MODIFIERS:
                    title_words.insert(0, t.lower_)
                else:
                    break
            kept = [w for w in title_words if w not in ("former", "then", "ex")]
            title = " ".join([*kept, *_head_after_role(ctx, run, role)]) or role.lower_
            _emit(ctx, person, org, role, title, CONF_PRENOMINAL, "title_before_name")
        elif any(t.text in _POSSESSIVE for t in run[-2:]) and org.label != "Person":
            ctx.add("member_of", person, org, confidence=CONF_POSSESSIVE,
                    pattern="possessive", anchor=anchor)


def _where_not_whose(ctx: SentenceContext, prev: Token | None, person: SpacySpan) -> bool:
    """Whether a name opening a title run is the object of the preposition before it: "In
    Turkey Minister X" (the parser leaves "In" without the person in its object), but not
    "with Russian President Y" or "about Russian President Y's strategy"."""
    return (prev is not None and prev.dep_ == "prep" and prev.lower_ not in _TITLE_JOINS
            and ctx.by_token.get(prev.i) is None
            and not any(c.dep_ == "pobj" and c.left_edge.i <= person.root.i <= c.right_edge.i
                        for c in prev.children))


CONF_OWN_FOLLOWING = 0.6
# Bodies a person heads when the text calls them "his"/"her" beside the person: "Assad and
# his regime", "Haftar and her forces". Not "his allies" or "his aides" (peers and staff).
_FOLLOWING_BODIES = frozenset({"government", "regime", "administration", "cabinet", "forces",
                               "force", "army", "troops", "militia", "militias", "fighters",
                               "men", "loyalists", "party", "movement", "group", "faction"})


def own_following(ctx: SentenceContext, a: Mention, b: Mention) -> bool:
    """Whether ``b`` is ``a``'s own body in "a and his/her b" (a person and what they lead)."""
    if a.label != "Person" or b.label != "Organisation":
        return False
    head_a = ctx.doc.char_span(a.start, a.end, alignment_mode="expand")
    head_b = ctx.doc.char_span(b.start, b.end, alignment_mode="expand")
    if head_a is None or head_b is None:
        return False
    tok = head_b.root
    # the head of ``a`` may be any of its words: the parser can split a name ("al-Abadi")
    return (tok.lower_ in _FOLLOWING_BODIES and tok.dep_ == "conj"
            and head_a.start <= tok.head.i < head_a.end
            and any(c.dep_ == "poss" and c.lower_ in ("his", "her") for c in tok.children))


def own_followings(ctx: SentenceContext, persons: list[Mention]) -> None:
    """"Assad and his regime", "Haftar and his forces" -> ``leads``."""
    for person in persons:
        span = ctx.doc.char_span(person.start, person.end, alignment_mode="expand")
        if span is None:
            continue
        for conj in [c for tok in span for c in tok.children if c.dep_ == "conj"]:
            body = ctx.mention(conj)
            if body is not None and own_following(ctx, person, body):
                ctx.add("leads", person, body, confidence=CONF_OWN_FOLLOWING,
                        pattern="own_following", anchor=conj)

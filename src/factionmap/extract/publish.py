"""Mentions as published: how the article's spans are reported to analysts and the store.

Relations and events read the *working* mentions (titles and names apart, a group apart from
the people or places it qualifies); what is published follows how analysts mark spans, re3d
among them: "Foreign Minister X" is one Person, "ISIL fighters" one Organisation mention of
ISIL, "an ISIL-held building" one place, a state acting in a clause an Organisation.
"""

from __future__ import annotations

import bisect
from dataclasses import replace

import pycountry
from spacy.tokens import Doc, Token

from factionmap.extract.arguments import EQUIPMENT_LABELS, is_pronoun
from factionmap.extract.lexicon import (
    REGION_NAMES,
    ROLE_WORDS,
    TITLE_MODIFIERS,
    UNIT_PHRASE_HEADS,
)
from factionmap.extract.linking import names_a_people
from factionmap.extract.offices import with_offices
from factionmap.nlp.cache import doc_text
from factionmap.records import TITLED_NAME_REASON, Mention


def publish_mentions(doc: Doc, working: list[Mention], refined: list[Mention]) -> list[Mention]:
    """The published mentions of an article, from its working and tagger-refined mentions."""
    # Each step reads the spans the one before it left; states are labelled by their use
    # before they disappear into larger phrases ("the people of Syria").
    out = with_titled_names(working, refined, doc)
    out = with_offices(doc, with_titles(doc, with_unit_phrases(doc, out)))
    out = label_states(doc, out)
    out = with_owned_groups(doc, with_peoples(doc, out))
    out = with_place_qualifiers(doc, out)
    out = [m for m in out if not (m.label == "Quantity" and m.text.lower() in _NO_COUNT)]
    return with_determiners(doc, out)


# "one strike", "one of the": a lone "one" reads as an article, not a count worth reporting.
_NO_COUNT = frozenset({"one", "a", "an"})


def with_titled_names(
    split: list[Mention], refined: list[Mention], doc: Doc | None = None
) -> list[Mention]:
    """The mentions to publish: a title-and-name span stands as one Person mention.

    ``keep_names_apart`` splits "US Secretary of State John Kerry" so the title patterns see
    the organisation; the span as a whole is still how analysts (and re3d) mark the person.
    It is published linked to the one person named inside it, replacing the pieces; a span
    holding two people ("Iran's Zarif and Lavrov") stays split.
    """
    kept = {(m.start, m.end) for m in split}
    out = list(split)
    for wide in refined:
        if wide.label != "Person" or (wide.start, wide.end) in kept:
            continue
        inner = [m for m in out if wide.start <= m.start and m.end <= wide.end]
        persons = [m for m in inner if m.label == "Person" and m.actor_id]
        if len(persons) != 1:
            continue
        name = persons[0]
        if doc is not None and _starts_with_a_place(doc, wide, inner):
            continue  # "In Turkey Minister X": the tagger ran the place into the title
        titled = replace(wide, actor_id=name.actor_id, actor_name=name.actor_name,
                         actor_kind=name.actor_kind, country=name.country, sector=name.sector,
                         link_reason=f"{TITLED_NAME_REASON}: '{name.text}'")
        dropped = {id(m) for m in inner}  # by identity: dataclass equality compares every field
        out = [m for m in out if id(m) not in dropped] + [titled]
    return sorted(out, key=lambda m: (m.start, m.end))




def _starts_with_a_place(doc: Doc, wide: Mention, inner: list[Mention]) -> bool:
    first = doc.char_span(wide.start, wide.end, alignment_mode="expand")
    if first is None or first.start == 0 or doc[first.start - 1].lower_ not in _PLACE_PREPS:
        return False
    return any(m.start == wide.start and m.actor_kind == "state" for m in inner)


# How a sentence uses a country: as a place ("in Iraq") or as an actor ("Iraq signed").
_PLACE_PREPS = frozenset({"in", "to", "across", "inside", "into", "from", "throughout",
                          "near", "within", "around", "outside"})
_ACTOR_PREPS = frozenset({"with", "by", "against", "between", "including"})
_ACTOR_DEPS = frozenset({"nsubj", "compound", "agent"})


_MEMBERSHIP_VERBS = frozenset({"include", "comprise", "join", "welcome"})
# Verbs whose object is somewhere one goes: a country visited is a place, not an actor.
_TRAVEL_VERBS = frozenset({"visit", "enter", "leave", "reach", "tour", "cross", "flee"})


def state_role_label(doc: Doc, m: Mention) -> str:
    """Organisation or Location for a mention of a state, from its place in the clause.

    Analysts (and re3d) mark a country that acts, talks or is talked with as an actor and a
    country things happen in as a place; conjuncts ("Iraq and Syria") share the first one's use.
    """
    if m.actor_kind != "state" or m.label not in ("Organisation", "Location", "Nationality"):
        return m.label
    if names_a_people(m.text):
        return "Organisation"  # "all Iraqis", "2 million Syrians"
    if m.label == "Nationality":
        return m.label
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return m.label
    tok = span.root
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ in _ACTOR_DEPS:
        return "Organisation"
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in _MEMBERSHIP_VERBS:
        return "Organisation"  # "Coalition nations include Australia, Belgium and Canada"
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in _TRAVEL_VERBS:
        return "Location"  # "the minister visited Turkey on 4 April"
    if tok.dep_ == "pobj":
        prep = tok.head.lower_
        if prep in _PLACE_PREPS:
            return "Location"
        if prep in _ACTOR_PREPS:
            return "Organisation"
    return m.label


def label_states(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    out = []
    for m in mentions:
        label = state_role_label(doc, m)
        out.append(m if label == m.label else replace(m, label=label))  # type: ignore[arg-type]
    return out


_DETERMINER_LABELS = frozenset({"Organisation", "Location", "Person", "MilitaryPlatform",
                                "Vehicle", "Weapon", "Temporal"})


def with_determiners(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Mentions widened over the "the" that determines them ("the Badr Organization").

    Analysts mark the determiner as part of a group's or place's mention, as re3d does in
    nine cases out of ten; only a "the" the parse attaches inside the mention is taken.
    """
    out = []
    text = doc_text(doc)
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if m.label in _DETERMINER_LABELS and span is not None and span.start > 0:
            det = doc[span.start - 1]
            if det.lower_ == "the" and det.dep_ == "det" and span.start <= det.head.i < span.end:
                m = replace(m, start=det.idx, text=text[det.idx : m.end])
        out.append(m)
    return out


_ABSORBED_LABELS = frozenset({"Nationality"})
# Mentions a phrase may end with: equipment, whose label it takes, and places, which it
# only swallows when the group holds them ("ISIL-held buildings").
_TAIL_LABELS = EQUIPMENT_LABELS | {"Location"}


def with_unit_phrases(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A group that qualifies its people, places or equipment is published as the whole phrase.

    "ISIL tactical units" and "Hezbollah fighters" are one Organisation mention, still linked
    to the group; "an ISIL-held building" is a Location and "Coalition aircraft" a platform.
    Relations keep reading the group on its own (the working mentions), and the phrase
    contains it, so nothing is lost there.
    """
    out = list(mentions)
    for m in mentions:
        if m.label != "Organisation" or not m.actor_id or m.actor_kind == "state":
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        # the last word: "the ISIL" in "the ISIL terrorist group" hangs both words on "group"
        head = _qualified_noun(span[-1])
        if head is None:
            continue
        lo, hi = doc[_phrase_start(head, span.start)].idx, head.idx + len(head.text)
        inside = [o for o in out if lo <= o.start and o.end <= hi]
        tail = [o for o in inside if o.end == hi and o is not m and (
            o.label in _TAIL_LABELS or (o.label == "Organisation" and not o.actor_id))]
        label = _phrase_label(head, tail[0].label if tail else None)
        if label is None or m not in inside:
            continue
        absorbed = {id(o) for o in inside if o is m or o.label in _ABSORBED_LABELS}
        absorbed.update(id(o) for o in tail)
        if len(absorbed) < len(inside) or any(
            o.start < hi and lo < o.end and o not in inside for o in out
        ):
            continue  # another actor inside, or a mention crossing the phrase edge
        text = doc_text(doc)[lo:hi]
        if label == "Organisation":
            phrase = replace(m, start=lo, end=hi, text=text)
        else:
            phrase = Mention(lo, hi, text, label)  # type: ignore[arg-type]
        out = [o for o in out if o not in inside] + [phrase]
    return sorted(out, key=lambda o: (o.start, o.end))


def _qualified_noun(root: Token) -> Token | None:
    """The noun a group name qualifies ("ISIL fighters", "ISIL-held building"), if any."""
    head = root.head
    if root.dep_ == "npadvmod" and head.lower_ == "held" and head.dep_ == "amod":
        head = head.head
    elif root.dep_ not in ("compound", "amod", "nmod"):
        return None
    if head.i < root.i or head.dep_ == "compound":
        return None  # "Foreign Office Minister Tobias Ellwood": the title qualifies a name
    return head if head.pos_ in ("NOUN", "PROPN") else None


def _phrase_label(head: Token, tail: str | None) -> str | None:
    """The label of the whole phrase: a held thing is a place; else the head noun's class,
    else the label of the equipment the phrase ends with ("Coalition aircraft")."""
    if any(t.lower_ == "held" for t in head.lefts):
        # a held building or area is a place; a held tank stays equipment, the holder apart
        return None if tail in EQUIPMENT_LABELS else "Location"
    if tail == "Location":
        return None  # "ISIL | fighting positions": the group and the place stay apart
    unit = UNIT_PHRASE_HEADS.get(head.lemma_.lower())
    if tail == "Organisation":  # a tagger's unlinked "tactical unit" after "ISIL"
        return unit
    return unit or (tail if head.pos_ == "NOUN" else None)


def _phrase_start(head: Token, group_start: int) -> int:
    """The phrase starts at the group, or at an article before it that determines the head
    ("an ISIL tactical unit"); a count stays a Quantity of its own ("two | ISIL fighters")."""
    if group_start > 0:
        det = head.doc[group_start - 1]
        if det.dep_ == "det" and det.head.i == head.i and det.lower_ in ("a", "an", "the"):
            return group_start - 1
    return group_start


_REGION_WORDS = frozenset(w for name in REGION_NAMES for w in name.split())
_TITLE_JOINERS = frozenset({"of", "for", "the", "and"})
# Words of an office's name: "Secretary of State", "Minister of Defence", "Foreign Affairs".
_OFFICE_WORDS = frozenset({"state", "defense", "defence", "office", "affairs", "foreign",
                           "commonwealth", "cabinet", "council", "interior", "justice"})
# What a title in front of a name is built from, besides role words: qualifiers and the
# organisation, state or portfolio the office belongs to ("Foreign Office Minister for the
# Middle East Tobias Ellwood").
_TITLE_PART_LABELS = frozenset({"Organisation", "Nationality", "Location", "Person"})


def with_titles(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A named person is published with the title written before the name.

    Rank abbreviations ("Gen.", "Capt.") are left out, as analysts leave them; the pieces
    of the title (the ministry, the country) are published as part of the person, while
    relations still read them apart.
    """
    people = [m for m in mentions if m.label == "Person" and m.actor_id and not is_pronoun(m)]
    if not people:
        return mentions
    out = list(mentions)
    # tokens of the organisations, states and unnamed offices a title may be built from (only
    # those shortly before a name can be part of its title)
    starts = sorted(p.start for p in people)
    in_part = {
        i
        for m in mentions
        if m.label in _TITLE_PART_LABELS and not (m.label == "Person" and m.actor_id)
        and _precedes_a_name(m, starts)
        for i in _token_range(doc, m)
    }
    for person in people:
        span = doc.char_span(person.start, person.end, alignment_mode="expand")
        if span is None or not any(o is person for o in out):
            continue
        start = _title_start(doc, span.start, in_part)
        if start is None:
            continue
        lo = doc[start].idx
        inside = [o for o in out if lo <= o.start and o.end <= person.end and o is not person]
        if any(o.start < lo < o.end for o in out):
            continue
        titled = replace(person, start=lo, text=doc_text(doc)[lo : person.end])
        dropped = {id(o) for o in inside} | {id(person)}
        out = [o for o in out if id(o) not in dropped] + [titled]
    return sorted(out, key=lambda o: (o.start, o.end))


def _title_start(doc: Doc, name_start: int, in_part: set[int]) -> int | None:
    """First token of the title just before a name, if it holds a role word."""
    start, has_role = None, False
    i = name_start - 1
    while i >= 0:
        tok = doc[i]
        word = tok.lower_
        # a rank abbreviation ("Gen.") is left out, a state's ("U.S.") is part of the title
        if (tok.text.endswith(".") and i not in in_part) or tok.is_punct and tok.text != "-":
            break
        if i in in_part and (tok.dep_ == "pobj" or (i > 0 and doc[i - 1].lower_ in _PLACE_PREPS)):
            break  # "In Turkey Minister Ellwood met ...": the place is no part of the title
        if word in ROLE_WORDS:
            has_role = True
        elif not (word in TITLE_MODIFIERS or word in _TITLE_JOINERS or word in _REGION_WORDS
                  or word in _OFFICE_WORDS or i in in_part):
            break
        start = i
        if tok.is_sent_start:
            break
        i -= 1
    while start is not None and start < name_start and doc[start].lower_ in _TITLE_JOINERS:
        start += 1  # a title does not begin with "of", "for" or "the"
    return start if has_role and start is not None and start < name_start else None


_TITLE_REACH = 80  # characters between an organisation and the name its title runs into


def _precedes_a_name(m: Mention, name_starts: list[int]) -> bool:
    k = bisect.bisect_right(name_starts, m.end - 1)
    return k < len(name_starts) and name_starts[k] - m.end <= _TITLE_REACH


def _token_range(doc: Doc, m: Mention) -> range:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return range(span.start, span.end) if span is not None else range(0)


_DIRECTIONS = frozenset({
    "northern", "southern", "eastern", "western", "central", "northeastern", "northwestern",
    "southeastern", "southwestern", "north-eastern", "north-western", "south-eastern",
    "south-western", "upper", "lower",
})


def with_place_qualifiers(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A place published with what narrows it: "northern Iraq", "Palmyra, Syria".

    Analysts mark the region of a country and a town with its country as one place; the
    country or town on its own stays linked in the working mentions that relations read.
    """
    out = sorted(mentions, key=lambda o: (o.start, o.end))
    text = doc_text(doc)
    merged: list[Mention] = []
    for m in out:
        if m.label != "Location":
            merged.append(m)
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None and span.start > 0:
            adj = doc[span.start - 1]
            if adj.lower_ in _DIRECTIONS and adj.head.i in range(span.start, span.end):
                m = replace(m, start=adj.idx, text=text[adj.idx : m.end])
        prev = merged[-1] if merged else None
        if (prev is not None and prev.label == "Location" and text[prev.end : m.start] == ", "
                and _placed_in(prev, m)):
            merged[-1] = replace(prev, end=m.end, text=text[prev.start : m.end])
            continue  # "Palmyra, Syria": the town, placed in its country
        merged.append(m)
    return merged


def _placed_in(place: Mention, where: Mention) -> bool:
    """"Palmyra, Syria", "Berlin, Germany" (a capital linked to its state), "Fort Bragg, North
    Carolina": a place followed by the country or US state it lies in. Two countries in a
    row ("Iraq, Syria") are a list."""
    if place.actor_kind == "state":
        return where.actor_id == place.actor_id and where.text != place.text
    return where.actor_kind == "state" or where.text in _US_STATES


# US states and D.C., as datelines and hometowns name them ("Cibolo, Texas")
_US_STATES = frozenset(
    {s.name for s in pycountry.subdivisions.get(country_code="US") or ()} | {"D.C.", "DC"}
)


_PEOPLE_NOUNS = frozenset({"people", "population", "citizen", "resident", "civilian"})


def with_peoples(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """"the people of Iraq" is one Organisation mention: the population, linked to the state."""
    out = list(mentions)
    for m in mentions:
        if m.actor_kind != "state":
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or span.root.dep_ != "pobj" or span.root.head.lower_ != "of":
            continue
        noun = span.root.head.head
        if noun.lemma_.lower() not in _PEOPLE_NOUNS or noun.i >= span.start:
            continue
        start = noun.i
        det = doc[start - 1] if start > 0 else None
        if det is not None and det.dep_ == "det" and det.head.i == noun.i:
            start -= 1
        lo = doc[start].idx
        if any(o is not m and o.start < m.end and lo < o.end for o in out):
            continue
        phrase = replace(m, start=lo, text=doc_text(doc)[lo : m.end], label="Organisation")
        out = [o for o in out if o is not m] + [phrase]
    return sorted(out, key=lambda o: (o.start, o.end))


def with_owned_groups(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """"Assad's brutal regime": an owner and the group it owns are one group mention.

    The group keeps its own link; the owner is still related to it through the working
    mentions ("the possessive" pattern).
    """
    out = sorted(mentions, key=lambda o: (o.start, o.end))
    merged: list[Mention] = []
    for m in out:
        prev = merged[-1] if merged else None
        if (prev is not None and m.label == "Organisation" and prev.label in _OWNER_LABELS
                and _owns(doc, prev, m)):
            merged[-1] = replace(m, start=prev.start, text=doc_text(doc)[prev.start : m.end])
            continue
        merged.append(m)
    return merged


_OWNER_LABELS = frozenset({"Person", "Organisation"})


def _owns(doc: Doc, owner: Mention, group: Mention) -> bool:
    """``owner`` is the possessor ("X's") of the phrase ``group`` right after it."""
    between = doc_text(doc)[owner.end : group.start]
    if between not in ("'s ", "\u2019s ", "' ", "\u2019 "):
        return False
    span = doc.char_span(group.start, group.end, alignment_mode="expand")
    first = doc.char_span(owner.start, owner.end, alignment_mode="expand")
    if span is None or first is None:
        return False
    return first.root.dep_ == "poss" and first.root.head.i in range(span.start, span.end)

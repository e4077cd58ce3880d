"""Mentions: spans of the article that name people, groups, places, weapons, dates, amounts.

Candidates come from four sources -- the KB matcher component, spaCy NER, organisation noun
phrases built from group head words and the parse, and our weapon/platform/vehicle lexicons --
and overlaps are settled deterministically: longer wins, then KB over phrase over lexicon over NER.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np
from spacy.attrs import LOWER
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from factionmap.extract.arguments import is_pronoun
from factionmap.extract.lexicon import (
    ATTACK_VERBS,
    GROUP_HEADS,
    HOLDING_WORDS,
    REGION_NAMES,
    ROLE_WORDS,
    SITE_NOUN_FORMS,
    SITE_NOUNS,
    STRIKE_NOUNS,
    STRONG_GROUP_HEADS,
    TITLE_ABBREVIATIONS,
    TITLE_MODIFIERS,
    plural_forms,
)
from factionmap.extract.linking import ActorLink, ActorLinker, country_code
from factionmap.kb import KnowledgeBase
from factionmap.nlp.components import KB_SPANS, LEXICON_SPANS, KbMatcher, kb_names
from factionmap.records import Article, Mention

NER_LABELS: dict[str, str] = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "GPE": "Location",
    "LOC": "Location",
    "FAC": "Location",
    "NORP": "Nationality",
    "DATE": "Temporal",
    "TIME": "Temporal",
    "MONEY": "Money",
    "QUANTITY": "Quantity",
    "PERCENT": "Quantity",
    "CARDINAL": "Quantity",
}
# Source priorities for equally long overlapping candidates.
_KB, _PHRASE, _LEXICON, _NER = 3, 2, 1, 0
_DETERMINERS = frozenset({"the", "a", "an", "this", "these", "that", "those"})
_NP_MODIFIER_DEPS = frozenset({"det", "amod", "compound", "nmod", "npadvmod", "nummod"})
# "Iranian-backed militias" are not Iranian: the modifier names a backer, not the country.
_AFFILIATION_WORDS = frozenset(
    {"backed", "led", "linked", "allied", "aligned", "funded", "supported", "sponsored",
     "affiliated"}
)
_MODIFIER_SECTORS = {
    "security": "MIL", "service": "MIL", "military": "MIL", "army": "MIL", "government": "GOV",
    "police": "COP", "militia": "UAF", "rebel": "REB", "opposition": "OPP", "intelligence": "SPY",
}


@dataclass(slots=True)
class Candidate:
    start: int  # token indexes, end exclusive
    end: int
    label: str
    priority: int
    link: ActorLink | None = None

    @property
    def length(self) -> int:
        return self.end - self.start


def find_mentions(doc: Doc, article: Article, kb: KnowledgeBase | None = None) -> list[Mention]:
    """All mentions in a parsed article, sorted by offset, non-overlapping."""
    linker = linker_for(kb)
    candidates = [
        *_kb_candidates(doc, linker),
        *_ner_candidates(doc, linker),
        *_group_candidates(doc, linker),
        *_lexicon_candidates(doc),
        *_site_candidates(doc),
        *_strike_candidates(doc),
        *_held_place_candidates(doc),
    ]
    chosen = _resolve_overlaps(candidates, len(doc))
    mentions = [_to_mention(doc, article, c) for c in chosen]
    return [m for m in mentions if m.text.strip() and not _in_boilerplate(m, article)]


# KnowledgeBase is a mutable dataclass (unhashable): cache by identity, keeping a reference
# so the id cannot be reused while the entry lives.
_LINKERS: dict[int, tuple[KnowledgeBase | None, ActorLinker]] = {}
_MATCHERS: dict[tuple[int, int], tuple[KnowledgeBase, KbMatcher]] = {}


def linker_for(kb: KnowledgeBase | None) -> ActorLinker:
    entry = _LINKERS.get(id(kb))
    if entry is None or entry[0] is not kb:
        if len(_LINKERS) > 8:
            _LINKERS.clear()
        entry = _LINKERS[id(kb)] = (kb, ActorLinker(kb))
    return entry[1]


def _matcher_for(kb: KnowledgeBase, vocab: Vocab) -> KbMatcher:
    key = (id(kb), id(vocab))
    entry = _MATCHERS.get(key)
    if entry is None or entry[0] is not kb:
        if len(_MATCHERS) > 8:
            _MATCHERS.clear()
        entry = _MATCHERS[key] = (kb, KbMatcher(vocab, kb_names(kb)))
    return entry[1]


def _kb_spans(doc: Doc, linker: ActorLinker) -> list[Span]:
    if KB_SPANS in doc.spans:
        return list(doc.spans[KB_SPANS])
    if linker.kb is None:
        return []
    # Pipeline without our component: match here (built once per KB and vocab).
    matcher = _matcher_for(linker.kb, doc.vocab)
    return list(matcher(doc).spans[KB_SPANS])


def _kb_candidates(doc: Doc, linker: ActorLinker) -> list[Candidate]:
    out = []
    for span in _kb_spans(doc, linker):
        actor = linker.kb.get(span.label_) if linker.kb is not None else None
        if actor is None:
            actor = linker.kb_actor(span.text)
        if actor is None:
            continue
        start = span.start
        label = "Nationality" if span.root.ent_type_ == "NORP" else "Location"
        link = linker.from_kb(actor, span.text, label)
        assert link.label is not None
        if link.label == "Organisation":
            start = _with_article(doc, start)
        out.append(Candidate(start, span.end, link.label, _KB, link))
    return out


def _with_article(doc: Doc, start: int) -> int:
    """Include a leading "the" ("the Badr Organization"), as annotators do for organisations."""
    if start > 0 and doc[start - 1].lower_ == "the":
        return start - 1
    return start


def _split_possessive(ent: Span) -> list[Span]:
    """NER sometimes runs "Iraq's Fuad Hussein" together; split at the possessive."""
    for tok in ent:
        if tok.text in ("(", ")", "[", "]") and tok.i > ent.start:
            return _split_possessive(ent.doc[ent.start : tok.i])  # "League (Asaib ..."
    for tok in ent:
        if tok.tag_ == "POS" and ent.start < tok.i < ent.end - 1:
            return [ent.doc[ent.start : tok.i], ent.doc[tok.i + 1 : ent.end]]
    if ent[-1].tag_ == "POS" and len(ent) > 1:
        return [ent[:-1]]
    return [ent]


def _split_portfolio(ent: Span) -> list[Span]:
    """NER runs a minister's portfolio and name together: "Minister for [the Middle East
    Tobias Ellwood]". Split off the trailing capitalised name after a region or place."""
    doc = ent.doc
    if ent.start < 2 or doc[ent.start - 1].lower_ != "for" or (
        doc[ent.start - 2].lower_ not in ROLE_WORDS
    ):
        return [ent]
    for k in range(len(ent) - 2, 0, -1):  # a name of two words or more
        portfolio, name = ent[:k], ent[k:]
        if all(t.is_title for t in name) and _names_a_region(portfolio.text):
            return [portfolio, name]
    return [ent]


def _person_name(ent: Span) -> Span:
    """"Sgt. Bergdahl" -> "Bergdahl", "the weak Obama sun" -> "Obama": an abbreviated rank
    before a name and a lower-case word after it are no part of it."""
    start, end = ent.start, ent.end
    while start < end - 1 and ent.doc[start].text in TITLE_ABBREVIATIONS:
        start += 1
    while end - 1 > start and ent.doc[end - 1].is_lower and ent.doc[end - 1].is_alpha:
        end -= 1
    return ent if (start, end) == (ent.start, ent.end) else ent.doc[start:end]


def _names_a_region(text: str) -> bool:
    bare = text.removeprefix("the ").removeprefix("The ")
    return bare.lower() in REGION_NAMES or names_a_place(bare)


def _ner_candidates(doc: Doc, linker: ActorLinker) -> list[Candidate]:
    out = []
    for ent in doc.ents:
        label = NER_LABELS.get(ent.label_)
        if label is None:
            continue
        if ent.label_ == "CARDINAL" and not _counts_a_noun(ent):
            continue
        if ent.label_ == "PERSON":
            ent = _person_name(ent)
        portfolio = _split_portfolio(ent)
        parts = portfolio if len(portfolio) > 1 else _split_possessive(ent)
        for part in parts:
            if not part.text.strip("-\u2019' "):
                continue
            part_label = label
            if len(portfolio) > 1:
                part_label = "Person" if part.end == ent.end else "Location"
            if ent.label_ in ("GPE", "LOC", "FAC") and part.root.pos_ == "ADJ":
                part_label = "Nationality"
            link = None
            priority = _NER
            if part_label in ("Person", "Organisation", "Location", "Nationality"):
                link = linker.link(part.text, part_label)
                if link is not None and link.label:
                    part_label = link.label
                    priority = _KB
            start = part.start
            unknown = link is None or link.actor_id.startswith("new:")
            if part_label in ("Person", "Organisation") and unknown:
                place_start = _place_name_start(part)
                if place_start is not None:
                    start, part_label, link = place_start, "Location", None
            if part_label == "Organisation":
                start = _with_article(doc, start)
            out.append(Candidate(start, part.end, part_label, priority, link))
    return out


# Capitalised at a sentence start, a preposition joins the entity: "Near Ar Raqqah".
_LOCATIVE_PREPS = frozenset({"near", "in", "outside", "around", "at", "from", "west", "east",
                             "north", "south"})


def _place_name_start(ent: Span) -> int | None:
    """Where a well-known place name begins inside an entity NER typed as a person or group.

    The small model reads unfamiliar transliterated city names ("Raqqah") as people; a name
    the gazetteer knows as a country, province, town of our table or city of 100,000 or more
    is a place.
    """
    offset = place_name_offset(ent.text)
    if offset is None:
        return None
    name = ent.doc.char_span(ent.start_char + offset, ent.end_char, alignment_mode="expand")
    return name.start if name is not None else None


def names_a_place(name: str) -> bool:
    from factionmap.extract.events.places import default_gazetteer  # loaded once, shared

    return default_gazetteer().is_major_place(name)


def place_name_offset(text: str) -> int | None:
    """Character offset of the place name ``text`` is ("Near Ar Raqqah" -> 5), else None."""
    words = text.split(" ")
    skip = 0
    while skip < len(words) - 1 and words[skip].lower() in _LOCATIVE_PREPS:
        skip += 1
    rest = " ".join(words[skip:])
    return len(text) - len(rest) if names_a_place(rest) else None


def _counts_a_noun(ent: Span) -> bool:
    head = ent.root.head
    return ent.root.dep_ == "nummod" and head.pos_ == "NOUN"


def _group_candidates(doc: Doc, linker: ActorLinker) -> list[Candidate]:
    kb_org_tokens = {
        i
        for span in doc.spans.get(KB_SPANS, [])
        if linker.kb is not None
        and (actor := linker.kb.get(span.label_)) is not None
        and actor.kind != "state"
        for i in range(span.start, span.end)
    }
    out = []
    for i in _group_head_positions(doc):
        tok = doc[i]
        lemma = tok.lemma_.lower()
        if lemma not in GROUP_HEADS and tok.pos_ == "PROPN":
            lemma = tok.lower_.removesuffix("s")  # spaCy leaves "Brigades" unlemmatised
        if lemma not in GROUP_HEADS or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        cand = _group_phrase(doc, tok, lemma, kb_org_tokens, linker)
        if cand is not None:
            out.append(cand)
    return out


# Lower-case forms a group head can take in text: "militia(s)", "party/parties", "forces".
_GROUP_HEAD_FORMS = frozenset(f for head in GROUP_HEADS for f in plural_forms(head))


def _group_head_positions(doc: Doc) -> list[int]:
    """Tokens that may head a group phrase, found on the LOWER array (no Python token walk)."""
    return positions_of(doc, _GROUP_HEAD_FORMS)


def positions_of(doc: Doc, forms: frozenset[str]) -> list[int]:
    """Indices of the tokens spelled as one of ``forms`` (lower case), found on the LOWER
    array without a Python walk over the tokens."""
    strings = doc.vocab.strings
    hashes = [strings.add(f) for f in forms]
    return [int(i) for i in np.flatnonzero(np.isin(doc.to_array(LOWER), hashes))]


_SITE_MODIFIER_DEPS = frozenset({"compound", "amod"})


def _site_candidates(doc: Doc) -> list[Candidate]:
    """Places named by what they are: "a fighting position", "a VBIED storage facility",
    "tunnel entrances". Strike reports (and analysts) mark such targets as places; a count
    before them stays its own Quantity, and a named group before them its own mention."""
    out = []
    for i in positions_of(doc, SITE_NOUN_FORMS):
        head = doc[i]
        lemma = head.lemma_.lower()
        if head.pos_ != "NOUN" or lemma not in SITE_NOUNS:
            continue
        if head.dep_ == "compound" and head.head.lemma_.lower() in SITE_NOUNS:
            continue  # "storage facility": the phrase is headed by "facility"
        mods = [c for c in head.lefts if c.dep_ in _SITE_MODIFIER_DEPS]
        if SITE_NOUNS[lemma] and not any(c.lower_ in SITE_NOUNS[lemma] for c in mods):
            continue  # "position" is a site only as a "fighting position"
        start = min((c.left_edge.i for c in mods), default=head.i)
        if any(doc[k].is_punct or doc[k].like_num for k in range(start, head.i)):
            start = head.i
        det = doc[start - 1] if start > 0 else None
        if det is not None and det.dep_ == "det" and det.head.i == head.i:
            start -= 1
        out.append(Candidate(start, head.i + 1, "Location", _LEXICON))
    return out


def _held_place_candidates(doc: Doc) -> list[Candidate]:
    """What a group holds is a place: "ISIS-held territory", "regime-controlled villages".
    Held equipment ("an ISIL-held tank") is left to the weapon lexicon, which names it."""
    out = []
    for i in positions_of(doc, HOLDING_WORDS):
        held = doc[i]
        head = held.head
        if (i < 2 or doc[i - 1].text != "-" or held.dep_ != "amod" or head.pos_ != "NOUN"
                or head.i < i or head.lemma_.lower() in SITE_NOUNS  # a site of its own
                or LEXICON_SPANS in doc.spans and any(
                    s.start <= head.i < s.end for s in doc.spans[LEXICON_SPANS])):
            continue
        start = doc[i - 2].left_edge.i if doc[i - 2].head.i == i else i - 2
        out.append(Candidate(start, head.i + 1, "Location", _LEXICON))
    return out


def _strike_candidates(doc: Doc) -> list[Candidate]:
    """A strike that attacks something is a weapon: "five strikes engaged X", "a U.S. strike
    hit Y". Elsewhere the word is left alone (a strike can be a walk-out or a count)."""
    out = []
    for i in positions_of(doc, STRIKE_NOUNS):
        tok = doc[i]
        verb = tok.head
        if (tok.pos_ == "NOUN" and tok.dep_ == "nsubj" and verb.pos_ == "VERB"
                and verb.lemma_.lower() in ATTACK_VERBS):
            out.append(Candidate(i, i + 1, "Weapon", _LEXICON))
    return out


def _group_phrase(
    doc: Doc, head: Token, lemma: str, kb_org_tokens: set[int], linker: ActorLinker
) -> Candidate | None:
    if head.dep_ == "compound":
        # "alliance leader X": a bare group word modifying a title still names the group.
        if head.head.lower_ not in ROLE_WORDS or lemma not in STRONG_GROUP_HEADS:
            return None
        return Candidate(head.i, head.i + 1, "Organisation", _PHRASE, None)
    start = head.i
    for child in head.lefts:
        if child.dep_ not in _NP_MODIFIER_DEPS:
            continue
        if child.dep_ == "det" and child.lower_ not in _DETERMINERS:
            continue
        start = min(start, child.left_edge.i)
    # Stop at punctuation other than hyphens inside the phrase ("Iraqi, Kurdish forces").
    for i in range(head.i - 1, start - 1, -1):
        if doc[i].is_punct and doc[i].text not in ("-", "\u2013", ".") or doc[i].is_sent_start:
            start = i + 1 if doc[i].is_punct else i
            break
    modifiers = doc[start : head.i]
    content_mods = [t for t in modifiers if t.lower_ not in _DETERMINERS]
    if lemma not in STRONG_GROUP_HEADS and not content_mods:
        return None
    if any(t.i in kb_org_tokens for t in modifiers) or head.i in kb_org_tokens:
        return None  # "Kataib Hezbollah fighters": the named group is the mention
    phrase = doc[start : head.i + 1]
    actor = linker.kb_actor(phrase.text)
    if actor is not None:
        link: ActorLink | None = linker.from_kb(actor, phrase.text, "Organisation")
    else:
        country = _phrase_country(modifiers, linker)
        sector = _phrase_sector(modifiers, lemma)
        link = linker.generic_agent(phrase.text, country, sector) if country else None
        if link is None and head.pos_ == "PROPN" and all(
            t.text[:1].isupper() for t in content_mods
        ):
            link = linker.link(phrase.text, "Organisation")  # a named group: "Dawn Brigades"
    return Candidate(start, head.i + 1, "Organisation", _PHRASE, link)


def _phrase_country(modifiers: Span, linker: ActorLinker) -> str | None:
    doc = modifiers.doc
    for tok in modifiers:
        if tok.pos_ not in ("PROPN", "ADJ", "NOUN") or not tok.text[:1].isupper():
            continue
        nxt = doc[tok.i + 2] if tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" else None
        if nxt is not None and nxt.lower_ in _AFFILIATION_WORDS:
            continue
        actor = linker.kb_actor(tok.text)
        if actor is not None and actor.kind == "state" and actor.country:
            return actor.country
        code = country_code(tok.text)
        if code:
            return code
    return None


def _phrase_sector(modifiers: Span, lemma: str) -> str:
    for tok in modifiers:
        sector = _MODIFIER_SECTORS.get(tok.lemma_.lower())
        if sector:
            return sector
    return GROUP_HEADS[lemma]


def _lexicon_candidates(doc: Doc) -> list[Candidate]:
    out: list[Candidate] = []
    for span in doc.spans.get(LEXICON_SPANS, []):
        prev = out[-1] if out else None
        if prev is not None and prev.end == span.start and prev.label == span.label_:
            prev.end = span.end  # "Katyusha rockets" is one weapon
            continue
        out.append(Candidate(span.start, span.end, span.label_, _LEXICON))
    return out


def _resolve_overlaps(candidates: list[Candidate], n_tokens: int) -> list[Candidate]:
    taken = bytearray(n_tokens)
    chosen = []
    for cand in sorted(candidates, key=lambda c: (-c.length, -c.priority, c.start)):
        if any(taken[cand.start : cand.end]):
            continue
        taken[cand.start : cand.end] = b"\x01" * cand.length
        chosen.append(cand)
    chosen.sort(key=lambda c: c.start)
    return chosen


def _to_mention(doc: Doc, article: Article, cand: Candidate) -> Mention:
    start = doc[cand.start].idx
    last = doc[cand.end - 1]
    end = last.idx + len(last.text)
    link = cand.link
    return Mention(
        start=start,
        end=end,
        text=article.text[start:end],
        label=cand.label,  # type: ignore[arg-type]
        actor_id=link.actor_id if link else None,
        actor_name=link.actor_name if link else None,
        actor_kind=link.actor_kind if link else None,  # type: ignore[arg-type]
        country=link.country if link else None,
        sector=link.sector if link else None,
        link_reason=link.reason if link else None,
    )


def _in_boilerplate(m: Mention, article: Article) -> bool:
    return any(m.start < end and start < m.end for start, end in article.boilerplate)


def keep_names_apart(rule: list[Mention], refined: list[Mention]) -> list[Mention]:
    """Undo refinements that swallow a title or a second name into one mention.

    A tagger may widen "Samir Haddad" to "Interior Minister Samir Haddad" or join
    "Iranian" and "Javad Zarif" into one span. The title patterns need the name and the
    organisation as separate mentions, so such a span is replaced by the linked rule
    mentions inside it; a span that only extends one name ("the Badr Organization") stays.
    """
    out: list[Mention] = []
    rule = sorted(rule, key=lambda r: r.start)
    starts = [r.start for r in rule]
    for m in refined:
        candidates = rule[bisect.bisect_left(starts, m.start) : bisect.bisect_left(starts, m.end)]
        inner = [r for r in candidates if r.end <= m.end and r.actor_id
                 and (r.start, r.end) != (m.start, m.end)]
        if inner and (len(inner) > 1 or _has_title_words(m, inner[0])):
            out.extend(inner)
        else:
            out.append(m)
    unique = {(m.start, m.end): m for m in out}
    return sorted(unique.values(), key=lambda m: (m.start, m.end))


def _has_title_words(outer: Mention, name: Mention) -> bool:
    """Title words on either side of the name: "Interior Minister X", "US Ambassador"."""
    before = outer.text[: name.start - outer.start]
    after = outer.text[name.end - outer.start :]
    words = f"{before} {after}".lower().replace("-", " ").split()
    return any(w in ROLE_WORDS or w in TITLE_MODIFIERS for w in words)


def link_descriptions(mentions: list[Mention], kb: KnowledgeBase | None) -> list[Mention]:
    """Unlinked organisation descriptions a tagger found ("the militias", "Coalition forces")
    get the generic agent the KB table gives their phrase, or the state they name
    ("the Americans"); so do unnamed office holders ("the Iraqi Foreign Minister" -> Iraq
    government). Anything else stays unlinked (and so cannot be a relation argument).
    """
    linker = linker_for(kb)
    out = []
    for m in mentions:
        if m.actor_id is None and m.label == "Organisation":
            link = linker.state(m.text) or linker.generic_agent(m.text, None, "")
        elif m.actor_id is None and m.label == "Person" and not is_pronoun(m):
            # "the Iraqi Foreign Minister" is Iraq's government, as event coders read it;
            # a lone capitalised word is a surname ("King said"), not an office
            bare_name = " " not in m.text and m.text[:1].isupper()
            link = None if bare_name else linker.generic_agent(m.text, None, "")
        else:
            link = None
        if link is not None:
            m = Mention(m.start, m.end, m.text, m.label, link.actor_id, link.actor_name,
                        link.actor_kind, link.country, link.sector,  # type: ignore[arg-type]
                        link.reason)
        out.append(m)
    return out

"""Within-document linking: later, shorter references take the actor of an earlier name.

Handles person and organisation name parts ("Amiri" after "Hadi al-Amiri"), acronyms and
aliases defined in text ("Popular Mobilization Units (PMU)", "the Hashd, or PMU"), definite
descriptions ("the group" -> nearest preceding fitting organisation) and he/she where only one
person can be meant. Every link keeps a ``link_reason`` an analyst can check.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import replace

import numpy as np
from spacy.attrs import LOWER
from spacy.tokens import Doc, Token

from factionmap.extract.lexicon import (
    DEFINITE_HEADS,
    DEFINITE_NAME_HINTS,
    ROLE_WORDS,
    SPEECH_LEMMAS,
)
from factionmap.extract.linking import clean_name, country_code, label_for_kind
from factionmap.extract.offices import OFFICE_WORDS, names_by_title
from factionmap.kb import KnowledgeBase, name_key
from factionmap.nlp.cache import doc_text
from factionmap.nlp.components import TITLE_ABBREVIATIONS
from factionmap.records import Article, Mention

# Written without a full stop in British usage: "Mr Johnson", "Dr Ali".
_COURTESY_TITLES = frozenset({"Mr.", "Mrs.", "Ms.", "Dr."})
# How far back (in sentences) a definite description or pronoun may look for its antecedent.
_DEFINITE_WINDOW = 3
_PRONOUNS = frozenset({"he", "she"})
_NAME_PARTICLES = frozenset({"abu", "bin", "ibn", "umm", "abd", "abdul", "al", "el"})
# Last words that, on their own, name another body: "the House" is a legislature (of
# Representatives, of Commons), not short for "the White House" or "Government House".
# Other heads are short forms ("the administration" after "the Trump administration").
_OTHER_BODY_HEADS = frozenset({"house", "houses"})
# Lower-case words a person's name may hold ("Osama bin Laden", "Ursula von der Leyen").
_LOWER_PARTICLES = frozenset(
    {"al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "bin", "ibn", "bint", "abu", "de",
     "da", "di", "du", "del", "der", "den", "dos", "das", "van", "von", "la", "le", "y"}
)
ACTOR_LABELS = frozenset({"Person", "Organisation", "Location", "Nationality"})
_DEFINITE_DETERMINERS = frozenset({"the", "this", "that"})
# Modifiers that point away from the last-named group ("the other militia", "a rival group").
_CONTRASTIVE = frozenset({"other", "another", "rival", "opposing", "enemy", "different", "new"})


def _is_new(m: Mention) -> bool:
    return m.actor_id is None or m.actor_id.startswith("new:")


def _relink(m: Mention, ante: Mention, reason: str) -> Mention:
    return replace(
        m,
        label=ante.label,
        actor_id=ante.actor_id,
        actor_name=ante.actor_name,
        actor_kind=ante.actor_kind,
        country=ante.country,
        sector=ante.sector,
        link_reason=reason,
    )


def link_mentions(
    doc: Doc, mentions: list[Mention], article: Article, kb: KnowledgeBase | None = None
) -> list[Mention]:
    """Mentions with within-document links applied, plus new pronoun mentions, by offset."""
    out = [_kind_label(m) for m in mentions]
    out = _link_aliases(doc, out)
    out = _link_name_parts(out)
    out = _link_appositions(doc, out)
    out = _link_definites(doc, out)
    out = _link_office_references(doc, out)
    new_pronouns = _pronoun_mentions(doc, out, article)  # also links pronouns in ``out``
    new_pronouns += _speaker_voice(doc, out, article)  # also links "I" in ``out``
    new_pronouns += _reported_subjects(doc, out, article)  # also links "it" in ``out``
    new_pronouns += _quoted_voice(doc, out, article)  # also links quoted "we" in ``out``
    out = out + new_pronouns
    voice = _publisher_voice(doc, out, article, kb)
    if voice:
        replaced = {m.start for m in voice}
        out = [m for m in out if m.start not in replaced] + voice
    out.sort(key=lambda m: m.start)
    return out


def link_speakers(doc: Doc, mentions: list[Mention], article: Article) -> list[Mention]:
    """"I" in a statement whose speaker was linked only after coreference: "The Foreign
    Secretary said: I welcome ..." (an office is linked as a description, after
    ``link_mentions``)."""
    out = list(mentions)
    out += _speaker_voice(doc, out, article)  # links unlinked "I" in ``out`` in place
    out.sort(key=lambda m: m.start)
    return out


def _kind_label(m: Mention) -> Mention:
    """A linked actor's kind decides the label, whatever a tagger guessed before linking.

    Linking below only follows antecedents of the right label, so a KB armed group the
    learned tagger called a Person would never be "the group".
    """
    if m.actor_kind is None or m.label not in ACTOR_LABELS:
        return m
    label = label_for_kind(m.actor_kind, m.label)
    return m if label == m.label else replace(m, label=label)  # type: ignore[arg-type]


def _name_parts(m: Mention) -> set[str]:
    """Keys a later short reference may use: last word, last two words (no particles)."""
    name = clean_name(_titled_name(m))
    if m.label == "Person" and not _written_as_a_name(name):
        return set()  # "the Shifa hospital in Gaza City": "Gaza City" is no part of a name
    words = [w for w in name_key(name).split() if w not in _NAME_PARTICLES]
    if len(words) < 2:
        return set()
    parts = {words[-1], " ".join(words[-2:])}
    if m.label != "Person" and name.split()[-1].lower() in _OTHER_BODY_HEADS:
        parts.discard(words[-1])
    if m.label == "Person":
        parts.add(words[0] + " " + words[-1])
    return {p for p in parts if p not in ROLE_WORDS and p != name_key(name)}


def _titled_name(m: Mention) -> str:
    """The name in "Secretary of Defense Les Aspin" (the title is written before it)."""
    name = m.actor_name
    if m.label == "Person" and name and name != m.text and m.text.endswith(" " + name):
        return name
    return m.text


def _written_as_a_name(text: str) -> bool:
    """Every word capitalised, but for particles ("Hadi al-Amiri", "Osama bin Laden")."""
    return all(
        w[:1].isupper() or not w[:1].isalpha() or w in _LOWER_PARTICLES
        or w.split("-", 1)[0] in _LOWER_PARTICLES
        for w in text.split()
    )


def _without_courtesy_title(text: str) -> str:
    """"Mr. Fortier" -> "Fortier", "Mr Johnson" -> "Johnson": a courtesy title or abbreviated
    rank is no part of the name a short reference repeats."""
    first, _, rest = text.partition(" ")
    if rest and (first in TITLE_ABBREVIATIONS or f"{first}." in _COURTESY_TITLES):
        return rest
    return text


def _link_name_parts(mentions: list[Mention]) -> list[Mention]:
    # A person's parts apart: a misread "Defense Les Aspin" (organisation) before "Defense
    # Secretary Les Aspin" must not hide him from a later "Aspin".
    people: dict[str, Mention] = {}
    groups: dict[str, Mention] = {}
    out = []
    for m in mentions:
        text = _without_courtesy_title(_titled_name(m)) if m.label == "Person" else m.text
        key = name_key(clean_name(text))
        ante = people.get(key) or groups.get(key)
        if (
            ante is not None
            and _is_new(m)
            and m.label in ("Person", "Organisation", "Location")
            and (ante.label == "Person" or m.label == "Organisation")
        ):
            m = _relink(m, ante, f"name part of '{ante.text}'")
        if m.label in ("Person", "Organisation") and m.actor_id:
            parts = people if m.label == "Person" else groups
            for part in _name_parts(m):
                parts.setdefault(part, m)
        out.append(m)
    return out


def _link_appositions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A title in apposition to a person's name is that person: "Shinseki, a retired Army
    general who has headed the VA" (the general heads the VA), "the home secretary, Theresa
    May". Without the link the title stands for a generic agent of its own (the army)."""
    spans = [doc.char_span(m.start, m.end, alignment_mode="expand") for m in mentions]
    by_token: dict[int, int] = {}
    for k, span in enumerate(spans):
        if span is not None:
            by_token.setdefault(span.root.i, k)
    out = list(mentions)
    for k, (m, span) in enumerate(zip(mentions, spans, strict=True)):
        if m.label != "Person" or not (m.actor_id is None or m.actor_id.startswith("local:")):
            continue
        if span is None or not names_by_title(span):
            continue
        root = span.root
        if root.dep_ == "appos":
            named = by_token.get(root.head.i)
        else:
            named = next((by_token[c.i] for c in root.children
                          if c.dep_ == "appos" and c.i in by_token), None)
        if named is None:
            continue
        name = mentions[named]
        if name.label == "Person" and name.actor_id and not name.actor_id.startswith("local:"):
            out[k] = _relink(m, name, f"apposition of '{name.text}'")
    return out


def _link_aliases(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """"Long Name (ACR)" and "X, or Y": the two names are one actor; acronym reuses follow."""
    by_alias: dict[str, Mention] = {}
    text = doc_text(doc)
    out = list(mentions)
    for i, m in enumerate(out):
        key = name_key(clean_name(m.text))
        if key in by_alias and _is_new(m):
            out[i] = m = _relink(m, by_alias[key], f"alias of '{by_alias[key].text}'")
        if i == 0:
            continue
        prev = out[i - 1]
        if prev.label not in ("Organisation", "Person") or not prev.actor_id:
            continue
        # "Major Garrett (CBS)", "WASHINGTON (Reuters)": a person's employer or a dateline's
        # agency in brackets is not another name; two names of one actor share a label
        if m.label == prev.label and is_alias_pair(text, prev, m):
            if _is_new(m) and not _is_new(prev):
                out[i] = m = _relink(m, prev, f"alias of '{prev.text}'")
            elif _is_new(prev) and not _is_new(m):
                out[i - 1] = _relink(prev, m, f"alias of '{m.text}'")
            elif _is_new(m) and _is_new(prev):
                out[i] = m = _relink(m, prev, f"alias of '{prev.text}'")
            by_alias.setdefault(name_key(clean_name(m.text)), out[i - 1])
    return out


def is_alias_pair(text: str, first: Mention, second: Mention) -> bool:
    """"Long Name (ACR)", "X, or Y," and "X, also known as Y": two names of one actor."""
    between = text[first.end : second.start].strip()
    after = text[second.end : second.end + 1]
    if between == "(":
        # "WASHINGTON (Reuters) -": a dateline's city and its agency, not two names
        shouting = first.text.isupper() and not second.text.isupper()
        return after == ")" and not shouting
    if between == ", or" and text[: first.start].rstrip().endswith(","):
        return False  # the last two items of a list: "Rice, Hagel, or Huntsman"
    if between in (", or", ", aka") or _KNOWN_AS.match(between):
        return after in (",", ")", ".", ";", "")
    return False


# ", also known as", ", known locally as", ", also known by its Arabic acronym as"
_KNOWN_AS = re.compile(
    r",\s+(?:also\s+|formerly\s+|better\s+)?known\s+(?:[\w'\u2019]+\s+){0,5}as\Z")


def _definite_head(m: Mention) -> str | None:
    """The head of an unlinked "the group" / "the former Iran-backed militia", else None.

    Plural heads ("militias") are generic, not references to one named group, so only the
    singular heads of ``DEFINITE_HEADS`` count; numbers and contrastive modifiers rule a
    phrase out.
    """
    words = m.text.lower().split()
    if m.actor_id is not None or m.label != "Organisation" or not words:
        return None
    head = words[-1]
    if head not in DEFINITE_HEADS:
        return None
    if len(words) == 1:
        return head
    if words[0] not in _DEFINITE_DETERMINERS:
        return None
    modifiers = words[1:-1]
    if any(w in _CONTRASTIVE or any(c.isdigit() for c in w) for w in modifiers):
        return None
    if any(_names_one(w) for w in m.text.split()[1:-1]):
        return None  # "the Libertarian party" names a party; it does not point back to one
    return head


# Capitalised modifiers that describe rather than name: a sect or people ("the Shia militia").
_DESCRIBING_CAPITALS = frozenset(
    {"shia", "shiite", "shi'ite", "sunni", "kurdish", "islamist", "jihadist", "christian",
     "muslim", "arab", "druze", "alawite", "yazidi", "salafist", "salafi", "western"}
)


def _names_one(word: str) -> bool:
    """A capitalised modifier that is part of a name, not a people or a place it serves."""
    if not word[:1].isupper() or "-" in word:  # "Iran-backed", "U.S.-led" describe
        return False
    bare = word.strip(".,'’").lower()
    return bare not in _DESCRIBING_CAPITALS and country_code(bare) is None


def _fits(ante: Mention, head: str) -> bool:
    if ante.label != "Organisation" or not ante.actor_id or ante.actor_kind == "state":
        return False
    hints = DEFINITE_NAME_HINTS.get(head)
    if hints and any(h in ante.text.lower() for h in hints):
        return True
    return (ante.actor_kind or "") in DEFINITE_HEADS[head]


def _link_definites(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    sent_of = _sentence_index(sentence_starts(doc))
    out = list(mentions)
    for i, m in enumerate(out):
        head = _definite_head(m)
        if head is None:
            continue
        here = sent_of(m.start)
        # Nearest preceding fitting organisation; people and places in between are skipped.
        for ante in reversed(out[:i]):
            if here - sent_of(ante.start) > _DEFINITE_WINDOW:
                break
            if _fits(ante, head):
                out[i] = _relink(m, ante, f"coref: {m.text.lower()}")
                break
    return out


# Abbreviated offices before a name, as the word a later "the senator" uses.
_ABBREVIATED_OFFICES = {"sen.": "senator", "gov.": "governor", "amb.": "ambassador",
                        "pres.": "president"}
_TITLE_REACH = 5  # tokens before a name that a title may span ("U.S. Secretary of State")


def _office_word(tok: Token) -> str:
    return _ABBREVIATED_OFFICES.get(tok.lower_, tok.lower_)


def _offices_before(doc: Doc, m: Mention) -> set[str]:
    """Office words of the title written just before a person's name ("President X")."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return set()
    # the title may be inside the mention ("Sen. Lindsey Graham") or just before it
    found = {_office_word(tok) for tok in span[:-1]} & OFFICE_WORDS
    for tok in reversed(doc[max(0, span.start - _TITLE_REACH) : span.start]):
        word = _office_word(tok)
        if word in OFFICE_WORDS:
            found.add(word)
        elif not (tok.is_title or tok.is_upper or tok.lower_ in ("of", "for", "the")):
            break
    return found


def _link_office_references(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """"the president" after "President Donald Trump" is Trump: an office named alone takes
    the one person the article gave that title, when it gave it to one person only."""
    holders: dict[str, dict[str, Mention]] = {}
    out = list(mentions)
    for i, m in enumerate(out):
        if m.label != "Person":
            continue
        if m.actor_id is None:
            office = m.text.lower().removeprefix("the ")
            named = holders.get(office, {})
            if office in OFFICE_WORDS and len(named) == 1:
                ante = next(iter(named.values()))
                out[i] = _relink(m, ante, f"coref: {m.text.lower()} -> '{ante.text}'")
        elif _is_new(m) or m.actor_id.startswith("kb:"):
            for office in _offices_before(doc, m):
                holders.setdefault(office, {})[m.actor_id] = m
    return out


def sentence_starts(doc: Doc) -> list[int]:
    """Character offset where each sentence begins, in order."""
    return [s.start_char for s in doc.sents]


def _sentence_index(starts: list[int]) -> Callable[[int], int]:
    """Character offset -> index of the sentence containing it."""
    return lambda char: bisect.bisect_right(starts, char) - 1


_FIRST_PERSON = frozenset({"we", "us"})
_OPENING_QUOTES = ("\u201c", "\u00ab")
_CLOSING_QUOTES = ("\u201d", "\u00bb")


# Bodies whose releases speak in their own voice ("We will continue to strike ISIL").
_STATEMENT_KINDS = frozenset({"state", "government_body", "international_org", "armed_group",
                              "party"})


def _publisher_voice(
    doc: Doc, mentions: list[Mention], article: Article, kb: KnowledgeBase | None
) -> list[Mention]:
    """"we" / "us" in an organisation's own statement -> that organisation.

    When the article's source is an actor of the KB (a ministry's or a command's press
    release), the first person plural outside quotation marks is the publisher speaking:
    "We will continue to strike ISIL" in a CENTCOM release is CENTCOM. Inside quotes it is
    the speaker's, whom we do not guess; a news outlet's "we" is never its own.
    """
    if not article.source:
        return []
    from factionmap.extract.linking import linker_for

    linker = linker_for(kb)
    publisher = linker.kb_actor(article.source)
    if publisher is None or publisher.kind not in _STATEMENT_KINDS:
        return []  # a news outlet's "we" is its columnist's, or a nation's
    link = linker.from_kb(publisher, article.source, "Organisation")
    if link is None:
        return []
    # a tagger's unlinked "we" is replaced; any other mention there stays
    taken = {m.start for m in mentions if m.actor_id or m.text.lower() not in _FIRST_PERSON}
    text = doc_text(doc)
    out = []
    for tok in _tokens_of(doc, _FIRST_PERSON):
        if tok.idx in taken or tok.pos_ != "PRON" or _inside_quotes(text, tok.idx):
            continue
        m = Mention(tok.idx, tok.idx + len(tok.text), tok.text, "Organisation")
        out.append(replace(
            m, actor_id=link.actor_id, actor_name=link.actor_name,
            actor_kind=link.actor_kind, country=link.country,  # type: ignore[arg-type]
            sector=link.sector, link_reason=f"coref: {tok.lower_} -> publisher '{article.source}'",
        ))
    return out


def _link_pronoun(
    mentions: list[Mention], at_start: dict[int, int], article: Article, tok: Token,
    ante: Mention, reason: str, label: str,
) -> Mention | None:
    """Link the pronoun at ``tok`` to ``ante``: in place when ``mentions`` has an unlinked
    mention there (a tagger may propose one), else as a new mention, which is returned."""
    k = at_start.get(tok.idx)
    if k is not None:
        if mentions[k].actor_id is None:
            mentions[k] = _relink(mentions[k], ante, reason)
        return None
    text = article.text[tok.idx : tok.idx + len(tok.text)]
    new = Mention(tok.idx, tok.idx + len(tok.text), text, label)  # type: ignore[arg-type]
    return _relink(new, ante, reason)


def _tokens_of(doc: Doc, forms: frozenset[str]) -> list[Token]:
    """Tokens whose lower-case form is one of ``forms``, found on the LOWER array."""
    hashes = [doc.vocab.strings.add(f) for f in forms]
    return [doc[int(i)] for i in np.flatnonzero(np.isin(doc.to_array(LOWER), hashes))]


_SINGULAR_FIRST_PERSON = frozenset({"i", "me", "my"})
_SAY_FORMS = frozenset({"say", "says", "said"})
_MAX_WORDS_BEFORE_COLON = 3  # "X said today:", "X said on Monday:"


def _statement_speakers(doc: Doc, mentions: list[Mention]) -> list[tuple[int, Mention]]:
    """(character offset where the statement starts, its speaker) for each "X said:" whose
    subject is a linked person."""
    persons = {m.start: m for m in mentions if m.label == "Person" and m.actor_id}
    if not persons or ":" not in doc_text(doc):
        return []
    out = []
    for tok in _tokens_of(doc, _SAY_FORMS):
        if tok.pos_ != "VERB":
            continue
        after = doc[tok.i + 1 : tok.i + 2 + _MAX_WORDS_BEFORE_COLON]
        colon = next((t for t in after if t.is_punct), None)
        if colon is None or colon.text != ":":
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is None:
            continue
        speaker = next((persons[t.idx] for t in subj.subtree if t.idx in persons), None)
        if speaker is not None:
            out.append((colon.idx + 1, speaker))
    return out


def _speaker_voice(doc: Doc, mentions: list[Mention], article: Article) -> list[Mention]:
    """"I" / "me" / "my" in a statement introduced by "X said:" -> X.

    Officials' statements are printed after a colon, often as paragraphs of their own:
    "The Foreign Secretary said: I welcome ...". The statement runs until the next one.
    Unlinked "I" mentions already in ``mentions`` are linked in place; others are returned.
    """
    speakers = _statement_speakers(doc, mentions)
    if not speakers:
        return []
    starts = [s for s, _ in speakers]
    at_start = {m.start: k for k, m in enumerate(mentions)}
    out = []
    for tok in _tokens_of(doc, _SINGULAR_FIRST_PERSON):
        j = bisect.bisect_right(starts, tok.idx) - 1
        if j < 0 or tok.pos_ != "PRON":
            continue
        speaker = speakers[j][1]
        reason = f"coref: {tok.lower_} -> speaker '{speaker.text}'"
        new = _link_pronoun(mentions, at_start, article, tok, speaker, reason, "Person")
        if new is not None:
            out.append(new)
    return out


_REPORTED_PRONOUNS = frozenset({"it", "they"})


def _quoted_voice(doc: Doc, mentions: list[Mention], article: Article) -> list[Mention]:
    """Quoted "we" / "us" -> the organisation named with the speaker: in ""We will not let
    ISIL regroup," said Col. X, the CJTF-OIR spokesperson" we is CJTF-OIR. Without an
    organisation in the attribution nothing is linked (a speaker alone says whose "we"?)."""
    orgs = {m.start: m for m in mentions
            if m.actor_id and m.label == "Organisation" and m.text.lower() not in _FIRST_PERSON}
    if not orgs:
        return []
    text = doc_text(doc)
    at_start = {m.start: k for k, m in enumerate(mentions)}
    out = []
    last: tuple[int, Mention] | None = None  # (paragraph start, org) of the last attribution
    for tok in _tokens_of(doc, _FIRST_PERSON):
        if tok.pos_ != "PRON" or not _inside_quotes(text, tok.idx):
            continue
        paragraph = text.rfind("\n", 0, tok.idx) + 1
        speech = _speech_verb_above(tok)
        org = _speakers_org(speech, orgs) if speech is not None else None
        if org is None and speech is None and last is not None and last[0] == paragraph:
            org = last[1]  # a quote resumed after its attribution: ""...," said X. "We ...""
        if org is None:
            continue
        last = (paragraph, org)
        reason = f"coref: quoted {tok.lower_} -> speaker's '{org.text}'"
        new = _link_pronoun(mentions, at_start, article, tok, org, reason, "Organisation")
        if new is not None:
            out.append(new)
    return out


def _speakers_org(speech: Token, orgs: dict[int, Mention]) -> Mention | None:
    """The organisation named in the subject of a verb of saying ("Col. X, the CJTF-OIR
    spokesperson")."""
    speaker = next((c for c in speech.children if c.dep_ == "nsubj"), None)
    if speaker is None:
        return None
    return next((orgs[t.idx] for t in speaker.subtree if t.idx in orgs), None)


def _speech_verb_above(tok: Token) -> Token | None:
    """The verb of saying whose quoted clause holds ``tok``."""
    node = tok
    for _ in range(8):
        if node.head.i == node.i:
            return None
        if node.dep_ in ("ccomp", "parataxis") and node.head.lemma_.lower() in SPEECH_LEMMAS:
            return node.head
        node = node.head
    return None


def _reported_subjects(doc: Doc, mentions: list[Mention], article: Article) -> list[Mention]:
    """"The US said it would ..." / "the militias warned they would ...": the subject of a
    reported clause is the organisation that speaks, when the pronoun can only be it."""
    orgs = {m.start: m for m in mentions if m.actor_id and m.label in ("Organisation", "Location")}
    if not orgs:
        return []
    at_start = {m.start: k for k, m in enumerate(mentions)}
    out = []
    for tok in _tokens_of(doc, _REPORTED_PRONOUNS):
        clause = tok.head
        if tok.dep_ != "nsubj" or clause.dep_ != "ccomp" or \
                clause.head.lemma_.lower() not in SPEECH_LEMMAS:
            continue
        speaker_tok = next((c for c in clause.head.children if c.dep_ == "nsubj"), None)
        if speaker_tok is None:
            continue
        speaker = next((orgs[t.idx] for t in speaker_tok.subtree if t.idx in orgs), None)
        if speaker is None or (speaker_tok.tag_ == "NNS") != (tok.lower_ == "they"):
            continue  # "it" stands for one organisation, "they" for a plural group
        reason = f"coref: {tok.lower_} -> reporting '{speaker.text}'"
        new = _link_pronoun(mentions, at_start, article, tok, speaker, reason, "Organisation")
        if new is not None:
            out.append(new)
    return out


def _inside_quotes(text: str, pos: int) -> bool:
    """Whether ``pos`` lies inside a quotation opened earlier in its paragraph."""
    para = text[text.rfind("\n", 0, pos) + 1 : pos]
    opened = max(para.rfind(q) for q in _OPENING_QUOTES)
    closed = max(para.rfind(q) for q in _CLOSING_QUOTES)
    return opened > closed or para.count('"') % 2 == 1


def _pronoun_tokens(doc: Doc) -> list[int]:
    """Token indexes of he/she, found on the LOWER array instead of a Python token walk."""
    return [t.i for t in _tokens_of(doc, _PRONOUNS)]


def _pronoun_mentions(doc: Doc, mentions: list[Mention], article: Article) -> list[Mention]:
    """he/she -> the one person named just before (same or previous sentence), else nothing.

    Unlinked pronoun mentions already in ``mentions`` (a tagger may propose them) are linked
    in place; other pronouns become new mentions, which are returned.
    """
    persons = sorted((m for m in mentions if m.label == "Person" and m.actor_id),
                     key=lambda m: m.start)
    if not persons:
        return []
    person_starts = [p.start for p in persons]
    at_start = {m.start: k for k, m in enumerate(mentions)}
    starts = sentence_starts(doc)
    sent_of = _sentence_index(starts)
    out = []
    for i in _pronoun_tokens(doc):
        tok = doc[i]
        k = at_start.get(tok.idx)
        if k is not None and mentions[k].actor_id is not None:
            continue  # already part of a linked mention
        si = sent_of(tok.idx)
        window_start = starts[si - 1] if si > 0 else starts[si]
        lo = bisect.bisect_left(person_starts, window_start)
        hi = bisect.bisect_left(person_starts, tok.idx)
        before = persons[lo:hi]
        same = [p for p in before if p.start >= starts[si]]
        pool = same or before
        if len({p.actor_id for p in pool}) != 1:
            continue  # nobody, or two people could be meant: not confident
        ante = pool[-1]
        reason = f"coref: {tok.lower_} -> '{ante.text}'"
        if k is not None:
            mentions[k] = _relink(mentions[k], ante, reason)
            continue
        text = article.text[tok.idx : tok.idx + len(tok.text)]
        out.append(_relink(Mention(tok.idx, tok.idx + len(tok.text), text, "Person"), ante, reason))
    return out

"""Office-holders named by their office alone: "the Iraqi Foreign Minister", "the prime
minister", "commander of U.S. Central Command", "the UK Special Representative for Syria".

Analysts mark such a phrase as one Person, the state or body inside it included; the
working mentions keep the state or body apart, so relation patterns still read the title.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from factionmap.extract.lexicon import LEAD_TITLES, MEMBER_TITLES
from factionmap.nlp.cache import doc_text, positions_of
from factionmap.records import Mention

# Role words that name a rank-and-file part of a group, not an office ("a member of X").
_NOT_OFFICES = frozenset({"member", "fighter", "militant", "operative", "agent", "deputy",
                          "head", "chief", "general"})
# Every one-word title, ranks and rank-and-file roles included ("a retired Army general"); a
# multi-word title is headed by its last word ("prime minister").
TITLE_WORDS = frozenset(t for t in LEAD_TITLES | MEMBER_TITLES if " " not in t)
OFFICE_WORDS = TITLE_WORDS - _NOT_OFFICES
# What may stand before an office: its article, the state or body it belongs to, qualifiers.
_MODIFIER_DEPS = frozenset({"det", "poss", "amod", "compound", "nmod"})
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "my", "your"})
# Mentions an office phrase may swallow: the state, body or region its title names.
_INNER_LABELS = frozenset({"Organisation", "Nationality", "Location"})


def names_by_title(span: Span) -> bool:
    """Whether a phrase names someone by a title ("the Iraqi Foreign Minister", "his staff
    secretary", "a retired Army general"), with no person's name in it."""
    if any(t.ent_type_ == "PERSON" for t in span):
        return False
    return any(t.lower_ in TITLE_WORDS or t.lemma_.lower() in TITLE_WORDS for t in span)


def office_holders(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Working mentions with each unnamed office of a state as one Person mention.

    "Johnson met the Iraqi Foreign Minister": the minister, not Iraq, is who was met;
    unlinked, the mention is given the state's government as a generic agent later. An
    office of a named body ("commander of U.S. Central Command") keeps the body apart for
    the title patterns, and is only published whole (``with_offices``).
    """
    return _merge_offices(doc, mentions, states_only=True)


def with_offices(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Publish each unnamed office as one Person mention over its title phrase."""
    return _merge_offices(doc, mentions, states_only=False)


def _merge_offices(doc: Doc, mentions: list[Mention], *, states_only: bool) -> list[Mention]:
    out = list(mentions)
    for head in _office_heads(doc):
        start, end = _office_extent(head)
        lo, hi = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
        inside = [m for m in out if lo <= m.start and m.end <= hi]
        if any(m.start < hi and lo < m.end and m not in inside for m in out):
            continue  # a mention crossing the phrase's edge: the parse and spans disagree
        same = next((m for m in inside if (m.start, m.end) == (lo, hi)), None)
        if any(m.label not in _INNER_LABELS and m is not same for m in inside):
            continue  # a person or thing inside is not part of a title
        if states_only and (_describes_a_name(head, start, out) or any(
                m.label != "Nationality" and m.actor_kind != "state"
                for m in inside if m is not same)):
            continue
        if (same is not None and same.label == "Person") or _runs_into_a_name(doc, end, out):
            continue  # already published as it is, or the title of the name after it
        # the tagger's "the UN Special Envoy" Organisation is the envoy, not the UN
        office = Mention(lo, hi, doc_text(doc)[lo:hi], "Person")
        out = [m for m in out if m not in inside] + [office]
    return sorted(out, key=lambda m: (m.start, m.end))


def _describes_a_name(head: Token, start: int, mentions: list[Mention]) -> bool:
    """"Gareth Bayley, the UK Special Representative": the role patterns read the office as
    a description of the person before it (``same_as``), so it stays no mention of its own."""
    if head.dep_ == "appos":
        return True
    doc = head.doc
    if start < 2 or doc[start - 1].text != ",":
        return False
    before = doc[start - 2].idx
    return any(m.label == "Person" and m.start <= before < m.end for m in mentions)


# How far a title may run past its office word into a name ("Ambassador to Iraq Mark X").
_TITLE_RUN = 4


def _runs_into_a_name(doc: Doc, end: int, mentions: list[Mention]) -> bool:
    """"U.S. Secretary of Defense Ash Carter", "US Ambassador to Iraq Mark Ellison": the title
    belongs to the name after it."""
    starts = {m.start for m in mentions if m.label == "Person"}
    for tok in doc[end : end + _TITLE_RUN]:
        if tok.idx in starts:
            return True
        if not (tok.pos_ == "PROPN" or tok.lower_ in ("to", "of", "for", "the")):
            return False  # "The secretary and Abadi", "the Deputy Secretary on Twitter"
    return False


def _office_heads(doc: Doc) -> list[Token]:
    """Singular office nouns that head their own phrase: not "Minister" in "Foreign Minister
    Zarif", where the title runs into a name, nor "ministers" (a group), nor a bare
    capitalised "King" (more often a surname than a king)."""
    found = doc.user_data.get(_HEADS)
    if found is None:  # both the working and the published mentions ask
        found = doc.user_data[_HEADS] = [
            i for i in positions_of(doc, OFFICE_WORDS) if _heads_office(doc[i])
        ]
    return [doc[i] for i in found]


_HEADS = "factionmap.office_heads"


def _heads_office(tok: Token) -> bool:
    return (
        tok.pos_ in ("NOUN", "PROPN")
        and tok.tag_ in ("NN", "NNP") and tok.dep_ != "compound"
        and (_determined(tok) or _of_a_name(tok) or (tok.text[:1].isupper() and any(
            c.dep_ in _MODIFIER_DEPS for c in tok.lefts)))
    )


def _determined(tok: Token) -> bool:
    """"the secretary", "its spokesman": a lower-case office refers to one holder only with
    a determiner ("a senior official" is anyone)."""
    return any(c.dep_ in ("det", "poss") and c.lower_ in _DETERMINERS - {"a", "an"}
               for c in tok.lefts)


def _of_a_name(tok: Token) -> bool:
    """"commander of U.S. Central Command": an office of a named body is one holder's."""
    return any(p.dep_ == "prep" and p.lower_ in ("of", "for") and any(
        o.dep_ == "pobj" and o.pos_ == "PROPN" for o in p.children) for p in tok.rights)


def _office_extent(head: Token) -> tuple[int, int]:
    """Token range of the office phrase: its modifiers, and the portfolio or body after "of"
    or "for" when that is a name ("Minister for the Middle East")."""
    start = min((c.left_edge.i for c in head.lefts if c.dep_ in _MODIFIER_DEPS),
                default=head.i)
    # a comma or quote before the head ends the phrase ("Gen. X, commander, U.S. ...")
    for i in range(head.i - 1, start - 1, -1):
        if head.doc[i].is_space or head.doc[i].is_punct and head.doc[i].text not in ("-", "."):
            start = i + 1
            break
    end = head.i + 1
    for prep in head.rights:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "for") and prep.i == end:
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is not None and obj.pos_ == "PROPN":
                last = max((t.i for t in obj.subtree), default=obj.i)
                if not any(t.is_punct and t.text not in ("-", ".")
                           for t in head.doc[end : last + 1]):
                    end = last + 1
            break
    return start, end

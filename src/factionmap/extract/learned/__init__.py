"""Learned refinements of rule-based extraction (trained on re3d; weights in factionmap/models).

Hooks called by ``extract.article.extract_article``; without weights they pass input through.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from factionmap.extract.arguments import can_be_argument
from factionmap.extract.learned.entities import TaggedSpan, merge_mentions
from factionmap.extract.learned.models import (
    NO_MODELS,
    LearnedModels,
    active_models,
    load_models,
    shipped_models,
    using_models,
)
from factionmap.extract.learned.relations import merge_relations
from factionmap.extract.linking import ActorLink
from factionmap.kb import default_kb
from factionmap.nlp.cache import doc_text
from factionmap.records import ACTOR_LABELS, SYMMETRIC_RELATIONS, Mention, Relation

__all__ = [
    "NO_MODELS",
    "LearnedModels",
    "active_models",
    "load_models",
    "refine_mentions",
    "score_relations",
    "shipped_models",
    "using_models",
]


def refine_mentions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Add, drop or re-label mention spans with the learned tagger, when its weights exist."""
    tagger = active_models().entities
    if tagger is None:
        return mentions
    rule = [TaggedSpan(m.start, m.end, m.label) for m in mentions]
    merged = merge_mentions(doc, mentions, tagger.tag(doc, rule))
    return [_link_known(_place_not_person(m)) for m in merged]


def _place_not_person(m: Mention) -> Mention:
    """An unlinked learned Person span that is a known place name is that place."""
    if m.label != "Person" or (m.actor_id and not m.actor_id.startswith("new:")):
        return m
    from factionmap.extract.mentions import place_name_offset  # rule layer (optional)

    offset = place_name_offset(m.text)
    if offset is None:
        return m
    return Mention(m.start + offset, m.end, m.text[offset:], "Location")


def _link_known(m: Mention) -> Mention:
    """Give an unlinked learned span the KB actor or state its whole text names.

    The tagger finds spans the rules missed ("the U.S.", "Coalition forces" cut differently);
    without a link they cannot be relation arguments. Only exact KB aliases and country names
    link here: no new actors are minted from tagger spans, which are noisier than the rules'.
    """
    if m.actor_id or m.label not in ACTOR_LABELS:
        return m
    from factionmap.extract.mentions import linker_for  # rule layer; imported late (optional)

    linker = linker_for(default_kb())
    actor = linker.kb_actor(m.text)
    link: ActorLink | None
    if actor is not None:
        link = linker.from_kb(actor, m.text, m.label)
    elif m.label != "Person":
        link = linker.state(m.text)
    else:
        link = None
    if link is None:
        return m
    return replace(
        m,
        actor_id=link.actor_id,
        actor_name=link.actor_name,
        actor_kind=link.actor_kind,  # type: ignore[arg-type]
        country=link.country,
        sector=link.sector,
        link_reason=link.reason,
    )


# Patterns whose object is the organisation in a person's title ("US Ambassador X").
_TITLE_PATTERNS = frozenset({"title_before_name", "possessive"})


def score_relations(doc: Doc, mentions: list[Mention], relations: list[Relation]) -> list[Relation]:
    """Score dependency-path candidates with the learned relation model, when its weights exist.

    Only mentions that can be relation arguments are paired, and a pair needs an actor at one
    end; the argument schema itself is applied afterwards, to pattern and learned relations
    alike (``extract.arguments``).
    """
    model = active_models().relations
    if model is None:
        return relations
    args = [m for m in mentions if can_be_argument(m)]
    if len(args) < 2:
        return relations
    learned = _outside_titles(model.predict(doc, args), relations)
    learned = [r for r in learned if not _possessive_qualifier(doc, r, mentions)
               and not _listed_together(doc, r) and not _unlike_names(doc, r, mentions)
               and not _not_name_and_title(doc, r) and not _told_apart(doc, r)]
    return merge_relations(relations, learned)


# Words that set two things apart: "ISIS is different from al Qaeda", "a group separate
# from the special forces", "unlike Hezbollah, ...".
_APART_WORDS = frozenset({"different", "differs", "differ", "separate", "separately",
                          "distinct", "apart", "independent", "independently", "unlike",
                          "instead", "rather", "rival", "not", "n't", "never", "outside"})
_TIES = frozenset({"member_of", "same_as", "allied_with", "leads"})


def _told_apart(doc: Doc, rel: Relation) -> bool:
    """Whether a learned tie between two mentions has a word between them that sets them
    apart: the model reads "X is different from Y" as it reads "X is part of Y"."""
    if rel.type not in _TIES:
        return False
    first, second = sorted((rel.subject, rel.object), key=lambda s: s.start)
    between = doc.char_span(first.end, second.start, alignment_mode="contract")
    return between is not None and any(t.lower_ in _APART_WORDS for t in between)


def _unlike_names(doc: Doc, rel: Relation, mentions: list[Mention]) -> bool:
    """Whether a learned ``same_as`` joins two things that are not names of one actor: a
    bracketed name the alias rule rejects ("WASHINGTON (Reuters)", a dateline and its agency),
    or two labels ("Major Garrett (CBS)": a reporter and his employer). re3d's own aliases
    always join two spans of one label."""
    from factionmap.extract.coref import is_alias_pair  # rule layer (optional)

    if rel.type != "same_as":
        return False
    by_span = {(m.start, m.end): m for m in mentions}
    a = by_span.get((rel.subject.start, rel.subject.end))
    b = by_span.get((rel.object.start, rel.object.end))
    if a is None or b is None:
        return False
    first, second = (a, b) if a.start < b.start else (b, a)
    text = doc_text(doc)
    if text[first.end : second.start].strip() == "(" and not is_alias_pair(text, first, second):
        return True  # the patterns' own test for "Name (OTHER NAME)" says no
    return a.label != b.label


def _not_name_and_title(doc: Doc, rel: Relation) -> bool:
    """Whether a learned ``same_as`` fails to join a name with a title that describes it.

    The model learned "The Foreign Secretary, Boris Johnson" from press releases; in the news
    it read bylines ("Aaron Blake, Washington Post"), lists of names and possessives
    ("H.R. McMaster, Trump's new adviser") the same way. Names of one thing given side by
    side are the alias rule's ("Popular Mobilization Units (PMU)")."""
    from factionmap.extract.offices import names_by_title  # rule layer (optional)

    if rel.type != "same_as":
        return False
    a = doc.char_span(rel.subject.start, rel.subject.end, alignment_mode="expand")
    b = doc.char_span(rel.object.start, rel.object.end, alignment_mode="expand")
    if a is None or b is None:
        return False
    return names_by_title(a) == names_by_title(b)


def _listed_together(doc: Doc, rel: Relation) -> bool:
    """Whether a learned relation's ends are only items of one list that is not a clause's
    subject: "support for the Iraqi army, the Peshmerga and the PMU" says nothing of how the
    three stand to each other, while "the minister and the envoy discussed ..." does (the
    model cannot see that difference, since the items' common head is the list itself), if
    only as a symmetric relation."""
    a = doc.char_span(rel.subject.start, rel.subject.end, alignment_mode="expand")
    b = doc.char_span(rel.object.start, rel.object.end, alignment_mode="expand")
    if a is None or b is None:
        return False
    first = a.root
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    items = {first.i}
    pending = [first]
    while pending:
        for child in pending.pop().children:
            if child.dep_ == "conj" and child.i not in items:
                items.add(child.i)
                pending.append(child)
    if b.root.i not in items:
        return False
    # joint subjects may have met, fought or sided together, but not led or joined each other
    return first.dep_ not in ("nsubj", "nsubjpass") or rel.type not in SYMMETRIC_RELATIONS


def _possessive_qualifier(doc: Doc, rel: Relation, mentions: list[Mention]) -> bool:
    """Whether an end of a learned ``leads`` / ``member_of`` is only a possessor qualifying
    another mention: in "the commander of Iran's Quds Force", Iran owns the Quds Force and the
    commander leads the force, not Iran."""
    if rel.type not in ("leads", "member_of", "role"):
        return False
    span = doc.char_span(rel.object.start, rel.object.end, alignment_mode="expand")
    if span is None or span.root.dep_ != "poss":
        return False
    owned = span.root.head.idx
    return any(m.start <= owned < m.end for m in mentions)


def _outside_titles(learned: list[Relation], pattern: list[Relation]) -> list[Relation]:
    """Drop learned relations that use a title's organisation for someone else.

    In "Amiri met US Ambassador X", "US" only qualifies X's title: the patterns already
    relate it to X, and pairing it with Amiri would credit the meeting to the state.
    """
    holders: dict[tuple[int, int], set[tuple[int, int]]] = {}
    for r in pattern:
        if r.pattern in _TITLE_PATTERNS:
            key = (r.object.start, r.object.end)
            holders.setdefault(key, set()).add((r.subject.start, r.subject.end))
    if not holders:
        return learned
    out = []
    for r in learned:
        subj, obj = (r.subject.start, r.subject.end), (r.object.start, r.object.end)
        if (obj in holders and subj not in holders[obj]) or (
            subj in holders and obj not in holders[subj]
        ):
            continue
        out.append(r)
    return out

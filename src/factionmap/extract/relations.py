"""Typed relations between actor mentions, one sentence at a time (no cross-sentence pairs).

Each construction family lives in ``extract/patterns/``; this module builds the per-sentence
context, runs the patterns, and drops duplicates (same type, arguments and evidence).
"""

from __future__ import annotations

import bisect

from spacy.tokens import Doc

from factionmap.extract.mentions import linker_for
from factionmap.extract.patterns import attacks, membership, nominal, roles, stance, verbs
from factionmap.extract.patterns.context import SentenceContext
from factionmap.kb import KnowledgeBase
from factionmap.nlp.cache import doc_text
from factionmap.records import Article, Mention, Relation, Span


def find_relations(
    doc: Doc, mentions: list[Mention], article: Article, kb: KnowledgeBase | None = None
) -> list[Relation]:
    """All pattern-based relations in one parsed article."""
    linker = linker_for(kb)
    starts = [m.start for m in mentions]
    out: list[Relation] = []
    text = doc_text(doc)
    for sent in doc.sents:
        lo = bisect.bisect_left(starts, sent.start_char)
        hi = bisect.bisect_left(starts, sent.end_char)
        in_sent = mentions[lo:hi]
        # One mention can still relate to a nationality inside "Iranian-backed".
        if len(in_sent) < 2 and "backed" not in text[sent.start_char : sent.end_char].lower():
            continue
        by_token: dict[int, Mention] = {}
        for m in in_sent:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                for i in range(span.start, span.end):
                    by_token[i] = m
        ctx = SentenceContext(doc, sent, by_token, linker, article.date, text)
        roles.dependency_roles(ctx)
        persons = [m for m in in_sent if m.label == "Person"]
        roles.prenominal_titles(ctx, persons)
        roles.own_followings(ctx, persons)
        verbs.clause_relations(ctx)
        verbs.joint_subjects(ctx)
        verbs.companions(ctx)
        verbs.wrested_from(ctx)
        attacks.attack_instruments(ctx)
        attacks.attack_owners(ctx, [m for m in in_sent if m.label == "Weapon"])
        attacks.hostile_acts(ctx)
        stance.branded_hostile(ctx)
        stance.dismayed_by(ctx)
        stance.thwarted(ctx)
        nominal.alias_relations(ctx, in_sent)
        nominal.backed_compounds(ctx)
        nominal.part_of(ctx)
        nominal.of_and_in(ctx, in_sent)
        nominal.support_nouns(ctx)
        nominal.hostile_nouns(ctx)
        nominal.meeting_nouns(ctx)
        membership.listed_members(ctx)
        membership.members_from(ctx, in_sent)
        membership.held_by(ctx)
        membership.equipment_used(ctx)
        membership.use_nouns(ctx)
        membership.control_nouns(ctx)
        membership.control_changes(ctx)
        membership.led_compounds(ctx)
        membership.unit_chains(ctx)
        out.extend(ctx.relations)
    return _dedupe(out)


def _rank(r: Relation) -> tuple[float, int]:
    return r.confidence, sum(1 for end in (r.subject, r.object) if _written_as_name(end))


def _written_as_name(end: Span) -> bool:
    """The end's text carries its actor's name ("Javad Zarif" for Mohammad Javad Zarif), not
    only a title or description of it ("the Iranian Foreign Minister")."""
    if not end.actor_name:
        return False
    last = end.actor_name.split()[-1].lower()
    return last in end.text.lower().split()


def _dedupe(relations: list[Relation]) -> list[Relation]:
    """One relation per (type, subject actor, object actor, sentence): most confident wins,
    and of equals the one whose ends are written as the actors' names.

    "the former commander of Kataib Hezbollah and the group" names one actor twice; "met the
    Iraqi Foreign Minister, Ibrahim al-Jaafari" is best shown meeting al-Jaafari.
    """
    best: dict[tuple[object, ...], Relation] = {}
    for r in relations:
        if r.subject.actor_id and r.object.actor_id:
            key: tuple[object, ...] = (r.type, r.subject.actor_id, r.object.actor_id)
        else:  # a fact about an unlinked thing ("strikes hit ISIL vehicles") is about that span
            key = (r.type, r.subject.start, r.subject.end, r.object.start, r.object.end)
        key += (r.evidence.start,)
        if key not in best or _rank(r) > _rank(best[key]):
            best[key] = r
    return sorted(best.values(), key=lambda r: (r.evidence.start, r.subject.start, r.type))

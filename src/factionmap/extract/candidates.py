"""Candidates for the deciders: mentions (the tagger's names, generic agents, pronouns and
descriptions linked by coreference), pairs of actor mentions per sentence, and the actor
mentions an event's arguments are chosen from.

Everything here proposes; nothing decides a type. Linking names to actors (knowledge base,
states, generic agents, new actors) and within-document coreference are resolution, kept
from ``linking`` and ``coref``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from factionmap.extract.coref import link_mentions
from factionmap.extract.deciders.args import Arg
from factionmap.extract.events.places import article_country
from factionmap.extract.linking import ActorLinker, clean_name, country_code
from factionmap.extract.tagger import TaggedSpan
from factionmap.kb.agents import HEAD_SECTORS
from factionmap.records import ACTOR_LABELS, Article, Mention

# Heads of generic agents that denote people (one or many) rather than an organised body.
PEOPLE_SECTORS = frozenset({"CVL", "PRO", "REF"})
PEOPLE_HEADS = frozenset({
    "official", "officials", "minister", "ministers", "spokesman", "spokeswoman", "spokesperson",
    "diplomat", "diplomats", "envoy", "ambassador", "governor", "governors", "soldier",
    "soldiers", "commander", "commanders", "officers", "servicemen", "fighter", "fighters",
    "gunman", "gunmen", "militant", "militants", "militiamen", "militiaman", "jihadist",
    "jihadists", "terrorist", "terrorists", "rebel", "rebels", "insurgent", "insurgents",
    "lawmaker", "lawmakers", "senators", "judge", "judges", "prosecutor", "prosecutors",
    "president", "king", "emir", "secretary", "leader", "leaders", "member", "members",
})
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})
PRONOUN_FORMS = frozenset({"he", "she", "him", "her", "his", "they", "them", "their", "it",
                           "its", "we", "us", "our", "i", "who"})


def _generic_head(tok: Token) -> str | None:
    """The sector of a noun that heads a generic agent ("officials", "security forces")."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    two = f"{tok.doc[tok.i - 1].lower_} {tok.lower_}" if tok.i > 0 else ""
    if two in HEAD_SECTORS:
        return HEAD_SECTORS[two]
    return HEAD_SECTORS.get(tok.lower_) or HEAD_SECTORS.get(tok.lemma_.lower())


def generic_candidates(doc: Doc, taken: set[int], linker: ActorLinker,
                       names: list[Mention]) -> list[Mention]:
    """Unnamed actors: a sector noun with its lower-case modifiers, outside every name; a
    country word just before it (its own name mention) gives the agent its country."""
    out = []
    name_at_end = {span.end: m for m in names
                   if (span := doc.char_span(m.start, m.end, alignment_mode="expand"))}
    for tok in doc:
        if tok.i in taken or tok.dep_ == "compound":
            continue
        sector = _generic_head(tok)
        if sector is None:
            continue
        start = tok.i
        for child in sorted(tok.lefts, key=lambda c: -c.i):
            hyphenated = child.i > 0 and doc[child.i - 1].text == "-"  # "Iranian-backed"
            if child.dep_ in _MODIFIER_DEPS and child.i == start - 1 and child.i not in taken \
                    and not child.text[:1].isupper() and not child.like_num and not hyphenated:
                start = child.i
        span = doc[start:tok.i + 1]
        before = name_at_end.get(start)
        country = None
        if before is not None and before.label in ("Nationality", "Location"):
            country = before.country or country_code(before.text)
        link = linker.generic_agent(span.text, country, sector)
        label = "Person" if (tok.lower_ in PEOPLE_HEADS or sector in PEOPLE_SECTORS) \
            else "Organisation"
        out.append(Mention(
            span.start_char, span.end_char, span.text, label,  # type: ignore[arg-type]
            link.actor_id if link else None, link.actor_name if link else None,
            link.actor_kind if link else None, link.country if link else None,  # type: ignore[arg-type]
            link.sector if link else sector, link.reason if link else None, form="generic",
        ))
        taken.update(range(span.start, span.end))
    return out


def assemble_mentions(doc: Doc, article: Article, spans: list[TaggedSpan],
                      linker: ActorLinker) -> list[Mention]:
    """Names from the tagger, linked; generic agents; then coreference (pronouns and
    descriptions take their antecedent's actor)."""
    names: list[Mention] = []
    taken: set[int] = set()
    text = article.text
    for s in spans:
        toks = doc.char_span(s.start, s.end, alignment_mode="expand")
        if toks is None or any(i in taken for i in range(toks.start, toks.end)):
            continue
        taken.update(range(toks.start, toks.end))
        link = linker.link(text[s.start:s.end], s.label) if s.label in ACTOR_LABELS else None
        names.append(Mention(
            s.start, s.end, text[s.start:s.end], s.label,  # type: ignore[arg-type]
            link.actor_id if link else None, link.actor_name if link else None,
            link.actor_kind if link else None, link.country if link else None,  # type: ignore[arg-type]
            link.sector if link else None, link.reason if link else None, form="name",
        ))
    names = in_country_context(names, linker)
    generics = generic_candidates(doc, taken, linker, names)
    mentions = sorted(names + generics, key=lambda m: m.start)
    linked = link_mentions(doc, mentions, article, linker.kb)
    out = []
    for m in linked:
        if m.form == "name" and m.text.lower() in PRONOUN_FORMS:
            m = replace(m, form="pronoun")
        elif m.form == "name" and m.start not in {n.start for n in names}:
            m = replace(m, form="pronoun" if m.text.lower() in PRONOUN_FORMS else "nominal")
        elif m.form == "generic" and (m.link_reason or "").startswith("coref"):
            m = replace(m, form="nominal")
        out.append(m)
    return [m for m in out if not _in_boilerplate(m, article)]


def country_dependent_sector(name: str) -> str | None:
    """The sector of a name that is only an institution's common noun ("Congress", "the
    Parliament"): which institution it is depends on the country the article is about."""
    words = " ".join(clean_name(name).lower().split())
    return HEAD_SECTORS.get(words.removeprefix("the "))


def in_country_context(names: list[Mention], linker: ActorLinker) -> list[Mention]:
    """A knowledge-base institution named only by its common noun, in an article whose other
    mentions are about another country, is that country's institution."""
    dependent = {i: sector for i, m in enumerate(names)
                 if m.country and (m.link_reason or "").startswith("kb alias")
                 and (sector := country_dependent_sector(m.text))}
    if not dependent:
        return names
    # the dependent names themselves do not vote for the context
    context = article_country([m for i, m in enumerate(names) if i not in dependent])
    out = []
    for i, m in enumerate(names):
        sector = dependent.get(i)
        if sector and context and context != m.country:
            link = linker.agent_of(context, sector)
            m = replace(m, actor_id=link.actor_id, actor_name=link.actor_name,
                        actor_kind=link.actor_kind,  # type: ignore[arg-type]
                        country=link.country, sector=link.sector,
                        link_reason=f"{link.reason} (the article is about {context})")
        out.append(m)
    return out


def _in_boilerplate(m: Mention, article: Article) -> bool:
    return any(m.start < end and start < m.end for start, end in article.boilerplate)


MEDIA_SECTOR = "MED"


def arg_kind(kind: str | None, sector: str | None) -> str | None:
    """What the deciders know of an actor: its kind, with news media told apart (outlets
    report events far more often than they take part in them)."""
    return "media" if sector == MEDIA_SECTOR else kind


def kind_of_name(text: str) -> str | None:
    """The kind of the knowledge-base actor a name denotes (cached per name)."""
    return _kind_of_name(text)


@lru_cache(maxsize=50_000)
def _kind_of_name(text: str) -> str | None:
    from factionmap.extract.linking import clean_name
    from factionmap.kb import default_kb

    kb = default_kb()
    actor = kb.lookup(text) or kb.lookup(clean_name(text))
    if actor is None:
        return "state" if country_code(clean_name(text)) else None
    return arg_kind(actor.kind, actor.sector)


def as_arg(m: Mention) -> Arg:
    return Arg(m.start, m.end, m.label, m.form, arg_kind(m.actor_kind, m.sector),
               m.actor_id or f"@{m.start}")


def sentence_args(doc: Doc, mentions: list[Mention]) -> list[tuple[Span, list[Mention]]]:
    """Actor mentions grouped by sentence, in order."""
    out: dict[int, tuple[Span, list[Mention]]] = {}
    for m in mentions:
        if m.label not in ACTOR_LABELS:
            continue
        toks = doc.char_span(m.start, m.end, alignment_mode="expand")
        if toks is None:
            continue
        sent = toks.sent
        out.setdefault(sent.start, (sent, []))[1].append(m)
    return [out[k] for k in sorted(out)]


def relation_pairs(doc: Doc, mentions: list[Mention]) -> list[tuple[Span, Mention, Mention]]:
    """Every pair of actor mentions of one sentence that are not the same actor (a same_as
    needs two names), in text order, without overlapping spans."""
    pairs = []
    for sent, ms in sentence_args(doc, mentions):
        ms = sorted(ms, key=lambda m: (m.start, m.end))
        for i, x in enumerate(ms):
            for y in ms[i + 1:]:
                if x.end > y.start:
                    continue
                same = x.actor_id is not None and x.actor_id == y.actor_id
                if same and not (x.form == y.form == "name"):
                    continue
                pairs.append((sent, x, y))
    return pairs

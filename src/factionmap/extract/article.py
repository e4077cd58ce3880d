"""``extract_article``: one parsed article in, everything we can say about it out. No database."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc

from factionmap.extract.arguments import keep_valid_relations
from factionmap.extract.common_words import without_common_words
from factionmap.extract.communities import as_communities
from factionmap.extract.coref import link_mentions, link_speakers
from factionmap.extract.dates import without_designation
from factionmap.extract.lexicon import is_contact_number
from factionmap.extract.mentions import find_mentions, keep_names_apart, link_descriptions
from factionmap.extract.modality import modality_for
from factionmap.extract.offices import office_holders
from factionmap.extract.place_names import as_named_places
from factionmap.extract.publish import publish_mentions
from factionmap.extract.relations import find_relations
from factionmap.kb import KnowledgeBase
from factionmap.nlp.cache import doc_text
from factionmap.nlp.pipeline import pipe_articles
from factionmap.records import Article, ArticleExtraction, Event, Mention, Relation, Sentence


def _learned_hooks():  # type: ignore[no-untyped-def]
    try:
        from factionmap.extract.learned import refine_mentions, score_relations
    except ImportError:
        return (lambda doc, ms: ms), (lambda doc, ms, rs: rs)
    return refine_mentions, score_relations


def _code_events(doc: Doc, mentions: list[Mention], article: Article) -> list[Event]:
    try:
        from factionmap.extract.events import code_events
    except ImportError:
        return []
    return code_events(doc, mentions, article)


def _sentences(doc: Doc, article: Article) -> list[Sentence]:
    out = []
    for sent in doc.sents:
        text = article.text[sent.start_char : sent.end_char]
        if text.strip():
            out.append(Sentence(sent.start_char, sent.end_char, text))
    return out


def _event_modality(doc: Doc, event: Event) -> Event:
    """Events the coder left at the default get the modality of their trigger's clause."""
    if event.modality != "asserted" or event.attributed_to is not None:
        return event
    trigger = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    if trigger is None:
        return event
    modality, speaker = modality_for(doc, trigger)
    return replace(event, modality=modality, attributed_to=speaker)


def _outside_boilerplate(article: Article, start: int, end: int) -> bool:
    return not any(start < e and s < end for s, e in article.boilerplate)


def _mostly_content(article: Article, start: int, end: int) -> bool:
    """An evidence sentence with a photo credit or hover card glued into it is still content
    (its arguments are mentions, which skip the furniture); one mostly of furniture is not."""
    covered = sum(max(0, min(end, e) - max(start, s)) for s, e in article.boilerplate)
    return 2 * covered < end - start


def _reportable(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Mentions without phone numbers and access codes, and times without a number that
    belongs to a name ("Resolution 2328"). Applied after the tagger, whose features are the
    rules' output as it stands."""
    out = []
    for m in mentions:
        if is_contact_number(m.text) or _one_unnamed_person(m):
            continue
        if m.label == "Temporal":
            kept = without_designation(doc, m.start, m.end)
            if kept is None:
                continue
            if kept != (m.start, m.end):
                start, end = kept
                m = replace(m, start=start, end=end, text=doc_text(doc)[start:end])
        out.append(m)
    return out


# Words for one who belongs to a group: "a previous member" is someone, not a group. (Not
# offices: "a senior official" stands for the body he speaks for.)
_PERSON_HEADS = frozenset({"member", "supporter", "founder", "co-founder"})


def _one_unnamed_person(m: Mention) -> bool:
    """An organisation the tagger reads into one indefinite member ("a previous member",
    "a founding member"): one unnamed person, no group."""
    words = m.text.split()
    return (m.label == "Organisation" and len(words) >= 2 and words[0].lower() in ("a", "an")
            and words[-1] in _PERSON_HEADS and all(w.islower() for w in words[1:]))


def _without_tags(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Mentions without hashtags and handles ("#BarrResign", "@marwilliamson") whose own
    words name no known actor ("stands with #Iraq" still names Iraq; "Twitter (@handle)" is
    no second name of Twitter). After linking, which is what tells them apart."""
    text = doc_text(doc)
    return [m for m in mentions
            if not (m.text.startswith(("#", "@")) or (m.start > 0 and text[m.start - 1] in "#@"))
            or (m.link_reason or "").startswith("kb alias")]


@dataclass(frozen=True, slots=True)
class ArticleMentions:
    working: list[Mention]  # titles apart, linked: what relations and events read
    published: list[Mention]  # what the extraction reports ("Foreign Minister X" as one)


def article_mentions(
    doc: Doc, article: Article, kb: KnowledgeBase | None = None
) -> ArticleMentions:
    """Rule mentions refined by the learned tagger, linked within the document."""
    refine_mentions, _ = _learned_hooks()
    rule_mentions = find_mentions(doc, article, kb)
    refined = _reportable(doc, refine_mentions(doc, rule_mentions))
    mentions = as_named_places(doc, as_communities(keep_names_apart(rule_mentions, refined)))
    mentions = office_holders(doc, mentions)
    # Generic agents only for descriptions coreference left unlinked ("the former militia"
    # after a named group is that group, not "armed groups").
    mentions = _without_tags(doc, link_descriptions(link_mentions(doc, mentions, article, kb), kb))
    mentions = without_common_words(doc, link_speakers(doc, mentions, article))
    published = publish_mentions(doc, mentions, refined)
    return ArticleMentions(mentions, published)


def extract_article(
    doc: Doc, article: Article, kb: KnowledgeBase | None = None
) -> ArticleExtraction:
    """Sentences, mentions, within-document links, relations and events of one article."""
    _, score_relations = _learned_hooks()
    found = article_mentions(doc, article, kb)
    mentions, published = found.working, found.published
    relations: list[Relation] = find_relations(doc, mentions, article, kb)
    relations = keep_valid_relations(score_relations(doc, mentions, relations), mentions)
    events = [_event_modality(doc, e) for e in _code_events(doc, mentions, article)]
    if article.boilerplate:
        relations = [r for r in relations
                     if _mostly_content(article, r.evidence.start, r.evidence.end)]
        events = [e for e in events
                  if _outside_boilerplate(article, e.trigger.start, e.trigger.end)]
    return ArticleExtraction(
        article=article,
        sentences=_sentences(doc, article),
        mentions=published,
        relations=relations,
        events=events,
    )


def extract_articles(
    articles: Iterable[Article],
    nlp: Language,
    kb: KnowledgeBase | None = None,
    *,
    n_process: int = 1,
    batch_size: int = 16,
) -> Iterator[ArticleExtraction]:
    """Parse in batches with ``nlp.pipe`` and extract each article, in input order.

    With ``n_process`` > 1 each worker process parses *and* extracts its batches, so only the
    small extraction records cross process boundaries, not parsed Docs.
    """
    if n_process <= 1:
        for article, doc in pipe_articles(nlp, articles, batch_size=batch_size):
            yield extract_article(doc, article, kb)
        return
    yield from _extract_in_workers(articles, nlp, kb, n_process, batch_size)


# The worker's pipeline and KB: set in the parent before forking (copy-on-write), or by the
# pool initializer where processes are spawned.
_WORKER: dict[str, object] = {}


def _init_worker(nlp: Language, kb: KnowledgeBase | None) -> None:
    _WORKER["nlp"], _WORKER["kb"] = nlp, kb


def _extract_batch(batch: list[Article]) -> list[ArticleExtraction]:
    nlp, kb = _WORKER["nlp"], _WORKER["kb"]
    return [extract_article(doc, article, kb)  # type: ignore[arg-type]
            for article, doc in pipe_articles(nlp, batch)]  # type: ignore[arg-type]


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _extract_in_workers(
    articles: Iterable[Article],
    nlp: Language,
    kb: KnowledgeBase | None,
    n_process: int,
    batch_size: int,
) -> Iterator[ArticleExtraction]:
    if "fork" in multiprocessing.get_all_start_methods():
        _init_worker(nlp, kb)  # inherited by the forked workers
        pool = multiprocessing.get_context("fork").Pool(n_process)
    else:
        pool = multiprocessing.get_context("spawn").Pool(
            n_process, initializer=_init_worker, initargs=(nlp, kb)
        )
    with pool:
        for results in pool.imap(_extract_batch, _batches(articles, batch_size)):
            yield from results

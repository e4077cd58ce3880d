"""Write one article's extraction into the store, or take one document out again.

Callers own the transaction (``Store.session()``): one article per transaction, so
a failure rolls back that article only. Re-ingesting a stored article is a no-op.
"""

from __future__ import annotations

import bisect
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from sqlalchemy import exists, insert, or_, select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from factionmap import records as rec
from factionmap.kb import name_key
from factionmap.store.actors import ActorResolver
from factionmap.store.happenings import link_event, recount_happenings
from factionmap.store.models import (
    Actor,
    Alias,
    Document,
    EventActor,
    EventFact,
    Happening,
    Mention,
    RelationFact,
    Sentence,
    utcnow,
)
from factionmap.store.summaries import add_documents, subtract_document

if TYPE_CHECKING:
    from factionmap.store.db import Store

IngestOutcome = Literal["ingested", "duplicate"]


class DocumentNotFound(LookupError):
    pass


def has_document(session: Session, doc_id: str) -> bool:
    return session.get(Document, doc_id) is not None


def ingest_extraction(
    session: Session,
    extraction: rec.ArticleExtraction,
    resolver: ActorResolver,
    *,
    summaries: bool = True,
) -> IngestOutcome:
    """Store document, sentences, mentions, relations and events of one article.

    Returns "duplicate" (and writes nothing) when the article id is already stored. With
    ``summaries=False`` the caller counts the document into the summary tables itself
    (``add_documents``, once for a batch of articles).
    """
    # Nothing read here depends on rows still pending: the resolver flushes what it adds,
    # so flushing before every query would only cost time.
    with session.no_autoflush:
        outcome = _write(session, extraction, resolver)
    if outcome == "ingested" and summaries:
        add_documents(session, [extraction.article.id])
    return outcome


def _write(
    session: Session, extraction: rec.ArticleExtraction, resolver: ActorResolver
) -> IngestOutcome:
    article = extraction.article
    if has_document(session, article.id):
        return "duplicate"
    now = utcnow()
    doc = Document(
        id=article.id,
        path=article.path if article.row is None else f"{article.path}:{article.row}",
        title=article.title,
        url=article.url,
        source=article.source,
        published=article.date,
        date_inferred=article.date_inferred,
        text=article.text,
        encoding=article.encoding,
        ingested_at=now,
    )
    session.add(doc)
    session.flush()
    # Resolve every actor first (in mention, relation, event order), then insert the rows
    # of each table together: flushes the resolver needs then carry no other rows, and
    # each table's rows go in as one multi-row INSERT.
    resolver.preload(session, (m.actor_id for m in extraction.mentions if m.actor_id), doc.id)
    actors = [resolver.resolve_mention(session, m, doc.id, settle=False)
              for m in extraction.mentions]
    resolver.settle(session)  # the new actors get their ids, in one INSERT per table
    writer = _FactWriter(session, doc, resolver, now)
    relations = [writer.relation(r) for r in extraction.relations if writer.adds_knowledge(r)]
    events = [writer.event(event) for event in extraction.events]
    sentences = _write_sentences(session, doc, extraction.sentences)
    mentions = [
        {
            "document_id": doc.id,
            "sentence_id": sentences.find(m.start),
            "start": m.start,
            "end": m.end,
            "text": m.text,
            "label": m.label,
            "actor_id": actor.id if actor else None,
            "link_reason": m.link_reason,
        }
        for m, actor in zip(extraction.mentions, actors, strict=True)
    ]
    if mentions:  # plain rows, one multi-row INSERT: nothing reads them back as objects
        session.execute(insert(Mention), mentions)
    if relations:
        session.execute(insert(RelationFact), relations)
    session.add_all(events)
    session.flush()
    unflushed: list[Happening] = []
    for event in events:
        if event.modality != "negated":  # a denial is evidence it did *not* happen
            link_event(session, event, unflushed)
    session.flush()
    return "ingested"


class _SentenceIndex:
    """Find the id of the stored sentence containing an offset."""

    def __init__(self, rows: list[tuple[int, int, int]]) -> None:
        self.rows = sorted(rows)  # (start, end, id)
        self.starts = [start for start, _, _ in self.rows]

    def find(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and self.rows[i][0] <= offset < self.rows[i][1]:
            return self.rows[i][2]
        return None


def _write_sentences(
    session: Session, doc: Document, sentences: list[rec.Sentence]
) -> _SentenceIndex:
    if not sentences:
        return _SentenceIndex([])
    rows = [
        {"document_id": doc.id, "position": i, "start": s.start, "end": s.end, "text": s.text}
        for i, s in enumerate(sentences)
    ]
    # one multi-row INSERT; the ids come back in the rows' order
    ids = session.scalars(
        insert(Sentence).returning(Sentence.id, sort_by_parameter_order=True), rows).all()
    return _SentenceIndex([(s.start, s.end, i) for s, i in zip(sentences, ids, strict=True)])


class _FactWriter:
    """Builds relation and event rows with the evidence columns every fact carries."""

    def __init__(
        self, session: Session, doc: Document, resolver: ActorResolver, now: object
    ) -> None:
        self.session = session
        self.doc = doc
        self.resolver = resolver
        self.now = now

    def _actor_id(self, span: rec.Span | None) -> int | None:
        if span is None:
            return None
        actor = self.resolver.resolve_span(self.session, span, self.doc.id)
        return actor.id if actor else None

    def _evidence(
        self,
        evidence: rec.Span,
        modality: str,
        confidence: float,
        attributed_to: rec.Span | None,
    ) -> dict[str, object]:
        return {
            "document_id": self.doc.id,
            "evidence_start": evidence.start,
            "evidence_end": evidence.end,
            "sentence_text": evidence.text,
            "modality": modality,
            "attributed_to": attributed_to.text if attributed_to else None,
            "confidence": confidence,
            "reported_at": self.doc.published,
            "ingested_at": self.now,
        }

    def adds_knowledge(self, r: rec.Relation) -> bool:
        """A ``same_as`` whose two ends resolve to one actor says nothing the aliases do not
        ("Federica Mogherini, foreign policy chief for the EU": the title is already hers)."""
        if r.type != "same_as":
            return True
        subject = self._actor_id(r.subject)
        return subject is None or subject != self._actor_id(r.object)

    def relation(self, r: rec.Relation) -> dict[str, object]:
        """A relation row's columns (inserted as plain rows: nothing reads them back)."""
        valid = r.valid or rec.ValidTime()
        return dict(
            type=r.type,
            role=r.role,
            subject_actor_id=self._actor_id(r.subject),
            object_actor_id=self._actor_id(r.object),
            subject_start=r.subject.start,
            subject_end=r.subject.end,
            subject_text=r.subject.text,
            object_start=r.object.start,
            object_end=r.object.end,
            object_text=r.object.text,
            pattern=(r.pattern or None) and r.pattern[:64],
            valid_from=valid.start,
            valid_until=valid.end,
            valid_phrase=valid.phrase,
            is_former=valid.is_former,
            **self._evidence(r.evidence, r.modality, r.confidence, r.attributed_to),
        )

    def event(self, e: rec.Event) -> EventFact:
        sides = [("source", s) for s in e.sources] + [("target", t) for t in e.targets]
        actor_rows = [
            EventActor(
                side=side,
                actor_id=self._actor_id(span),
                start=span.start,
                end=span.end,
                text=span.text,
            )
            for side, span in sides
        ]
        first = {
            side: next((r.actor_id for r in actor_rows if r.side == side and r.actor_id), None)
            for side in ("source", "target")
        }
        date = e.date
        place = e.location
        row = EventFact(
            type=e.type,
            mode=e.mode,
            context=e.context,
            cameo=e.cameo,
            goldstein=e.goldstein,
            quad_class=e.quad_class,
            source_actor_id=first.get("source"),
            target_actor_id=first.get("target"),
            trigger_start=e.trigger.start,
            trigger_end=e.trigger.end,
            trigger_text=e.trigger.text,
            date=date.date if date else None,
            date_end=date.end if date else None,
            date_precision=date.precision if date and date.date else "reported",
            date_phrase=date.phrase if date else None,
            location_name=place.name if place else None,
            location_phrase=place.phrase if place else None,
            country=place.country if place else None,
            lat=place.lat if place else None,
            lon=place.lon if place else None,
            actors=actor_rows,
            **self._evidence(e.evidence, e.modality, e.confidence, e.attributed_to),
        )
        return row


# ---- removal ----------------------------------------------------------------


def remove_document(session: Session, doc_id: str) -> None:
    """Delete a document and exactly the facts drawn from it.

    Happenings lose its reports (and go when none are left); aliases it taught are
    dropped unless another document still uses them; text-discovered actors nothing
    refers to any more are deleted. KB actors stay.
    """
    doc = session.get(Document, doc_id)
    if doc is None:
        raise DocumentNotFound(f"no document with id {doc_id!r} in the store")
    happening_ids = set(
        session.scalars(
            select(EventFact.happening_id).where(
                EventFact.document_id == doc_id, EventFact.happening_id.is_not(None)
            )
        )
    )
    actor_ids = _actors_touched(session, doc_id)
    taught = list(
        session.scalars(select(Alias).where(Alias.document_id == doc_id, Alias.origin != "kb"))
    )
    subtract_document(session, doc_id)  # while its events and event_actors still exist
    session.delete(doc)
    session.flush()
    recount_happenings(session, {h for h in happening_ids if h is not None})
    for alias in taught:
        if not _alias_still_used(session, alias):
            session.delete(alias)
    session.flush()
    for actor_id in actor_ids:
        actor = session.get(Actor, actor_id)
        if actor is not None and actor.kb_id is None and not _actor_referenced(session, actor_id):
            session.delete(actor)
    session.flush()


def _actors_touched(session: Session, doc_id: str) -> set[int]:
    ids: set[int | None] = set()
    ids.update(session.scalars(select(Mention.actor_id).where(Mention.document_id == doc_id)))
    for rel in session.execute(
        select(RelationFact.subject_actor_id, RelationFact.object_actor_id).where(
            RelationFact.document_id == doc_id
        )
    ):
        ids.update(rel)
    ids.update(
        session.scalars(
            select(EventActor.actor_id)
            .join(EventFact, EventFact.id == EventActor.event_id)
            .where(EventFact.document_id == doc_id)
        )
    )
    ids.update(session.scalars(select(Alias.actor_id).where(Alias.document_id == doc_id)))
    return {i for i in ids if i is not None}


def _alias_still_used(session: Session, alias: Alias) -> bool:
    texts = session.scalars(
        select(Mention.text).where(Mention.actor_id == alias.actor_id).distinct()
    )
    return any(name_key(t) == alias.key for t in texts) or name_key(alias.actor.name) == alias.key


def _actor_referenced(session: Session, actor_id: int) -> bool:
    checks = (
        select(Mention.id).where(Mention.actor_id == actor_id),
        select(RelationFact.id).where(
            or_(RelationFact.subject_actor_id == actor_id, RelationFact.object_actor_id == actor_id)
        ),
        select(EventFact.id).where(
            or_(EventFact.source_actor_id == actor_id, EventFact.target_actor_id == actor_id)
        ),
        select(EventActor.id).where(EventActor.actor_id == actor_id),
        select(Happening.id).where(
            or_(Happening.source_actor_id == actor_id, Happening.target_actor_id == actor_id)
        ),
        select(Actor.id).where(Actor.merged_into_id == actor_id),
    )
    return any(session.scalar(select(exists(q))) for q in checks)


# ---- batched writing ----------------------------------------------------------------

# SQLSTATEs of a clash with another writer: unique key taken (23505), deadlock (40P01),
# serialization failure (40001). The article is tried again once the other one committed.
_CLASH_CODES = {"23505", "40P01", "40001"}
CLASH_ATTEMPTS = 5


def _clash(exc: BaseException) -> bool:
    """Whether ``exc`` is another writer's doing (retry) rather than this article's."""
    if not isinstance(exc, DBAPIError):
        return False
    code = getattr(exc.orig, "sqlstate", None)
    if code in _CLASH_CODES:
        return True
    # SQLite: a unique key another process took between our check and our write, or the
    # write lock still held after the busy timeout
    return isinstance(exc, IntegrityError | OperationalError) and (
        "UNIQUE constraint failed" in str(exc.orig) or "database is locked" in str(exc.orig))


@dataclass
class Written:
    """What became of one extraction: "ingested", "duplicate", or the error that failed it."""

    extraction: rec.ArticleExtraction
    outcome: IngestOutcome | None = None
    error: BaseException | None = None


@dataclass
class BatchWriter:
    """The one write path: extractions are written in the order given, ``batch`` articles per
    transaction, each inside its own savepoint (a failure rolls back that article only), and
    the summary tables are counted once per batch. Clashes with a concurrent writer (a key it
    took, a deadlock, a busy SQLite) commit what is done, wait and retry the article.
    """

    store: Store
    resolver: ActorResolver
    batch: int = 32
    _pending: list[rec.ArticleExtraction] = field(default_factory=list)

    def add(self, extraction: rec.ArticleExtraction) -> list[Written]:
        """Queue one extraction; returns what was written when a batch got full."""
        self._pending.append(extraction)
        return self.flush() if len(self._pending) >= self.batch else []

    def flush(self) -> list[Written]:
        """Write everything queued; returns one ``Written`` per extraction, in order."""
        pending, self._pending = self._pending, []
        done: list[Written] = []
        attempts = 0
        while pending:
            written, clash = self._transaction(pending)
            done.extend(written)
            pending = pending[len(written):]
            if clash is None:
                continue
            attempts += 1
            if attempts >= CLASH_ATTEMPTS:
                done.append(Written(pending[0], error=clash))
                pending, attempts = pending[1:], 0
            else:
                time.sleep(0.05 * attempts * attempts)  # let the other writer commit
        return done

    def _transaction(
        self, pending: list[rec.ArticleExtraction]
    ) -> tuple[list[Written], BaseException | None]:
        """Write ``pending`` in one transaction up to the first clash; commit what was done."""
        written: list[Written] = []
        clash: BaseException | None = None
        try:
            with self.store.write_session() as session:
                for extraction in pending:
                    try:
                        with session.begin_nested():
                            outcome = ingest_extraction(
                                session, extraction, self.resolver, summaries=False)
                    except Exception as exc:  # one article's failure must not stop the batch
                        self.resolver.forget()  # its ids may belong to the rolled-back rows
                        if _clash(exc):
                            clash = exc
                            break
                        written.append(Written(extraction, error=exc))
                    else:
                        written.append(Written(extraction, outcome))
                add_documents(session, [w.extraction.article.id for w in written
                                        if w.outcome == "ingested"])
        except Exception as exc:  # the commit (or the summaries) failed: nothing was kept
            self.resolver.forget()
            if _clash(exc):
                return [], exc
            return [Written(e, error=exc) for e in pending], None
        return written, clash

"""SQLAlchemy 2 typed models: the schema every face (CLI, API, web) reads.

Every fact row (relation, event) keeps its evidence: document, character
offsets, sentence text, modality, confidence, when it was reported (the
publication date), when it was valid if the text says so, and when it was
ingested. Deleting a document cascades to exactly its facts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # content hash
    path: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(255))
    published: Mapped[dt.date | None] = mapped_column(Date, index=True)
    date_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    # how the file's bytes were decoded ("utf-8", "cp1252", "utf-8 with 3 replacements", ...)
    encoding: Mapped[str | None] = mapped_column(String(64))
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    sentences: Mapped[list[Sentence]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )
    mentions: Mapped[list[Mention]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )
    relations: Mapped[list[RelationFact]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )
    events: Mapped[list[EventFact]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class Sentence(Base):
    __tablename__ = "sentences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="sentences")


class Actor(Base):
    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), index=True)
    kind: Mapped[str] = mapped_column(String(32), default="other")
    country: Mapped[str | None] = mapped_column(String(3))
    sector: Mapped[str | None] = mapped_column(String(16))
    kb_id: Mapped[str | None] = mapped_column(String(128), unique=True)
    wikidata: Mapped[str | None] = mapped_column(String(32))
    # key of a text-discovered actor ("new:person:hadi al amiri") so re-ingestion finds it again
    discovery_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    # analyst merges point the absorbed actor at the survivor; queries follow it
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    aliases: Mapped[list[Alias]] = relationship(
        back_populates="actor", cascade="all, delete-orphan", passive_deletes=True
    )


class Alias(Base):
    """A surface form of an actor, and why it was attached (the merge explanation)."""

    __tablename__ = "aliases"
    __table_args__ = (UniqueConstraint("actor_id", "key", name="uq_alias_actor_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    key: Mapped[str] = mapped_column(String(255), index=True)  # kb.name_key(name)
    origin: Mapped[str] = mapped_column(String(16), default="text")  # kb | text | analyst
    reason: Mapped[str | None] = mapped_column(Text)  # why this name is this actor
    document_id: Mapped[str | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )  # first document that used it

    actor: Mapped[Actor] = relationship(back_populates="aliases")


class Mention(Base):
    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    sentence_id: Mapped[int | None] = mapped_column(ForeignKey("sentences.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True
    )
    link_reason: Mapped[str | None] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="mentions")


class FactMixin:
    """Columns every evidence-backed fact carries."""

    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)
    sentence_text: Mapped[str] = mapped_column(Text)
    modality: Mapped[str] = mapped_column(String(16), default="asserted")
    attributed_to: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float, default=0.5)
    reported_at: Mapped[dt.date | None] = mapped_column(Date, index=True)  # publication date
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    valid_phrase: Mapped[str | None] = mapped_column(Text)
    is_former: Mapped[bool] = mapped_column(Boolean, default=False)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # analyst review: None (unreviewed), "confirmed" or "rejected"
    review: Mapped[str | None] = mapped_column(String(16))


class RelationFact(FactMixin, Base):
    __tablename__ = "relations"
    __table_args__ = (
        Index("ix_relations_subject_type", "subject_actor_id", "type"),
        Index("ix_relations_object_type", "object_actor_id", "type"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[str] = mapped_column(String(32), index=True)
    role: Mapped[str | None] = mapped_column(String(255))
    subject_actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL")
    )
    object_actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL")
    )
    subject_start: Mapped[int] = mapped_column(Integer)
    subject_end: Mapped[int] = mapped_column(Integer)
    subject_text: Mapped[str] = mapped_column(Text)
    object_start: Mapped[int] = mapped_column(Integer)
    object_end: Mapped[int] = mapped_column(Integer)
    object_text: Mapped[str] = mapped_column(Text)
    pattern: Mapped[str | None] = mapped_column(String(64))

    document: Mapped[Document] = relationship(back_populates="relations")


class Happening(Base):
    """One real-world event; each EventFact is one report of it."""

    __tablename__ = "happenings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(16), index=True)
    cameo: Mapped[str] = mapped_column(String(8))
    goldstein: Mapped[float] = mapped_column(Float)
    quad_class: Mapped[int] = mapped_column(Integer)
    source_actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True
    )
    target_actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True
    )
    date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    date_end: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(16), default="reported")
    location_name: Mapped[str | None] = mapped_column(String(255))
    country: Mapped[str | None] = mapped_column(String(3))
    report_count: Mapped[int] = mapped_column(Integer, default=1)

    reports: Mapped[list[EventFact]] = relationship(back_populates="happening")


class EventFact(FactMixin, Base):
    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_source_target", "source_actor_id", "target_actor_id"),
        Index("ix_events_date", "date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    happening_id: Mapped[int | None] = mapped_column(
        ForeignKey("happenings.id", ondelete="SET NULL"), index=True
    )
    type: Mapped[str] = mapped_column(String(16), index=True)
    mode: Mapped[str | None] = mapped_column(String(64))
    context: Mapped[str | None] = mapped_column(String(64))
    cameo: Mapped[str] = mapped_column(String(8))
    goldstein: Mapped[float] = mapped_column(Float)
    quad_class: Mapped[int] = mapped_column(Integer, index=True)
    # first source/target actor; all of them (compound actors) are in event_actors
    source_actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL")
    )
    target_actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL")
    )
    trigger_start: Mapped[int] = mapped_column(Integer)
    trigger_end: Mapped[int] = mapped_column(Integer)
    trigger_text: Mapped[str] = mapped_column(Text)
    date: Mapped[dt.date | None] = mapped_column(Date)
    date_end: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(16), default="reported")
    date_phrase: Mapped[str | None] = mapped_column(Text)
    location_name: Mapped[str | None] = mapped_column(String(255))
    location_phrase: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(3))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)

    document: Mapped[Document] = relationship(back_populates="events")
    happening: Mapped[Happening | None] = relationship(back_populates="reports")
    actors: Mapped[list[EventActor]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True
    )


class EventActor(Base):
    """Every source and target span of an event (PLOVER compound actors)."""

    __tablename__ = "event_actors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(String(8))  # "source" | "target"
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    event: Mapped[EventFact] = relationship(back_populates="actors")


class Correction(Base):
    """Analyst audit trail: who changed what, when and why. Replayed after re-ingestion."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(32))  # merge | split | confirm | reject | alias
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    who: Mapped[str] = mapped_column(String(255))
    why: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# ---- summary tables (derived from events; see store/summaries.py) -------------------
# Kept in step with the events on ingest, removal and analyst review, so that pages of
# busy actors and long windows read a few summary rows instead of millions of events.
# Months are integers yyyymm; UNDATED_MONTH holds events with neither date nor report date.
# Rejected events are not counted. Actor ids are the stored ones; merges apply at query time.


class DyadMonth(Base):
    """Events of one directed (source, target) pair in one month (compound actors included)."""

    __tablename__ = "dyad_months"
    __table_args__ = (Index("ix_dyad_months_month", "month"),)

    source_actor_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_actor_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    n_events: Mapped[int] = mapped_column(Integer, default=0)
    goldstein_sum: Mapped[float] = mapped_column(Float, default=0.0)
    goldstein_sumsq: Mapped[float] = mapped_column(Float, default=0.0)
    quad1: Mapped[int] = mapped_column(Integer, default=0)  # verbal cooperation
    quad2: Mapped[int] = mapped_column(Integer, default=0)  # material cooperation
    quad3: Mapped[int] = mapped_column(Integer, default=0)  # verbal conflict
    quad4: Mapped[int] = mapped_column(Integer, default=0)  # material conflict


class ActorMonth(Base):
    """Distinct events one actor takes part in (either side) in one month."""

    __tablename__ = "actor_months"

    actor_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    n_events: Mapped[int] = mapped_column(Integer, default=0)


class ActorPartner(Base):
    """Events an actor shares with a partner on the other side, both directions, all time."""

    __tablename__ = "actor_partners"
    __table_args__ = (Index("ix_actor_partners_rank", "actor_id", "n_events", "partner_id"),)

    actor_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    n_events: Mapped[int] = mapped_column(Integer, default=0)
    goldstein_sum: Mapped[float] = mapped_column(Float, default=0.0)


class StoreRevision(Base):
    """One row whose counter goes up on every write: readers key their caches on it."""

    __tablename__ = "store_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)


class DyadDay(Base):
    """Events of one directed (source, target) pair on one day (yyyymmdd).

    Read only for the partial months at the edges of a window (whole months come
    from ``dyad_months``), so any window is answered from summaries alone. Events
    with no date at all are not here (they sit in ``dyad_months`` month 0).
    """

    __tablename__ = "dyad_days"
    __table_args__ = (
        # covering index: a day range is read without touching the table
        Index("ix_dyad_days_window", "day", "source_actor_id", "target_actor_id", "n_events",
              "goldstein_sum"),
    )

    source_actor_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_actor_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[int] = mapped_column(Integer, primary_key=True)
    n_events: Mapped[int] = mapped_column(Integer, default=0)
    goldstein_sum: Mapped[float] = mapped_column(Float, default=0.0)
    goldstein_sumsq: Mapped[float] = mapped_column(Float, default=0.0)


# Covering index for network windows: a month range of dyads read from the index alone.
Index("ix_dyad_months_window", DyadMonth.month, DyadMonth.source_actor_id,
      DyadMonth.target_actor_id, DyadMonth.n_events, DyadMonth.goldstein_sum)
# Covering index for node choice: actors' events over a month range from the index alone.
Index("ix_actor_months_window", ActorMonth.month, ActorMonth.actor_id, ActorMonth.n_events)
# Negated events are left out of the summaries; listings still show them, and this index
# finds an actor's few denied events without scanning its whole history (migration 0004).
Index("ix_events_modality", EventFact.modality)

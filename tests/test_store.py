"""Store: migrations, round trip, idempotent re-ingest, exact removal."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text

from factionmap import records as rec
from factionmap.store.actors import ActorResolver
from factionmap.store.db import open_store
from factionmap.store.ingest import DocumentNotFound, ingest_extraction, remove_document
from factionmap.store.models import (
    Actor,
    Alias,
    Base,
    Document,
    EventActor,
    EventFact,
    Happening,
    Mention,
    RelationFact,
    Sentence,
)
from test_store_helpers import Builder, amiri_article, strike_report


@pytest.fixture()
def store(db_url):
    s = open_store(db_url)
    yield s
    s.close()


def _ingest(store, extraction, resolver=None):
    resolver = resolver or ActorResolver()
    with store.session() as session:
        return ingest_extraction(session, extraction, resolver)


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_migrated_schema_equals_models(empty_db_url):
    store = open_store(empty_db_url)  # every migration, from an empty database
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []
        if conn.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.close()


def test_open_store_twice_is_idempotent(empty_db_url):
    url = empty_db_url
    open_store(url).close()
    again = open_store(url)
    with again.session() as session:
        assert _count(session, Document) == 0
    again.close()


def test_round_trip_keeps_evidence(store):
    extraction = amiri_article()
    assert _ingest(store, extraction) == "ingested"
    with store.session() as session:
        doc = session.get(Document, extraction.article.id)
        assert doc.published == dt.date(2018, 5, 1)
        assert _count(session, Sentence) == 3
        assert _count(session, Mention) == 6
        rels = session.scalars(select(RelationFact).order_by(RelationFact.id)).all()
        assert [r.type for r in rels] == ["leads", "leads"]
        first, second = rels
        assert first.sentence_text == "Hadi al-Amiri leads the Badr Organization."
        assert doc.text[first.evidence_start : first.evidence_end] == first.sentence_text
        assert doc.text[first.subject_start : first.subject_end] == "Hadi al-Amiri"
        assert first.role == "leader" and first.confidence == 0.9
        assert first.reported_at == dt.date(2018, 5, 1)
        assert first.ingested_at is not None
        # "Amiri" in the second sentence is the same person as "Hadi al-Amiri"
        assert second.subject_actor_id == first.subject_actor_id
        assert second.valid_phrase == "in parliament"
        assert session.get(Actor, second.object_actor_id).kb_id == "kb:fatah_alliance"
        mention_sentences = session.scalars(select(Mention.sentence_id)).all()
        assert None not in mention_sentences


def test_event_round_trip_with_actors(store):
    text = "The United States struck Kataib Hezbollah near Qaim on Sunday."
    when = rec.EventDate(dt.date(2019, 12, 29), "day", "on Sunday")
    place = rec.Place("Al-Qa'im", "IRQ", 34.37, 41.09, "near Qaim")
    _ingest(store, strike_report(text, dt.date(2019, 12, 30), when, place))
    with store.session() as session:
        event = session.scalars(select(EventFact)).one()
        assert (event.type, event.cameo, event.quad_class) == ("ASSAULT", "195", 4)
        assert event.trigger_text == "struck"
        assert event.date == dt.date(2019, 12, 29) and event.date_precision == "day"
        assert event.date_phrase == "on Sunday"
        assert (event.location_name, event.country) == ("Al-Qa'im", "IRQ")
        assert event.reported_at == dt.date(2019, 12, 30)
        sides = {(a.side, a.text) for a in event.actors}
        assert sides == {("source", "United States"), ("target", "Kataib Hezbollah")}
        assert all(a.actor_id is not None for a in event.actors)
        assert event.happening.report_count == 1


def test_reingest_changes_nothing(store):
    extraction = amiri_article()
    assert _ingest(store, extraction) == "ingested"
    with store.session() as session:
        before = {m.__name__: _count(session, m) for m in (Actor, Alias, Mention, RelationFact)}
    assert _ingest(store, extraction) == "duplicate"
    assert _ingest(store, extraction, ActorResolver()) == "duplicate"
    with store.session() as session:
        after = {m.__name__: _count(session, m) for m in (Actor, Alias, Mention, RelationFact)}
    assert after == before


def test_failed_article_rolls_back_alone(store):
    good = amiri_article()
    b = Builder("Kataib Hezbollah fired rockets. Nobody was hurt.")
    b.mention("Kataib Hezbollah", "new:organisation:kataib hezbollah")
    bad = b.build()
    bad.relations.append(rec.Relation("supports", b.span("Kataib"), None, b.span("Nobody")))  # type: ignore[arg-type]
    _ingest(store, good)
    with pytest.raises(AttributeError):
        _ingest(store, bad)
    with store.session() as session:
        assert session.get(Document, bad.article.id) is None
        assert session.scalars(select(Actor).where(Actor.discovery_key.is_not(None))).all() == []
        assert session.get(Document, good.article.id) is not None


def test_remove_deletes_exactly_its_facts(store):
    resolver = ActorResolver()
    keep = amiri_article()
    text = "The United States struck Liwa al-Sabireen on Sunday. Badr Organization condemned it."
    gone = strike_report(
        text,
        dt.date(2019, 12, 30),
        rec.EventDate(dt.date(2019, 12, 29), "day"),
        target="Liwa al-Sabireen",
    )
    gone.mentions.append(
        rec.Mention(
            text.index("Badr"),
            text.index("Badr") + 17,
            "Badr Organization",
            "Organisation",
            "kb:badr_organization",
        )
    )
    _ingest(store, keep, resolver)
    with store.session() as session:
        before = {m.__name__: _count(session, m) for m in (Mention, RelationFact, Sentence)}
    _ingest(store, gone, resolver)
    with store.session() as session:
        found = session.scalars(select(Actor).where(Actor.name == "Liwa al-Sabireen")).one()
        assert found.kb_id is None  # text-discovered
        found_id = found.id
        remove_document(session, gone.article.id)
    with store.session() as session:
        after = {m.__name__: _count(session, m) for m in (Mention, RelationFact, Sentence)}
        assert after == before
        assert _count(session, EventFact) == 0
        assert _count(session, EventActor) == 0
        assert _count(session, Happening) == 0
        assert session.get(Actor, found_id) is None  # discovered only there
        usa = session.scalars(select(Actor).where(Actor.kb_id == "kb:usa")).one()
        assert usa is not None  # KB actors stay
        assert session.get(Document, keep.article.id) is not None
    with store.session() as session, pytest.raises(DocumentNotFound):
        remove_document(session, gone.article.id)


def test_remove_updates_shared_happening(store):
    resolver = ActorResolver()
    day = rec.EventDate(dt.date(2019, 12, 29), "day")
    a = strike_report(
        "The United States struck Kataib Hezbollah bases.", dt.date(2019, 12, 30), day
    )
    b = strike_report(
        "Kataib Hezbollah sites were bombed by the United States.", dt.date(2019, 12, 31), day
    )
    _ingest(store, a, resolver)
    _ingest(store, b, resolver)
    with store.session() as session:
        assert session.scalars(select(Happening.report_count)).all() == [2]
        remove_document(session, a.article.id)
    with store.session() as session:
        assert session.scalars(select(Happening.report_count)).all() == [1]
        # the armed group is still reported by the other article
        assert session.scalars(select(Actor).where(Actor.name == "Kataib Hezbollah")).one()


def test_a_same_as_between_two_names_of_one_actor_is_not_stored(store):
    b = Builder("The Hashd al-Sha'abi, or PMU, said it would stay. Badr joined the Fatah Alliance.")
    hashd = b.mention("Hashd al-Sha'abi", "kb:pmu")
    pmu = b.mention("PMU", "kb:pmu")
    badr = b.mention("Badr", "kb:badr_organization")
    fatah = b.mention("Fatah Alliance", "kb:fatah_alliance")
    b.relation("same_as", hashd, pmu)  # one actor: the aliases already say it
    b.relation("same_as", badr, fatah)  # two actors: a claim worth keeping (even if wrong)
    assert _ingest(store, b.build()) == "ingested"
    with store.session() as session:
        rels = session.scalars(select(RelationFact)).all()
        assert [(r.subject_text, r.object_text) for r in rels] == [("Badr", "Fatah Alliance")]

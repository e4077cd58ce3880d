"""An event whose sources and targets resolve to no actor stays in the store but is left
out of listings and the overview unless asked for."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from factionmap.analysis.queries import (
    EventFilter,
    latest_events,
    list_events,
    store_counts,
    top_happenings,
)
from factionmap.store.actors import ActorResolver
from factionmap.store.db import open_store
from factionmap.store.ingest import ingest_extraction
from factionmap.store.models import EventFact
from test_store_helpers import Builder

# own wording, invented brigades
TEXT = ("Liwa Kilo shelled Saraya Lima near the bridge. "
        "A blast shook the market on Tuesday.")


@pytest.fixture()
def store(db_url):
    b = Builder(TEXT, dt.date(2024, 3, 9))
    k = b.mention("Liwa Kilo", "new:organisation:liwa kilo", kind="armed_group")
    s = b.mention("Saraya Lima", "new:organisation:saraya lima", kind="armed_group")
    b.event("ASSAULT", "shelled", (k,), (s,), cameo="195", quad=4, goldstein=-10.0)
    b.event("ASSAULT", "blast", (), (), cameo="183", quad=4, goldstein=-10.0)
    st = open_store(db_url)
    with st.session() as session:
        ingest_extraction(session, b.build(), ActorResolver())
    yield st
    st.close()


def test_both_events_are_stored(store):
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(EventFact)) == 2


def test_listing_hides_the_event_without_actors_by_default(store):
    with store.session() as session:
        total, rows = list_events(session, EventFilter())
        assert total == 1
        assert [e.trigger_text for e in rows] == ["shelled"]
        total, rows = list_events(session, EventFilter(include_actorless=True))
        assert total == 2
        assert {e.trigger_text for e in rows} == {"shelled", "blast"}


def test_top_happenings_hide_the_event_without_actors(store):
    with store.session() as session:
        shown = top_happenings(session)
        every = top_happenings(session, include_actorless=True)
        assert len(every) == len(shown) + 1


def test_api_flag_shows_it(store, db_url):
    from fastapi.testclient import TestClient

    from factionmap.web.app import create_app

    client = TestClient(create_app(db_url), base_url="http://127.0.0.1:8000")
    assert client.get("/api/events").json()["total"] == 1
    assert client.get("/api/events", params={"include_actorless": "true"}).json()["total"] == 2


def test_event_export_leaves_it_out_unless_asked(store):
    from factionmap.analysis.event_export import event_records

    with store.session() as session:
        assert [r["trigger"] for r in event_records(session)] == ["shelled"]
        every = event_records(session, include_actorless=True)
        assert {r["trigger"] for r in every} == {"shelled", "blast"}


def test_latest_events_leave_it_out_unless_asked(store):
    with store.session() as session:
        assert [e.trigger_text for e in latest_events(session)] == ["shelled"]
        every = latest_events(session, include_actorless=True)
        assert {e.trigger_text for e in every} == {"shelled", "blast"}


def test_the_overview_counts_only_the_event_with_actors(store):
    with store.session() as session:
        counts = store_counts(session)
        assert counts["events"] == 1
        assert counts["documents"] == 1

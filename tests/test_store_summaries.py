"""Summary tables stay equal to a full rebuild through ingest, removal and review,
and analyses read the same numbers from them as from the events."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from factionmap import records as rec
from factionmap.analysis.common import event_pairs
from factionmap.analysis.corrections import record_correction
from factionmap.analysis.network import signed_network
from factionmap.analysis.stance import dyad_stance
from factionmap.analysis.summary_reads import pair_event_sums, split_window
from factionmap.store.actors import ActorResolver
from factionmap.store.db import open_store
from factionmap.store.ingest import ingest_extraction, remove_document
from factionmap.store.models import Actor, ActorMonth, ActorPartner, DyadMonth, EventFact
from factionmap.store.summaries import rebuild_summaries, store_revision
from test_store_helpers import Builder

D = dt.date


def _clash(text: str, published: dt.date, when: dt.date | None, gold: float = -10.0):
    """One article: the militia and the ministry both strike two targets (compound actors)."""
    b = Builder(text, published)
    a = b.mention("Saraya Alpha", "new:organisation:saraya alpha", kind="armed_group")
    m = b.mention("the ministry", "new:organisation:the ministry", kind="government_body")
    x = b.mention("Camp Xray", "new:organisation:camp xray", kind="other")
    y = b.mention("Liwa Yankee", "new:organisation:liwa yankee", kind="armed_group")
    b.event("ASSAULT", "struck", (a, m), (x, y), goldstein=gold,
            date=rec.EventDate(when, "day", phrase="that day") if when else None)
    b.event("CONSULT", "talked", (a,), (m,), cameo="040", quad=1, goldstein=1.0)
    return b.build()


ARTICLES = [
    ("Saraya Alpha and the ministry struck Camp Xray and Liwa Yankee. "
     "Saraya Alpha talked with the ministry.", D(2021, 3, 20), D(2021, 3, 2), -10.0),
    ("Saraya Alpha and the ministry struck Camp Xray and Liwa Yankee again. "
     "Saraya Alpha talked with the ministry once more.", D(2021, 4, 16), None, -9.0),
    ("Saraya Alpha and the ministry struck Camp Xray and Liwa Yankee at night. "
     "Saraya Alpha talked with the ministry by phone.", D(2021, 5, 3), D(2021, 4, 28), -8.0),
]


def _tables(session) -> dict[str, set[tuple]]:
    def rows(model, cols):
        return {tuple(round(getattr(r, c), 6) if isinstance(getattr(r, c), float)
                      else getattr(r, c) for c in cols) for r in session.scalars(select(model))}

    return {
        "dyad": rows(DyadMonth, ("source_actor_id", "target_actor_id", "month", "n_events",
                                 "goldstein_sum", "goldstein_sumsq", "quad1", "quad4")),
        "actor": rows(ActorMonth, ("actor_id", "month", "n_events")),
        "partner": rows(ActorPartner, ("actor_id", "partner_id", "n_events", "goldstein_sum")),
    }


def _assert_incremental_equals_rebuild(store) -> dict[str, set[tuple]]:
    with store.session() as session:
        incremental = _tables(session)
        rebuild_summaries(session)
        assert _tables(session) == incremental
        session.rollback()
    return incremental


@pytest.fixture()
def store(db_url):
    s = open_store(db_url)
    resolver = ActorResolver()
    for text, published, when, gold in ARTICLES:
        with s.session() as session:
            ingest_extraction(session, _clash(text, published, when, gold), resolver)
    yield s
    s.close()


def _ids(session) -> dict[str, int]:
    return {a.name: a.id for a in session.scalars(select(Actor))}


def test_summaries_follow_ingest_removal_and_review(store):
    tables = _assert_incremental_equals_rebuild(store)
    with store.session() as session:
        ids = _ids(session)
        alpha, xray = ids["Saraya Alpha"], ids["Camp Xray"]
    # compound actors: Saraya Alpha struck both targets in each of the three articles
    assert {(r[2], r[3]) for r in tables["dyad"] if r[:2] == (alpha, xray)} == {
        (202103, 1), (202104, 2)}
    assert (alpha, xray, 3, -27.0) in tables["partner"]

    with store.session() as session:
        before = store_revision(session)
        doc = session.scalars(select(EventFact.document_id).order_by(EventFact.id)).first()
        remove_document(session, doc)
    after_removal = _assert_incremental_equals_rebuild(store)
    assert after_removal != tables

    with store.session() as session:
        assert store_revision(session) > before
        event = session.scalars(select(EventFact).where(EventFact.type == "ASSAULT")).first()
        record_correction(session, "reject", {"fact": "event", "id": event.id}, "t", None)
    rejected = _assert_incremental_equals_rebuild(store)
    with store.session() as session:
        record_correction(session, "confirm", {"fact": "event", "id": event.id}, "t", None)
    assert _assert_incremental_equals_rebuild(store) == after_removal != rejected


@pytest.mark.parametrize("start,end", [
    (None, None), (D(2021, 3, 5), None), (None, D(2021, 4, 20)), (D(2021, 3, 1), D(2021, 4, 30)),
    (D(2021, 3, 2), D(2021, 3, 2)), (D(2021, 3, 3), D(2021, 5, 2)), (D(2021, 4, 1), D(2021, 5, 31)),
])
def test_windows_read_from_summaries_equal_a_scan_of_the_events(store, start, end):
    with store.session() as session:
        pairs = event_pairs(start=start, end=end)
        scanned: dict[tuple[int, int], tuple[int, float]] = {}
        for src, tgt, g in session.execute(
            select(pairs.c.source_id, pairs.c.target_id, pairs.c.goldstein)
        ).all():
            n, total = scanned.get((src, tgt), (0, 0.0))
            scanned[(src, tgt)] = (n + 1, total + g)
        summed = {k: (v.n, v.total) for k, v in pair_event_sums(session, start, end).items()}
        assert summed == scanned
        ids = _ids(session)
        stance = dyad_stance(session, ids["Saraya Alpha"], ids["Liwa Yankee"], start=start, end=end)
        assert sum(p.n_events for p in stance) == scanned.get(
            (ids["Saraya Alpha"], ids["Liwa Yankee"]), (0, 0.0))[0]


def test_split_window_covers_each_day_once():
    parts = split_window(D(2021, 1, 15), D(2021, 4, 10))
    assert (parts.first_month, parts.last_month) == (202102, 202103)
    assert parts.edges == ((D(2021, 1, 15), D(2021, 1, 31)), (D(2021, 4, 1), D(2021, 4, 10)))
    inside = split_window(D(2021, 2, 3), D(2021, 2, 20))
    assert not inside.has_months and inside.edges == ((D(2021, 2, 3), D(2021, 2, 20)),)
    whole = split_window(D(2020, 12, 1), D(2021, 1, 31))
    assert (whole.first_month, whole.last_month, whole.edges) == (202012, 202101, ())
    assert split_window(None, None).include_undated


def test_network_cache_is_invalidated_by_a_correction(store):
    with store.session() as session:
        first = signed_network(session)
        assert signed_network(session) is first  # same revision, same window: cached
        event = session.scalars(select(EventFact).where(EventFact.type == "CONSULT")).first()
    with store.session() as session:
        record_correction(session, "reject", {"fact": "event", "id": event.id}, "t", None)
    with store.session() as session:
        again = signed_network(session)
        assert again is not first
        assert sum(e.n_events for e in again.edges) == sum(e.n_events for e in first.edges) - 1

"""Negated events did not happen: they stay out of summaries, stance, network and blocs.
Hedged events count at half their Goldstein score. Incremental upkeep equals a rebuild."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from factionmap import records as rec
from factionmap.analysis.corrections import record_correction
from factionmap.analysis.network import signed_network
from factionmap.analysis.queries import EventFilter, actor_event_total, list_events
from factionmap.analysis.stance import dyad_stance
from factionmap.analysis.summary_reads import pair_event_sums
from factionmap.store.actors import ActorResolver
from factionmap.store.db import open_store
from factionmap.store.ingest import ingest_extraction, remove_document
from factionmap.store.models import Actor, ActorMonth, ActorPartner, DyadDay, DyadMonth, EventFact
from factionmap.store.summaries import HEDGED_WEIGHT, rebuild_summaries
from test_store_helpers import Builder

DAY = dt.date(2023, 2, 14)
# Two brigades that meet and trade aid, a denied raid between them, and a hedged threat
# (own wording, no real events).
TEXT = ("Liwa Oscar met Saraya Papa in the capital. "
        "Liwa Oscar sent food to Saraya Papa. "
        "Liwa Oscar denied raiding Saraya Papa. "
        "Liwa Oscar may threaten Saraya Papa.")


def _article() -> rec.ArticleExtraction:
    b = Builder(TEXT, DAY)
    o = b.mention("Liwa Oscar", "new:organisation:liwa oscar", kind="armed_group")
    p = b.mention("Saraya Papa", "new:organisation:saraya papa", kind="armed_group")
    o2 = b.mention("Liwa Oscar", "new:organisation:liwa oscar", kind="armed_group", nth=1)
    p2 = b.mention("Saraya Papa", "new:organisation:saraya papa", kind="armed_group", nth=1)
    o3 = b.mention("Liwa Oscar", "new:organisation:liwa oscar", kind="armed_group", nth=2)
    p3 = b.mention("Saraya Papa", "new:organisation:saraya papa", kind="armed_group", nth=2)
    o4 = b.mention("Liwa Oscar", "new:organisation:liwa oscar", kind="armed_group", nth=3)
    p4 = b.mention("Saraya Papa", "new:organisation:saraya papa", kind="armed_group", nth=3)
    b.event("CONSULT", "met", (o,), (p,), cameo="040", quad=1, goldstein=1.0)
    b.event("AID", "sent", (o2,), (p2,), cameo="070", quad=2, goldstein=7.0)
    b.event("ASSAULT", "raiding", (o3,), (p3,), cameo="190", quad=4, goldstein=-10.0,
            modality="negated")
    b.event("THREATEN", "threaten", (o4,), (p4,), cameo="138", quad=3, goldstein=-7.0,
            modality="hedged")
    return b.build()


@pytest.fixture()
def store(db_url):
    s = open_store(db_url)
    with s.session() as session:
        ingest_extraction(session, _article(), ActorResolver())
    yield s
    s.close()


def _ids(session) -> tuple[int, int]:
    names = {a.name: a.id for a in session.scalars(select(Actor))}
    return names["Liwa Oscar"], names["Saraya Papa"]


def _summaries(session) -> dict[str, set[tuple]]:
    def rows(model):
        cols = [c.name for c in model.__table__.columns]
        return {tuple(round(v, 6) if isinstance(v, float) else v
                      for v in (getattr(r, c) for c in cols))
                for r in session.scalars(select(model))}

    return {m.__tablename__: rows(m) for m in (DyadMonth, DyadDay, ActorMonth, ActorPartner)}


def _incremental_equals_rebuild(store) -> dict[str, set[tuple]]:
    with store.session() as session:
        incremental = _summaries(session)
        rebuild_summaries(session)
        assert _summaries(session) == incremental
        session.rollback()
    return incremental


# what the three counted events add up to: the consult, the aid, half the hedged threat
EXPECTED_TOTAL = 1.0 + 7.0 + HEDGED_WEIGHT * -7.0


def test_summaries_leave_negated_out_and_weigh_hedged(store):
    tables = _incremental_equals_rebuild(store)
    with store.session() as session:
        o, p = _ids(session)
        month = session.scalars(select(DyadMonth).where(DyadMonth.source_actor_id == o)).one()
        assert month.n_events == 3
        assert month.goldstein_sum == pytest.approx(EXPECTED_TOTAL)
        assert (month.quad1, month.quad2, month.quad3, month.quad4) == (1, 1, 1, 0)
        assert session.get(ActorMonth, (o, 202302)).n_events == 3
        assert actor_event_total(session, o) == 3
        # the listing still shows the denial, and its total agrees with its rows
        total, rows = list_events(session, EventFilter(actor_id=o))
        assert total == len(rows) == 4
    assert tables["actor_partners"] == {(o, p, 3, EXPECTED_TOTAL), (p, o, 3, EXPECTED_TOTAL)}


def test_reviewing_a_negated_event_leaves_summaries_alone(store):
    before = _incremental_equals_rebuild(store)
    with store.session() as session:
        denied = session.scalars(select(EventFact).where(EventFact.modality == "negated")).one()
        record_correction(session, "reject", {"fact": "event", "id": denied.id}, "t", None)
    assert _incremental_equals_rebuild(store) == before
    with store.session() as session:
        record_correction(session, "confirm", {"fact": "event", "id": denied.id}, "t", None)
    assert _incremental_equals_rebuild(store) == before


def test_rejecting_a_hedged_event_takes_out_its_half_weight(store):
    with store.session() as session:
        hedged = session.scalars(select(EventFact).where(EventFact.modality == "hedged")).one()
        record_correction(session, "reject", {"fact": "event", "id": hedged.id}, "t", None)
    _incremental_equals_rebuild(store)
    with store.session() as session:
        o, p = _ids(session)
        sums = pair_event_sums(session, None, None)[(o, p)]
        assert (sums.n, sums.total) == (2, pytest.approx(8.0))


def test_removing_the_document_empties_the_summaries(store):
    with store.session() as session:
        doc = session.scalars(select(EventFact.document_id)).first()
        remove_document(session, doc)
    assert all(not rows for rows in _incremental_equals_rebuild(store).values())


def test_stance_and_network_do_not_count_the_denied_raid(store):
    with store.session() as session:
        o, p = _ids(session)
        points = dyad_stance(session, o, p)
        assert [pt.n_events for pt in points] == [3]
        assert points[0].total == pytest.approx(EXPECTED_TOTAL)
        for window in ((None, None), (DAY, DAY), (dt.date(2023, 2, 1), dt.date(2023, 2, 28))):
            net = signed_network(session, start=window[0], end=window[1])
            (edge,) = net.edges
            assert (edge.n_events, edge.sign) == (3, 1)
            # cooperation that happened puts them in one camp despite the denied raid
            assert net.blocs.camp_of(o) == net.blocs.camp_of(p)

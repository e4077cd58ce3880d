"""One event per happening: the pure decision, and linking reports in the store."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import select

from factionmap import records as rec
from factionmap.resolve.happenings import HappeningKey, same_happening
from factionmap.store.actors import ActorResolver
from factionmap.store.db import open_store
from factionmap.store.ingest import ingest_extraction
from factionmap.store.models import EventFact, Happening
from test_store_helpers import Builder, strike_report

D = dt.date(2020, 1, 3)
BASE = HappeningKey("ASSAULT", "195", 4, frozenset({1}), frozenset({2}), D, "day", None, "IRQ")


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        (BASE, True),
        (replace(BASE, date=D + dt.timedelta(days=1)), True),
        (replace(BASE, date=D + dt.timedelta(days=2)), False),
        (replace(BASE, date=D.replace(day=1), precision="month"), True),
        (replace(BASE, date=dt.date(2020, 2, 1), precision="month"), False),
        (replace(BASE, date=D + dt.timedelta(days=6), precision="reported"), True),
        (replace(BASE, date=D + dt.timedelta(days=9), precision="reported"), False),
        (replace(BASE, date=None), False),
        (replace(BASE, type="COERCE", cameo="175"), False),
        (replace(BASE, cameo="190"), True),
        (replace(BASE, type="COERCE", cameo="193"), True),
        (replace(BASE, type="THREATEN", cameo="195", quad_class=3), False),
        (replace(BASE, sources=frozenset({1, 7})), True),
        (replace(BASE, sources=frozenset({3})), False),
        (replace(BASE, sources=frozenset({2}), targets=frozenset({1})), False),
        (replace(BASE, country=None), True),
        (replace(BASE, country="SYR"), False),
    ],
)
def test_same_happening_cases(other, expected):
    assert same_happening(BASE, other) is expected
    assert same_happening(other, BASE) is expected


def test_symmetric_types_match_either_order():
    meet = replace(BASE, type="CONSULT", cameo="040", quad_class=1)
    swapped = replace(meet, sources=meet.targets, targets=meet.sources)
    assert same_happening(meet, swapped)


def test_compatible_types_share_quad_and_cameo_root():
    a = replace(BASE, type="ASSAULT", cameo="190")
    b = replace(BASE, type="COERCE", cameo="19")
    assert same_happening(a, b)


@pytest.fixture()
def store(db_url):
    s = open_store(db_url)
    yield s
    s.close()


def _ingest_all(store, extractions):
    resolver = ActorResolver()
    for extraction in extractions:
        with store.session() as session:
            assert ingest_extraction(session, extraction, resolver) == "ingested"


def test_two_reports_of_one_strike_make_one_happening(store):
    day = rec.EventDate(dt.date(2019, 12, 29), "day", "on Sunday")
    _ingest_all(
        store,
        [
            strike_report(
                "The United States struck Kataib Hezbollah depots on Sunday.",
                dt.date(2019, 12, 30),
                day,
                rec.Place("Al-Qa'im", "IRQ"),
            ),
            strike_report(
                "On Sunday, Kataib Hezbollah positions were bombed by the United States.",
                dt.date(2019, 12, 31),
                rec.EventDate(dt.date(2019, 12, 29), "day"),
                None,
            ),
        ],
    )
    with store.session() as session:
        happenings = session.scalars(select(Happening)).all()
        assert len(happenings) == 1
        assert happenings[0].report_count == 2
        assert happenings[0].location_name == "Al-Qa'im"
        events = session.scalars(select(EventFact)).all()
        assert {e.happening_id for e in events} == {happenings[0].id}


def test_strikes_on_different_dates_are_two_happenings(store):
    _ingest_all(
        store,
        [
            strike_report(
                "The United States struck Kataib Hezbollah depots.",
                dt.date(2019, 12, 30),
                rec.EventDate(dt.date(2019, 12, 29), "day"),
            ),
            strike_report(
                "The United States hit Kataib Hezbollah again.",
                dt.date(2020, 3, 13),
                rec.EventDate(dt.date(2020, 3, 12), "day"),
            ),
        ],
    )
    with store.session() as session:
        counts = session.scalars(select(Happening.report_count)).all()
        assert sorted(counts) == [1, 1]


def test_two_reports_in_one_article_count_twice(store):
    """An article that reports a stored strike twice, then a new one, adds two reports to
    the stored happening (both before any flush) and makes one new happening."""
    day = rec.EventDate(dt.date(2019, 12, 29), "day")
    text = ("The United States struck Kataib Hezbollah. It bombed Kataib Hezbollah again. "
            "The United States also hit Saraya Alpha.")
    b = Builder(text, dt.date(2019, 12, 31))
    us = b.mention("United States", "kb:usa", "Location", kind="state")
    kh = b.mention("Kataib Hezbollah", "new:organisation:kataib hezbollah", kind="armed_group")
    kh2 = b.mention("Kataib Hezbollah", "new:organisation:kataib hezbollah", kind="armed_group",
                    nth=1)
    alpha = b.mention("Saraya Alpha", "new:organisation:saraya alpha", kind="armed_group")
    b.event("ASSAULT", "struck", (us,), (kh,), cameo="195", date=day)
    b.event("ASSAULT", "bombed", (us,), (kh2,), cameo="195", date=day)
    b.event("ASSAULT", "hit", (us,), (alpha,), cameo="195", date=day)
    _ingest_all(store, [strike_report("The United States struck Kataib Hezbollah.",
                                      dt.date(2019, 12, 30), day), b.build()])
    with store.session() as session:
        counts = session.scalars(select(Happening.report_count).order_by(Happening.id)).all()
        assert counts == [3, 1]


def test_reported_dates_within_a_week_merge(store):
    _ingest_all(
        store,
        [
            strike_report("The United States struck Kataib Hezbollah.", dt.date(2020, 1, 2), None),
            strike_report("The United States bombed Kataib Hezbollah.", dt.date(2020, 1, 4), None),
        ],
    )
    with store.session() as session:
        assert session.scalars(select(Happening.report_count)).all() == [2]


def test_negated_report_makes_no_happening(store):
    denial = strike_report(
        "The United States denied it struck Kataib Hezbollah.", dt.date(2020, 1, 2), None
    )
    denial.events[0] = replace(denial.events[0], modality="negated")
    _ingest_all(store, [denial])
    with store.session() as session:
        assert session.scalars(select(Happening)).all() == []
        assert session.scalars(select(EventFact.happening_id)).all() == [None]


def test_reports_naming_no_actor_are_never_one_happening():
    anonymous = replace(BASE, sources=frozenset(), targets=frozenset())
    assert not same_happening(anonymous, anonymous)
    assert not same_happening(anonymous, BASE)

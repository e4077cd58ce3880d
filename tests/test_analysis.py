"""Analysis: stance, blocs, shifts, briefs, corrections on hand-made stores and graphs."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from factionmap.analysis import (
    CorrectionError,
    SignedEdge,
    actor_brief,
    detect_shifts,
    dyad_brief,
    dyad_stance,
    partition_signed,
    record_correction,
    replay_corrections,
    signed_network,
)
from factionmap.analysis.stance import StancePoint, point_from_sums
from factionmap.store.models import Actor, Base, Correction, Document, EventFact, RelationFact
from factionmap.web.sample import build_sample_store

US, KH, AAH, NUJ, BADR, PMF, GOV = range(1, 8)


def seed_shaped_graph() -> list[SignedEdge]:
    """The shape the two seed articles describe: three factions hostile to the US,
    allied with each other; Badr talking to the US and criticising KH."""
    return [
        SignedEdge(KH, US, -2.0),
        SignedEdge(NUJ, US, -1.4),
        SignedEdge(AAH, US, -0.8),
        SignedEdge(AAH, KH, 1.0),
        SignedEdge(NUJ, KH, 1.0),
        SignedEdge(AAH, NUJ, 0.5),
        SignedEdge(BADR, US, 0.3),
        SignedEdge(BADR, KH, -0.4),
        SignedEdge(BADR, GOV, 0.8),
        SignedEdge(GOV, US, 0.4),
        SignedEdge(KH, PMF, 0.6),
        SignedEdge(BADR, PMF, 0.1),
    ]


def test_blocs_put_badr_apart_from_the_anti_us_factions():
    blocs = partition_signed(seed_shaped_graph())
    camp = blocs.camp_of
    assert camp(KH) == camp(AAH) == camp(NUJ)
    assert camp(BADR) != camp(KH)
    assert camp(US) != camp(KH)
    for m in blocs.members.values():
        assert 0.0 <= m.strength <= 1.0
    # KH is held in its camp by its allies: those ties are reported
    assert {other for other, _ in blocs.members[KH].ties} >= {AAH, NUJ}


def test_blocs_stable_when_the_weakest_tie_is_removed():
    edges = seed_shaped_graph()
    base = partition_signed(edges).camps()
    weakest = min(edges, key=lambda e: abs(e.weight))
    without = partition_signed([e for e in edges if e is not weakest]).camps()
    assert without == base


def test_blocs_of_a_balanced_graph_have_no_frustration():
    edges = [SignedEdge(1, 2, 1), SignedEdge(3, 4, 1), SignedEdge(1, 3, -1), SignedEdge(2, 4, -1)]
    blocs = partition_signed(edges)
    assert blocs.frustration == 0
    assert blocs.camps() in ({1: [1, 2], 2: [3, 4]}, {1: [3, 4], 2: [1, 2]})


def test_stance_shrinks_thin_evidence_toward_zero():
    one = point_from_sums("2024-01", _sums(1, -10.0, 100.0))
    many = point_from_sums("2024-01", _sums(30, -300.0, 3000.0))
    assert -10.0 < one.score < 0.0  # pulled toward 0
    assert many.score < one.score  # more evidence, closer to the raw mean
    assert (one.high - one.low) > 2 * (many.high - many.low)
    assert one.low <= one.score <= one.high


def _sums(n, total, sumsq):
    from factionmap.analysis.stance import _MonthSums

    return _MonthSums(n_events=n, total=total, sumsq=sumsq)


@pytest.fixture()
def store(db_url):
    engine = create_engine(db_url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        ids = build_sample_store(session)
        session.commit()
        yield session, ids.actors
    engine.dispose()


def test_stance_from_store_counts_events_and_relations(store):
    session, a = store
    points = dyad_stance(session, a["Kataib Hezbollah"], a["United States"])
    assert [p.month for p in points] == ["2023-11"]
    assert points[0].n_events == 1 and points[0].score < 0
    # AAH -> US has only an "opposes" relation: one observation of -5
    rel = dyad_stance(session, a["Asaib Ahl al-Haq"], a["United States"])
    assert rel and rel[0].n_relations == 1 and rel[0].raw_mean == -5.0


def test_rejected_facts_leave_every_analysis(store):
    session, a = store
    event = session.scalars(
        select(EventFact).where(
            EventFact.source_actor_id == a["Kataib Hezbollah"],
            EventFact.target_actor_id == a["United States"],
        )
    ).one()
    record_correction(session, "reject", {"fact": "event", "id": event.id}, "tester", "wrong")
    assert dyad_stance(session, a["Kataib Hezbollah"], a["United States"]) == []


def test_network_camps_from_store(store):
    session, a = store
    net = signed_network(session)
    camp = net.blocs.camp_of
    assert (
        camp(a["Kataib Hezbollah"]) == camp(a["Asaib Ahl al-Haq"]) == camp(a["Harakat al-Nujaba"])
    )
    assert camp(a["Badr Organization"]) != camp(a["Kataib Hezbollah"])
    early = signed_network(session, end=__import__("datetime").date(2023, 11, 30))
    assert len(early.nodes) < len(net.nodes)


def _points(means: list[float], n: int = 4) -> list[StancePoint]:
    out = []
    for i, m in enumerate(means):
        out.append(
            StancePoint(
                month=f"2023-{i + 1:02d}",
                score=m,
                low=m,
                high=m,
                raw_mean=m,
                n_events=n,
                n_relations=0,
                total=m * n,
                sumsq=(m * m + 1.0) * n,
            )
        )
    return out


def test_shift_found_on_escalation_and_not_on_noise():
    shifts = detect_shifts(_points([3, 3, 2, 3, -6, -7, -6]))
    assert len(shifts) == 1
    assert shifts[0].kind == "escalation" and shifts[0].month == "2023-05"
    assert detect_shifts(_points([1, -1, 1, 0, 1, -1])) == []
    # minimum evidence: a single report each side is not enough
    assert detect_shifts(_points([5, -5], n=1)) == []


def test_briefs_quote_their_evidence_exactly(store):
    session, a = store
    for brief in (
        actor_brief(session, a["Badr Organization"]),
        dyad_brief(session, a["Kataib Hezbollah"], a["United States"]),
    ):
        lines = [line for section in brief.sections.values() for line in section]
        assert lines
        for line in lines:
            for ev in line.evidence:
                doc = session.get(Document, ev.document_id)
                assert doc is not None and doc.text[ev.start : ev.end] == ev.text
    roles = actor_brief(session, a["Hadi al-Amiri"]).sections["roles and affiliations"]
    assert any("Badr Organization" in line.label and "2003" in line.label for line in roles)


def test_merge_is_reflected_and_survives_reingestion(db_url, db_factory):
    engine = create_engine(db_url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        a = build_sample_store(session).actors
        record_correction(
            session,
            "merge",
            {"absorbed": {"id": a["Harakat al-Nujaba"]}, "survivor": {"id": a["Kataib Hezbollah"]}},
            "analyst",
            "same group",
        )
        record_correction(
            session,
            "alias",
            {"actor": {"id": a["Badr Organization"]}, "name": "Faylaq Badr"},
            "analyst",
            "older name",
        )
        session.commit()
        merged = dyad_stance(session, a["Kataib Hezbollah"], a["United States"])
        assert sum(p.n_events for p in merged) == 2  # KH's own and Nujaba's threat
        trail = [(c.action, c.payload) for c in session.scalars(select(Correction))]
    # re-ingestion: the rows are rebuilt from scratch (new ids); the trail is kept
    engine.dispose()
    engine2 = create_engine(db_factory())
    Base.metadata.create_all(engine2)
    with Session(engine2) as session:
        session.add(Actor(name="Padding actor", kind="other"))  # shift every id by one
        session.flush()
        b = build_sample_store(session).actors
        assert b["Kataib Hezbollah"] != a["Kataib Hezbollah"]
        for action, payload in trail:
            session.add(Correction(action=action, payload=payload, who="analyst"))
        report = replay_corrections(session)
        assert report.applied == 2 and not report.failed
        nujaba = session.get(Actor, b["Harakat al-Nujaba"])
        assert nujaba is not None and nujaba.merged_into_id == b["Kataib Hezbollah"]
        badr = session.get(Actor, b["Badr Organization"])
        assert "Faylaq Badr" in {x.name for x in badr.aliases}


def test_bad_corrections_are_refused_and_leave_no_trace(store):
    session, a = store
    with pytest.raises(CorrectionError, match="actor not found"):
        record_correction(
            session, "merge", {"absorbed": {"id": 999}, "survivor": {"id": 1}}, "x", None
        )
    with pytest.raises(CorrectionError, match="lacks"):
        record_correction(session, "alias", {"name": "x"}, "x", None)
    with pytest.raises(CorrectionError, match="not found"):
        record_correction(session, "confirm", {"fact": "relation", "id": 12345}, "x", None)
    assert session.scalars(select(Correction)).first() is None
    assert (
        session.scalars(select(RelationFact).where(RelationFact.review.is_not(None))).first()
        is None
    )


def test_split_undoes_a_merge(store):
    session, a = store
    ref = {"id": a["Qais Khazali"]}
    record_correction(
        session, "merge", {"absorbed": ref, "survivor": {"id": a["Asaib Ahl al-Haq"]}}, "x", None
    )
    record_correction(session, "split", {"actor": ref}, "x", "different entities")
    assert session.get(Actor, a["Qais Khazali"]).merged_into_id is None

"""Signed network: person roll-up, weak umbrella membership, node choice, busy-actor reads."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from factionmap.analysis.network import MEMBERSHIP_WEIGHT, ROLLUP_WEIGHT, signed_network
from factionmap.analysis.queries import recent_events
from factionmap.store.models import Actor, Base, Document, EventActor, EventFact, RelationFact
from factionmap.store.summaries import rebuild_summaries

DAY = dt.date(2022, 6, 1)
SENTENCE = "A made-up sentence that stands in for the evidence."


class _Store:
    """A tiny hand-made store: actors by name, relations and events written directly."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.ids: dict[str, int] = {}
        session.add(Document(id="d1", title="t", text=SENTENCE, published=DAY))
        session.flush()

    def actor(self, name: str, kind: str) -> int:
        row = Actor(name=name, kind=kind, discovery_key=f"test:{name}")
        self.session.add(row)
        self.session.flush()
        self.ids[name] = row.id
        return row.id

    def rel(self, rtype: str, subj: str, obj: str) -> None:
        self.session.add(RelationFact(
            document_id="d1", type=rtype, subject_actor_id=self.ids[subj],
            object_actor_id=self.ids[obj], subject_start=0, subject_end=1, subject_text=subj,
            object_start=2, object_end=3, object_text=obj, evidence_start=0,
            evidence_end=len(SENTENCE), sentence_text=SENTENCE, reported_at=DAY))

    def event(self, src: str, tgt: str, goldstein: float, day: dt.date = DAY,
              etype: str = "CONSULT") -> None:
        ev = EventFact(document_id="d1", type=etype, cameo="040", goldstein=goldstein,
                       quad_class=1 if goldstein > 0 else 4, source_actor_id=self.ids[src],
                       target_actor_id=self.ids[tgt], trigger_start=0, trigger_end=1,
                       trigger_text="A", date=day, evidence_start=0, evidence_end=len(SENTENCE),
                       sentence_text=SENTENCE, reported_at=day)
        self.session.add(ev)
        self.session.flush()
        for side, name in (("source", src), ("target", tgt)):
            self.session.add(EventActor(event_id=ev.id, side=side, actor_id=self.ids[name],
                                        start=0, end=1, text=name))


@pytest.fixture()
def session(db_url):
    engine = create_engine(db_url)
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        yield s
    engine.dispose()


def _umbrella_store(session: Session) -> _Store:
    """Two factions in one umbrella; one hostile to a state, the other's leader meeting the
    state's envoy. Names are invented."""
    st = _Store(session)
    for name, kind in (("Northland", "state"), ("Envoy Vale", "person"),
                       ("Iron Brigade", "armed_group"), ("Commander Rusk", "person"),
                       ("Stone Corps", "armed_group"), ("Union Front", "armed_group")):
        st.actor(name, kind)
    st.rel("role", "Envoy Vale", "Northland")
    st.rel("leads", "Commander Rusk", "Iron Brigade")
    st.rel("member_of", "Iron Brigade", "Union Front")
    st.rel("member_of", "Stone Corps", "Union Front")
    st.rel("opposes", "Stone Corps", "Northland")
    st.rel("communicated_with", "Envoy Vale", "Commander Rusk")
    st.event("Envoy Vale", "Commander Rusk", 1.0)
    session.flush()
    rebuild_summaries(session)
    return st


def test_a_persons_meetings_roll_up_to_the_organisations_they_serve(session):
    st = _umbrella_store(session)
    net = signed_network(session)
    camp, ids = net.blocs.camp_of, st.ids
    assert camp(ids["Iron Brigade"]) == camp(ids["Northland"]) == camp(ids["Commander Rusk"])
    assert camp(ids["Stone Corps"]) != camp(ids["Northland"])
    weight = {frozenset((e.a, e.b)): e.weight for e in net.edges}
    assert weight[frozenset((ids["Envoy Vale"], ids["Northland"]))] >= ROLLUP_WEIGHT
    # umbrella membership is structure: a tie-breaker, far below the stance ties
    membership = weight[frozenset((ids["Iron Brigade"], ids["Union Front"]))]
    assert membership == pytest.approx(MEMBERSHIP_WEIGHT)
    meeting = weight[frozenset((ids["Envoy Vale"], ids["Commander Rusk"]))]
    hostility = weight[frozenset((ids["Stone Corps"], ids["Northland"]))]
    assert membership < meeting < abs(hostility) and hostility < 0


def test_without_the_roll_up_ties_the_umbrella_glues_the_factions(session):
    """The counterfactual: the same store minus the person -> organisation ties leaves the
    envoy's meeting unable to reach the state, so nothing separates the two factions."""
    st = _umbrella_store(session)
    net = signed_network(session, relation_types=["member_of", "opposes", "communicated_with"])
    camp, ids = net.blocs.camp_of, st.ids
    assert camp(ids["Iron Brigade"]) == camp(ids["Stone Corps"])


def test_nodes_are_the_actors_with_most_evidence_in_the_window(session):
    st = _Store(session)
    for name in ("A", "B", "C", "D"):
        st.actor(name, "armed_group")
    for _ in range(3):
        st.event("A", "B", -5.0)
    st.event("C", "D", 2.0)
    st.event("A", "C", 2.0, day=dt.date(2022, 6, 20))
    st.event("C", "D", 2.0, day=dt.date(2022, 8, 3))  # outside the window below
    session.flush()
    rebuild_summaries(session)
    net = signed_network(session, start=dt.date(2022, 5, 20), end=dt.date(2022, 7, 10),
                         max_nodes=3)
    ids = st.ids
    assert [n.id for n in net.nodes] == [ids["A"], ids["B"], ids["C"]]
    assert [n.degree for n in net.nodes] == [4, 3, 2]
    (ab,) = [e for e in net.edges if {e.a, e.b} == {ids["A"], ids["B"]}]
    assert ab.n_events == 3 and ab.sign == -1


def test_recent_events_of_a_busy_actor_are_the_latest_by_date(session):
    """A busy actor (over a thousand events) takes the date-index path; it must return
    the same events as sorting all of the actor's events."""
    st = _Store(session)
    for name in ("Hub", "Other", "Quiet"):
        st.actor(name, "armed_group")
    start = dt.date(2021, 1, 1)
    for i in range(1300):
        day = start + dt.timedelta(days=(i * 7) % 500)
        st.event("Hub", "Other" if i % 3 else "Quiet", 1.0, day=day)
        if i % 5 == 0:
            st.event("Other", "Quiet", -2.0, day=day)
    session.flush()
    rebuild_summaries(session)
    got = recent_events(session, st.ids["Hub"], limit=20)
    everything = [e for e in session.query(EventFact).all()
                  if st.ids["Hub"] in (e.source_actor_id, e.target_actor_id)]
    everything.sort(key=lambda e: (e.date, e.id), reverse=True)
    assert [e.id for e in got] == [e.id for e in everything[:20]]

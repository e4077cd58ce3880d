"""Corroboration: independent outlets per tie and happening, report dates, contested ties,
and ``min_outlets`` in the query layer and the API, on a hand-made store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from factionmap.analysis.corrections import record_correction
from factionmap.analysis.corroboration import event_corroboration, relation_corroboration
from factionmap.analysis.queries import EventFilter, list_events, list_relations
from factionmap.store.models import (
    Actor,
    Base,
    Document,
    EventActor,
    EventFact,
    Happening,
    RelationFact,
)
from factionmap.store.outlets import outlet_of
from factionmap.web.app import create_app

S = "A sentence of our own."
JAN = dt.date(2024, 1, 10)


def test_outlet_is_the_host_without_www_else_the_source_name():
    assert outlet_of("https://www.reuters.com/world/x", "Reuters") == "reuters.com"
    assert outlet_of("https://m.bbc.co.uk/news", None) == "bbc.co.uk"
    assert outlet_of(None, "  Al  Jazeera ") == "al jazeera"
    assert outlet_of("not a url", None) is None
    assert outlet_of("http://[::1", "Wire") == "wire"  # malformed address: the name
    assert outlet_of(None, None) is None


@dataclass
class _Built:
    ids: dict[str, int]
    rel: dict[str, int]
    ev: dict[str, int]


def _build(session: Session) -> _Built:
    ids: dict[str, int] = {}
    for name in ("Alpha", "Bravo", "Charlie", "Delta", "Alpha Wing"):
        a = Actor(name=name, kind="armed_group", discovery_key=f"t:{name}")
        session.add(a)
        session.flush()
        ids[name] = a.id
    docs = {  # two addresses of one outlet, three others, one of unknown outlet
        "r1": ("https://www.reuters.com/a", None, JAN),
        "r2": ("https://reuters.com/b", "Reuters", JAN + dt.timedelta(days=5)),
        "ap": ("https://apnews.com/c", None, JAN + dt.timedelta(days=20)),
        "bbc": (None, "BBC", JAN + dt.timedelta(days=30)),
        "late": ("https://late.example/d", None, JAN + dt.timedelta(days=800)),
        "anon": (None, None, JAN),
    }
    for doc_id, (url, source, day) in docs.items():
        session.add(Document(id=doc_id, url=url, source=source, text=S, published=day))
    session.flush()
    rel: dict[str, int] = {}

    def relation(label: str, doc: str, rtype: str, subj: str, obj: str, **kw) -> None:
        r = RelationFact(document_id=doc, type=rtype, subject_actor_id=ids[subj],
                         object_actor_id=ids[obj], subject_start=0, subject_end=1,
                         subject_text=subj, object_start=2, object_end=3, object_text=obj,
                         evidence_start=0, evidence_end=len(S), sentence_text=S,
                         reported_at=docs[doc][2], **kw)
        session.add(r)
        session.flush()
        rel[label] = r.id

    # Alpha allied with Bravo: Reuters twice (one outlet), AP, and the merged Alpha Wing on BBC
    relation("ab1", "r1", "allied_with", "Alpha", "Bravo")
    relation("ab2", "r2", "allied_with", "Alpha", "Bravo")
    relation("ab3", "ap", "allied_with", "Alpha", "Bravo")
    relation("ab4", "bbc", "allied_with", "Alpha Wing", "Bravo")
    # ... and Bravo fighting Alpha, three weeks later: the tie is contested
    relation("ba", "ap", "fighting_against", "Bravo", "Alpha")
    # Charlie allied with Delta, enemies only two years later: not contested
    relation("cd", "r1", "allied_with", "Charlie", "Delta")
    relation("dc", "late", "opposes", "Delta", "Charlie")
    # Charlie supports Bravo; another report denies it
    relation("cb", "r1", "supports", "Charlie", "Bravo")
    relation("cb_no", "bbc", "supports", "Charlie", "Bravo", modality="negated")
    session.flush()
    record_correction(session, "merge", {"absorbed": {"id": ids["Alpha Wing"]},
                                         "survivor": {"id": ids["Alpha"]}}, "t", "same group")

    ev: dict[str, int] = {}
    h1 = Happening(type="ASSAULT", cameo="190", goldstein=-10, quad_class=4, date=JAN,
                   report_count=3)
    h2 = Happening(type="ASSAULT", cameo="190", goldstein=-10, quad_class=4, date=JAN,
                   report_count=1)
    session.add_all([h1, h2])
    session.flush()

    def event(label: str, doc: str, happening: Happening, **kw) -> None:
        e = EventFact(document_id=doc, happening_id=happening.id, type="ASSAULT", cameo="190",
                      goldstein=-10, quad_class=4, source_actor_id=ids["Alpha"],
                      target_actor_id=ids["Delta"], trigger_start=0, trigger_end=1,
                      trigger_text="A", date=JAN, evidence_start=0, evidence_end=len(S),
                      sentence_text=S, reported_at=docs[doc][2], **kw)
        session.add(e)
        session.flush()
        session.add_all([EventActor(event_id=e.id, side="source", actor_id=ids["Alpha"],
                                    start=0, end=1, text="A"),
                         EventActor(event_id=e.id, side="target", actor_id=ids["Delta"],
                                    start=0, end=1, text="D")])
        ev[label] = e.id

    event("h1_r1", "r1", h1)
    event("h1_r2", "r2", h1)
    event("h1_ap", "ap", h1)
    event("h1_anon", "anon", h1)
    event("h2_bbc", "bbc", h2)
    event("h2_rejected", "late", h2)
    session.flush()
    record_correction(session, "reject", {"fact": "event", "id": ev["h2_rejected"]}, "t", "no")
    session.commit()
    return _Built(ids, rel, ev)


@pytest.fixture()
def built(db_url):
    engine = create_engine(db_url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield session, _build(session), engine
    engine.dispose()


def test_a_tie_counts_independent_outlets_merges_applied(built):
    session, b, _ = built
    rels = session.query(RelationFact).all()
    c = relation_corroboration(session, rels)
    ab = c[b.rel["ab1"]]
    assert ab.outlets == 3  # reuters (twice), apnews, bbc via the merged Alpha Wing
    assert ab.first_reported == JAN and ab.last_reported == JAN + dt.timedelta(days=30)
    assert c[b.rel["ab4"]] == ab  # the absorbed actor's report belongs to the same tie
    assert c[b.rel["cd"]].outlets == 1


def test_ally_in_one_report_enemy_in_another_is_contested_only_in_the_same_period(built):
    session, b, _ = built
    c = relation_corroboration(session, session.query(RelationFact).all())
    assert c[b.rel["ab1"]].contested and c[b.rel["ba"]].contested
    assert not c[b.rel["cd"]].contested and not c[b.rel["dc"]].contested
    assert c[b.rel["cb"]].contested  # a report denies it
    assert c[b.rel["cb_no"]].outlets == 1  # the denial belongs to the tie one outlet asserts


def test_a_happening_counts_the_outlets_of_its_reports(built):
    session, b, _ = built
    events = session.query(EventFact).all()
    c = event_corroboration(session, events)
    assert c[b.ev["h1_r1"]].outlets == 3  # reuters, apnews, and the unknown outlet as one
    assert c[b.ev["h1_r1"]].last_reported == JAN + dt.timedelta(days=20)
    assert c[b.ev["h2_bbc"]].outlets == 1  # the rejected report corroborates nothing


def test_min_outlets_limits_listings(built):
    session, b, _ = built
    total, rows = list_relations(session, min_outlets=3)
    assert total == 4 and {r.id for r in rows} == {b.rel[k] for k in ("ab1", "ab2", "ab3", "ab4")}
    assert list_relations(session, min_outlets=4)[0] == 0
    assert list_relations(session, min_outlets=1)[0] == 9
    total, rows = list_events(session, EventFilter(min_outlets=2))
    assert total == 4 and {e.happening_id for e in rows} == {rows[0].happening_id}
    assert list_events(session, EventFilter(min_outlets=3))[0] == 4
    assert list_events(session, EventFilter(min_outlets=4))[0] == 0


def test_api_carries_corroboration_and_filters_by_outlets(built):
    _, b, engine = built
    client = TestClient(create_app(engine=engine, token=""), base_url="http://127.0.0.1:8000")
    page = client.get("/api/relations", params={"min_outlets": 2}).json()
    assert page["total"] == 4
    item = page["items"][0]
    assert item["outlets"] == 3 and item["contested"] is True
    assert item["first_reported"] == JAN.isoformat()
    events = client.get("/api/events", params={"min_outlets": 2}).json()
    assert events["total"] == 4 and all(e["outlets"] == 3 for e in events["items"])
    for bad in (0, -1, 10**6, "x"):
        answer = client.get("/api/events", params={"min_outlets": bad})
        assert answer.status_code == 422 and "min_outlets" in answer.text

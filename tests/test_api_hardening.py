"""Hostile and careless requests: none answers 500, every answer carries the security
headers, the Host header is checked, LIKE wildcards are literal, writes are bounded, and a
request over its work budget is stopped."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from factionmap.api.app import CSP
from factionmap.api.budget import WorkBudgetExceeded, watch, work_budget
from factionmap.store.db import make_engine
from factionmap.store.models import Actor, Base, EventActor, EventFact
from factionmap.store.summaries import rebuild_summaries
from factionmap.web.app import create_app
from factionmap.web.sample import build_sample_store

TOKEN = "hardening-token"
BASE = "http://127.0.0.1:8000"


def _engine():
    engine = create_engine(
        "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
    )
    Base.metadata.create_all(engine)
    return engine


@pytest.fixture(scope="module")
def store(module_db_url):
    """The sample store, once per backend (SQLite and the throwaway PostgreSQL server)."""
    engine = make_engine(module_db_url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        ids = build_sample_store(session)
        session.commit()
    yield engine, ids.actors
    engine.dispose()


@pytest.fixture()
def client(store):
    engine, actors = store
    app = create_app(engine=engine, token=TOKEN)
    return TestClient(app, base_url=BASE, raise_server_exceptions=False), actors


def _hardened(response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:300])
    assert response.headers.get("content-security-policy") == CSP
    assert response.headers.get("x-content-type-options") == "nosniff"
    assert "Traceback" not in response.text


# Requests that answered a plain 500 (without the security headers) before.
FORMER_500S = [
    "/api/events?offset=9223372036854775808",
    "/api/actors/99999999999999999999",
    "/dyads/9223372036854775808/1",
    "/api/documents?q=" + "x" * 60_000,  # "LIKE pattern too complex"
    "/actors/{kh}?toward=%C2%B2",  # "²" passes str.isdigit() but not int()
    "/api/actors/-1",
    "/api/events?start=0001-01-01&end=9999-12-31",
    "/api/dyads/{kh}/{us}/timeline?start=9999-12-31",
    "/api/network?max_nodes=9223372036854775808",
    "/documents/" + "d" * 5000,
    # NUL in text parameters: PostgreSQL refuses it even as a bound parameter
    "/api/network?event_type=%00",
    "/api/documents?q=a%00b",
    "/api/events?place=%00",
    "/api/documents/ab%00cd",
    "/search?q=%00",
]


@pytest.mark.parametrize("url", FORMER_500S)
def test_former_500s_are_4xx_with_headers(client, url):
    c, a = client
    response = c.get(url.format(kh=a["Kataib Hezbollah"], us=a["United States"]))
    _hardened(response)
    assert response.status_code in (404, 422), response.text[:300]


def test_the_corrections_form_with_a_unicode_digit_is_a_422_page(client):
    c, a = client
    response = c.post("/corrections", data={"token": TOKEN, "action": "merge",
                                             "absorbed": "\u00b2", "survivor": "1"})
    _hardened(response)
    assert response.status_code == 422 and "absorbed" in response.text
    assert response.headers["content-type"].startswith("text/html")


def test_dyad_page_and_brief_with_an_undated_event(store):
    # An event with neither date nor report date among dated ones: the brief sorted a date
    # against an int and answered 500.
    engine, a = store
    kh, us = a["Kataib Hezbollah"], a["United States"]
    with Session(engine) as session:
        dated = session.scalars(select(EventFact).where(EventFact.source_actor_id == kh)).first()
        undated = EventFact(
            document_id=dated.document_id, type="THREATEN", cameo="138", goldstein=-7.0,
            quad_class=3, source_actor_id=kh, target_actor_id=us, trigger_start=0,
            trigger_end=1, trigger_text="x", date=None, reported_at=None,
            evidence_start=dated.evidence_start, evidence_end=dated.evidence_end,
            sentence_text=dated.sentence_text, confidence=0.5,
        )
        session.add(undated)
        session.flush()
        session.add_all([EventActor(event_id=undated.id, side=s, actor_id=x, start=0, end=1,
                                    text="x") for s, x in (("source", kh), ("target", us))])
        rebuild_summaries(session)
        session.commit()
        undated_id = undated.id
    try:
        c = TestClient(create_app(engine=engine, token=TOKEN), base_url=BASE)
        brief = c.get(f"/api/dyads/{kh}/{us}/brief")
        assert brief.status_code == 200
        recent = next(s for s in brief.json()["sections"] if s["name"] == "recent events")
        assert recent["lines"][-1]["label"].startswith("None:")  # the undated one, last
        assert c.get(f"/dyads/{kh}/{us}").status_code == 200
    finally:
        with Session(engine) as session:
            session.delete(session.get(EventFact, undated_id))
            rebuild_summaries(session)
            session.commit()


# --- Host allow-list -------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost", "localhost:8000", "[::1]:8000"])
def test_loopback_hosts_are_served(client, host):
    c, _ = client
    assert c.get("/api/actors", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.2", ""])
def test_other_hosts_are_refused_with_headers(client, host):
    c, _ = client
    response = c.get("/api/actors", headers={"host": host})
    assert response.status_code == 400
    assert response.headers.get("content-security-policy") == CSP


def test_the_configured_host_and_extra_names_are_served(store):
    engine, _ = store
    app = create_app(engine=engine, token=TOKEN, host="192.0.2.7",
                     extra_hosts=["factionmap.lan"])
    c = TestClient(app, base_url="http://192.0.2.7:8000")
    assert c.get("/api/actors").status_code == 200
    assert c.get("/api/actors", headers={"host": "factionmap.lan"}).status_code == 200
    assert c.get("/api/actors", headers={"host": "evil.example"}).status_code == 400


# --- LIKE wildcards ----------------------------------------------------------------------------


@pytest.mark.parametrize("wildcard", ["%", "_", "%%", "K_taib"])
def test_like_wildcards_match_only_themselves(client, wildcard):
    c, _ = client
    for path in ("/api/actors", "/api/documents"):
        page = c.get(path, params={"q": wildcard}).json()
        assert page["total"] == 0, (path, wildcard, page["total"])
    assert c.get("/api/events", params={"place": "%"}).json()["total"] == 0
    assert c.get("/api/actors", params={"q": "Kataib"}).json()["total"] == 1  # still a search


def test_a_name_with_a_percent_sign_is_found_by_it(store):
    engine, _ = store
    with Session(engine) as session:
        session.add(Actor(name="Brigade 100% Test", kind="armed_group"))
        session.commit()
    c = TestClient(create_app(engine=engine, token=TOKEN), base_url=BASE)
    try:
        items = c.get("/api/actors", params={"q": "100%"}).json()["items"]
        assert [x["name"] for x in items] == ["Brigade 100% Test"]
    finally:
        with Session(engine) as session:
            session.execute(text("DELETE FROM actors WHERE name = 'Brigade 100% Test'"))
            session.commit()


# --- bounded writes and repeated parameters -----------------------------------------------------


def test_a_900_kb_alias_is_refused_by_the_api_and_the_form(client):
    c, a = client
    huge = "A" * 900_000
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = {"action": "alias", "payload": {"actor": {"id": a["Badr Organization"]},
                                           "name": huge}, "who": "tester"}
    response = c.post("/api/corrections", json=body, headers=auth)
    _hardened(response)
    assert response.status_code == 422 and "at most 255" in response.text
    assert len(response.content) < 2000  # the reason, not the payload echoed back
    form = c.post("/corrections", data={"token": TOKEN, "action": "alias",
                                        "actor": str(a["Badr Organization"]),
                                        "name": "B" * 60_000})
    _hardened(form)
    assert form.status_code == 422
    aliases = c.get(f"/api/actors/{a['Badr Organization']}").json()["aliases"]
    assert all(len(x["name"]) <= 255 for x in aliases)


@pytest.mark.parametrize("payload, why", [
    ({"actor": {"id": 1}, "name": "ok", "extra": "x" * 1000}, "unknown keys"),
    ({"actor": {"id": "\u00b2"}, "name": "ok"}, "whole number"),
    ({"actor": {"id": 2**63}, "name": "ok"}, "whole number"),
    ({"actor": {"id": 1}, "name": ["not", "text"]}, "must be text"),
    ({"actor": "1", "name": "ok"}, "must name an actor"),
])
def test_correction_payloads_out_of_shape_are_422(client, payload, why):
    c, _ = client
    body = {"action": "alias", "payload": payload, "who": "tester"}
    response = c.post("/api/corrections", json=body,
                      headers={"Authorization": f"Bearer {TOKEN}"})
    _hardened(response)
    assert response.status_code == 422 and why in response.text


def test_split_names_are_capped(client):
    c, a = client
    body = {"action": "split", "who": "tester",
            "payload": {"actor": {"id": a["Badr Organization"]}, "names": ["n"] * 21}}
    response = c.post("/api/corrections", json=body,
                      headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 422 and "at most 20" in response.text


def test_toward_is_capped_at_ten_ids(client):
    c, a = client
    kh = a["Kataib Hezbollah"]
    others = [x for x in a.values() if x != kh]
    ten = "&".join(f"toward={x}" for x in (others * 2)[:10])
    assert c.get(f"/actors/{kh}?{ten}").status_code == 200
    four_thousand = "&".join(f"toward={others[0]}" for _ in range(4000))
    response = c.get(f"/actors/{kh}?{four_thousand}")
    _hardened(response)
    assert response.status_code == 422 and "toward" in response.text
    assert len(response.content) < 20_000


def test_repeated_network_filters_are_capped(client):
    c, _ = client
    eleven = [("event_type", f"T{i}") for i in range(11)]
    assert c.get("/api/network", params=eleven).status_code == 422
    assert c.get("/api/network", params=eleven[:10]).status_code == 200


# --- one error handler ---------------------------------------------------------------------------


def test_an_unexpected_error_is_a_500_with_headers_and_no_traceback(store, monkeypatch):
    engine, a = store

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr("factionmap.api.routes.actor_profile", broken)
    c = TestClient(create_app(engine=engine, token=TOKEN), base_url=BASE,
                   raise_server_exceptions=False)
    response = c.get(f"/api/actors/{a['Kataib Hezbollah']}")
    assert response.status_code == 500
    assert response.headers.get("content-security-policy") == CSP
    assert "secret" not in response.text and "Traceback" not in response.text


# --- work budget ---------------------------------------------------------------------------------


def test_a_request_over_its_budget_is_a_503_with_the_reason(store):
    engine, a = store
    c = TestClient(create_app(engine=engine, token=TOKEN, budget_seconds=0.0), base_url=BASE)
    response = c.get(f"/actors/{a['Kataib Hezbollah']}")
    assert response.status_code == 503
    assert "more work than one request may do" in response.text
    assert response.headers.get("content-security-policy") == CSP
    assert response.headers.get("retry-after")
    # the next request with a normal budget is served: nothing was left half-done
    fine = TestClient(create_app(engine=engine, token=TOKEN), base_url=BASE)
    assert fine.get(f"/actors/{a['Kataib Hezbollah']}").status_code == 200


def test_a_running_sqlite_statement_is_interrupted_at_the_deadline():
    engine = _engine()
    watch(engine)
    # counts to a billion: minutes of work unless the progress handler stops it
    endless = text(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) "
        "SELECT COUNT(*) FROM c"
    )
    with engine.connect() as conn, work_budget(0.2), pytest.raises(OperationalError,
                                                                   match="interrupted"):
        conn.execute(endless)
    with engine.connect() as conn, work_budget(0.0), pytest.raises(WorkBudgetExceeded):
        conn.execute(text("SELECT 1"))
    with engine.connect() as conn:  # outside a request there is no deadline
        assert conn.execute(text("SELECT 1")).scalar() == 1


@pytest.mark.parametrize("name", ["\u0000x", "x\ud800"])
def test_unstorable_characters_in_a_correction_are_422(client, name):
    c, a = client
    body = json.dumps({"action": "alias", "who": "tester",
                       "payload": {"actor": {"id": a["Badr Organization"]}, "name": name}})
    response = c.post("/api/corrections", content=body.encode("utf-8", "surrogatepass"),
                      headers={"Authorization": f"Bearer {TOKEN}",
                               "content-type": "application/json"})
    _hardened(response)
    assert response.status_code in (400, 422)


def test_an_empty_toward_field_shows_the_default_charts(client):
    c, a = client
    response = c.get(f"/actors/{a['Kataib Hezbollah']}?toward=")
    assert response.status_code == 200
    bad = c.get(f"/actors/{a['Kataib Hezbollah']}?toward=12x")
    _hardened(bad)
    assert bad.status_code == 422 and "toward must be an actor id" in bad.text

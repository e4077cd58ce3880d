"""REST API and server-rendered pages over a hand-made store (no spaCy needed)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from factionmap.store.db import make_engine
from factionmap.store.models import Base
from factionmap.web.app import create_app
from factionmap.web.sample import XSS_NAME, build_sample_store

TOKEN = "test-token-123"
BASE = "http://127.0.0.1:8000"


def make_client(token: str | None, url: str) -> tuple[TestClient, dict[str, int]]:
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        ids = build_sample_store(session)
        session.commit()
    # a Host header the app allows (TestClient sends "testserver" unless told)
    client = TestClient(create_app(engine=engine, token=token or ""), base_url=BASE)
    return client, ids.actors


@pytest.fixture()
def api(db_url):
    return make_client(TOKEN, db_url)


def test_actor_search_profile_and_pagination(api):
    client, a = api
    page = client.get("/api/actors", params={"q": "kataib hizbollah"}).json()
    assert page["total"] == 1 and page["items"][0]["id"] == a["Kataib Hezbollah"]
    page = client.get("/api/actors", params={"q": "a", "limit": 2, "offset": 1}).json()
    assert page["limit"] == 2 and page["offset"] == 1 and len(page["items"]) == 2
    assert page["total"] > 2
    profile = client.get(f"/api/actors/{a['Kataib Hezbollah']}").json()
    assert profile["n_events"] == 3  # its attack, the US strike on it, Badr's criticism
    assert {p["name"] for p in profile["partners"]} >= {"United States"}
    assert client.get("/api/actors/99999").status_code == 404
    assert client.get("/api/actors", params={"limit": 10_000}).status_code == 422


def test_event_filters(api):
    client, a = api
    kh, us = a["Kataib Hezbollah"], a["United States"]

    def total(**params):
        return client.get("/api/events", params=params).json()["total"]

    assert total() == 7
    assert total(actor=us) == 6
    assert total(source=kh, target=us) == 1
    assert total(type="ASSAULT") == 2
    assert total(quad_class=1) == 2
    assert total(start="2024-01-01", end="2024-03-31") == 2
    assert total(place="IRQ") == 7 and total(place="Syria") == 0
    assert client.get("/api/events", params={"source": kh}).status_code == 422


def test_dyad_timeline_network_and_briefs(api):
    client, a = api
    kh, us = a["Kataib Hezbollah"], a["United States"]
    timeline = client.get(f"/api/dyads/{kh}/{us}/timeline").json()
    assert timeline["forward"][0]["month"] == "2023-11" and timeline["forward"][0]["score"] < 0
    assert timeline["backward"][0]["month"] == "2024-02"
    # the sample states each alliance once: let single facts place actors in camps
    net = client.get("/api/network", params={"camp_min_evidence": 1}).json()
    camps = {n["id"]: n["camp"] for n in net["nodes"]}
    assert camps[kh] == camps[a["Harakat al-Nujaba"]] != camps[a["Badr Organization"]]
    named = {c["id"]: c for c in net["camps"]}
    assert kh in named[camps[kh]]["members"] and named[camps[kh]]["name"]
    strict = client.get("/api/network").json()  # two pieces of evidence per tie
    assert {n["id"]: n["camp"] for n in strict["nodes"]}[a["Harakat al-Nujaba"]] == 0
    assert client.get("/api/network", params={"camp_min_confidence": 2}).status_code == 422
    assert any(e["sign"] < 0 for e in net["edges"]) and any(e["sign"] > 0 for e in net["edges"])
    early = client.get("/api/network", params={"end": "2023-11-30"}).json()
    assert len(early["nodes"]) < len(net["nodes"])
    brief = client.get(f"/api/actors/{a['Badr Organization']}/brief").json()
    assert any(line["evidence"] for s in brief["sections"] for line in s["lines"])
    assert client.get(f"/api/dyads/{kh}/{us}/brief").status_code == 200


def test_document_with_facts_and_offsets(api):
    client, _ = api
    doc = client.get("/api/documents/doc-a").json()
    for m in doc["mentions"]:
        assert doc["text"][m["start"] : m["end"]] == m["text"]
    for fact in doc["events"] + doc["relations"]:
        span = doc["text"][fact["evidence_start"] : fact["evidence_end"]]
        assert span == fact["sentence_text"]
    assert client.get("/api/documents", params={"q": "Badr"}).json()["total"] == 2
    assert client.get("/api/documents/nope").status_code == 404


def test_writes_need_the_configured_token(api):
    client, a = api
    body = {
        "action": "merge",
        "who": "tester",
        "why": "one group",
        "payload": {
            "absorbed": {"id": a["Harakat al-Nujaba"]},
            "survivor": {"id": a["Kataib Hezbollah"]},
        },
    }
    assert client.post("/api/corrections", json=body).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert client.post("/api/corrections", json=body, headers=wrong).status_code == 401
    good = {"Authorization": f"Bearer {TOKEN}"}
    created = client.post("/api/corrections", json=body, headers=good)
    assert created.status_code == 201
    assert created.json()["payload"]["absorbed"]["discovery_key"]  # stable key recorded
    profile = client.get(f"/api/actors/{a['Kataib Hezbollah']}").json()
    assert a["Harakat al-Nujaba"] in profile["merged_from"]
    assert profile["n_events"] == 4  # its own three plus Nujaba's threat
    names = [x["name"] for x in client.get("/api/actors", params={"q": "nujaba"}).json()["items"]]
    assert names == ["Kataib Hezbollah"]  # the alias now finds the survivor
    assert client.get("/api/corrections").json()["total"] == 1
    bad = dict(body, payload={"absorbed": {"id": 424242}, "survivor": {"id": 1}})
    assert client.post("/api/corrections", json=bad, headers=good).status_code == 422


def test_without_a_configured_token_writes_are_refused(db_url):
    client, a = make_client(None, db_url)
    body = {"action": "alias", "who": "x", "payload": {"actor": {"id": 1}, "name": "Y"}}
    response = client.post("/api/corrections", json=body, headers={"Authorization": "Bearer "})
    assert response.status_code == 403
    form = client.post(
        "/corrections", data={"action": "alias", "actor": "1", "name": "Y", "who": "x", "token": ""}
    )
    assert form.status_code == 403 and "FACTIONMAP_TOKEN" in form.text


def test_request_body_limit(api):
    client, _ = api
    huge = b"{" + b" " * (1024 * 1024 + 10) + b"}"
    response = client.post(
        "/api/corrections",
        content=huge,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 413


PAGES = [
    "/",
    "/network",
    "/search?q=badr",
    "/corrections",
    "/docs",
    "/documents/doc-d",
    "/documents/doc-a",
]


def test_pages_render_with_strict_csp_and_no_inline_script(api):
    client, a = api
    urls = [
        *PAGES,
        f"/actors/{a['Badr Organization']}",
        f"/dyads/{a['Kataib Hezbollah']}/{a['United States']}",
        f"/actors/{a[XSS_NAME]}",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp
        # every <script> tag has a src on our own origin and no body
        for tag in re.findall(r"<script[^>]*>.*?</script>", response.text, flags=re.S):
            ours = r'<script src="/static/(vendor/)?[\w.-]+"></script>'
            assert re.fullmatch(ours, tag), (url, tag)
        assert "http://" not in response.text.replace('href="http', "")  # nothing external


def test_payloads_in_articles_and_names_are_escaped(api):
    client, a = api
    for url in ["/documents/doc-d", f"/actors/{a[XSS_NAME]}", "/search?q=Saraya", "/"]:
        html = client.get(url).text
        assert "<img src=x onerror" not in html, url
        assert "<script>alert" not in html, url
        assert 'href="javascript:' not in html.lower(), url
    doc = client.get("/documents/doc-d").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in doc
    assert "&lt;script&gt;alert(" in doc
    assert "javascript:alert(4)" in doc  # shown as text, not as a link
    search = client.get("/search", params={"q": "<script>alert(9)</script>"}).text
    assert "<script>alert(9)" not in search and "&lt;script&gt;alert(9)" in search


def test_web_merge_form_with_token(api):
    client, a = api
    form = {
        "action": "merge",
        "absorbed": str(a["Qais Khazali"]),
        "survivor": str(a["Asaib Ahl al-Haq"]),
        "who": "analyst",
        "why": "test",
    }
    denied = client.post("/corrections", data=dict(form, token="wrong"))
    assert denied.status_code == 403
    done = client.post("/corrections", data=dict(form, token=TOKEN), follow_redirects=False)
    assert (
        done.status_code == 303 and done.headers["location"] == f"/actors/{a['Asaib Ahl al-Haq']}"
    )
    page = client.get(f"/actors/{a['Asaib Ahl al-Haq']}").text
    assert "merged from actors" in page and "Khazali" in page
    moved = client.get(f"/actors/{a['Qais Khazali']}", follow_redirects=False)
    assert moved.status_code == 307

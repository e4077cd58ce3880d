"""Corroboration on the pages: outlets, report dates and the contested flag beside every tie
and event, and ``min_outlets`` on the pages and the network, over a hand-made store."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from factionmap.analysis.network import signed_network
from factionmap.store.models import (
    Actor,
    Base,
    Document,
    EventActor,
    EventFact,
    Happening,
    RelationFact,
)
from factionmap.store.summaries import rebuild_summaries
from factionmap.web.app import create_app

JAN = dt.date(2024, 1, 10)
# invented sentences, one per fact, so a page shows which facts it lists
ALLY = "Alpha and Bravo fight side by side in the invented valley."
ALLY_AGAIN = "Bravo and Alpha stay allied, a second invented outlet says."
FIGHT = "Bravo turned its guns on Alpha, an invented third outlet says."
LONE_TIE = "Alpha opposes Charlie, in a report nobody else carries."
MET = "Alpha envoys met Bravo commanders at an invented crossing."
LONE_EVENT = "Alpha threatened Bravo, in a story only one outlet ran."


@dataclass
class _Built:
    client: TestClient
    session: Session
    ids: dict[str, int]


def _build(session: Session) -> dict[str, int]:
    ids: dict[str, int] = {}
    for name in ("Alpha", "Bravo", "Charlie"):
        actor = Actor(name=name, kind="armed_group", discovery_key=f"t:{name}")
        session.add(actor)
        session.flush()
        ids[name] = actor.id
    docs = {  # three outlets
        "reu": ("https://www.reuters.com/a", JAN),
        "ap": ("https://apnews.com/b", JAN + dt.timedelta(days=5)),
        "bbc": ("https://www.bbc.co.uk/c", JAN + dt.timedelta(days=10)),
    }
    for doc_id, (url, day) in docs.items():
        session.add(Document(id=doc_id, url=url, text="Invented text.", published=day))
    session.flush()

    def relation(doc: str, rtype: str, subj: str, obj: str, sentence: str) -> None:
        session.add(RelationFact(
            document_id=doc, type=rtype, subject_actor_id=ids[subj], object_actor_id=ids[obj],
            subject_start=0, subject_end=1, subject_text=subj, object_start=2, object_end=3,
            object_text=obj, evidence_start=0, evidence_end=5, sentence_text=sentence,
            reported_at=docs[doc][1], confidence=0.9))

    relation("reu", "allied_with", "Alpha", "Bravo", ALLY)
    relation("ap", "allied_with", "Alpha", "Bravo", ALLY_AGAIN)
    relation("bbc", "fighting_against", "Bravo", "Alpha", FIGHT)  # contests the alliance
    relation("reu", "opposes", "Alpha", "Charlie", LONE_TIE)

    def happening(etype: str, cameo: str, goldstein: float, reports: list[tuple[str, str]]) -> None:
        h = Happening(type=etype, cameo=cameo, goldstein=goldstein, quad_class=1, date=JAN,
                      report_count=len(reports))
        session.add(h)
        session.flush()
        for doc, sentence in reports:
            day = docs[doc][1]
            e = EventFact(document_id=doc, happening_id=h.id, type=etype, cameo=cameo,
                          goldstein=goldstein, quad_class=1 if goldstein > 0 else 3,
                          source_actor_id=ids["Alpha"], target_actor_id=ids["Bravo"],
                          trigger_start=0, trigger_end=1, trigger_text="m", date=day,
                          evidence_start=0, evidence_end=5, sentence_text=sentence,
                          reported_at=day, confidence=0.9)
            session.add(e)
            session.flush()
            session.add_all([
                EventActor(event_id=e.id, side="source", actor_id=ids["Alpha"], start=0, end=1,
                           text="Alpha"),
                EventActor(event_id=e.id, side="target", actor_id=ids["Bravo"], start=0, end=1,
                           text="Bravo")])

    happening("CONSULT", "040", 1.0, [("reu", MET), ("ap", MET)])
    happening("THREATEN", "138", -7.0, [("bbc", LONE_EVENT)])
    session.flush()
    rebuild_summaries(session)
    session.commit()
    return ids


@pytest.fixture()
def built(db_url):
    engine = create_engine(db_url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        ids = _build(session)
        client = TestClient(create_app(engine=engine, token=""),
                            base_url="http://127.0.0.1:8000")
        yield _Built(client, session, ids)
    engine.dispose()


def _row(html: str, sentence: str) -> str:
    """The table row that holds an evidence sentence."""
    match = re.search(r"<tr[^>]*>(?:(?!</tr>).)*" + re.escape(sentence) + r"(?:(?!</tr>).)*</tr>",
                      html, re.S)
    assert match is not None, sentence
    return match.group(0)


def test_actor_page_shows_outlets_dates_and_contested_ties(built):
    html = built.client.get(f"/actors/{built.ids['Alpha']}").text
    ally = _row(html, ALLY)
    assert "2 outlets" in ally and "contested" in ally
    assert f"{JAN} – {JAN + dt.timedelta(days=5)}" in ally  # first and last report
    lone = _row(html, LONE_TIE)
    assert "1 outlet<" in lone and "contested" not in lone
    assert "2 outlets" in _row(html, MET) and "1 outlet<" in _row(html, LONE_EVENT)


def test_min_outlets_takes_single_outlet_facts_off_the_pages(built):
    alpha, bravo = built.ids["Alpha"], built.ids["Bravo"]
    for url in (f"/actors/{alpha}", f"/dyads/{alpha}/{bravo}", "/"):
        everything = built.client.get(url).text
        assert LONE_EVENT in everything, url
        page = built.client.get(url, params={"min_outlets": 2})
        assert page.status_code == 200, url
        assert LONE_EVENT not in page.text and MET in page.text, url
        assert 'name="min_outlets"' in page.text and 'value="2"' in page.text, url
    actor_page = built.client.get(f"/actors/{alpha}", params={"min_outlets": 2}).text
    assert LONE_TIE not in actor_page and ALLY in actor_page
    assert LONE_TIE in built.client.get(f"/actors/{alpha}").text


def test_dyad_page_lists_the_stated_ties_between_the_two(built):
    alpha, bravo = built.ids["Alpha"], built.ids["Bravo"]
    html = built.client.get(f"/dyads/{alpha}/{bravo}").text
    assert "2 outlets" in _row(html, ALLY) and "contested" in _row(html, FIGHT)
    assert LONE_TIE not in html  # Charlie's tie is not between these two
    strict = built.client.get(f"/dyads/{alpha}/{bravo}", params={"min_outlets": 2}).text
    assert ALLY in strict and FIGHT not in strict


@pytest.mark.parametrize("bad", ["0", "abc", "-1", "1001", "2.5"])
def test_bad_min_outlets_is_a_422_page(built, bad):
    alpha, bravo = built.ids["Alpha"], built.ids["Bravo"]
    for url in ("/", "/network", f"/actors/{alpha}", f"/dyads/{alpha}/{bravo}"):
        page = built.client.get(url, params={"min_outlets": bad})
        assert page.status_code == 422, (url, bad)
        assert "min_outlets" in page.text and "Traceback" not in page.text
        assert page.headers["content-type"].startswith("text/html")


def test_network_min_outlets_drops_ties_too_few_outlets_report(built):
    ids = built.ids
    pair = tuple(sorted((ids["Alpha"], ids["Charlie"])))
    ab = tuple(sorted((ids["Alpha"], ids["Bravo"])))
    loose = signed_network(built.session)
    assert pair in {(e.a, e.b) for e in loose.edges}
    strict = signed_network(built.session, min_outlets=2)
    edges = {(e.a, e.b): e for e in strict.edges}
    assert pair not in edges and ab in edges
    # only the two-outlet meeting and alliance count: the lone threat and the fight do not
    assert edges[ab].n_events == 2 and edges[ab].n_relations == 2 and edges[ab].sign > 0
    assert {(e.a, e.b): e for e in loose.edges}[ab].n_events == 3
    api = built.client.get("/api/network", params={"min_outlets": 2}).json()
    assert {(e["a"], e["b"]) for e in api["edges"]} == {ab}
    assert built.client.get("/api/network", params={"min_outlets": 0}).status_code == 422

"""End to end for events: the seeds' key events, and one happening from two reports."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from factionmap.ingest import ingest_paths
from factionmap.store.db import open_store
from factionmap.store.models import Actor, EventActor, EventFact, Happening


@pytest.fixture(scope="module")
def seed_store(shared_dir, nlp, module_db_url):
    store = open_store(module_db_url)
    summary = ingest_paths([shared_dir / "corpus" / "seeds"], store, progress=False)
    assert summary.failed == 0, summary.errors
    yield store
    store.close()


def _events(session, source_kb: str, target_kb: str, ptype: str) -> list[EventFact]:
    """Events of ``ptype`` whose source and target sides include the two KB actors."""
    ids = {a.kb_id: a.id for a in session.scalars(select(Actor).where(Actor.kb_id.is_not(None)))}
    rows = session.execute(
        select(EventActor.event_id, EventActor.side, EventActor.actor_id)
    ).all()
    sides: dict[int, dict[str, set[int]]] = {}
    for event_id, side, actor_id in rows:
        sides.setdefault(event_id, {"source": set(), "target": set()})[side].add(actor_id)
    found = []
    for event in session.scalars(select(EventFact).where(EventFact.type == ptype)):
        s = sides.get(event.id, {"source": set(), "target": set()})
        if ids.get(source_kb) in s["source"] and ids.get(target_kb) in s["target"]:
            found.append(event)
    return found


def _has_evidence(event: EventFact) -> bool:
    doc_text = event.document.text
    return (
        event.evidence_end > event.evidence_start
        and doc_text[event.evidence_start : event.evidence_end] == event.sentence_text
        and event.trigger_text in event.sentence_text
    )


def test_us_strike_on_kataib_hezbollah(seed_store):
    with seed_store.session() as session:
        strikes = _events(session, "kb:usa", "kb:kataib_hezbollah", "ASSAULT")
        assert strikes and all(_has_evidence(e) for e in strikes)
        assert all(e.modality == "asserted" and e.quad_class == 4 for e in strikes)


def test_killing_of_muhandis_dated_january_2020(seed_store):
    with seed_store.session() as session:
        killings = _events(session, "kb:usa", "kb:abu_mahdi_al_muhandis", "ASSAULT")
        dated = [e for e in killings if e.date and (e.date.year, e.date.month) == (2020, 1)]
        assert dated and all(_has_evidence(e) for e in dated)
        assert dated[0].date_precision == "month"


def test_silliman_meets_amiri_on_4_june_2018(seed_store):
    with seed_store.session() as session:
        meetings = _events(session, "kb:hadi_al_amiri", "kb:douglas_silliman", "CONSULT")
        meetings += _events(session, "kb:douglas_silliman", "kb:hadi_al_amiri", "CONSULT")
        on_day = [e for e in meetings if e.date == dt.date(2018, 6, 4)]
        assert on_day and all(_has_evidence(e) for e in on_day)
        assert on_day[0].date_precision == "day" and on_day[0].date_phrase


# Two reports of one strike, worded differently, from two outlets (our own text).
REPORTS = [
    {
        "title": "Drone strike hits militia convoy near Baghdad",
        "date": "2022-03-06",
        "source": "Tigris Wire",
        "url": "https://example.org/a",
        "text": (
            "A drone strike hit a convoy of Kataib Hezbollah near Baghdad on Saturday. "
            "The United States carried out the strike on Kataib Hezbollah, officials said."
        ),
    },
    {
        "title": "US bombs Kataib Hezbollah vehicles",
        "date": "2022-03-07",
        "source": "Euphrates Daily",
        "url": "https://example.org/b",
        "text": (
            "American aircraft bombed vehicles belonging to the militia outside the capital. "
            "Washington struck Kataib Hezbollah on March 5, a Pentagon spokesman confirmed."
        ),
    },
]


def test_two_reports_of_one_strike_become_one_happening(nlp, db_url, tmp_path):
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in REPORTS), encoding="utf-8")
    store = open_store(db_url)
    try:
        summary = ingest_paths([path], store, progress=False)
        assert summary.ingested == 2, summary.errors
        with store.session() as session:
            strikes = _events(session, "kb:usa", "kb:kataib_hezbollah", "ASSAULT")
            docs = {e.document_id for e in strikes}
            assert len(docs) == 2, "each article should report the strike"
            happenings = {e.happening_id for e in strikes}
            assert len(happenings) == 1 and None not in happenings
            happening = session.get(Happening, happenings.pop())
            assert happening.report_count >= 2
            assert happening.date == dt.date(2022, 3, 5)
    finally:
        store.close()

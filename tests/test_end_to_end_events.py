"""End to end for events.

On the seed articles the real pipeline runs (sources, spaCy, the trained deciders, resolve,
store); what the models find there is evaluation, not a unit test, so these tests check
what must hold for *any* model: every event quotes its document exactly, dates are
plausible, events naming no actor are stored but not listed, reports and happenings
agree. Linking two reports of one strike into one happening is tested through the same
ingest path with the extraction written by hand in place of the model stage.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from factionmap import parallel
from factionmap import records as rec
from factionmap.analysis.queries import EventFilter, list_events
from factionmap.ingest import ingest_paths
from factionmap.parallel import Extracted
from factionmap.store.db import open_store
from factionmap.store.models import Document, EventFact, Happening
from test_store_helpers import Builder

# a date phrase can look a year ahead ("next March"), never further
LATEST_AHEAD = dt.timedelta(days=366)
EARLIEST = dt.date(1900, 1, 1)
PRECISIONS = {"day", "month", "year", "reported"}


@pytest.fixture(scope="module")
def seed_store(shared_dir, nlp, module_db_url):
    store = open_store(module_db_url)
    summary = ingest_paths([shared_dir / "corpus" / "seeds"], store, progress=False)
    assert summary.failed == 0, summary.errors
    assert summary.ingested == 2
    yield store
    store.close()


def _all_events(session) -> list[EventFact]:
    events = list(session.scalars(select(EventFact).order_by(EventFact.id)))
    # two news articles about armed factions with no event at all means a broken
    # pipeline (models not loaded, events dropped on the way), not a weak model
    assert events, "no event stored from the seed articles"
    return events


def _quote_problems(event: EventFact) -> list[str]:
    """Why ``event`` does not quote its document exactly (empty when it does)."""
    text = event.document.text
    start, end = event.evidence_start, event.evidence_end
    problems = []
    if not 0 <= start < end <= len(text):
        problems.append(f"evidence {start}:{end} outside the text ({len(text)} chars)")
    elif text[start:end] != event.sentence_text:
        problems.append("evidence sentence is not the document slice")
    if not start <= event.trigger_start < event.trigger_end <= end:
        problems.append("trigger outside its evidence sentence")
    elif text[event.trigger_start:event.trigger_end] != event.trigger_text:
        problems.append("trigger text is not the document slice")
    for arg in event.actors:
        if not start <= arg.start < arg.end <= end:
            problems.append(f"{arg.side} {arg.text!r} outside the evidence sentence")
        elif text[arg.start:arg.end] != arg.text:
            problems.append(f"{arg.side} {arg.text!r} is not the document slice")
    return [f"event {event.id} ({event.type} {event.trigger_text!r}): {p}" for p in problems]


def test_every_event_quotes_its_document(seed_store):
    with seed_store.session() as session:
        problems = [p for e in _all_events(session) for p in _quote_problems(e)]
        assert not problems, "\n".join(problems)


def test_event_dates_are_plausible(seed_store):
    with seed_store.session() as session:
        problems = []
        for e in _all_events(session):
            published = e.document.published
            assert published is not None  # the seeds are dated
            where = f"event {e.id} ({e.type} {e.trigger_text!r}, {e.date_phrase!r})"
            if e.reported_at != published:
                problems.append(f"{where}: reported_at {e.reported_at} is not {published}")
            if e.date_precision not in PRECISIONS:
                problems.append(f"{where}: precision {e.date_precision!r}")
            if e.date is None:
                continue
            if not EARLIEST <= e.date <= published + LATEST_AHEAD:
                problems.append(f"{where}: date {e.date} implausible for {published}")
            if e.date_end is not None and not e.date <= e.date_end <= published + LATEST_AHEAD:
                problems.append(f"{where}: range {e.date}..{e.date_end}")
            if e.date_precision == "reported" and (e.date != published or e.date_phrase):
                problems.append(f"{where}: 'reported' date {e.date} is not the publication")
        assert not problems, "\n".join(problems)


def test_events_without_actors_are_stored_but_not_listed(seed_store):
    with seed_store.session() as session:
        events = _all_events(session)
        every = {e.id for e in events}
        named = {e.id for e in events if any(a.actor_id is not None for a in e.actors)}
        # an event naming no actor keeps no first source or target either
        assert all(e.source_actor_id is None and e.target_actor_id is None
                   for e in events if e.id not in named)
        total, rows = list_events(session, EventFilter(), limit=len(every) + 10)
        assert total == len(rows) and {e.id for e in rows} == named
        total, rows = list_events(session, EventFilter(include_actorless=True),
                                  limit=len(every) + 10)
        assert total == len(rows) and {e.id for e in rows} == every


def test_reports_and_happenings_agree(seed_store):
    with seed_store.session() as session:
        events = _all_events(session)
        for e in events:
            # a denial is evidence that it did not happen: no happening for it
            assert (e.happening_id is None) == (e.modality == "negated"), e.id
        counts = dict(
            session.execute(
                select(EventFact.happening_id, func.count())
                .where(EventFact.happening_id.is_not(None))
                .group_by(EventFact.happening_id)
            ).all()
        )
        happenings = session.scalars(select(Happening)).all()
        assert {h.id: h.report_count for h in happenings} == counts


# ---- two reports of one strike, through the ingest path (extraction by hand) ----------

# Two reports of one strike, worded differently, from two outlets, and a strike on the same
# brigade a week later: near enough to be a candidate, too far apart (both dated to the
# day) to be the same happening. Our own text, invented brigade.
STRIKE_DAY = dt.date(2022, 3, 5)  # a Saturday
LATER_DAY = dt.date(2022, 3, 12)
REPORTS = [
    {
        "title": "Drone strike hits brigade convoy near the river",
        "date": "2022-03-06",
        "source": "Tigris Wire",
        "url": "https://example.org/a",
        "text": (
            "A drone strike hit a convoy near the river crossing on Saturday. "
            "The United States carried out the strike on Saraya Zulu, officials said."
        ),
        "trigger": "carried out",
        "phrase": "on Saturday",
    },
    {
        "title": "US aircraft bomb Saraya Zulu vehicles",
        "date": "2022-03-07",
        "source": "Euphrates Daily",
        "url": "https://example.org/b",
        "text": (
            "The United States bombed vehicles of Saraya Zulu outside the capital on March 5, "
            "a military spokesman confirmed."
        ),
        "trigger": "bombed",
        "phrase": "on March 5",
    },
    {
        "title": "New strike on Saraya Zulu",
        "date": "2022-03-13",
        "source": "Tigris Wire",
        "url": "https://example.org/c",
        "text": "The United States struck Saraya Zulu depots again on March 12.",
        "trigger": "struck",
        "phrase": "on March 12",
    },
]
_BY_TEXT = {r["text"]: r for r in REPORTS}


def _strike(article: rec.Article) -> rec.ArticleExtraction:
    """What a model would find in one report, written by hand."""
    report = _BY_TEXT[article.text]
    b = Builder(article.text, article.date)
    us = b.mention("United States", "kb:usa", "Location", kind="state")
    zulu = b.mention("Saraya Zulu", "new:organisation:saraya zulu", kind="armed_group")
    phrase = report["phrase"]
    day = LATER_DAY if phrase == "on March 12" else STRIKE_DAY
    b.event("ASSAULT", report["trigger"], (us,), (zulu,), cameo="195",
            date=rec.EventDate(day, "day", phrase))
    return dataclasses.replace(b.build(), article=article)


def _by_hand(articles, **_options):  # type: ignore[no-untyped-def]
    """Replaces ``parallel.extract_local`` (the model stage) inside ``ingest_articles``."""
    for article in articles:
        yield Extracted(article, _strike(article))


def test_two_reports_of_one_strike_become_one_happening(db_url, kb, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "extract_local", _by_hand)
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in REPORTS), encoding="utf-8")
    store = open_store(db_url)
    try:
        summary = ingest_paths([path], store, progress=False, kb=kb)
        assert (summary.ingested, summary.failed) == (3, 0), summary.errors
        again = ingest_paths([path], store, progress=False, kb=kb)
        assert (again.ingested, again.duplicates) == (0, 3)
        with store.session() as session:
            docs = {d.id: d for d in session.scalars(select(Document))}
            assert {(d.source, d.published) for d in docs.values()} == {
                (r["source"], dt.date.fromisoformat(r["date"])) for r in REPORTS}
            strikes = session.scalars(select(EventFact).order_by(EventFact.reported_at)).all()
            assert len(strikes) == 3 and len({e.document_id for e in strikes}) == 3
            problems = [p for e in strikes for p in _quote_problems(e)]
            assert not problems, problems
            first, second, later = strikes
            assert first.happening_id is not None
            assert first.happening_id == second.happening_id != later.happening_id
            one = session.get(Happening, first.happening_id)
            assert one is not None
            # the day the strike happened, not the day either report came out
            assert (one.report_count, one.date, one.date_precision) == (2, STRIKE_DAY, "day")
            other = session.get(Happening, later.happening_id)
            assert other is not None and (other.report_count, other.date) == (1, LATER_DAY)
            assert session.scalar(select(func.count()).select_from(Happening)) == 2
    finally:
        store.close()

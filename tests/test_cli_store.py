"""CLI on a store built from hand-made extractions (no spaCy)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from typer.testing import CliRunner

from factionmap import records as rec
from factionmap.cli.main import app
from factionmap.store.actors import ActorResolver
from factionmap.store.db import open_store
from factionmap.store.ingest import ingest_extraction
from test_store_helpers import amiri_article, strike_report

runner = CliRunner(env={"COLUMNS": "250"})


@pytest.fixture()
def db(db_url):
    url = db_url
    store = open_store(url)
    resolver = ActorResolver()
    day = rec.EventDate(dt.date(2019, 12, 29), "day")
    extractions = [
        amiri_article(),
        strike_report(
            "The United States struck Kataib Hezbollah depots.",
            dt.date(2019, 12, 30),
            day,
            rec.Place("Al-Qa'im", "IRQ"),
        ),
        strike_report(
            "Kataib Hezbollah bases were bombed by the United States.", dt.date(2019, 12, 31), day
        ),
    ]
    for extraction in extractions:
        with store.session() as session:
            ingest_extraction(session, extraction, resolver)
    store.close()
    return url, extractions


def run(url: str, *args: str):
    result = runner.invoke(app, ["--db", url, *args], catch_exceptions=False)
    return result


def test_actors_lists_counts(db):
    url, _ = db
    result = run(url, "actors", "--kind", "armed_group")
    assert result.exit_code == 0, result.output
    assert "Badr Organization" in result.output
    assert "Kataib Hezbollah" in result.output
    assert "Hadi al-Amiri" not in result.output  # a person, filtered out by --kind


def test_actor_profile_by_surname_shows_evidence(db):
    url, _ = db
    result = run(url, "actor", "Amiri")
    assert result.exit_code == 0, result.output
    assert "Hadi al-Amiri" in result.output
    assert "Badr Organization" in result.output and "Fatah Alliance" in result.output
    assert "leads the Badr" in result.output  # the evidence sentence
    assert "within-document link" in result.output  # alias with its merge reason
    assert "asserted" in result.output


def test_actor_unknown_name_fails_clearly(db):
    url, _ = db
    result = runner.invoke(app, ["--db", url, "actor", "Nobody Known Here"])
    assert result.exit_code == 1
    assert "no actor matches" in result.output


def test_relations_and_events_filters(db):
    url, _ = db
    rel = run(url, "relations", "--type", "leads", "--actor", "Hadi al-Ameri")
    assert rel.exit_code == 0 and rel.output.count("Hadi al-Amiri") >= 2
    ev = run(url, "events", "--dyad", "United States", "Kataib Hezbollah", "--quad", "4")
    assert ev.exit_code == 0
    assert ev.output.count("ASSAULT") == 2
    none = run(url, "events", "--since", "2020-01-01")
    assert "ASSAULT" not in none.output


def test_map_counts_one_happening_with_two_reports(db):
    url, _ = db
    result = run(url, "map")
    assert result.exit_code == 0, result.output
    assert "3 documents" in result.output
    assert "Top events" in result.output
    line = next(x for x in result.output.splitlines() if "ASSAULT" in x)
    assert line.rstrip(" │|").endswith("2")


def test_export_plover_jsonl_and_csv(db, tmp_path):
    url, extractions = db
    result = run(url, "export", "events", "--format", "plover-jsonl")
    rows = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    assert len(rows) == 2
    first = rows[0]
    assert first["actor"] == "United States" and first["recipient"] == "Kataib Hezbollah"
    assert first["event"] == "ASSAULT" and first["cameo"] == "195"
    assert first["report_count"] == 2
    doc = next(e for e in extractions if e.article.id == first["source_document"])
    assert doc.article.text[first["offsets"]["start"] : first["offsets"]["end"]] == first["text"]
    out = tmp_path / "events.csv"
    run(url, "export", "events", "--format", "csv", "--output", str(out))
    table = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [r["modality"] for r in table] == ["asserted", "asserted"]


def test_export_parquet(db, tmp_path):
    import pyarrow.parquet as pq

    url, _ = db
    out = tmp_path / "events.parquet"
    result = run(url, "export", "events", "--format", "parquet", "--output", str(out))
    assert result.exit_code == 0
    table = pq.read_table(out)
    assert table.num_rows == 2 and "goldstein" in table.column_names


def test_remove_command(db):
    url, extractions = db
    doc = extractions[1].article.id
    assert run(url, "remove", doc).exit_code == 0
    again = runner.invoke(app, ["--db", url, "remove", doc])
    assert again.exit_code == 1 and "no document" in again.output
    ev = run(url, "events")
    assert ev.output.count("ASSAULT") == 1


def test_rejected_facts_are_invisible_and_dyads_are_directed(db):
    from sqlalchemy import select

    from factionmap.analysis.corrections import fact_ref, record_correction
    from factionmap.store.models import EventFact, RelationFact

    url, _ = db
    # the dyad (A, B) is what A did to B; what B did to A is the dyad (B, A)
    backward = run(url, "events", "--dyad", "Kataib Hezbollah", "United States")
    assert backward.exit_code == 0 and "ASSAULT" not in backward.output
    store = open_store(url)
    with store.session() as session:
        leads = session.scalars(select(RelationFact).where(RelationFact.type == "leads")
                                .order_by(RelationFact.id)).first()
        strike = session.scalars(select(EventFact).order_by(EventFact.id)).first()
        evidence = (leads.sentence_text, strike.sentence_text)
        for fact in (leads, strike):
            record_correction(session, "reject", fact_ref(fact), "analyst", "misread")
    store.close()
    relations = run(url, "relations", "--type", "leads")
    events = run(url, "events", "--dyad", "United States", "Kataib Hezbollah")
    profile = run(url, "actor", "United States")
    exported = run(url, "export", "events")
    assert evidence[0] not in relations.output
    assert events.output.count("ASSAULT") == 1 and evidence[1] not in events.output
    assert evidence[1] not in profile.output
    records = [json.loads(x) for x in exported.output.splitlines() if x.startswith("{")]
    assert [r["text"] for r in records] == [
        "Kataib Hezbollah bases were bombed by the United States."]

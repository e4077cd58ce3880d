"""`factionmap export` on the sample store with analyst corrections: every kind and format
read back by the tool it is meant for (pyarrow, networkx, stix2)."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pyarrow.parquet as pq
import pytest
import stix2
from sqlalchemy import select
from typer.testing import CliRunner

from factionmap.analysis.corrections import record_correction
from factionmap.cli.main import app
from factionmap.store.db import open_store
from factionmap.store.models import Document, RelationFact
from factionmap.web.sample import build_sample_store

runner = CliRunner()
URLS = {"doc-a": "https://www.wire.example/a", "doc-b": "https://daily.example/b",
        "doc-c": "https://wire.example/c"}


@pytest.fixture()
def db(db_url):
    """The sample store with addresses, Nujaba merged into Kataib Hezbollah, an alias added
    and one relation rejected."""
    store = open_store(db_url)
    with store.session() as session:
        ids = build_sample_store(session).actors
        for doc in session.scalars(select(Document).where(Document.id.in_(URLS))):
            doc.url = URLS[doc.id]
            doc.outlet = "wire.example" if doc.id != "doc-b" else "daily.example"
        opposes = session.scalars(select(RelationFact).where(
            RelationFact.type == "opposes")).one()
        record_correction(session, "merge", {
            "absorbed": {"id": ids["Harakat al-Nujaba"]},
            "survivor": {"id": ids["Kataib Hezbollah"]}}, "analyst", "same network")
        record_correction(session, "alias", {"actor": {"id": ids["Kataib Hezbollah"]},
                                             "name": "Hezbollah Brigades"}, "analyst", None)
        record_correction(session, "reject", {"fact": "relation", "id": opposes.id},
                          "analyst", "misread")
    store.close()
    return db_url, ids


def _run(url: str, *args: str):
    result = runner.invoke(app, ["--db", url, "export", *args])
    return result


def test_actors_as_csv_jsonl_and_parquet_follow_merges_and_aliases(db, tmp_path):
    url, ids = db
    rows = list(csv.DictReader(io.StringIO(_run(url, "actors", "-f", "csv").stdout)))
    by_name = {r["name"]: r for r in rows}
    assert "Harakat al-Nujaba" not in by_name  # merged away
    kh = by_name["Kataib Hezbollah"]
    assert "Hezbollah Brigades" in kh["aliases"] and "Nujaba" in kh["aliases"]
    assert kh["merged_from"] == str(ids["Harakat al-Nujaba"])
    lines = _run(url, "actors", "-f", "jsonl").stdout.splitlines()
    assert len(lines) == len(rows) and json.loads(lines[0])["id"] == int(rows[0]["id"])
    result = _run(url, "actors", "-f", "parquet", "-o", str(tmp_path / "a.parquet"))
    assert result.exit_code == 0, result.output
    table = pq.read_table(tmp_path / "a.parquet")
    assert table.num_rows == len(rows)
    got = {r["name"]: r for r in table.to_pylist()}
    assert "Hezbollah Brigades" in got["Kataib Hezbollah"]["aliases"]
    # KH's own attack, the US strike, Badr's criticism, and Nujaba's threat as the survivor's
    assert got["Kataib Hezbollah"]["events"] == 4


def test_relations_leave_rejected_facts_out_and_carry_corroboration(db, tmp_path):
    url, _ = db
    result = _run(url, "relations", "-f", "parquet", "-o", str(tmp_path / "r.parquet"))
    assert result.exit_code == 0, result.output
    rows = pq.read_table(tmp_path / "r.parquet").to_pylist()
    assert "opposes" not in {r["type"] for r in rows}
    allied = [r for r in rows if r["type"] == "allied_with"]
    assert {r["object"] for r in allied} == {"Kataib Hezbollah"}
    # Nujaba's alliance is read as the survivor's: a tie of KH with itself
    assert {r["subject"] for r in allied} == {"Asaib Ahl al-Haq", "Kataib Hezbollah"}
    assert all(r["outlets"] == 1 and r["url"] == URLS["doc-a"] for r in allied)
    assert {r["outlet"] for r in allied} == {"wire.example"}


def test_events_as_csv_name_the_survivor(db):
    url, _ = db
    rows = list(csv.DictReader(io.StringIO(_run(url, "events", "-f", "csv").stdout)))
    assert len(rows) == 7
    assert "Harakat al-Nujaba" not in {r["actor"] for r in rows}
    assert sum(r["actor"] == "Kataib Hezbollah" for r in rows) == 2
    assert all(r["outlets"] == "1" for r in rows)
    plover = [json.loads(x) for x in _run(url, "events").stdout.splitlines()]
    assert len(plover) == 7 and "offsets_start" in plover[0]
    nested = _run(url, "events", "-f", "plover-jsonl").stdout.splitlines()
    assert "offsets" in json.loads(nested[0])


def test_graph_opens_in_networkx_from_gexf_and_graphml(db, tmp_path):
    url, ids = db
    for fmt in ("gexf", "graphml"):
        path = tmp_path / f"g.{fmt}"
        result = _run(url, "graph", "-f", fmt, "-o", str(path))
        assert result.exit_code == 0, result.output
        g = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
        kh, us = str(ids["Kataib Hezbollah"]), str(ids["United States"])
        assert str(ids["Harakat al-Nujaba"]) not in g  # merged into KH
        node = g.nodes[kh]
        assert node["kind"] == "armed_group" and node["country"] == "IRQ"
        assert "camp" in node and (node.get("label") == "Kataib Hezbollah"
                                   or fmt == "graphml")
        edge = g.edges[kh, us]
        assert int(edge["sign"]) == -1 and float(edge["weight"]) < 0
        assert "events" in edge["tie_type" if fmt == "gexf" else "type"]
        assert edge["first_date"] == "2023-11-20" and edge["last_date"] == "2024-02-10"


def test_graph_rows_and_the_time_window(db):
    url, ids = db
    rows = list(csv.DictReader(io.StringIO(_run(url, "graph", "-f", "csv").stdout)))
    pairs = {(r["source"], r["target"]) for r in rows}
    assert ("United States", "Kataib Hezbollah") in pairs or (
        "Kataib Hezbollah", "United States") in pairs
    early = list(csv.DictReader(io.StringIO(
        _run(url, "graph", "-f", "csv", "--until", "2023-11-30").stdout)))
    assert 0 < len(early) < len(rows)


def test_stix_bundle_parses_with_stix2_and_cites_the_articles(db):
    url, ids = db
    result = _run(url, "graph", "-f", "stix")
    assert result.exit_code == 0, result.output
    bundle = stix2.parse(result.stdout, allow_custom=False)
    by_type: dict[str, list] = {}
    for obj in bundle.objects:
        by_type.setdefault(obj.type, []).append(obj)
    threat = {o.name: o for o in by_type["threat-actor"]}
    assert "Kataib Hezbollah" in threat and "Harakat al-Nujaba" not in threat
    assert "Hezbollah Brigades" in threat["Kataib Hezbollah"].aliases
    identities = {o.name: o for o in by_type["identity"]}
    assert identities["Hadi al-Amiri"].identity_class == "individual"
    assert identities["United States"].identity_class == "organization"
    rels = by_type["relationship"]
    kinds = {r.relationship_type for r in rels}
    assert "allied-with" in kinds and "leads" in kinds
    assert "opposes" not in kinds  # the analyst rejected it
    allied = next(r for r in rels if r.relationship_type == "allied-with")
    assert allied.target_ref == threat["Kataib Hezbollah"].id
    assert [ref.url for ref in allied.external_references] == [URLS["doc-a"]]
    # ids are stable from one export to the next
    again = stix2.parse(_run(url, "graph", "-f", "stix").stdout, allow_custom=False)
    assert sorted(o.id for o in again.objects) == sorted(o.id for o in bundle.objects)


@pytest.mark.parametrize(("args", "reason"), [
    (["actors", "-f", "gexf"], "not available for actors"),
    (["graph", "-f", "parquet"], "needs --output"),
    (["people"], "cannot export 'people'"),
    (["events", "-f", "xml"], "not available for events"),
    (["graph", "-f", "gexf", "-o", "/nonexistent-folder/x.gexf"], "does not exist"),
])
def test_bad_requests_are_one_line_and_exit_2(db, args, reason):
    url, _ = db
    result = _run(url, *args)
    assert result.exit_code == 2
    assert reason in result.output and len(result.output.strip().splitlines()) == 1

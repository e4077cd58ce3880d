"""`factionmap map` prints the camps the network API computes, on a hand-made signed network."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from factionmap.analysis.blocs import COLOUR_NAMES
from factionmap.cli.main import app
from factionmap.store.db import make_engine, open_store
from factionmap.store.models import Actor, Document, EventActor, EventFact
from factionmap.store.summaries import rebuild_summaries
from factionmap.web.app import create_app

runner = CliRunner(env={"COLUMNS": "250"})
DAY = dt.date(2023, 3, 1)
SENTENCE = "An invented sentence standing in for the evidence."
NORTH = ("Northwind Front", "Northwind Guard", "Northwind Council")
SOUTH = ("Southsea Army", "Southsea Brigades")


def _signed_store(url: str) -> None:
    """Two blocs: cooperation inside each, assaults across."""
    store = open_store(url)  # a store the CLI opens: schema revision recorded
    with store.session() as session:
        session.add(Document(id="d1", title="t", text=SENTENCE, published=DAY))
        ids = {}
        for name in (*NORTH, *SOUTH):
            actor = Actor(name=name, kind="armed_group", discovery_key=f"test:{name}")
            session.add(actor)
            session.flush()
            ids[name] = actor.id

        def events(src: str, tgt: str, goldstein: float, n: int) -> None:
            for _ in range(n):  # enough evidence (CAMP_MIN_EVIDENCE) to place camps
                e = EventFact(
                    document_id="d1", type="COOPERATE" if goldstein > 0 else "ASSAULT",
                    cameo="057" if goldstein > 0 else "190", goldstein=goldstein,
                    quad_class=2 if goldstein > 0 else 4, source_actor_id=ids[src],
                    target_actor_id=ids[tgt], trigger_start=0, trigger_end=1,
                    trigger_text="a", date=DAY, evidence_start=0, evidence_end=len(SENTENCE),
                    sentence_text=SENTENCE, reported_at=DAY, confidence=0.9)
                session.add(e)
                session.flush()
                session.add_all([EventActor(event_id=e.id, side=side, actor_id=ids[who],
                                            start=0, end=1, text=who)
                                 for side, who in (("source", src), ("target", tgt))])

        for i, a in enumerate(NORTH):
            for b in NORTH[i + 1:]:
                events(a, b, 8.0, 3)
        events(*SOUTH, 8.0, 3)
        for a in NORTH:
            for b in SOUTH:
                events(a, b, -10.0, 2)
        rebuild_summaries(session)
        session.commit()
    store.close()


def _camp_rows(output: str) -> list[str]:
    """The body rows of the Camps table (it is printed last)."""
    table = output[output.index("Camps"):]
    return [line for line in table.splitlines()
            if line.startswith("│") and "camp" not in line.split("│")[1]]


def test_map_prints_two_opposing_camps_with_their_members(tmp_path):
    url = f"sqlite:///{tmp_path / 'camps.db'}"
    _signed_store(url)
    result = runner.invoke(app, ["--db", url, "map"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = _camp_rows(result.output)
    assert len(rows) == 2, result.output
    north = next(r for r in rows if "Northwind Front" in r)
    south = next(r for r in rows if "Southsea Army" in r)
    assert all(name in north for name in NORTH) and not any(n in north for n in SOUTH)
    assert all(name in south for name in SOUTH) and not any(n in south for n in NORTH)
    # the ties that hold each camp: three pairs in the north, one in the south
    assert north.rstrip("│ ").split("│")[-1].strip() == "3"
    assert south.rstrip("│ ").split("│")[-1].strip() == "1"

    # the same camps, names and colours as the network API serves
    engine = make_engine(url)
    client = TestClient(create_app(engine=engine, token=""), base_url="http://127.0.0.1:8000")
    camps = client.get("/api/network").json()["camps"]
    engine.dispose()
    assert len(camps) == 2
    for camp in camps:
        row = north if "Northwind" in camp["name"] else south
        assert row.split("│")[1].strip() == camp["name"]
        assert COLOUR_NAMES[camp["colour"]] in row

"""End to end on the seed articles: real sources, spaCy, extract, resolve, store, CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from factionmap.analysis.queries import find_actor
from factionmap.cli.main import app
from factionmap.store.db import open_store
from factionmap.store.models import Actor, Alias, RelationFact


@pytest.fixture(scope="module")
def seeded(shared_dir, nlp, module_db_url):
    from factionmap.ingest import ingest_paths

    seeds = shared_dir / "corpus" / "seeds"
    url = module_db_url
    store = open_store(url)
    summary = ingest_paths([seeds], store, progress=False)
    again = ingest_paths([seeds], store, progress=False)
    yield url, store, summary, again
    store.close()


def test_seeds_ingest_cleanly_and_idempotently(seeded):
    _, _, summary, again = seeded
    assert summary.failed == 0, summary.errors
    assert summary.ingested == 2
    assert (again.ingested, again.duplicates) == (0, 2)


def test_amiri_leads_badr_and_fatah_with_evidence(seeded):
    url, store, _, _ = seeded
    with store.session() as session:
        amiri = find_actor(session, "Amiri")
        assert amiri is not None and amiri.kb_id == "kb:hadi_al_amiri"
        led = session.scalars(
            select(RelationFact).where(
                RelationFact.subject_actor_id == amiri.id, RelationFact.type == "leads"
            )
        ).all()
        groups = {session.get(Actor, r.object_actor_id).kb_id: r for r in led if r.object_actor_id}
        assert {"kb:badr_organization", "kb:fatah_alliance"} <= set(groups)
        for fact in groups.values():
            assert fact.sentence_text and fact.evidence_end > fact.evidence_start
    runner = CliRunner(env={"COLUMNS": "250"})
    result = runner.invoke(app, ["--db", url, "actor", "Amiri"], catch_exceptions=False)
    assert result.exit_code == 0
    # rows of the "Leads" table: Amiri leads each group, with its sentence beside it
    lines = result.output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Leads"))
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i][:1].isalpha()), len(lines)
    )  # the next table's title ends this one
    table = "\n".join(lines[start:end])
    # plain booleans: pytest's diff of a long table output is very costly
    shows_badr = "Badr Organization" in table
    shows_fatah = "Fatah Alliance" in table
    assert shows_badr and shows_fatah, "Leads table lacks Badr or Fatah"


def test_pmu_is_one_actor_not_one_per_spelling(seeded):
    _, store, _, _ = seeded
    with store.session() as session:
        spellings = ("Hashd", "PMU", "Popular Mobilization Units", "Hashd al-Shaabi")
        found = {find_actor(session, s).id for s in spellings if find_actor(session, s)}
        assert len(found) == 1
        pmu_id = found.pop()
        # no text-discovered actor carries a PMU spelling as its own name
        others = session.scalars(
            select(Alias.actor_id).where(
                Alias.name.in_(spellings), Alias.actor_id != pmu_id, Alias.origin != "link"
            )
        ).all()
        assert others == []

"""End to end on the seed articles: real sources, spaCy, extract, resolve, store, CLI.

Which relations the trained models find in the seeds is evaluation, not a unit test; these
tests check what must hold whatever the models find: ingest is clean and idempotent, every
stored fact quotes its document exactly, KB actors are linked and found by their names,
and the CLI reads the store.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from factionmap.analysis.queries import find_actor
from factionmap.cli.main import app
from factionmap.records import MODALITIES
from factionmap.store.db import open_store
from factionmap.store.models import Actor, Alias, Document, Mention, RelationFact, Sentence
from test_store_helpers import store_rows

# Spellings of KB actors named in the seeds, and the KB entry each must link to: the
# link is the knowledge base's (its aliases, a name part of a full name already linked),
# not a model's guess.
KB_NAMES = {
    "Hadi al-Amiri": "kb:hadi_al_amiri",
    "Amiri": "kb:hadi_al_amiri",
    "Badr Organization": "kb:badr_organization",
    "Kataib Hezbollah": "kb:kataib_hezbollah",
    "Asaib Ahl al-Haq": "kb:asaib_ahl_al_haq",
    "Popular Mobilization Units": "kb:pmu",
    "Abu Mahdi al-Muhandis": "kb:abu_mahdi_al_muhandis",
}


@pytest.fixture(scope="module")
def seeded(shared_dir, nlp, module_db_url):
    from factionmap.ingest import ingest_paths

    seeds = shared_dir / "corpus" / "seeds"
    url = module_db_url
    store = open_store(url)
    summary = ingest_paths([seeds], store, progress=False)
    before = store_rows(store)
    again = ingest_paths([seeds], store, progress=False)
    unchanged = store_rows(store) == before  # a bool: pytest's diff of two stores is costly
    yield url, store, summary, again, unchanged
    store.close()


def test_seeds_ingest_cleanly_and_idempotently(seeded):
    _, _, summary, again, unchanged = seeded
    assert summary.failed == 0, summary.errors
    assert summary.ingested == 2
    assert (again.ingested, again.duplicates, again.failed) == (0, 2, 0)
    assert unchanged, "ingesting the seeds a second time changed the store"


def _slice_problems(text: str, start: int, end: int, quoted: str, what: str) -> list[str]:
    if not 0 <= start < end <= len(text):
        return [f"{what}: {start}:{end} outside the text ({len(text)} chars)"]
    if text[start:end] != quoted:
        return [f"{what}: {quoted[:40]!r} is not the document slice {start}:{end}"]
    return []


def test_every_relation_quotes_its_document(seeded):
    _, store, _, _, _ = seeded
    with store.session() as session:
        relations = session.scalars(select(RelationFact).order_by(RelationFact.id)).all()
        # two articles full of leaders and factions with no relation at all means a broken
        # pipeline (models not loaded, facts dropped on the way), not a weak model
        assert relations, "no relation stored from the seed articles"
        problems = []
        for r in relations:
            doc = r.document
            where = f"relation {r.id} ({r.type})"
            problems += _slice_problems(doc.text, r.evidence_start, r.evidence_end,
                                        r.sentence_text, f"{where} evidence")
            for side, start, end, quoted in (
                ("subject", r.subject_start, r.subject_end, r.subject_text),
                ("object", r.object_start, r.object_end, r.object_text),
            ):
                problems += _slice_problems(doc.text, start, end, quoted, f"{where} {side}")
                if not r.evidence_start <= start < end <= r.evidence_end:
                    problems.append(f"{where}: {side} {quoted!r} outside its evidence sentence")
            if r.modality not in MODALITIES:
                problems.append(f"{where}: modality {r.modality!r}")
            if r.reported_at != doc.published:
                problems.append(f"{where}: reported_at {r.reported_at} is not {doc.published}")
            if r.valid_from and r.valid_until and r.valid_from > r.valid_until:
                problems.append(f"{where}: valid {r.valid_from} after {r.valid_until}")
        assert not problems, "\n".join(problems)


def test_sentences_and_mentions_are_slices_of_the_text(seeded):
    _, store, _, _, _ = seeded
    with store.session() as session:
        docs = {d.id: d.text for d in session.scalars(select(Document))}
        problems = []
        sentences = session.scalars(select(Sentence)).all()
        mentions = session.scalars(select(Mention)).all()
        assert sentences and mentions
        for s in sentences:
            problems += _slice_problems(docs[s.document_id], s.start, s.end, s.text,
                                        f"sentence {s.id}")
        for m in mentions:
            problems += _slice_problems(docs[m.document_id], m.start, m.end, m.text,
                                        f"mention {m.id}")
        assert not problems, "\n".join(problems[:20])


def test_kb_actors_are_linked_and_found_by_their_names(seeded):
    _, store, _, _, _ = seeded
    with store.session() as session:
        kb_rows = {a.kb_id: a for a in session.scalars(select(Actor).where(
            Actor.kb_id.in_(set(KB_NAMES.values()))))}
        mentions = session.scalars(select(Mention).where(Mention.text.in_(list(KB_NAMES))))
        checked, wrong = 0, []
        for m in mentions:
            checked += 1
            actor = session.get(Actor, m.actor_id) if m.actor_id else None
            if actor is None or actor.kb_id != KB_NAMES[m.text]:
                wrong.append(f"{m.text!r} at {m.start} -> {actor.kb_id if actor else None}")
        assert checked, "no mention of any KB actor of the seeds"
        assert not wrong, wrong
        # every KB actor in the store is found by each of its spellings (the Amiri lookup
        # is a whole word of a stored KB alias)
        for name, kb_id in KB_NAMES.items():
            if kb_id in kb_rows:
                found = find_actor(session, name)
                assert found is not None and found.kb_id == kb_id, (name, found)


def test_pmu_is_one_actor_not_one_per_spelling(seeded):
    _, store, _, _, _ = seeded
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


def test_cli_reads_the_store(seeded):
    url, store, _, _, _ = seeded
    with store.session() as session:
        # the KB actor with most mentions, whichever the models found most
        rows = session.execute(
            select(Actor.name, Actor.kb_id).join(Mention, Mention.actor_id == Actor.id)
            .where(Actor.kb_id.is_not(None))
        ).all()
        assert rows
        name, kb_id = max(set(rows), key=lambda r: (rows.count(r), r))
        # the map lists actors by mentions: the most mentioned one comes first
        counts = session.execute(
            select(Actor.name, func.count(Mention.id)).join(Mention, Mention.actor_id == Actor.id)
            .group_by(Actor.id, Actor.name)
        ).all()
        top = min(counts, key=lambda r: (-r[1], r[0]))[0]
    runner = CliRunner(env={"COLUMNS": "250"})
    shown = runner.invoke(app, ["--db", url, "actor", name], catch_exceptions=False)
    assert shown.exit_code == 0
    head = shown.output.splitlines()[0]
    assert head.startswith(name) and f"kb: {kb_id}" in head, head
    assert "Aliases" in shown.output
    overview = runner.invoke(app, ["--db", url, "map"], catch_exceptions=False)
    assert overview.exit_code == 0
    assert "2 documents" in overview.output.splitlines()[0]
    assert "Top actors" in overview.output and top in overview.output

"""Analyst corrections survive removing and re-ingesting a document (ingest_paths replays them).

The extraction is written by hand (``Builder``) and stands in for the model stage of
``ingest_paths``: reading the file, the writer, removal and the replay of the audit trail
are the real ones, so the test does not depend on what a trained model finds.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from sqlalchemy import select

from factionmap import parallel
from factionmap import records as rec
from factionmap.analysis.corrections import record_correction
from factionmap.analysis.stance import dyad_stance
from factionmap.ingest import ingest_paths
from factionmap.parallel import Extracted
from factionmap.store.db import open_store
from factionmap.store.ingest import remove_document
from factionmap.store.models import Actor, EventFact
from test_store_helpers import Builder

# Our own invented report: two threats in two sentences. The second names its target only
# as "the foreign troops", an unnamed agent of this document (a text-discovered actor, not
# a KB entry), so removing the document deletes it and re-ingesting makes it anew.
REPORT = (
    "Liwa Tango threatened the United States after a night of rocket fire. "
    "Saraya Xray also warned the foreign troops to leave the base. "
    "A spokesman for Liwa Tango said the group would answer any raid."
)
TROOPS_KEY = "local:MIL:foreign troops"


def _extract(article: rec.Article) -> rec.ArticleExtraction:
    """What the models would find in REPORT, written by hand (offsets found by words)."""
    b = Builder(article.text, article.date)
    tango = b.mention("Liwa Tango", "new:organisation:liwa tango", kind="armed_group")
    us = b.mention("United States", "kb:usa", "Location", kind="state")
    xray = b.mention("Saraya Xray", "new:organisation:saraya xray", kind="armed_group")
    troops = b.mention("foreign troops", TROOPS_KEY, name="foreign troops", kind="other")
    b.mention("Liwa Tango", "new:organisation:liwa tango", kind="armed_group", nth=1)
    for trigger, source, target in (("threatened", tango, us), ("warned", xray, troops)):
        b.event("THREATEN", trigger, (source,), (target,), cameo="138", quad=3,
                goldstein=-7.0)
    return dataclasses.replace(b.build(), article=article)


def _by_hand(articles, **_options):  # type: ignore[no-untyped-def]
    """Replaces ``parallel.extract_local`` (the model stage) inside ``ingest_articles``."""
    for article in articles:
        yield Extracted(article, _extract(article))


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "extract_local", _by_hand)
    path = tmp_path / "articles"
    path.mkdir()
    row = {"title": "Threats at the base", "date": "2022-06-12", "text": REPORT}
    (path / "report.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


def _actor(session, **where) -> Actor | None:
    column, value = next(iter(where.items()))
    return session.scalars(select(Actor).where(getattr(Actor, column) == value)).first()


def _threat_of(session, source: Actor) -> EventFact:
    return session.scalars(
        select(EventFact).where(EventFact.source_actor_id == source.id,
                                EventFact.type == "THREATEN")
    ).one()


def _events(session, source: Actor, target: Actor) -> int:
    return sum(p.n_events for p in dyad_stance(session, source.id, target.id))


@pytest.fixture()
def store(db_url):
    s = open_store(db_url)
    yield s
    s.close()


def test_merge_and_rejection_hold_after_reingestion(store, kb, folder):
    first = ingest_paths([folder], store, progress=False, kb=kb)
    assert (first.ingested, first.failed) == (1, 0), first.errors
    assert first.corrections_replayed == 0  # nothing to replay yet

    with store.session() as session:
        us = _actor(session, kb_id="kb:usa")
        tango = _actor(session, name="Liwa Tango")
        xray = _actor(session, name="Saraya Xray")
        assert us is not None and tango is not None and xray is not None
        absorbed = session.get(Actor, _threat_of(session, xray).target_actor_id)
        assert absorbed is not None and absorbed.kb_id is None and absorbed.id != us.id
        discovery_key = absorbed.discovery_key
        assert discovery_key and discovery_key.startswith(TROOPS_KEY)
        # before any correction: one threat each, the second not against the United States
        assert (_events(session, tango, us), _events(session, xray, us)) == (1, 0)
        record_correction(session, "merge", {"absorbed": {"id": absorbed.id},
                                             "survivor": {"id": us.id}}, "analyst", "same force")
        record_correction(session, "reject", {"fact": "event", "id": _threat_of(session, tango).id},
                          "analyst", "misread")
        assert (_events(session, tango, us), _events(session, xray, us)) == (0, 1)
        absorbed_id = absorbed.id

    with store.session() as session:
        remove_document(session, first.document_ids[0])
    with store.session() as session:
        # gone with their document: the unnamed agent and the two text-discovered brigades
        assert _actor(session, discovery_key=discovery_key) is None
        assert _actor(session, name="Liwa Tango") is None
        assert session.scalars(select(EventFact)).all() == []
        assert _actor(session, kb_id="kb:usa") is not None  # KB actors stay

    again = ingest_paths([folder], store, progress=False, kb=kb)
    assert again.ingested == 1 and not again.correction_failures, again.correction_failures
    assert again.corrections_replayed == 2
    assert again.document_ids == first.document_ids

    with store.session() as session:
        us = _actor(session, kb_id="kb:usa")
        tango, xray = _actor(session, name="Liwa Tango"), _actor(session, name="Saraya Xray")
        reborn = _actor(session, discovery_key=discovery_key)
        assert us is not None and tango is not None and xray is not None
        assert reborn is not None and reborn.id != absorbed_id  # a new row, merged again
        assert reborn.merged_into_id == us.id
        assert _threat_of(session, tango).review == "rejected"
        assert _threat_of(session, xray).review is None
        # the summaries saw the replayed rejection and merge too
        assert (_events(session, tango, us), _events(session, xray, us)) == (0, 1)

    # ingesting the same file once more is a no-op: nothing to replay, nothing doubled
    third = ingest_paths([folder], store, progress=False, kb=kb)
    assert (third.ingested, third.duplicates, third.corrections_replayed) == (0, 1, 0)
    with store.session() as session:
        assert len(session.scalars(select(EventFact)).all()) == 2

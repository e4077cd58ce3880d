"""Analyst corrections survive removing and re-ingesting a document (ingest_paths replays them)."""

from __future__ import annotations

from sqlalchemy import select

from factionmap.analysis.corrections import record_correction
from factionmap.analysis.stance import dyad_stance
from factionmap.ingest import ingest_paths
from factionmap.store.db import open_store
from factionmap.store.ingest import remove_document
from factionmap.store.models import Actor, EventFact

# Our own invented report: two threats, one against an agent-coded "US military" actor
# that is discovered from the text (not a KB entry), so removal deletes it.
REPORT = (
    "Basra, 12 June 2022. Kataib Hezbollah threatened the United States after a drone strike "
    "near the airport. Harakat al-Nujaba also threatened American forces. Local commander "
    "Jabbar al-Saadawi said the brigade would answer."
)


def _actor(session, **where) -> Actor | None:
    column, value = next(iter(where.items()))
    return session.scalars(select(Actor).where(getattr(Actor, column) == value)).first()


def _threat_of(session, source: Actor) -> EventFact:
    return session.scalars(
        select(EventFact).where(EventFact.source_actor_id == source.id,
                                EventFact.type == "THREATEN")
    ).one()


def test_merge_and_rejection_hold_after_reingestion(nlp, db_url, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "basra.txt").write_text(REPORT, encoding="utf-8")
    store = open_store(db_url)
    first = ingest_paths([folder], store, progress=False)
    assert first.ingested == 1 and not first.errors

    with store.session() as session:
        us, kh = _actor(session, kb_id="kb:usa"), _actor(session, kb_id="kb:kataib_hezbollah")
        nujaba = _actor(session, kb_id="kb:harakat_al_nujaba")
        military = _threat_of(session, nujaba).target_actor_id
        absorbed = session.get(Actor, military)
        assert absorbed is not None and absorbed.kb_id is None and absorbed.id != us.id
        discovery_key = absorbed.discovery_key
        record_correction(session, "merge", {"absorbed": {"id": absorbed.id},
                                             "survivor": {"id": us.id}}, "analyst", "same force")
        record_correction(session, "reject", {"fact": "event", "id": _threat_of(session, kh).id},
                          "analyst", "misread")
        assert dyad_stance(session, kh.id, us.id) == []
        assert sum(p.n_events for p in dyad_stance(session, nujaba.id, us.id)) == 1

    with store.session() as session:
        remove_document(session, first.document_ids[0])
        assert _actor(session, discovery_key=discovery_key) is None  # gone with its document

    again = ingest_paths([folder], store, progress=False)
    assert again.ingested == 1 and not again.correction_failures
    assert again.corrections_replayed == 2

    with store.session() as session:
        reborn = _actor(session, discovery_key=discovery_key)
        assert reborn is not None and reborn.merged_into_id == us.id
        assert _threat_of(session, kh).review == "rejected"
        assert dyad_stance(session, kh.id, us.id) == []  # the summaries saw the rejection too
        assert sum(p.n_events for p in dyad_stance(session, nujaba.id, us.id)) == 1
    store.close()

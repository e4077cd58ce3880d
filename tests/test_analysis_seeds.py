"""Blocs from the two seed articles alone: Badr is not in the anti-US camp of KH, AAH and Nujaba.

Run with ``pytest -s`` to see the camp of each PMU faction and the ties that hold it there.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factionmap.analysis.network import Network, signed_network
from factionmap.ingest import ingest_paths
from factionmap.store.db import open_store
from factionmap.store.models import Actor

US = "kb:usa"
BADR = "kb:badr_organization"
HARDLINERS = ("kb:kataib_hezbollah", "kb:asaib_ahl_al_haq", "kb:harakat_al_nujaba")
PMU_FACTIONS = (BADR, *HARDLINERS, "kb:pmu")


@pytest.fixture(scope="module")
def seed_network(nlp, shared_dir, module_db_url):
    seeds = shared_dir / "corpus" / "seeds"
    if not seeds.is_dir():
        pytest.skip("no seed corpus in ../shared")
    store = open_store(module_db_url)
    summary = ingest_paths([seeds], store, progress=False)
    assert summary.ingested == 2 and not summary.errors, summary.errors
    with store.session() as session:
        net = signed_network(session, max_nodes=500)
        kb_actors = session.scalars(select(Actor).where(Actor.kb_id.is_not(None)))
        ids = {a.kb_id: a.id for a in kb_actors}
    store.close()
    yield net, ids


def _listing(net: Network, ids: dict[str, int]) -> str:
    names = {n.id: n.name for n in net.nodes}
    lines = [f"camps: {len(net.blocs.camps())}, frustration {net.blocs.frustration:.3f}"]
    for kb_id in (US, *PMU_FACTIONS):
        actor = ids.get(kb_id)
        member = net.blocs.members.get(actor) if actor is not None else None
        if member is None:
            lines.append(f"{kb_id}: not in the network (no signed ties extracted)")
            continue
        ties = ", ".join(f"{names.get(o, o)} {w:+.2f}" for o, w in member.ties) or "none"
        lines.append(f"{names[actor]}: camp {member.camp} (strength {member.strength:.2f}); "
                     f"held by: {ties}")
    for e in net.edges:
        if {e.a, e.b} & {ids.get(k) for k in (US, *PMU_FACTIONS)}:
            lines.append(f"  tie {names.get(e.a)} -- {names.get(e.b)}: {e.weight:+.3f} "
                         f"({e.n_events} events, {e.n_relations} relations "
                         f"{'/'.join(e.relation_types)})")
    return "\n".join(lines)


def test_badr_is_not_in_the_camp_of_the_anti_us_factions(seed_network):
    net, ids = seed_network
    print("\n" + _listing(net, ids))
    camp = net.blocs.camp_of
    missing = [k for k in (US, BADR, *HARDLINERS) if ids.get(k) is None or camp(ids[k]) is None]
    assert not missing, f"no signed ties extracted for {missing}"
    badr = camp(ids[BADR])
    together = [k for k in HARDLINERS if camp(ids[k]) == badr]
    assert not together, f"Badr shares camp {badr} with {together}"

"""Blocs of an umbrella whose factions disagree about a foreign state.

Four invented factions belong to one umbrella front. Three of them threaten or attack the
United States and praise one another; the fourth meets its ambassador and agrees to work
with it, and is accused by one of the three. The membership ties are structure, weaker
than any stance: the fourth faction belongs in the camp of the United States, not in the
camp of the other three. (This is the question the seed articles raise about Badr and the
hardline factions, asked of a hand-written extraction so that it tests the store, the
summaries and the partition rather than what a model happens to find.)

Run with ``pytest -s`` to see each actor's camp and the ties that hold it there.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from factionmap import records as rec
from factionmap.analysis.corrections import record_correction
from factionmap.analysis.network import CampRules, Network, signed_network
from factionmap.store.actors import ActorResolver
from factionmap.store.db import open_store
from factionmap.store.ingest import ingest_extraction
from factionmap.store.models import Actor, EventFact
from test_store_helpers import Builder

# own wording, invented factions
TEXT = (
    "Liwa Hotel fired rockets at the United States embassy. "
    "Saraya India threatened the United States. "
    "Kataib Juliet attacked a United States convoy. "
    "Liwa Hotel praised Saraya India. "
    "Firqat Kilo met the United States ambassador. "
    "Firqat Kilo and the United States agreed to cooperate. "
    "Liwa Hotel accused Firqat Kilo of betrayal. "
    "Liwa Hotel, Saraya India, Kataib Juliet and Firqat Kilo belong to the Sentinel Front."
)
# One hand-written article gives every tie a single report, below the evidence floor camps
# use by default; the floor is lowered so that the partition itself is what is tested.
ONE_ARTICLE = CampRules(min_evidence=1, min_confidence=0.0)
HARDLINERS = ("Liwa Hotel", "Saraya India", "Kataib Juliet")
MODERATE = "Firqat Kilo"
UMBRELLA = "Sentinel Front"
US = "United States"


def _article() -> rec.ArticleExtraction:
    b = Builder(TEXT, dt.date(2023, 5, 20))
    seen: dict[str, int] = {}

    def m(name: str) -> rec.Span:  # the next mention of ``name``, in text order
        nth = seen.get(name, 0)
        seen[name] = nth + 1
        if name == US:
            return b.mention(US, "kb:usa", "Location", kind="state", nth=nth)
        key = f"new:organisation:{name.lower()}"
        return b.mention(name, key, kind="armed_group", nth=nth)

    b.event("ASSAULT", "fired", (m("Liwa Hotel"),), (m(US),), cameo="190", quad=4,
            goldstein=-10.0)
    b.event("THREATEN", "threatened", (m("Saraya India"),), (m(US),), cameo="138", quad=3,
            goldstein=-7.0)
    b.event("ASSAULT", "attacked", (m("Kataib Juliet"),), (m(US),), cameo="190", quad=4,
            goldstein=-10.0)
    b.event("APPEAL", "praised", (m("Liwa Hotel"),), (m("Saraya India"),), cameo="051",
            quad=1, goldstein=3.4)
    b.event("CONSULT", "met", (m(MODERATE),), (m(US),), cameo="040", quad=1, goldstein=1.0)
    b.event("COOPERATE", "agreed", (m(MODERATE),), (m(US),), cameo="061", quad=2,
            goldstein=6.4)
    b.event("ACCUSE", "accused", (m("Liwa Hotel"),), (m(MODERATE),), cameo="112", quad=3,
            goldstein=-2.0)
    umbrella = m(UMBRELLA)
    for name in (*HARDLINERS, MODERATE):
        b.relation("member_of", m(name), umbrella, confidence=0.9)
    return b.build()


@pytest.fixture()
def store(db_url):
    s = open_store(db_url)
    with s.session() as session:
        assert ingest_extraction(session, _article(), ActorResolver()) == "ingested"
    yield s
    s.close()


def _ids(session) -> dict[str, int]:
    return {a.name: a.id for a in session.scalars(select(Actor))}


def _listing(net: Network, ids: dict[str, int]) -> str:
    names = {n.id: n.name for n in net.nodes}
    lines = [f"camps: {len(net.blocs.camps())}, frustration {net.blocs.frustration:.3f}"]
    for name in (US, MODERATE, *HARDLINERS, UMBRELLA):
        member = net.blocs.members.get(ids[name])
        if member is None:
            lines.append(f"{name}: not in the network")
            continue
        ties = ", ".join(f"{names.get(o, o)} {w:+.2f}" for o, w in member.ties) or "none"
        lines.append(f"{name}: camp {member.camp} (strength {member.strength:.2f}); "
                     f"held by: {ties}")
    return "\n".join(lines)


def test_the_faction_that_works_with_the_us_is_not_in_the_hardliners_camp(store):
    with store.session() as session:
        ids = _ids(session)
        net = signed_network(session, max_nodes=500, camp_rules=ONE_ARTICLE)
        print("\n" + _listing(net, ids))
        camp = net.blocs.camp_of
        names = (US, MODERATE, *HARDLINERS, UMBRELLA)
        missing = [n for n in names if camp(ids[n]) is None]
        assert not missing, f"not in the network: {missing}"
        hardliners = {camp(ids[n]) for n in HARDLINERS}
        assert len(hardliners) == 1, "the three hardline factions are split"
        assert camp(ids[MODERATE]) == camp(ids[US])
        assert camp(ids[MODERATE]) not in hardliners
        assert camp(ids[US]) not in hardliners
        # the signs of the ties the blocs were cut from
        sign = {frozenset((e.a, e.b)): e.sign for e in net.edges}
        assert sign[frozenset((ids[MODERATE], ids[US]))] == 1
        assert sign[frozenset((ids["Kataib Juliet"], ids[US]))] == -1
        assert sign[frozenset((ids["Liwa Hotel"], ids["Saraya India"]))] == 1


def test_rejected_cooperation_leaves_only_the_umbrella_and_the_accusation(store):
    """An analyst rejects the moderate faction's meeting and agreement: nothing positive
    ties it to the United States any more, and the network has no edge between them."""
    with store.session() as session:
        ids = _ids(session)
        for event in session.scalars(
            select(EventFact).where(EventFact.source_actor_id == ids[MODERATE])
        ):
            record_correction(session, "reject", {"fact": "event", "id": event.id},
                              "analyst", "not this faction")
    with store.session() as session:
        net = signed_network(session, max_nodes=500, camp_rules=ONE_ARTICLE)
        pairs = {frozenset((e.a, e.b)) for e in net.edges}
        assert frozenset((ids[MODERATE], ids[US])) not in pairs
        accused = next(e for e in net.edges
                       if {e.a, e.b} == {ids["Liwa Hotel"], ids[MODERATE]})
        assert accused.sign == -1
        # still opposed to the faction that accused it
        assert net.blocs.camp_of(ids[MODERATE]) != net.blocs.camp_of(ids["Liwa Hotel"])

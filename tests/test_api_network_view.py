"""The network the API and the network view show: filters pick the right ties, media
outlets are not nodes (on the 150-actor network sample)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from factionmap.analysis.network import edge_sources
from factionmap.store.db import make_engine
from factionmap.store.models import Base
from factionmap.web.app import create_app
from factionmap.web.sample import NetworkSample, build_network_sample

BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def net(module_db_url) -> tuple[TestClient, NetworkSample]:
    engine = make_engine(module_db_url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        sample = build_network_sample(session)
        session.commit()
    return TestClient(create_app(engine=engine, token=""), base_url=BASE), sample


def test_edge_sources_follow_the_filters():
    assert edge_sources("all", None, None) == (True, True)
    assert edge_sources("all", ["ASSAULT"], None) == (True, False)
    assert edge_sources("all", None, ["allied_with"]) == (False, True)
    assert edge_sources("all", ["ASSAULT"], ["allied_with"]) == (True, True)
    assert edge_sources("events", None, None) == (True, False)
    assert edge_sources("relations", None, None) == (False, True)


def test_media_outlets_are_not_nodes_and_the_view_stays_full(net):
    client, sample = net
    data = client.get("/api/network", params={"max_nodes": 150}).json()
    names = {n["name"] for n in data["nodes"]}
    assert len(data["nodes"]) == 150
    assert not names & set(sample.media)
    # the outlets are busy enough to be among the 150 if they were not left out
    media_events = client.get("/api/events", params={
        "actor": sample.actors[sample.media[0]], "limit": 1}).json()["total"]
    assert media_events >= 20
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["a"] in ids and e["b"] in ids for e in data["edges"])
    assert len(data["edges"]) > 300


def test_an_event_type_shows_its_event_ties_only(net):
    client, _ = net
    everything = client.get("/api/network").json()
    assert any(e["n_relations"] for e in everything["edges"])
    assault = client.get("/api/network", params={"event_type": "ASSAULT"}).json()
    assert assault["edges"]
    assert all(e["n_events"] > 0 and e["n_relations"] == 0 and not e["relation_types"]
               for e in assault["edges"])
    assert all(e["sign"] < 0 for e in assault["edges"])  # attacks only, no alliance tie
    allied = client.get("/api/network", params={"relation_type": "allied_with"}).json()
    assert allied["edges"]
    assert all(e["n_events"] == 0 and e["relation_types"] == ["allied_with"]
               for e in allied["edges"])
    events_only = client.get("/api/network", params={"ties": "events"}).json()
    assert all(e["n_events"] > 0 and not e["relation_types"] for e in events_only["edges"])
    relations_only = client.get("/api/network", params={"ties": "relations"}).json()
    assert all(e["n_events"] == 0 for e in relations_only["edges"])


def test_bad_network_parameters_are_422_not_500(net):
    client, _ = net
    for params in ({"ties": "some"}, {"max_nodes": 0}, {"max_nodes": 501},
                   {"end": "2024-13-01"}, {"kind": "x" * 65}):
        response = client.get("/api/network", params=params)
        assert response.status_code == 422, params
        assert list(params)[0] in response.json()["detail"]


def test_camps_name_and_colour_the_drawn_nodes(net):
    client, sample = net
    data = client.get("/api/network", params={"max_nodes": 150}).json()
    camps = {c["id"]: c for c in data["camps"]}
    assert len(camps) >= 2 and 0 not in camps
    ids = {n["id"] for n in data["nodes"]}
    media = {sample.actors[m] for m in sample.media}
    for node in data["nodes"]:
        if node["camp"] == 0:  # no camp: grey, as the analysis paints it
            assert node["colour"] == "#9e9e9e"
        else:
            assert node["colour"] == camps[node["camp"]]["colour"]
            assert node["id"] in camps[node["camp"]]["members"]
    for camp in camps.values():
        assert camp["name"] and camp["members"] and set(camp["members"]) <= ids
        assert not set(camp["members"]) & media
    # the camp rules are parameters of the view too: with a high bar no tie places anyone
    strict = client.get("/api/network", params={"camp_min_evidence": 1000}).json()
    assert len(strict["nodes"]) == len(data["nodes"])
    assert not any(e["in_camps"] and e["n_events"] + e["n_relations"] < 1000
                   and not set(e["relation_types"]) & {"member_of", "leads", "role"}
                   for e in strict["edges"])
    for params in ({"camp_min_evidence": 0}, {"camp_min_confidence": 1.5}):
        assert client.get("/api/network", params=params).status_code == 422

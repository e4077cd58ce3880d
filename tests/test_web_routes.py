"""Pages over the network sample: what counts as a latest event, the slider's range."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from factionmap.store.db import make_engine
from factionmap.store.models import Base, EventFact
from factionmap.web.app import create_app
from factionmap.web.sample import NetworkSample, build_network_sample


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> tuple[TestClient, NetworkSample, Session]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}")
    Base.metadata.create_all(engine)
    session = Session(engine)
    sample = build_network_sample(session)
    session.commit()
    client = TestClient(create_app(engine=engine, token=""), base_url="http://127.0.0.1:8000")
    return client, sample, session


def test_events_dated_after_their_report_are_not_latest(pages):
    client, sample, session = pages
    future = session.get(EventFact, sample.future_event_id)
    assert future is not None and future.date and future.reported_at
    assert future.date > future.reported_at
    row = f"<td>{future.date.isoformat()}</td>"  # it would head the lists by its date
    html = client.get("/").text
    assert html.count('class="event-row"') == 10 and row not in html
    page = client.get(f"/actors/{future.source_actor_id}").text
    assert 'class="event-row"' in page and row not in page


def test_slider_months_leave_out_the_stray_1850(pages):
    client, _, _ = pages
    html = client.get("/network").text
    months = re.search(r'data-months="([^"]*)"', html)
    assert months is not None
    listed = months.group(1).split(",")
    assert listed[0].startswith("202") and len(listed) < 40
    assert 'id="slider-note"' in html


def test_network_page_controls_are_named_like_their_url_parameters(pages):
    client, _, _ = pages
    html = client.get("/network").text
    for name in ("month", "span", "ties", "kind", "relation_type", "event_type", "country",
                 "max_nodes", "labels"):
        assert f'name="{name}"' in html, name
    assert 'id="legend"' in html and "/static/vendor/cytoscape.min.js" in html

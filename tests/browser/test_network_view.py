"""The network view at realistic size (150 actors of web.sample.build_network_sample) and
the API reference, in headless Debian chromium."""

from __future__ import annotations

import re

from conftest import click_node, network_ready, shot


def _legend(page, section: str) -> dict[str, int]:
    return {
        li.get_attribute("data-key"): int(li.locator(".count").inner_text())
        for li in page.locator(f"#{section} li").all()
    }


def _edge_types(page) -> set[str]:
    return set(page.evaluate("() => window.factionmapNetwork.edges().map(e => e.data('type'))"))


def test_network_view_at_150_actors(big_page, big_app):
    page = big_page
    page.goto(big_app.base + "/network")
    state = network_ready(page)
    assert state["nodeCount"] == "150"
    edges = int(state["edgeCount"])
    assert edges > 300
    drawn = page.evaluate("() => window.factionmapNetwork.nodes().map(n => n.data('name'))")
    assert len(drawn) == 150 and not set(drawn) & set(big_app.media)  # outlets are no nodes
    # legend: every sign and evidence kind, with counts that add up to the ties drawn
    signs = _legend(page, "legend-signs")
    assert set(signs) == {"pos", "neg", "zero"} and sum(signs.values()) == edges
    assert signs["pos"] > 0 and signs["neg"] > 0
    kinds = _legend(page, "legend-types")
    assert set(kinds) == {"events", "relation", "structure"} and sum(kinds.values()) == edges
    assert {"allied_with", "opposes", "leads"} <= set(_legend(page, "legend-relations"))
    assert sum(_legend(page, "legend-kinds").values()) == 150
    # camps as the API names and colours them; camp 0 ("no camp") grey
    api = page.evaluate("() => fetch('/api/network' + location.search).then(r => r.json())")
    colour = {n["id"]: n["colour"] for n in api["nodes"]}
    drawn_colour = page.evaluate(
        "() => window.factionmapNetwork.nodes().map(n => [n.data('actor'), n.data('colour')])")
    assert all(colour[a] == c for a, c in drawn_colour)
    camps = _legend(page, "legend-camps")
    assert sum(camps.values()) == 150
    names = page.locator("#legend-camps li span:not(.count):not(.dot)").all_inner_texts()
    assert {c["name"] for c in api["camps"][:12]} <= set(names)
    assert all(k == "camp-0" or k == "camp-more" or int(k[5:]) in {c["id"] for c in api["camps"]}
               for k in camps)
    # labels: at most the number asked for, and no two label boxes overlap
    labelled = int(state["labelCount"])
    assert 5 <= labelled <= 30
    boxes = page.evaluate(
        """() => window.factionmapNetwork.nodes('.labelled').map(n => {
             const b = n.renderedBoundingBox({includeNodes: false, includeEdges: false});
             return [b.x1, b.y1, b.x2, b.y2, b.w]; })""")
    assert len(boxes) == labelled and all(b[4] > 20 for b in boxes)  # measured, not empty
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    # ... nor covers, or lies under, another labelled actor; labelled actors are drawn
    # above the others, so an unlabelled neighbour cannot hide a name either
    bodies = page.evaluate(
        """() => window.factionmapNetwork.nodes('.labelled').map(n => {
             const b = n.renderedBoundingBox({includeLabels: false, includeEdges: false});
             return [b.x1, b.y1, b.x2, b.y2]; })""")
    for i, a in enumerate(boxes):
        for j, b in enumerate(bodies):
            if i != j:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    lowest_labelled, highest_other = page.evaluate(
        """() => { const cy = window.factionmapNetwork, z = n => +n.style('z-index');
                   return [cy.nodes('.labelled').min(z).value,
                           cy.nodes().not('.labelled').max(z).value]; }""")
    assert lowest_labelled > highest_other
    shot(page, "network-150")
    page.fill("#labels", "8")
    page.press("#labels", "Enter")
    assert int(network_ready(page)["labelCount"]) <= 8
    assert "labels=8" in page.url
    assert not page.outside_requests and not page.errors


def test_hover_lights_up_neighbours_and_zoom_works(big_page, big_app):
    page = big_page
    page.goto(big_app.base + "/network")
    network_ready(page)
    top = page.evaluate(
        "() => window.factionmapNetwork.nodes().max(n => n.data('degree')).ele.data('actor')")
    neighbours = page.evaluate(
        "id => window.factionmapNetwork.getElementById(String(id)).neighborhood('node').length",
        top)
    click_node(page, top)
    assert page.get_attribute("#network", "data-highlighted") == str(top)
    near = page.evaluate("() => window.factionmapNetwork.nodes('.near').length")
    faded = page.evaluate("() => window.factionmapNetwork.nodes('.faded').length")
    assert near == neighbours + 1 and faded == 150 - near
    assert "Ties with:" in page.inner_text("#node-info")
    # its stated ties with how many outlets report them (/api/relations corroboration)
    page.wait_for_selector("#node-info .outlets", timeout=10_000)
    assert re.search(r"Outlets reporting its stated ties: .+ \d", page.inner_text("#node-info"))
    shot(page, "network-neighbours")
    before = page.evaluate("() => window.factionmapNetwork.zoom()")
    page.click("#zoom-in")
    after = page.evaluate("() => window.factionmapNetwork.zoom()")
    assert after > before * 1.3
    page.click("#zoom-fit")
    assert page.evaluate("() => window.factionmapNetwork.zoom()") < after


def test_filters_live_in_the_url_and_back_restores_them(big_page, big_app):
    page = big_page
    page.goto(big_app.base + "/network")
    everything = network_ready(page)
    assert {"events", "relation"} <= _edge_types(page)

    page.select_option("#event_type", "ASSAULT")
    page.wait_for_url(re.compile(r"[?&]event_type=ASSAULT"))
    assault = network_ready(page)
    assert page.evaluate("() => document.querySelector('#network').dataset.query").endswith(
        "event_type=ASSAULT")
    # an event type shows the ties its events make, not every relation tie
    assert _edge_types(page) == {"events"}
    assert set(page.evaluate(
        "() => window.factionmapNetwork.edges().map(e => e.data('sign'))")) == {"neg"}
    assert int(assault["edgeCount"]) < int(everything["edgeCount"])
    assert _legend(page, "legend-types")["relation"] == 0
    shot(page, "network-assault")

    page.select_option("#kind", "armed_group")
    page.wait_for_url(re.compile(r"kind=armed_group"))
    network_ready(page)
    kinds = set(page.evaluate("() => window.factionmapNetwork.nodes().map(n => n.data('kind'))"))
    assert kinds == {"armed_group"}

    page.go_back()  # kind filter gone, event type still chosen
    page.wait_for_url(re.compile(r"event_type=ASSAULT$"))
    page.wait_for_function(
        "() => document.querySelector('#network').dataset.state === 'ready' && "
        "!document.querySelector('#network').dataset.query.includes('kind')")
    assert page.input_value("#kind") == "" and page.input_value("#event_type") == "ASSAULT"
    assert _edge_types(page) == {"events"}
    assert network_ready(page)["edgeCount"] == assault["edgeCount"]

    page.go_back()  # no filters: the graph agrees with the controls again
    page.wait_for_url(re.compile(r"/network$"))
    page.wait_for_function(
        "() => document.querySelector('#network').dataset.state === 'ready' && "
        "document.querySelector('#network').dataset.query === ''")
    assert page.input_value("#event_type") == ""
    assert network_ready(page)["edgeCount"] == everything["edgeCount"]
    page.go_forward()
    page.wait_for_url(re.compile(r"event_type=ASSAULT$"))
    page.wait_for_function("() => document.querySelector('#network').dataset.query !== ''")
    assert network_ready(page)["edgeCount"] == assault["edgeCount"]

    # a shared link opens with its filters and window
    months = page.get_attribute("#network", "data-months").split(",")
    page.goto(f"{big_app.base}/network?month={months[5]}&span=3&ties=relations")
    network_ready(page)
    assert page.input_value("#ties") == "relations" and page.input_value("#span") == "3"
    assert page.inner_text("#window-label") == months[5]
    assert _edge_types(page) <= {"relation", "structure"}
    # nonsense in the URL falls back to the defaults instead of breaking the page
    page.goto(f"{big_app.base}/network?month=nope&ties=%3Cscript%3E&max_nodes=99999")
    assert int(network_ready(page)["nodeCount"]) == 150
    assert page.input_value("#ties") == "all"
    assert not page.outside_requests and not page.errors and not page.dialogs


def test_api_reference_renders_offline(big_page, big_app):
    page = big_page
    page.goto(big_app.base + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/network" in p for p in paths) and len(paths) >= 12
    page.locator(".opblock-summary-path", has_text="/api/network").first.click()
    page.wait_for_selector(".parameters")
    described = page.inner_text(".opblock-body")
    assert "event_type" in described and "relation ties are left out" in described
    shot(page, "api-docs")
    assert not page.outside_requests and not page.errors

"""Analyst journeys in headless Debian chromium, asserting on what the pages show."""

from __future__ import annotations

import re

from conftest import TOKEN, click_node, network_ready, shot


def _node_count(page) -> int:
    return int(network_ready(page)["nodeCount"])


def _set_slider(page, value: int) -> None:
    page.eval_on_selector(
        "#window",
        "(el, v) => { el.value = String(v); el.dispatchEvent(new Event('input')); }",
        value,
    )


def test_overview_slider_actor_and_evidence(page, live_app):
    page.goto(live_app.base + "/")
    assert page.inner_text("#count-documents") == "4"
    full = _node_count(page)
    shot(page, "overview")
    _set_slider(page, 0)  # only the first month: fewer actors in play
    page.wait_for_function(
        "n => document.querySelector('#network').dataset.nodeCount != String(n)", arg=full
    )
    assert _node_count(page) < full
    shot(page, "overview-first-month")
    _set_slider(page, 99)  # clamps to the last month again

    page.wait_for_function(
        "n => document.querySelector('#network').dataset.nodeCount == String(n)", arg=full
    )
    network_ready(page)
    kh = live_app.actors["Kataib Hezbollah"]
    click_node(page, kh)  # a tap lights the node up and offers its page
    page.wait_for_selector("#node-open")
    assert page.get_attribute("#network", "data-highlighted") == str(kh)
    page.click("#node-open")
    page.wait_for_url(re.compile(rf"/actors/{kh}$"))
    assert page.inner_text("#actor-name") == "Kataib Hezbollah"
    assert "Camp" in page.inner_text("#camp")
    assert page.locator("svg.chart").count() >= 1  # stance chart drawn server-side
    shot(page, "actor")

    link = page.locator("a.evidence").first
    href = link.get_attribute("href")
    anchor = href.split("#", 1)[1]
    link.click()
    page.wait_for_url(re.compile(r"/documents/.+#s-\d+$"))
    target = page.locator(f"#{anchor}")
    assert target.is_visible()
    colour = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour == "rgb(255, 229, 138)"  # the :target highlight
    assert target.evaluate("el => el.matches(':target')")
    shot(page, "document-evidence")
    assert not page.outside_requests and not page.dialogs and not page.errors


def test_network_explorer_filters(page, live_app):
    page.goto(live_app.base + "/network")
    all_nodes = _node_count(page)
    page.select_option("#kind", "person")
    page.wait_for_function(
        "n => document.querySelector('#network').dataset.nodeCount != String(n)", arg=all_nodes
    )
    assert _node_count(page) < all_nodes
    shot(page, "network-filtered")
    page.select_option("#kind", "")
    page.wait_for_function(
        "n => document.querySelector('#network').dataset.nodeCount == String(n)", arg=all_nodes
    )
    signs = page.evaluate("() => window.factionmapNetwork.edges().map(e => e.data('sign'))")
    assert "neg" in signs and "pos" in signs
    shot(page, "network")
    assert not page.outside_requests and not page.errors


def test_dyad_page_shows_events_behind_points(page, live_app):
    a = live_app.actors
    page.goto(f"{live_app.base}/dyads/{a['Kataib Hezbollah']}/{a['United States']}")
    assert page.locator("svg.chart").count() == 2
    assert "rockets" in page.inner_text("#m-2023-11")
    assert "struck" in page.inner_text("#m-2024-02")
    shot(page, "dyad")


def test_payloads_stay_text(page, live_app):
    page.goto(live_app.base + "/documents/doc-d")
    text = page.inner_text("#doc-text")
    assert '<script>alert("x")</script>' in text
    assert "onerror=alert(1)" in text
    assert page.locator("#doc-text script, #doc-text img").count() == 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    assert not page.dialogs
    shot(page, "document-payloads")


def test_merge_two_actors_with_token(page, live_app):
    a = live_app.actors
    survivor, absorbed = a["Kataib Hezbollah"], a["Harakat al-Nujaba"]
    page.goto(f"{live_app.base}/corrections?survivor={survivor}")
    form = page.locator("#merge-form")
    form.locator("input[name=absorbed]").fill(str(absorbed))
    form.locator("input[name=who]").fill("browser analyst")
    form.locator("input[name=why]").fill("same command")
    form.locator("input[name=token]").fill("not-the-token")
    form.locator("button").click()
    assert "valid token" in page.inner_text("#error")
    form = page.locator("#merge-form")
    form.locator("input[name=absorbed]").fill(str(absorbed))
    form.locator("input[name=survivor]").fill(str(survivor))
    form.locator("input[name=who]").fill("browser analyst")
    form.locator("input[name=token]").fill(TOKEN)
    form.locator("button").click()
    page.wait_for_url(re.compile(rf"/actors/{survivor}$"))
    meta = page.inner_text("p.meta")
    assert f"merged from actors {absorbed}" in meta
    assert "Harakat al-Nujaba" in page.inner_text("ul.aliases")
    shot(page, "actor-after-merge")
    page.goto(live_app.base + "/corrections")
    assert "browser analyst" in page.inner_text("#audit")
    shot(page, "corrections")

"""Browser fixtures: the app on a free loopback port over the small sample store and over the
150-actor network sample, and Debian chromium. Screenshots go to <pytest tmp>/screenshots
(the path is printed at the end of the run; FACTIONMAP_SCREENSHOTS=DIR chooses another)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

CHROMIUM = Path("/usr/bin/chromium")
TOKEN = "browser-test-token"
_screenshots: list[Path] = []
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class LiveApp:
    base: str
    actors: dict[str, int]
    media: tuple[str, ...] = ()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(engine) -> Iterator[str]:
    import uvicorn

    from factionmap.web.app import create_app

    port = _free_port()
    config = uvicorn.Config(
        create_app(engine=engine, token=TOKEN), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def _engine(folder: Path):
    from factionmap.store.models import Base

    engine = create_engine(f"sqlite:///{folder / 'browser.db'}",
                           connect_args={"check_same_thread": False})
    Base.metadata.create_all(engine)
    return engine


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    from factionmap.web.sample import build_sample_store

    engine = _engine(tmp_path_factory.mktemp("store"))
    with Session(engine) as session:
        actors = build_sample_store(session).actors
        session.commit()
    for base in _serve(engine):
        yield LiveApp(base=base, actors=actors)


@pytest.fixture(scope="session")
def big_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """The invented 150-actor conflict of ``web.sample.build_network_sample``."""
    from factionmap.web.sample import build_network_sample

    engine = _engine(tmp_path_factory.mktemp("bigstore"))
    with Session(engine) as session:
        sample = build_network_sample(session)
        session.commit()
    for base in _serve(engine):
        yield LiveApp(base=base, actors=sample.actors, media=tuple(sample.media))


@pytest.fixture(scope="session", autouse=True)
def screenshots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("FACTIONMAP_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.getbasetemp() / "screenshots"
    _screenshots[:] = [folder]
    return folder


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _watched_page(browser, app: LiveApp, width: int = 1280, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.outside_requests = []  # type: ignore[attr-defined]
    page.dialogs = []  # type: ignore[attr-defined]
    page.errors = []  # type: ignore[attr-defined]
    page.on(
        "request",
        lambda r: None if r.url.startswith((app.base, "data:"))
        else page.outside_requests.append(r.url),
    )  # type: ignore[attr-defined]

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()

    page.on("dialog", on_dialog)
    # script errors and CSP refusals (Chromium reports them on the console)
    page.on("pageerror", lambda e: page.errors.append(str(e)))  # type: ignore[attr-defined]
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    return context, page


@pytest.fixture()
def page(browser, live_app: LiveApp):
    context, page = _watched_page(browser, live_app)
    yield page
    context.close()


@pytest.fixture()
def big_page(browser, big_app: LiveApp):
    context, page = _watched_page(browser, big_app, 1400, 1000)
    yield page
    context.close()


def shot(page, name: str) -> None:
    folder = _screenshots[0]
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def pytest_terminal_summary(terminalreporter) -> None:
    if _screenshots and _screenshots[0].is_dir():
        terminalreporter.write_line(f"browser screenshots: {_screenshots[0]}")


def network_ready(page) -> dict:
    """Wait for the network view to finish drawing; its counts as the page states them."""
    page.wait_for_selector("#network[data-state=ready]", timeout=30_000)
    return page.eval_on_selector("#network", "el => ({...el.dataset})")


def click_node(page, actor_id: int) -> None:
    """Click an actor on the Cytoscape canvas where it is drawn."""
    x, y = page.evaluate(
        """id => { const n = window.factionmapNetwork.getElementById(String(id));
                   const p = n.renderedPosition(), box = n.cy().container().getBoundingClientRect();
                   return [box.left + p.x, box.top + p.y]; }""",
        actor_id,
    )
    page.mouse.click(x, y)

"""`factionmap watch` against a local HTTP server: a feed that changes between polls and
answers 304 to conditional requests, article pages, a broken feed and a feed that is down."""

from __future__ import annotations

import json
import socket
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from factionmap.cli.main import app
from factionmap.records import Article
from factionmap.store.db import open_store
from factionmap.store.models import Document
from factionmap.watch import IngestResult, Watcher, WatchState, parse_every

runner = CliRunner()

PAGE = """<html><head><title>{title}</title></head><body>
<nav>Home | World | Sport</nav>
<article><h1>{title}</h1>
<p>{body}</p>
<p>Officials in Baghdad said the situation remained tense after the incident on Sunday.</p>
</article><footer>Copyright</footer></body></html>"""
BODIES = {
    "a1": "Kataib Hezbollah fighters fired rockets at a base hosting United States troops "
          "near the Syrian border, a page-only detail of the first report.",
    "a3": "The Badr Organization met United States diplomats in Baghdad to discuss security "
          "along the border, a page-only detail of the third report.",
}


def _item(key: str, link: str, summary: str) -> str:
    return (f"<item><title>Report {key}</title><link>{link}</link><guid>{key}</guid>"
            f"<pubDate>Sun, 05 Jan 2020 10:00:00 GMT</pubDate>"
            f"<description>{summary}</description></item>")


class _Site:
    """What the server answers; tests change ``items`` between polls."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.version = 1
        self.hits: Counter[str] = Counter()
        self.conditional: list[str] = []

    def feed(self) -> str:
        return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>'
                + "".join(self.items) + "</channel></rss>")


def _server(site: _Site) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet test output
            pass

        def _send(self, status: int, body: str, ctype: str = "text/html",
                  headers: dict[str, str] | None = None) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - the http.server interface
            site.hits[self.path] += 1
            etag = f'"v{site.version}"'
            if self.path == "/feed.xml":
                if self.headers.get("If-None-Match") == etag:
                    site.conditional.append(etag)
                    self.send_response(304)
                    self.end_headers()
                    return
                self._send(200, site.feed(), "application/rss+xml",
                           {"ETag": etag, "Last-Modified": "Sun, 05 Jan 2020 10:00:00 GMT"})
            elif self.path == "/broken.xml":
                self._send(200, "Service moved. {{{ <b>not a feed", "application/rss+xml")
            elif self.path == "/down.xml":
                self._send(503, "maintenance")
            elif self.path.endswith(".html") and self.path[1:-5] in BODIES:
                key = self.path[1:-5]
                self._send(200, PAGE.format(title=f"Report {key}", body=BODIES[key]))
            else:
                self._send(404, "not found")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture()
def site():
    s = _Site()
    server = _server(s)
    s.base = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    yield s
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _documents(url: str) -> dict[str, Document]:
    store = open_store(url)
    with store.session() as session:
        docs = {d.title or "": d for d in session.scalars(select(Document))}
        session.expunge_all()
    store.close()
    return docs


def test_watch_ingests_new_pages_asks_conditionally_and_survives_bad_feeds(db_url, site,
                                                                          tmp_path):
    base = site.base
    state = tmp_path / "watch.json"
    site.items = [_item("a1", f"{base}/a1.html", "Short feed summary of the first report."),
                  _item("a2", f"{base}/gone.html",
                        "The second report exists only as this feed summary about Baghdad.")]
    feeds = [f"{base}/broken.xml", f"{base}/down.xml",
             f"http://127.0.0.1:{_closed_port()}/feed.xml", f"{base}/feed.xml"]
    args = ["--db", db_url, "watch", *feeds, "--once", "--state", str(state)]

    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "broken.xml: not an RSS or Atom feed" in first.output
    assert "down.xml: HTTP 503" in first.output and "cannot fetch" in first.output
    docs = _documents(db_url)
    assert set(docs) == {"Report a1", "Report a2"}
    assert "page-only detail of the first report" in docs["Report a1"].text  # the page's text
    assert docs["Report a1"].url == f"{base}/a1.html"
    assert "only as this feed summary" in docs["Report a2"].text  # page gone: the feed's text
    saved = json.loads(state.read_text())["feeds"][f"{base}/feed.xml"]
    assert saved["etag"] == '"v1"' and set(saved["seen"]) == {"a1", "a2"}

    second = runner.invoke(app, args)  # unchanged feed: one conditional request, a 304
    assert second.exit_code == 0, second.output
    assert site.conditional == ['"v1"'] and "feed.xml: not modified" in second.output
    assert site.hits["/a1.html"] == 1 and len(_documents(db_url)) == 2

    site.version = 2  # the feed changes: a1 stays listed, a3 is new
    site.items = [site.items[0], _item("a3", f"{base}/a3.html", "Third summary.")]
    third = runner.invoke(app, args)
    assert third.exit_code == 0, third.output
    assert "2 entries, 1 new" in third.output
    assert site.hits["/a1.html"] == 1 and site.hits["/a3.html"] == 1  # a1 not fetched again
    docs = _documents(db_url)
    assert set(docs) == {"Report a1", "Report a2", "Report a3"}
    assert docs["Report a3"].outlet == "127.0.0.1"


def test_an_entry_that_could_not_be_stored_is_tried_again(site, tmp_path):
    base = site.base
    site.items = [_item("a1", f"{base}/a1.html", "Summary.")]
    calls: list[list[str]] = []

    def flaky(articles: list[Article]) -> IngestResult:
        calls.append([a.title or "" for a in articles])
        ids = {a.id for a in articles}
        return IngestResult(failed=ids) if len(calls) == 1 else IngestResult(stored=ids)

    logged: list[str] = []
    watcher = Watcher(WatchState(tmp_path / "s.json"), flaky, logged.append)
    watcher.poll([f"{base}/feed.xml"])
    site.version = 2  # a new ETag, same entries
    watcher.poll([f"{base}/feed.xml"])
    site.version = 3
    watcher.poll([f"{base}/feed.xml"])
    assert calls == [["Report a1"], ["Report a1"]]  # retried once, then seen


@pytest.mark.parametrize(("args", "reason"), [
    (["ftp://example.org/feed"], "not an http:// or https:// feed address"),
    (["http://127.0.0.1/feed.xml", "--every", "soon"], "not a duration"),
    (["http://127.0.0.1/feed.xml", "--every", "0s"], "shorter than one second"),
])
def test_bad_arguments_are_one_line_and_exit_2(tmp_path, args, reason):
    result = runner.invoke(app, ["--db", f"sqlite:///{tmp_path / 'x.db'}", "watch", *args,
                                 "--once"])
    assert result.exit_code == 2 and reason in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_state_file_that_is_not_ours_is_refused(tmp_path):
    state = tmp_path / "state.json"
    state.write_text("[1, 2")
    result = runner.invoke(app, ["--db", f"sqlite:///{tmp_path / 'x.db'}", "watch",
                                 "http://127.0.0.1/feed.xml", "--once", "--state", str(state)])
    assert result.exit_code == 2 and "not a watch state file" in result.output


def test_durations():
    assert parse_every("15m") == 900 and parse_every("1h") == 3600
    assert parse_every("45") == 45 and parse_every("2.5s") == 2.5

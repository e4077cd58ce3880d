"""Keep a store current from RSS/Atom feeds: poll, fetch each new article's page, ingest.

Each poll asks every feed with a conditional GET (``If-None-Match`` with the last ETag,
``If-Modified-Since`` with the last ``Last-Modified``): a 304 costs one request. For each
entry not seen before, the page at its link is fetched and its main text read as an HTML
file is (sources/webpage.py); when the page cannot be fetched or has no main text the
entry's own text from the feed is used. New articles go through the normal ingest path
(``ingest_articles``: extraction, actor resolution, corrections replayed).

What was seen survives restarts in a JSON state file (per feed: ETag, Last-Modified,
the entry keys already handled). An entry is marked seen once it was stored, found
already stored, or could not be read at all; a failure to store it leaves it for the
next poll. A feed that is down, answers an error or is not a feed is logged and skipped;
the other feeds go on, and so does the next poll.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from factionmap.config import MAX_FILE_BYTES
from factionmap.records import Article, ReadError, ReadWarning
from factionmap.sources.article import Origin
from factionmap.sources.errors import SourceError

USER_AGENT = "factionmap-watch/0.1"
TIMEOUT_SECONDS = 30.0
MAX_SEEN_PER_FEED = 5000  # keys kept per feed; a feed lists its latest entries only
STATE_VERSION = 1
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}

Log = Callable[[str], None]
Ingest = Callable[[list[Article]], "IngestResult"]


def parse_every(text: str) -> float:
    """'90s', '15m', '1h', '1d' or plain seconds -> seconds (at least one)."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"--every {text!r} is not a duration like 30s, 15m, 1h")
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
    if seconds < 1:
        raise ValueError(f"--every {text!r} is shorter than one second")
    return seconds


def check_feed_url(url: str) -> None:
    parts = httpx.URL(url) if url.startswith(("http://", "https://")) else None
    if parts is None or not parts.host:
        raise ValueError(f"{url!r} is not an http:// or https:// feed address")


@dataclass
class FeedState:
    etag: str | None = None
    last_modified: str | None = None
    seen: list[str] = field(default_factory=list)


@dataclass
class WatchState:
    """What earlier polls saw, per feed URL, kept in a JSON file."""

    path: Path
    feeds: dict[str, FeedState] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> WatchState:
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            feeds = {url: FeedState(f.get("etag"), f.get("last_modified"),
                                    [str(k) for k in f.get("seen", [])])
                     for url, f in data["feeds"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{path}: not a watch state file ({type(exc).__name__})") from exc
        return cls(path, feeds)

    def save(self) -> None:
        data = {"version": STATE_VERSION,
                "feeds": {url: {"etag": f.etag, "last_modified": f.last_modified,
                                "seen": f.seen[-MAX_SEEN_PER_FEED:]}
                          for url, f in self.feeds.items()}}
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)  # a kill mid-write leaves the old state whole

    def feed(self, url: str) -> FeedState:
        return self.feeds.setdefault(url, FeedState())


@dataclass
class IngestResult:
    stored: set[str] = field(default_factory=set)  # article ids stored or already there
    failed: set[str] = field(default_factory=set)  # article ids that could not be stored
    line: str = ""


@dataclass
class PollReport:
    feeds: int = 0
    not_modified: int = 0
    feed_errors: int = 0
    new_entries: int = 0
    ingested_line: str = ""

    def line(self) -> str:
        return (f"{self.feeds} feeds: {self.not_modified} not modified, {self.feed_errors} "
                f"failed; {self.new_entries} new entries"
                + (f"; {self.ingested_line}" if self.ingested_line else ""))


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    link: str | None
    article: Article | None  # from the feed's own text (None: the entry has none)


class Watcher:
    def __init__(self, state: WatchState, ingest: Ingest, log: Log,
                 client: httpx.Client | None = None) -> None:
        self.state = state
        self.ingest = ingest
        self.log = log
        self.client = client or httpx.Client(
            timeout=TIMEOUT_SECONDS, follow_redirects=True,
            headers={"User-Agent": USER_AGENT})

    def poll(self, urls: list[str]) -> PollReport:
        """One poll of every feed; new articles are ingested together at the end."""
        report = PollReport(feeds=len(urls))
        pending: list[tuple[str, _Entry, Article | None]] = []
        for url in urls:
            try:
                entries = self._changed_entries(url)
            except _FeedProblem as exc:
                report.feed_errors += 1
                self.log(f"error: {url}: {exc}")
                continue
            if entries is None:
                report.not_modified += 1
                self.log(f"{url}: not modified")
                continue
            seen = set(self.state.feed(url).seen)
            new = [e for e in entries if e.key not in seen]
            self.log(f"{url}: {len(entries)} entries, {len(new)} new")
            for entry in new:
                pending.append((url, entry, self._article(entry)))
        report.new_entries = len(pending)
        articles = [a for _, _, a in pending if a is not None]
        result = self.ingest(articles) if articles else IngestResult()
        report.ingested_line = result.line
        for url, entry, article in pending:
            if article is None or article.id not in result.failed:
                self.state.feed(url).seen.append(entry.key)
        self.state.save()
        return report

    def _changed_entries(self, url: str) -> list[_Entry] | None:
        """The feed's entries, or None when it has not changed since the last poll."""
        feed = self.state.feed(url)
        headers = {}
        if feed.etag:
            headers["If-None-Match"] = feed.etag
        if feed.last_modified:
            headers["If-Modified-Since"] = feed.last_modified
        try:
            response = self.client.get(url, headers=headers)
        except httpx.HTTPError as exc:
            raise _FeedProblem(f"cannot fetch ({type(exc).__name__}: {exc})") from exc
        if response.status_code == 304:
            return None
        if response.status_code >= 400:
            raise _FeedProblem(f"HTTP {response.status_code}")
        if len(response.content) > MAX_FILE_BYTES:
            raise _FeedProblem(f"{len(response.content):,} bytes, over the "
                               f"{MAX_FILE_BYTES:,}-byte limit")
        entries = list(_entries(response.text, str(response.url)))
        # remember validators only for a feed we could read: a broken one is asked again
        feed.etag = response.headers.get("ETag")
        feed.last_modified = response.headers.get("Last-Modified")
        return entries

    def _article(self, entry: _Entry) -> Article | None:
        """The entry's page read for its main text, else the feed's own text of it."""
        if entry.link and entry.link.startswith(("http://", "https://")):
            try:
                page = self._page(entry.link)
            except _FeedProblem as exc:
                self.log(f"warning: {entry.link}: {exc}; using the feed's text")
            else:
                if page is not None:
                    return page
        if entry.article is None:
            self.log(f"error: {entry.link or entry.key}: no page text and no text in the feed")
        return entry.article

    def _page(self, link: str) -> Article | None:
        from factionmap.sources.webpage import read_webpage

        try:
            response = self.client.get(link)
        except httpx.HTTPError as exc:
            raise _FeedProblem(f"cannot fetch ({type(exc).__name__})") from exc
        if response.status_code >= 400:
            raise _FeedProblem(f"HTTP {response.status_code}")
        if len(response.content) > MAX_FILE_BYTES:
            raise _FeedProblem("page over the size limit")
        origin = Origin(link, dt.date.today())
        try:
            for item in read_webpage(response.text, origin):
                if isinstance(item, Article):
                    return replace(item, url=item.url or link)
        except SourceError as exc:
            raise _FeedProblem(exc.reason) from exc
        return None


class _FeedProblem(Exception):
    pass


def _entries(text: str, url: str) -> Iterator[_Entry]:
    """Entries of a feed with a key each: its id, else link, else a hash of its text."""
    import feedparser

    from factionmap.sources.feed import read_feed

    parsed = feedparser.parse(text, sanitize_html=True)
    if not parsed.version:
        raise _FeedProblem("not an RSS or Atom feed")
    origin = Origin(url, dt.date.today())
    articles: dict[int, Article] = {}
    try:
        for item in read_feed(text, origin):
            if isinstance(item, Article) and item.row is not None:
                articles[item.row] = item
            elif isinstance(item, ReadError | ReadWarning):
                continue
    except SourceError as exc:
        raise _FeedProblem(exc.reason) from exc
    for number, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link")
        key = entry.get("id") or link or hashlib.sha256(
            f"{entry.get('title')}|{entry.get('summary')}".encode()).hexdigest()
        yield _Entry(str(key), str(link) if link else None, articles.get(number))


def store_ingest(store: Any, *, model: str, log: Log) -> Ingest:
    """Ingest articles through the normal path (one process: a poll brings few)."""
    from factionmap.ingest import ingest_articles
    from factionmap.store.ingest import has_document

    def ingest(articles: list[Article]) -> IngestResult:
        summary = ingest_articles(articles, store, model=model, n_process=1, progress=False)
        with store.session() as session:  # stored now, whether by this run or before
            stored = {a.id for a in articles if has_document(session, a.id)}
        log(f"ingest: {summary.line()}")
        return IngestResult(stored=stored, failed={a.id for a in articles} - stored,
                            line=summary.line())

    return ingest


def run(watcher: Watcher, urls: list[str], *, every: float, once: bool,
        sleep: Callable[[float], None] = time.sleep) -> None:
    while True:
        report = watcher.poll(urls)
        watcher.log(f"poll: {report.line()}")
        if once:
            return
        sleep(every)

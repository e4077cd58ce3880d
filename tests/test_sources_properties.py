"""Property tests of the readers (hypothesis): any bytes, any JSON, any CSV, any feed.

Whatever the input, reading never raises; each bad row is exactly one ReadError naming its
row; each good row is exactly one Article, in order, with its text kept and storable. Bounded
(a few dozen examples each) so the suite stays fast; the seed is printed on failure."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import os
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from factionmap.records import Article, ArticleExtraction, ReadError, ReadWarning
from factionmap.sources import read_paths
from factionmap.sources.article import article_id
from factionmap.store.actors import ActorResolver
from factionmap.store.ingest import ingest_extraction
from factionmap.store.models import Base, Document

TODAY = dt.date(2026, 1, 15)
# a few dozen examples in the suite; FACTIONMAP_FUZZ_EXAMPLES=N for a deeper run
EXAMPLES = settings(max_examples=int(os.environ.get("FACTIONMAP_FUZZ_EXAMPLES", "40")))
SUFFIXES = [".txt", ".md", ".html", ".jsonl", ".csv", ".rss", ".xml", ".txt.gz", ".jsonl.gz"]

# Text as people and tools write it: any printable character, and newlines and tabs.
printable = st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from("\n\t ")
prose = st.text(printable, min_size=1, max_size=200)
blank = st.text(st.sampled_from(" \t\n\u00a0\u3000"), max_size=5)


def _read(path: Path) -> list[Article | ReadError | ReadWarning]:
    return list(read_paths([path], today=TODAY))


def _check_article(article: Article) -> None:
    assert article.text.strip()
    article.text.encode("utf-8")  # storable: no lone surrogates
    assert "\x00" not in article.text
    assert article.id == article_id(article.text)
    assert article.encoding
    if article.date is not None:
        assert dt.date(1800, 1, 1) <= article.date <= TODAY + dt.timedelta(days=1)


@pytest.fixture(scope="module")
def sink():
    """A store the good articles go into, to show they are stored as read."""
    engine = create_engine("sqlite://", poolclass=StaticPool,
                           connect_args={"check_same_thread": False})
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def _store(engine, articles: list[Article]) -> None:
    with Session(engine) as session:
        for article in articles:
            ingest_extraction(session, ArticleExtraction(article=article), ActorResolver())
        session.commit()
        for article in articles:
            assert session.scalar(select(Document.text).where(Document.id == article.id)) == (
                article.text)


@EXAMPLES
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_in_any_format_never_raise(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("bytes") / f"input{suffix}"
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    items = _read(path)
    for item in items:
        assert isinstance(item, Article | ReadError | ReadWarning)
        assert "\n" not in str(item)  # every message is one line
        if isinstance(item, Article):
            _check_article(item)


# --- JSONL: one line per item, each good line an article, each bad line one error ----------

good_row = st.fixed_dictionaries(
    {"text": prose.filter(str.strip)},
    optional={"title": prose, "date": st.one_of(st.none(), prose, st.integers(), st.dates()
                                                 .map(dt.date.isoformat)),
              "source": prose, "url": prose, "extra": st.integers()},
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                               max_size=3),
    max_leaves=10,
)
bad_row = st.one_of(
    json_values.filter(lambda v: not isinstance(v, dict)).map(json.dumps),  # not an object
    st.fixed_dictionaries({"text": blank}).map(json.dumps),  # no text
    prose.map(lambda s: '{"text": ' + json.dumps(s)),  # cut off
    st.integers(5000, 6000).map(lambda n: '{"text": "x", "n": ' + "7" * n + "}"),
    st.integers(2000, 100_000).map(lambda n: "[" * n + "]" * n),
    st.just('{"text": "lone \\ud800 surrogate only in a key", "\\udfff": 1}'),
)


@EXAMPLES
@given(rows=st.lists(st.one_of(good_row.map(lambda r: ("good", r)),
                               bad_row.map(lambda r: ("bad", r))), max_size=8))
def test_any_jsonl_one_error_per_bad_row_good_rows_stored(tmp_path_factory, sink, rows):
    lines = [json.dumps(r) if kind == "good" else r for kind, r in rows]
    path = tmp_path_factory.mktemp("jsonl") / "rows.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    items = _read(path)
    errors = [i for i in items if isinstance(i, ReadError)]
    articles = [i for i in items if isinstance(i, Article)]
    # the lone-surrogate row is valid JSON with text: an article (with a warning)
    lone = [n for n, (kind, r) in enumerate(rows, 1)
            if kind == "bad" and r.startswith('{"text": "lone')]
    expected_bad = [n for n, (kind, _) in enumerate(rows, 1) if kind == "bad" and n not in lone]
    assert [e.row for e in errors] == expected_bad
    good = [(n, r) for n, (kind, r) in enumerate(rows, 1) if kind == "good"]
    assert [a.row for a in articles] == sorted([n for n, _ in good] + lone)
    by_row = {a.row: a for a in articles}
    for n, r in good:
        assert by_row[n].text == r["text"]
    for article in articles:
        _check_article(article)
    _store(sink, articles)


@EXAMPLES
@given(texts=st.lists(prose.map(lambda s: s.replace("\x00", "")), min_size=1, max_size=5),
       surrogates=st.integers(1, 3))
def test_lone_surrogates_in_jsonl_text_are_replaced_with_a_warning(tmp_path_factory, sink, texts,
                                                                  surrogates):
    text = "\ud800".join(texts[:surrogates + 1]) + "\udc00" * max(0, surrogates - len(texts) + 1)
    path = tmp_path_factory.mktemp("sur") / "rows.jsonl"
    path.write_text(json.dumps({"text": text + " end"}), encoding="utf-8")
    items = _read(path)
    warnings = [i for i in items if isinstance(i, ReadWarning)]
    [article] = [i for i in items if isinstance(i, Article)]
    assert article.text == text.replace("\ud800", "\ufffd").replace("\udc00", "\ufffd") + " end"
    assert warnings and "replaced with U+FFFD" in warnings[0].reason and warnings[0].row == 1
    _check_article(article)
    _store(sink, [article])


# --- CSV ---------------------------------------------------------------------------------------

csv_text = st.text(printable, max_size=120)


@EXAMPLES
@given(rows=st.lists(st.tuples(csv_text, csv_text, st.one_of(st.none(), prose)), max_size=8))
def test_any_csv_one_item_per_row(tmp_path_factory, sink, rows):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["title", "text", "date"])
    for title, text, date in rows:
        writer.writerow([title, text, date or ""])
    path = tmp_path_factory.mktemp("csv") / "rows.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    items = _read(path)
    errors = [i for i in items if isinstance(i, ReadError)]
    articles = [i for i in items if isinstance(i, Article)]
    kept = [(n, r) for n, r in enumerate(rows, 1)
            if any(v.strip() for v in (r[0], r[1], r[2] or ""))]  # all-blank rows are skipped
    assert [e.row for e in errors] == [n for n, r in kept if not r[1].strip()]
    assert [(a.row, a.text) for a in articles] == [(n, r[1]) for n, r in kept if r[1].strip()]
    for article in articles:
        _check_article(article)
    _store(sink, articles)


# --- feeds -------------------------------------------------------------------------------------

feed_text = st.text(st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="<>&"),
                    max_size=150)


def _as_feedparser_reads(text: str) -> str:
    """feedparser repairs UTF-8 that was read as Latin-1 ("caf\u00c3\u00a9" -> "caf\u00e9") in
    every element of a UTF-8 feed: text that is itself such a pair is read so too."""
    try:
        return text.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


@EXAMPLES
@given(entries=st.lists(st.tuples(feed_text, feed_text, st.one_of(st.none(), feed_text)),
                        max_size=6))
def test_any_feed_one_item_per_entry(tmp_path_factory, sink, entries):
    items_xml = "".join(
        f"<item><title>{escape(title)}</title><description>{escape(body)}</description>"
        + (f"<pubDate>{escape(date)}</pubDate>" if date is not None else "") + "</item>"
        for title, body, date in entries
    )
    feed = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>' \
           f"<title>Test feed</title>{items_xml}</channel></rss>"
    path = tmp_path_factory.mktemp("feed") / "feed.rss"
    path.write_bytes(feed.encode("utf-8"))
    items = _read(path)
    errors = [i for i in items if isinstance(i, ReadError)]
    articles = [i for i in items if isinstance(i, Article)]
    if not entries:
        return
    assert sorted([e.row for e in errors] + [a.row for a in articles]) == list(
        range(1, len(entries) + 1))
    for article in articles:
        body = _as_feedparser_reads(entries[article.row - 1][1])
        assert " ".join(article.text.split()) == " ".join(body.split())
        _check_article(article)
    for error in errors:
        assert not entries[error.row - 1][1].strip()
    _store(sink, articles)

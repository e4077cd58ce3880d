"""RSS and Atom feeds (.rss, .atom, and .xml files that are feeds): one article per entry."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import feedparser
import lxml.html
from lxml import etree

from factionmap.records import Article, ReadError, ReadWarning
from factionmap.sources.article import Origin, build_article
from factionmap.sources.errors import SourceError

# Elements after which a line break belongs when flattening entry HTML to text.
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
     "tr", "table", "section", "article", "figcaption", "pre", "hr"}
)  # fmt: skip
_BLOCK_END = "\ue000"  # a private-use character: not whitespace, not in real feed text
_DROP_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "template")


def read_feed(text: str, origin: Origin) -> Iterator[Article | ReadError | ReadWarning]:
    try:
        parsed = feedparser.parse(text, sanitize_html=True)
    except Exception as exc:  # feedparser's own parsers raise many types on hostile XML
        raise SourceError(f"not an RSS or Atom feed ({type(exc).__name__})") from exc
    if not parsed.version:
        problem = f" ({parsed.bozo_exception})" if parsed.get("bozo_exception") else ""
        raise SourceError(f"not an RSS or Atom feed{problem}")
    source = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, start=1):
        try:
            yield from build_article(
                _entry_text(entry),
                origin,
                title=entry.get("title"),
                date=_entry_date(entry),
                source=source,
                url=entry.get("link"),
                row=number,
            )
        except SourceError as exc:
            yield ReadError(origin.path, exc.reason, number)


def _entry_text(entry: feedparser.FeedParserDict) -> str:
    """The fullest body the entry offers (content, else summary), as plain text."""
    for item in entry.get("content", []) + [entry.get("summary_detail")]:
        if item and item.get("value", "").strip():
            value = item["value"]
            return html_to_text(value) if "html" in item.get("type", "html") else value.strip()
    raise SourceError("row has no text")


def _entry_date(entry: feedparser.FeedParserDict) -> object:
    for key in ("published_parsed", "updated_parsed"):
        stamp = entry.get(key)
        if isinstance(stamp, time.struct_time):
            try:
                return dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
            except ValueError:  # year 0 or past 9999: use the entry's own words instead
                break
    return entry.get("published") or entry.get("updated")


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment, one line per block element, scripts dropped."""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return fragment.strip()
    for bad in root.iter(*_DROP_TAGS):
        bad.drop_tree()
    # Mark block ends, fold all other whitespace (source line wrapping), then break at the marks.
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = _BLOCK_END + (element.tail or "")
    flat = " ".join(root.text_content().replace(_BLOCK_END, f" {_BLOCK_END} ").split())
    lines = (line.strip() for line in flat.split(_BLOCK_END))
    return "\n".join(line for line in lines if line)

"""HTML pages (.html, .htm): main text and metadata via trafilatura."""

from __future__ import annotations

from collections.abc import Iterator

import trafilatura
from trafilatura.settings import Document

from factionmap.records import Article, ReadWarning
from factionmap.sources.article import Origin, build_article
from factionmap.sources.errors import SourceError

# Only dates the page states in its markup count as metadata; trafilatura's extensive search
# would guess from the body text, which is our own inference's job (and flagged as such).
_MIN_PROSE_WORDS = 6
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def read_webpage(html: str, origin: Origin) -> Iterator[Article | ReadWarning]:
    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as exc:  # trafilatura/lxml raise many types on hostile markup
        raise SourceError(f"cannot parse HTML ({type(exc).__name__}: {exc})") from exc
    if not isinstance(doc, Document) or doc.text is None or not _has_prose(doc.text):
        raise SourceError("HTML page has no main text")
    yield from build_article(
        doc.text,
        origin,
        title=doc.title,
        date=doc.date,
        source=doc.sitename or doc.hostname,
        url=doc.url,
    )


def _has_prose(text: str) -> bool:
    """At least one line that reads like a sentence, not a menu label left over by the fallback."""
    return any(len(line.split()) >= _MIN_PROSE_WORDS for line in text.splitlines())

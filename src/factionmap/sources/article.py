"""Build an ``Article`` from decoded text and whatever metadata the format offered."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from dateutil import parser as date_parser

from factionmap.config import MAX_ARTICLE_CHARS
from factionmap.records import Article
from factionmap.sources.boilerplate import boilerplate_ranges
from factionmap.sources.dates import infer_publication_date
from factionmap.sources.errors import SourceError


@dataclass(frozen=True, slots=True)
class Origin:
    """Where articles come from: the file, and the day used to bound date guesses."""

    path: str
    today: dt.date


def article_id(text: str) -> str:
    """Stable id: the same text always gets the same id, whatever file it came from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_date(value: object) -> dt.date | None:
    """A metadata date (ISO, "June 4, 2018", date or datetime) as a date; None if unusable."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return date_parser.parse(value.strip()).date()
    except (ValueError, OverflowError):
        return None


def make_article(
    text: str,
    origin: Origin,
    *,
    title: str | None = None,
    date: dt.date | None = None,
    source: str | None = None,
    url: str | None = None,
    row: int | None = None,
) -> Article:
    """An Article with id, boilerplate ranges and (when metadata has none) an inferred date."""
    if not text.strip():
        raise SourceError("empty" if row is None else "row has no text", row)
    if len(text) > MAX_ARTICLE_CHARS:
        raise SourceError(
            f"article text is {len(text):,} characters, over the limit of {MAX_ARTICLE_CHARS:,}",
            row,
        )
    inferred = False
    if date is None:
        date = infer_publication_date(text, origin.today)
        inferred = date is not None
    return Article(
        id=article_id(text),
        text=text,
        title=_clean(title),
        date=date,
        date_inferred=inferred,
        source=_clean(source),
        url=_clean(url),
        path=origin.path,
        row=row,
        boilerplate=boilerplate_ranges(text),
    )


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None

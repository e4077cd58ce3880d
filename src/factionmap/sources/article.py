"""Build an ``Article`` from decoded text and whatever metadata the format offered."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from dateutil import parser as date_parser

from factionmap.config import MAX_ARTICLE_CHARS
from factionmap.records import Article, ReadWarning
from factionmap.sources.boilerplate import boilerplate_ranges
from factionmap.sources.dates import infer_publication_date
from factionmap.sources.errors import SourceError

# A publication date before this, or after the reading day (plus a day for time zones), is
# not one: it is ignored with a warning and the date inferred from the text instead.
EARLIEST_PUBLICATION = dt.date(1800, 1, 1)
# Lone UTF-16 surrogates (a JSON "\ud800" escape) and NUL cannot be stored as text.
_UNSTORABLE = re.compile("[\ud800-\udfff\x00]")
_REPLACEMENT = "\ufffd"
# Two defaults that differ in year, month and day: a date string that fills in all three
# parses the same with either.
_DEFAULTS = (dt.datetime(2001, 1, 1), dt.datetime(2002, 2, 2))
_MAX_DATE_CHARS = 100
# Document.source is a String(255) column (PostgreSQL enforces it).
MAX_SOURCE_CHARS = 255
# Prose breaks its sentences far sooner than this (the longest real sentences run to a few
# thousand characters). A longer stretch without a full stop, question mark or line break is
# not prose (a dump, a page of one repeated phrase) and would cost extraction and event
# linking minutes to hours: the article is cut inside it, with a warning.
MAX_RUN_CHARS = 20_000
_BREAK = re.compile("[.!?\n\u3002\uff01\uff1f\u061f\u2026]")


@dataclass(frozen=True, slots=True)
class Origin:
    """Where articles come from: the file, the day used to bound date guesses, and how the
    file's bytes were decoded."""

    path: str
    today: dt.date
    encoding: str | None = None


def article_id(text: str) -> str:
    """Stable id: the same text always gets the same id, whatever file it came from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_date(value: object) -> dt.date | None:
    """A metadata date (ISO, "June 4, 2018", date or datetime) as a date; None if unusable.

    Only a full date counts: "May" or "2019" alone says neither the day nor (for "May")
    the year, and is not stored as if it did.
    """
    date, _ = _parse_date(value)
    return date


def _parse_date(value: object) -> tuple[dt.date | None, str | None]:
    """(date, why not) for a metadata value."""
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if not isinstance(value, str) or not value.strip() or len(value) > _MAX_DATE_CHARS:
        return None, "not a date"
    try:
        readings = {date_parser.parse(value.strip(), default=d).date() for d in _DEFAULTS}
    except (ValueError, OverflowError, date_parser.ParserError):
        return None, "not a date"
    if len(readings) > 1:
        return None, "not a full date (it lacks the day, month or year)"
    return readings.pop(), None


def _publication_date(
    value: object, today: dt.date
) -> tuple[dt.date | None, str | None]:
    """The metadata date when it can be a publication date; else None and why (None when no
    date was given)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    date, problem = _parse_date(value)
    shown = repr(value if not isinstance(value, str) else value.strip()[:40])
    if date is None:
        return None, f"date {shown} is {problem}: ignored, the date is inferred from the text"
    if not EARLIEST_PUBLICATION <= date <= today + dt.timedelta(days=1):
        return None, (
            f"date {date.isoformat()} cannot be a publication date (before "
            f"{EARLIEST_PUBLICATION.year} or after today): ignored, the date is inferred "
            "from the text"
        )
    return date, None


def _storable(value: str | None) -> tuple[str | None, int]:
    if value is None or not _UNSTORABLE.search(value):
        return value, 0
    return _UNSTORABLE.subn(_REPLACEMENT, value)


def build_article(
    text: str,
    origin: Origin,
    *,
    title: str | None = None,
    date: object = None,
    source: str | None = None,
    url: str | None = None,
    row: int | None = None,
) -> Iterator[Article | ReadWarning]:
    """The article, after a warning for each thing of the input that could not be kept
    as given (an unusable date, characters that cannot be stored)."""
    replaced = 0
    fields = {"text": text, "title": title, "source": source, "url": url}
    for name, value in fields.items():
        fields[name], n = _storable(value)
        replaced += n
    if replaced:
        yield ReadWarning(
            origin.path,
            f"{replaced:,} characters that cannot be stored as text (lone UTF-16 surrogates, "
            "NUL) replaced with U+FFFD",
            row,
        )
    source = fields["source"]
    if source is not None and len(source) > MAX_SOURCE_CHARS:
        yield ReadWarning(origin.path, f"source name of {len(source):,} characters cut to "
                          f"{MAX_SOURCE_CHARS}", row)
        fields["source"] = source[:MAX_SOURCE_CHARS]
    published, problem = _publication_date(date, origin.today)
    if problem:
        yield ReadWarning(origin.path, problem, row)
    text, cut = cut_runaway(fields["text"] or "")
    if cut:
        yield ReadWarning(origin.path, cut, row)
    yield make_article(
        text, origin, title=fields["title"], date=published,
        source=fields["source"], url=fields["url"], row=row,
    )


def cut_runaway(text: str) -> tuple[str, str | None]:
    """The text, cut inside its first stretch of over ``MAX_RUN_CHARS`` characters without a
    sentence break (at a space where there is one); and why, or None when it was not cut."""
    last = 0
    for stop in [*(m.start() for m in _BREAK.finditer(text)), len(text)]:
        if stop - last > MAX_RUN_CHARS:
            limit = last + MAX_RUN_CHARS
            space = text.rfind(" ", last, limit)
            end = space if space > last else limit
            return text[:end], (
                f"{stop - last:,} characters without a sentence break from character "
                f"{last:,}: the article is cut after {end - last:,} of them "
                f"({len(text) - end:,} characters left out)"
            )
        last = stop + 1  # the run after a break starts after it
    return text, None


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
        encoding=origin.encoding,
    )


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None

"""Turning one record (a JSONL object or a CSV row) into an article."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from factionmap.records import Article, ReadWarning
from factionmap.sources.article import Origin, build_article
from factionmap.sources.errors import SourceError

# Columns that may hold the article body, in order of preference.
TEXT_KEYS = ("text", "content", "body")


def article_from_row(
    record: Mapping[str, object], origin: Origin, row: int
) -> Iterator[Article | ReadWarning]:
    text = next((v for k in TEXT_KEYS if isinstance(v := record.get(k), str) and v.strip()), None)
    if text is None:
        raise SourceError("row has no text", row)
    # An unreadable date is treated as missing (with a warning): the article is still worth
    # reading, and the inferred date is flagged as such.
    yield from build_article(
        text,
        origin,
        title=_optional_str(record.get("title")),
        date=record.get("date"),
        source=_optional_str(record.get("source")),
        url=_optional_str(record.get("url")),
        row=row,
    )


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) else None

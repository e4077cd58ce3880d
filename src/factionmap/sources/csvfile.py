"""CSV files (.csv): a header row, then one article per row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from factionmap.config import MAX_ARTICLE_CHARS
from factionmap.records import Article, ReadError, ReadWarning
from factionmap.sources.article import Origin
from factionmap.sources.errors import SourceError
from factionmap.sources.rows import TEXT_KEYS, article_from_row


def read_csv(text: str, origin: Origin) -> Iterator[Article | ReadError | ReadWarning]:
    _allow_large_fields()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise SourceError("empty") from None
    except csv.Error as exc:
        raise SourceError(f"malformed CSV header ({exc})") from exc
    if not any(key in header for key in TEXT_KEYS):
        raise SourceError(f"CSV header has no text column (expected one of {', '.join(TEXT_KEYS)})")
    number = 0
    while True:
        number += 1  # rows are counted after the header: row 1 is the first article
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield ReadError(origin.path, f"malformed CSV row ({exc})", number)
            continue
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            reason = f"row has {len(values)} fields, the header has {len(header)}"
            yield ReadError(origin.path, reason, number)
            continue
        try:
            yield from article_from_row(dict(zip(header, values, strict=True)), origin, number)
        except SourceError as exc:
            yield ReadError(origin.path, exc.reason, number)


def _allow_large_fields() -> None:
    # The csv module refuses fields over 128 KiB by default; whole articles can be longer.
    if csv.field_size_limit() < MAX_ARTICLE_CHARS * 4:
        csv.field_size_limit(MAX_ARTICLE_CHARS * 4)

"""JSON Lines (.jsonl, .ndjson): one article object per line."""

from __future__ import annotations

import json
from collections.abc import Iterator

from factionmap.records import Article, ReadError, ReadWarning
from factionmap.sources.article import Origin
from factionmap.sources.errors import SourceError
from factionmap.sources.rows import article_from_row


def read_jsonl(text: str, origin: Origin) -> Iterator[Article | ReadError | ReadWarning]:
    # Row numbers are line numbers, so an error points at the line to open in an editor.
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            reason = f"malformed JSON ({exc.msg} at column {exc.colno})"
            yield ReadError(origin.path, reason, number)
            continue
        except RecursionError:
            yield ReadError(origin.path, "malformed JSON (nested too deeply)", number)
            continue
        except ValueError as exc:  # e.g. a number longer than Python converts
            yield ReadError(origin.path, f"malformed JSON ({str(exc).split(':')[0]})", number)
            continue
        if not isinstance(record, dict):
            yield ReadError(origin.path, "line is not a JSON object", number)
            continue
        try:
            yield from article_from_row(record, origin, number)
        except SourceError as exc:
            yield ReadError(origin.path, exc.reason, number)

"""Plain-text articles (.txt, .text, .md): the whole file is one article."""

from __future__ import annotations

from collections.abc import Iterator

from factionmap.records import Article, ReadWarning
from factionmap.sources.article import Origin, build_article

# A first line longer than this, or ending like a sentence, is body text, not a headline.
_MAX_HEADLINE_CHARS = 150
_MAX_HEADLINE_WORDS = 25


def read_plaintext(text: str, origin: Origin) -> Iterator[Article | ReadWarning]:
    yield from build_article(text, origin, title=headline(text))


def headline(text: str) -> str | None:
    """The first non-empty line when it looks like a headline: short, no closing period."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), None)
    if first is None:
        return None
    first = first.lstrip("#").strip()  # a Markdown heading marker is not part of the title
    if not first or first.endswith((".", ":", ";", ",")):
        return None
    if len(first) > _MAX_HEADLINE_CHARS or len(first.split()) > _MAX_HEADLINE_WORDS:
        return None
    return first

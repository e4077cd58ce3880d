"""Which outlet published a document: the key corroboration counts independent reports by.

The article's web address names the outlet best (``www.reuters.com`` and
``reuters.com/world`` are one outlet); without one, the source name the reader gave
(a feed's title, a CSV column), folded to lower case. A document with neither has no
known outlet: all such documents count together as one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

MAX_OUTLET_CHARS = 255
_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")


def outlet_of(url: str | None, source: str | None) -> str | None:
    host = ""
    if url:
        try:
            host = (urlsplit(url.strip()).hostname or "").lower()
        except ValueError:  # a malformed address ("http://[::1") names no host
            host = ""
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
    if host:
        return host[:MAX_OUTLET_CHARS]
    name = " ".join((source or "").split()).lower()
    return name[:MAX_OUTLET_CHARS] or None

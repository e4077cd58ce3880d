"""The one exception readers raise internally; ``read_paths`` turns it into a ``ReadError``."""

from __future__ import annotations


class SourceError(Exception):
    """Input that cannot become an article; ``row`` is set for one bad row of a file."""

    def __init__(self, reason: str, row: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.row = row

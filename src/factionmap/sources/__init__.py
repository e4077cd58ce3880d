"""factionmap.sources: read news articles from text, HTML, JSONL, CSV, RSS/Atom and .gz files.

``read_paths`` is the entry point; it yields ``records.Article``, ``records.ReadError`` (input
that could not be read) or ``records.ReadWarning`` (input read, but not exactly as given) and
never raises for bad input.
"""

from factionmap.sources.boilerplate import boilerplate_ranges
from factionmap.sources.dates import infer_publication_date
from factionmap.sources.reader import read_file, read_paths

__all__ = ["boilerplate_ranges", "infer_publication_date", "read_file", "read_paths"]

"""Path and query parameters of the API and the web pages, typed and bounded.

Every id, offset, date, text and repeated parameter has a range here; a request outside
it is answered 422 with the reason, never passed on to a query that would fail (an id past
the 32-bit id columns, a LIKE pattern SQLite cannot compile, 4,000 ``toward`` charts).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Path, Query

from factionmap.analysis.corrections import MAX_DOCUMENT_ID_CHARS, MAX_ID
from factionmap.analysis.queries import MAX_LIMIT, MAX_OFFSET

MAX_SEARCH_CHARS = 200
MAX_NAME_CHARS = 64  # type names, kinds, places, country codes
MAX_REPEATED = 10  # ids or names repeated in one parameter (toward=1&toward=2...)
# Dates the analysis can step through month by month (no year 1 or 9999 arithmetic).
EARLIEST_DATE = dt.date(1800, 1, 1)
LATEST_DATE = dt.date(2200, 12, 31)

# Text without NUL: PostgreSQL refuses it even as a bound parameter (and stores none to match).
NO_NUL = r"^[^\x00]*$"

ActorId = Annotated[int, Path(ge=1, le=MAX_ID, description="An actor id.")]
DocumentId = Annotated[str, Path(min_length=1, max_length=MAX_DOCUMENT_ID_CHARS,
                                 pattern=NO_NUL)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
OptionalActor = Annotated[int | None, Query(ge=1, le=MAX_ID)]
SearchText = Annotated[str, Query(max_length=MAX_SEARCH_CHARS, pattern=NO_NUL)]
Name = Annotated[str | None, Query(max_length=MAX_NAME_CHARS, pattern=NO_NUL)]
Names = Annotated[
    list[Annotated[str, Query(max_length=MAX_NAME_CHARS, pattern=NO_NUL)]] | None,
    Query(max_length=MAX_REPEATED),
]
# Ids typed into a web form: text, so an empty field is no error (the page parses them).
FormIds = Annotated[
    list[Annotated[str, Query(max_length=12, pattern=NO_NUL)]] | None,
    Query(max_length=MAX_REPEATED),
]
Day = Annotated[dt.date | None, Query(ge=EARLIEST_DATE, le=LATEST_DATE)]

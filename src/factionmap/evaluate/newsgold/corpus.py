"""The shared AllSides sample the annotations point into, read by article id."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# ../shared beside the project checkout, as on every developer machine and in CI;
# FACTIONMAP_NEWS points elsewhere (a checkout kept somewhere else).
DEFAULT_NEWS = Path(os.environ.get("FACTIONMAP_NEWS") or (
    Path(__file__).resolve().parents[4].parent / "shared" / "data" / "news"
    / "allsides-sample.jsonl.gz"
))


@dataclass(frozen=True, slots=True)
class NewsRow:
    id: str
    title: str
    date: str | None
    source: str
    topic: str
    url: str | None
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


class CorpusError(ValueError):
    """The news file is missing or a row is not what the annotations expect."""


def iter_rows(path: Path = DEFAULT_NEWS) -> Iterator[NewsRow]:
    if not path.is_file():
        raise CorpusError(f"{path}: news sample not found (expected ../shared beside the project)")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
        for number, line in enumerate(handle, 1):
            try:
                raw = json.loads(line)
                yield NewsRow(
                    id=str(raw["id"]), title=str(raw.get("title") or ""),
                    date=raw.get("date"), source=str(raw.get("source") or ""),
                    topic=str(raw.get("topic") or ""), url=raw.get("url"),
                    text=str(raw["text"]),
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise CorpusError(f"{path}:{number}: bad row ({exc})") from exc


def load_rows(ids: Iterable[str] | None = None, path: Path = DEFAULT_NEWS) -> dict[str, NewsRow]:
    """Rows by id; with ``ids``, only those, and every one of them must be present."""
    wanted = None if ids is None else set(ids)
    rows = {r.id: r for r in iter_rows(path) if wanted is None or r.id in wanted}
    if wanted is not None and (missing := wanted - rows.keys()):
        raise CorpusError(f"{path}: {len(missing)} annotated article(s) not found, "
                          f"e.g. {sorted(missing)[:3]}")
    return rows

"""``read_paths``: walk files and directories and read every supported file into articles."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from factionmap import config
from factionmap.records import Article, ReadError, ReadWarning
from factionmap.sources.article import Origin
from factionmap.sources.csvfile import read_csv
from factionmap.sources.decoding import decode_bytes, load_bytes
from factionmap.sources.errors import SourceError
from factionmap.sources.feed import read_feed
from factionmap.sources.jsonl import read_jsonl
from factionmap.sources.plaintext import read_plaintext
from factionmap.sources.webpage import read_webpage

Item = Article | ReadError | ReadWarning
# A format reader gets the decoded text of one file.
FormatReader = Callable[[str, Origin], Iterator[Item]]

READERS: dict[str, FormatReader] = {
    ".txt": read_plaintext,
    ".text": read_plaintext,
    ".md": read_plaintext,
    ".html": read_webpage,
    ".htm": read_webpage,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".csv": read_csv,
    ".rss": read_feed,
    ".atom": read_feed,
    ".xml": read_feed,  # read_feed refuses XML that is not a feed
}
# Files that describe a folder rather than hold an article; skipped when walking directories.
_FOLDER_NOTES = frozenset({"readme", "license", "licence", "changelog", "notice", "attribution"})


def read_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    max_bytes: int = config.MAX_FILE_BYTES,
    today: dt.date | None = None,
) -> Iterator[Item]:
    """Articles from files and directories, in input order; bad input yields ``ReadError``,
    input read but not exactly as given (bytes replaced, a date ignored) ``ReadWarning``.

    Directories are walked recursively in sorted order, skipping hidden entries, folder notes
    (README, LICENSE) and files of unsupported types. A file named explicitly with an
    unsupported type, or a path that does not exist, is a ``ReadError``.
    """
    today = today or dt.date.today()
    if isinstance(paths, str | os.PathLike):
        paths = [paths]  # one path given bare: do not iterate over its characters
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in _walk(path):
                if isinstance(file, ReadError):
                    yield file
                else:
                    yield from read_file(file, max_bytes=max_bytes, today=today)
        elif path.is_file():
            yield from read_file(path, max_bytes=max_bytes, today=today)
        elif path.exists():
            yield ReadError(str(path), "not a regular file or directory")
        else:
            yield ReadError(str(path), "no such file or directory")


def read_file(path: Path, *, max_bytes: int, today: dt.date) -> Iterator[Item]:
    """All articles in one file; whole-file problems become a single ``ReadError``."""
    reader = READERS.get(format_suffix(path))
    if reader is None:
        yield ReadError(str(path), f"unsupported file type '{''.join(path.suffixes) or path.name}'")
        return
    try:
        decoded = decode_bytes(load_bytes(path, max_bytes))
        if decoded.warning:
            yield ReadWarning(str(path), decoded.warning)
        origin = Origin(path=str(path), today=today, encoding=decoded.encoding)
        yield from reader(decoded.text, origin)
    except SourceError as exc:
        yield ReadError(str(path), exc.reason, exc.row)
    except OSError as exc:
        yield ReadError(str(path), f"cannot read file ({exc.strerror or exc})")
    except (RecursionError, MemoryError) as exc:
        yield ReadError(str(path), f"cannot read file ({type(exc).__name__}: too large or too "
                        "deeply nested)")
    except Exception as exc:  # a reader bug on hostile input must not end the batch
        first = str(exc).splitlines()[0][:200] if str(exc) else ""
        yield ReadError(str(path), f"cannot read file ({type(exc).__name__}: {first})")


def format_suffix(path: Path) -> str:
    """The suffix that decides the format: ``x.jsonl.gz`` is JSONL."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def _walk(root: Path) -> Iterator[Path | ReadError]:
    """Supported files under ``root`` in sorted path order (a/1.txt, b/2.txt, z.txt).

    Symlinked directories are not followed, so a link loop cannot recurse forever.
    """
    try:
        entries = sorted(root.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        yield ReadError(str(root), f"cannot list directory ({exc.strerror or exc})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if not entry.is_symlink():
                yield from _walk(entry)
        elif entry.is_file() and _is_article_file(entry):
            yield entry


def _is_article_file(path: Path) -> bool:
    note = path.name.split(".")[0].lower() in _FOLDER_NOTES
    return not note and format_suffix(path) in READERS

"""Getting text out of a file safely: size limits (also inside .gz), binary detection, decoding."""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

from charset_normalizer import from_bytes

from factionmap.sources.errors import SourceError

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Control bytes that never occur in text files (tab, newline, CR, form feed, ESC are allowed).
_CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 12, 13, 27})
_SNIFF_BYTES = 8192
# Share of control bytes above which a file is treated as binary rather than text.
_MAX_CONTROL_SHARE = 0.05
# charset-normalizer's "chaos" (mess ratio) above which a guessed decoding is not trusted.
_MAX_CHAOS = 0.2
_CHAOS_TIE = 0.01


def load_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, decompressed for ``.gz``; refuses anything over ``max_bytes``."""
    size = os.stat(path).st_size
    if size > max_bytes:
        raise SourceError(f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes")
    if path.suffix.lower() != ".gz":
        return path.read_bytes()
    return _gunzip_limited(path, max_bytes)


def _gunzip_limited(path: Path, max_bytes: int) -> bytes:
    # Read one byte past the limit so a gzip bomb is stopped without inflating it completely.
    try:
        with gzip.open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(f"not a readable gzip file ({exc})") from exc
    if len(data) > max_bytes:
        raise SourceError(
            f"decompressed content exceeds the limit of {max_bytes:,} bytes (possible gzip bomb)"
        )
    return data


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control bytes, in the first few kilobytes."""
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > _MAX_CONTROL_SHARE


def decode_text(data: bytes) -> str:
    """Decode bytes as text: UTF-8 (BOM dropped), UTF-16 with BOM, else a confident guess."""
    if data.startswith(_UTF8_BOM):
        return _strict(data, "utf-8-sig")
    if data.startswith(_UTF16_BOMS):
        return _strict(data, "utf-16")
    if looks_binary(data):
        raise SourceError("binary file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    matches = list(from_bytes(data))
    if not matches or matches[0].chaos > _MAX_CHAOS:
        raise SourceError("cannot decode as text (not UTF-8 and no other encoding fits)")
    # Short texts fit many code pages equally well; among equally clean ones, prefer
    # Windows-1252, by far the most common legacy encoding of English-language news.
    tied = [m for m in matches if m.chaos <= matches[0].chaos + _CHAOS_TIE]
    best = next((m for m in tied if m.encoding == "cp1252"), matches[0])
    return str(best)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SourceError(f"cannot decode as text ({encoding}: {exc.reason})") from exc

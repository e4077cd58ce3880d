"""Getting text out of a file safely: size limits (also inside .gz), binary detection, decoding.

Decoding never guesses silently. UTF-8 (with or without BOM) and UTF-16 with a BOM are read
as they are. Anything else is read with a warning that says what was done: UTF-16 without a
BOM (every other byte zero); UTF-8 with a few invalid bytes (each replaced by U+FFFD, and
counted); a legacy code page only when detection is confident. The encoding used is
recorded on every article.
"""

from __future__ import annotations

import gzip
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from factionmap.sources.errors import SourceError

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_REPLACEMENT = "\ufffd"
# Control bytes that never occur in text files (tab, newline, CR, form feed, ESC are allowed).
_CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 12, 13, 27})
_SNIFF_BYTES = 8192
# Share of control bytes above which a file is treated as binary rather than text.
_MAX_CONTROL_SHARE = 0.05
# charset-normalizer's "chaos" (mess ratio) above which a guessed decoding is not trusted.
_MAX_CHAOS = 0.2
_CHAOS_TIE = 0.01
_COHERENCE_TIE = 0.01
# UTF-16 without BOM: in the sniffed head, at least this share of the bytes at one parity are
# zero (the high bytes of Latin text, of spaces and digits in other scripts) and almost none
# at the other.
_UTF16_MIN_ZERO_SHARE = 0.1
_UTF16_MAX_OTHER_ZERO_SHARE = 0.01
# "A few bad bytes": invalid UTF-8 is replaced rather than refused when the file is mostly
# UTF-8 (at least as many valid multi-byte characters as invalid bytes), or when no other
# encoding fits and at most this share of its bytes are invalid.
_MAX_REPLACED_SHARE = 0.01


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # recorded on the document
    warning: str | None = None  # said once per file when the decoding was not exact UTF-8


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
    """The decoded text alone (see ``decode_bytes``)."""
    return decode_bytes(data).text


def decode_bytes(data: bytes) -> Decoded:
    """Decode a file's bytes, saying how; ``SourceError`` when no decoding is trustworthy."""
    bom = data.startswith(_UTF8_BOM)
    if bom:
        data = data[len(_UTF8_BOM):]
    elif data.startswith(_UTF16_BOMS):
        return Decoded(_strict(data, "utf-16"), "utf-16")
    else:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        if looks_binary(data):
            raise SourceError("binary file")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count(_REPLACEMENT) - data.count(_REPLACEMENT.encode())
    multibyte = sum(1 for ch in replaced if ord(ch) > 0x7F) - bad
    if bom or multibyte >= bad:  # a UTF-8 file with a few stray bytes, not another encoding
        return _with_replacements(replaced, bad)
    legacy = _confident_legacy(data)
    if legacy is not None:
        return legacy
    if bad <= len(data) * _MAX_REPLACED_SHARE:
        return _with_replacements(replaced, bad)
    raise SourceError(
        f"cannot decode as text (not UTF-8: {bad:,} invalid bytes; no other encoding fits "
        "with confidence)"
    )


def _with_replacements(text: str, bad: int) -> Decoded:
    noun = "byte is" if bad == 1 else "bytes are"
    return Decoded(
        text, "utf-8 with replacements",
        f"{bad:,} {noun} not valid UTF-8: decoded as UTF-8 with U+FFFD in their place",
    )


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 text without a byte order mark: zero bytes at one parity only."""
    if len(data) < 4 or len(data) % 2:
        return None
    head = data[: _SNIFF_BYTES - _SNIFF_BYTES % 2]
    pairs = len(head) // 2
    even_zeros, odd_zeros = head[0::2].count(0), head[1::2].count(0)
    for encoding, zeros, others in (("utf-16-le", odd_zeros, even_zeros),
                                    ("utf-16-be", even_zeros, odd_zeros)):
        if zeros >= pairs * _UTF16_MIN_ZERO_SHARE and others <= pairs * _UTF16_MAX_OTHER_ZERO_SHARE:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            if _reads_as_text(text):
                name = encoding.upper()
                return Decoded(text, encoding, f"no byte order mark: decoded as {name}")
    return None


def _reads_as_text(text: str) -> bool:
    if not text.strip():
        return False
    printable = sum(1 for ch in text[:_SNIFF_BYTES] if ch.isprintable() or ch in "\t\n\r\f")
    return printable >= 0.98 * min(len(text), _SNIFF_BYTES)


def _confident_legacy(data: bytes) -> Decoded | None:
    """A legacy code page, only when detection is confident.

    Among the clean readings (little "chaos"), either the cleanest ones all give the same
    text, or Windows-1252 (by far the most common legacy encoding of English-language news)
    is clean and reads as coherent language as any of them. Short texts fit many code pages
    almost equally well: charset-normalizer may rank, say, Mac Central European first for
    French in Windows-1252, and picking its first guess would mangle every accent.
    """
    clean = [m for m in from_bytes(data) if m.chaos <= _MAX_CHAOS]
    if not clean:
        return None
    best = min(clean, key=lambda m: m.chaos)
    tied = [m for m in clean if m.chaos <= best.chaos + _CHAOS_TIE]
    cp1252 = next((m for m in clean if m.encoding == "cp1252"), None)
    coherence = max(m.coherence for m in clean)
    if cp1252 is not None and cp1252.coherence >= coherence - _COHERENCE_TIE:
        chosen = cp1252
    elif len({str(m) for m in tied}) == 1:
        chosen = best
    else:
        return None
    text, encoding = str(chosen), chosen.encoding
    if encoding != "cp1252" and _decodes_as(data, "cp1252") == text:
        encoding = "cp1252"  # the same reading: name the common code page
    return Decoded(text, encoding, f"not UTF-8: decoded as {encoding} (detected)")


def _decodes_as(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SourceError(f"cannot decode as text ({encoding}: {exc.reason})") from exc

"""Import of PETRARCH/Phoenix (TABARI-format) actor dictionaries.

The format, line by line:

    NAME_WITH_UNDERSCORES_ [CODE]      # an entry, optionally with codes on the same line
    +ALIAS_WITH_UNDERSCORES_           # another name of the entry above
    <TAB>[CODE >20060520]              # a code valid after a date (YYYYMMDD or YYMMDD)
    <TAB>[CODE <20030320]              # ... before a date
    <TAB>[CODE 030409-061230]          # ... between two dates
    # comment  /  <!-- comment -->

Each entry becomes a ``KbActor`` with ``origin="petrarch"``, id ``petrarch:<name>`` and its
codes as ``CodeTenure`` records.  Lines that cannot be read raise a ``DictionaryWarning``
naming file and line; the import goes on.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pycountry

from factionmap.kb.base import CodeTenure, KbActor
from factionmap.records import ActorKind

ORIGIN = "petrarch"
_BRACKET = re.compile(r"\[([^\]]*)\]")
_CODE = re.compile(r"^[A-Za-z0-9~/+-]+$")
_RANGE = re.compile(r"^(\d+)\s*-\s*(\d+)$")
_PAREN = re.compile(r"\(([^)]*)\)")
_NOT_ID = re.compile(r"[^a-z0-9]+")
_VOWELS = frozenset("AEIOUY")
_LOWER_WORDS = frozenset({"al", "el", "of", "the", "and", "de", "bin", "ibn", "for", "in", "on"})
# CAMEO sectors that mark a state body or an armed group when they follow a country code.
_STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
_ARMED_SECTORS = frozenset({"REB", "INS", "UAF", "SEP"})


class DictionaryWarning(UserWarning):
    """A line of a PETRARCH dictionary that was skipped or only partly read."""


@dataclass
class _Entry:
    raw_name: str
    line: int
    aliases: list[str] = field(default_factory=list)
    codes: list[CodeTenure] = field(default_factory=list)


def _warn(path: Path, line: int, message: str) -> None:
    warnings.warn(f"{path}:{line}: {message}", DictionaryWarning, stacklevel=3)


def _yymmdd(text: str) -> dt.date:
    """TABARI dates: YYYYMMDD, or YYMMDD with 00-29 read as 20xx (the files date from 2014)."""
    if len(text) == 8:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if len(text) == 6:
        yy = int(text[:2])
        return dt.date((2000 if yy < 30 else 1900) + yy, int(text[2:4]), int(text[4:]))
    raise ValueError(f"date {text!r} is neither YYMMDD nor YYYYMMDD")


def parse_code(body: str) -> CodeTenure:
    """ "IRQGOV 030409-061230" -> CodeTenure("IRQGOV", 2003-04-09, 2006-12-30)."""
    code, _, bound = body.strip().partition(" ")
    code, bound = code.strip().upper(), bound.strip().replace(" ", "")
    if not code or not _CODE.match(code):
        raise ValueError(f"not an actor code: [{body}]")
    if not bound:
        return CodeTenure(code)
    if bound.startswith(">"):
        return CodeTenure(code, start=_yymmdd(bound[1:]))
    if bound.startswith("<"):
        return CodeTenure(code, end=_yymmdd(bound[1:]))
    span = _RANGE.match(bound)
    if span:
        return CodeTenure(code, start=_yymmdd(span[1]), end=_yymmdd(span[2]))
    raise ValueError(f"cannot read the date bound of [{body}]")


def _vowel_count(word: str) -> int:
    return sum(1 for c in word.upper() if c in _VOWELS)


def _word_case(word: str, *, alone: bool) -> str:
    """Title-case a dictionary word but keep acronyms (KRG, U.N., UN, ANSF) in capitals.

    The files are all capitals, so an acronym is a guess: a dotted word, a word with no
    vowel, a two-letter word, or a lone short word with at most one vowel.
    """
    lower = word.lower()
    if lower in _LOWER_WORDS:
        return lower
    if "." in word or len(word) <= 2 or _vowel_count(word) == 0:
        return word
    if alone and len(word) <= 5 and _vowel_count(word) <= 1:
        return word
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def display_name(raw: str) -> tuple[str, list[str]]:
    """ "ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_" -> ("Aden Abyan Islamic Army", ["AAIA"])."""
    text = raw.replace("_", " ")
    extra = [p.strip() for p in _PAREN.findall(text) if p.strip()]
    text = _PAREN.sub(" ", text)
    words = text.split()
    name = " ".join(_word_case(w, alone=len(words) == 1) for w in words)
    if name:
        name = name[0].upper() + name[1:]
    return name, extra


def _kind(codes: list[CodeTenure]) -> tuple[ActorKind, str | None, str | None]:
    """(kind, country, sector) guessed from the codes.

    A bare country code marks the state; other dated codes mark persons (the CountryInfo
    leaders, the heads of IGOs); IGO/IMG prefixes mark international organisations and
    militarised non-state groups; a sector after a country code marks a state body.
    """
    if not codes:
        return "other", None, None
    current = next((c for c in codes if c.end is None), codes[0])
    code = current.code
    head, sector = code[:3], code[3:6] or None
    country = head if pycountry.countries.get(alpha_3=head) else None
    if country and any(c.code == head for c in codes):
        return "state", country, None  # a bare country code, dated or not (IRQ, then IRQOCC)
    if any(c.start or c.end for c in codes):
        return "person", country, sector  # dated roles: CountryInfo leaders, IGO heads
    if head == "IGO":
        return "international_org", None, None
    if head == "IMG":
        return "armed_group", None, None
    if sector in _ARMED_SECTORS:
        return "armed_group", country, sector
    if country and sector in _STATE_SECTORS:
        return "government_body", country, sector
    return "other", country, sector


def _read_codes(path: Path, lineno: int, text: str, entry: _Entry) -> None:
    for body in _BRACKET.findall(text):
        try:
            entry.codes.append(parse_code(body))
        except ValueError as exc:
            _warn(path, lineno, f"{exc}; code skipped")


def _entries(path: Path) -> list[_Entry]:
    entries: list[_Entry] = []
    current: _Entry | None = None
    in_comment = False
    with path.open(encoding="utf-8", errors="replace") as lines:
        for lineno, line in enumerate(lines, start=1):
            text = line.split("#", 1)[0].rstrip()
            stripped = text.strip()
            if in_comment or stripped.startswith("<!"):
                in_comment = "-->" not in line and not stripped.endswith(">")
                continue
            if not stripped:
                continue
            if stripped.startswith("["):
                if current is None:
                    _warn(path, lineno, "code line before any entry; skipped")
                else:
                    _read_codes(path, lineno, stripped, current)
            elif stripped.startswith("+"):
                if current is None:
                    _warn(path, lineno, "alias line before any entry; skipped")
                    continue
                names = [n for n in stripped.split("+") if n.strip()]
                if len(names) != 1:
                    _warn(path, lineno, "several '+' on one alias line; read as separate aliases")
                for name in names:
                    current.aliases.append(name.split("[", 1)[0].strip())
                _read_codes(path, lineno, stripped, current)
            elif stripped[0].isalnum() or stripped[0] in "'\"(":
                current = _Entry(stripped.split("[", 1)[0].strip(), lineno)
                entries.append(current)
                _read_codes(path, lineno, stripped, current)
            else:
                _warn(path, lineno, f"unrecognised line {stripped[:40]!r}; skipped")
    return entries


def parse_petrarch_actors(path: str | Path) -> list[KbActor]:
    """The actors of one PETRARCH/Phoenix actor dictionary (entries sharing a name merge)."""
    path = Path(path)
    merged: dict[str, _Entry] = {}
    for entry in _entries(path):
        if not entry.codes:
            _warn(path, entry.line, f"entry {entry.raw_name!r} has no actor code; skipped")
            continue
        key = _NOT_ID.sub("_", entry.raw_name.lower()).strip("_")
        if not key:
            _warn(path, entry.line, "entry without a name; skipped")
            continue
        if key in merged:
            merged[key].aliases += entry.aliases
            merged[key].codes += entry.codes
        else:
            merged[key] = entry
    return [_actor(key, entry) for key, entry in merged.items()]


def _actor(key: str, entry: _Entry) -> KbActor:
    name, aliases = display_name(entry.raw_name)
    for raw in entry.aliases:
        alias, extra = display_name(raw)
        aliases += [alias, *extra]
    kind, country, sector = _kind(entry.codes)
    unique = [a for a in dict.fromkeys(aliases) if a and a != name]
    return KbActor(
        id=f"petrarch:{key}",
        name=name,
        kind=kind,
        country=country,
        aliases=tuple(unique),
        sector=sector,
        origin=ORIGIN,
        codes=tuple(dict.fromkeys(entry.codes)),
    )

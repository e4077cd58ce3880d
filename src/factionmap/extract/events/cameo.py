"""CAMEO code facts: PLOVER type, mode, context, Goldstein score and quad class.

The table is our own data file (``data/cameo.tsv``) so the product never needs
the PLOVER distribution at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from factionmap.records import PLOVER_TYPES, PloverType


@dataclass(frozen=True, slots=True)
class CameoInfo:
    code: str
    plover: PloverType | None  # None for root 01 (plain statements)
    mode: str | None
    context: str | None
    goldstein: float


def _opt(value: str) -> str | None:
    value = value.strip()
    return None if value in ("", "-") else value


@cache
def cameo_table() -> dict[str, CameoInfo]:
    """All CAMEO codes we know, keyed by code ("19", "190", "1831")."""
    text = (
        resources.files("factionmap.extract.events").joinpath("data/cameo.tsv").read_text("utf-8")
    )
    table: dict[str, CameoInfo] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, plover, mode, context, goldstein = line.split("\t")
        ptype = _opt(plover)
        if ptype is not None and ptype not in PLOVER_TYPES:
            raise ValueError(f"cameo.tsv: unknown PLOVER type {ptype!r} for code {code}")
        table[code] = CameoInfo(code, ptype, _opt(mode), _opt(context), float(goldstein))  # type: ignore[arg-type]
    return table


def lookup(code: str) -> CameoInfo | None:
    """Facts for a CAMEO code, falling back to its 3-digit parent and then its root."""
    table = cameo_table()
    for candidate in (code, code[:3], code[:2]):
        if candidate in table:
            return table[candidate]
    return None


def quad_class(code: str) -> int:
    """0 neutral (01), 1 verbal coop (02-05), 2 material coop (06-08),
    3 verbal conflict (09-13), 4 material conflict (14-20)."""
    try:
        root = int(code[:2])
    except ValueError:
        return 0
    if root <= 1:
        return 0
    if root <= 5:
        return 1
    if root <= 8:
        return 2
    if root <= 13:
        return 3
    return 4


def goldstein(code: str) -> float:
    info = lookup(code)
    return info.goldstein if info else 0.0


def plover_for(code: str) -> PloverType | None:
    info = lookup(code)
    return info.plover if info else None


@cache
def base_code(ptype: str) -> str | None:
    """The most general CAMEO code of a PLOVER type ("ASSAULT" -> "18")."""
    codes = [c for c, info in cameo_table().items() if info.plover == ptype]
    return min(codes, key=lambda c: (len(c), c)) if codes else None

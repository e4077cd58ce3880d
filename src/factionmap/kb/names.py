"""Name keys: one spelling-robust key per name, so variants meet in lookups."""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc\u02bb\u0060\u00b4'\u2032]")
_ARTICLE = re.compile(r"\b(?:al|el|ul|ad|an|ar|as|ash|at|az)[\s-]+")
# Spelling variants seen in transliterated Arabic/Persian names, folded to one form.
_VARIANTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"\bh[ie]z[bu]?[ae]?ll[ae]h\b", "hezbollah"),
        (r"\bhizb(?:u|a)?llah\b", "hezbollah"),
        (r"\bhusa?y?n\b|\bhus+ain\b|\bhus+ein\b|\bhus+ayn\b", "hussein"),
        (r"\bmu?hammad\b|\bmohamm?ed\b|\bmuhamm?ed\b", "muhammad"),
        (r"\bqai?s\b|\bqays\b", "qais"),
        (r"\bsha'?a?bi\b|\bshaabi\b|\bshabi\b", "shaabi"),
        (r"\bkata'?i?b\b|\bkataib\b|\bkatab\b", "kataib"),
        (r"\basa'?i?b\b|\basaib\b|\basab\b", "asaib"),
        (r"\bdaesh\b|\bda'?esh\b|\bdaish\b", "isis"),
    )
)


def name_key(text: str) -> str:
    """Fold case, diacritics, apostrophes, the Arabic article and spelling variants.

    >>> name_key("Kata’ib Hizballah") == name_key("Kataib Hezbollah")
    True
    """
    s = unicodedata.normalize("NFKC", text)
    s = _APOSTROPHES.sub("", s)
    s = unidecode(s).lower()
    s = re.sub(r"\bthe\s+", "", s)
    s = _ARTICLE.sub("", s)
    s = re.sub(r"[^a-z0-9]+", " ", s)
    s = re.sub(r"(.)\1{2,}", r"\1\1", s)  # "Husssein" -> "Hussein"
    for pattern, repl in _VARIANTS:
        s = pattern.sub(repl, s)
    return " ".join(s.split())

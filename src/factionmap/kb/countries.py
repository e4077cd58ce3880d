"""Every country as a state actor, generated from pycountry plus our demonym table."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import cache
from importlib import resources

import pycountry

from factionmap.kb.base import KbActor, KbDataError
from factionmap.kb.names import name_key

DEMONYM_FILE = "demonyms.json"
_NOT_ID = re.compile(r"[^a-z0-9]+")


@cache
def demonyms() -> dict[str, tuple[str, ...]]:
    """ISO alpha-3 -> demonyms ("IRQ" -> ("Iraqi",)), from our kb/data/demonyms.json."""
    source = resources.files("factionmap.kb.data").joinpath(DEMONYM_FILE)
    table = json.loads(source.read_text(encoding="utf-8"))
    out: dict[str, tuple[str, ...]] = {}
    for code, words in table.items():
        if pycountry.countries.get(alpha_3=code) is None:
            raise KbDataError(f"{DEMONYM_FILE}: {code!r} is not an ISO alpha-3 country code")
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise KbDataError(f"{DEMONYM_FILE}: {code}: expected a list of strings")
        out[code] = tuple(words)
    return out


def _natural_order(name: str) -> str:
    """ "Korea, Republic of" -> "Republic of Korea"; "Virgin Islands, British" -> "British ..."."""
    head, sep, tail = name.partition(", ")
    if not sep:
        return name
    if tail.endswith((" of", " of the")) or " " not in tail:
        return f"{tail} {head}"
    return name


def _names(country: object) -> list[str]:
    raw = country.name  # type: ignore[attr-defined]
    names = [
        getattr(country, "common_name", None),
        _natural_order(raw),
        raw,  # the ISO form, "Korea, Republic of", as some sources print it
        getattr(country, "official_name", None),
    ]
    out: list[str] = []
    for name in names:
        if name and name not in out:
            out.append(name.removeprefix("the ").removeprefix("The "))
    return out


@cache
def country_actors() -> tuple[KbActor, ...]:
    """One ``state`` actor per ISO 3166 country, with official/common names and demonyms."""
    table = demonyms()
    actors = []
    for country in pycountry.countries:
        names = _names(country)
        code = country.alpha_3
        aliases = [n for n in names[1:] if n != names[0]] + list(table.get(code, ()))
        actors.append(
            KbActor(
                id="kb:" + _NOT_ID.sub("_", names[0].lower()).strip("_"),
                name=names[0],
                kind="state",
                country=code,
                aliases=tuple(dict.fromkeys(aliases)),
            )
        )
    return tuple(actors)


def merge_country(own: KbActor, generated: KbActor) -> KbActor:
    """Our hand-written state, with the generated names it lacks added as aliases."""
    have = {name_key(n) for n in own.names()}
    extra = []
    for name in generated.names():
        key = name_key(name)
        if key not in have:
            have.add(key)
            extra.append(name)
    return replace(own, aliases=own.aliases + tuple(extra)) if extra else own

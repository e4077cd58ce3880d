"""Which institution a bare common-noun name ("Congress") is depends on the country the
article is about; mentions built by hand, no parse needed."""

from __future__ import annotations

from factionmap.extract.candidates import country_dependent_sector, in_country_context
from factionmap.extract.linking import ActorLinker
from factionmap.records import Mention

US_CONGRESS = dict(actor_id="kb:us_congress", actor_name="United States Congress",
                   actor_kind="government_body", country="USA", sector="LEG",
                   link_reason="kb alias 'Congress'")


def _place(text: str, country: str, at: int) -> Mention:
    return Mention(at, at + len(text), text, "Location", country=country)


def test_common_noun_names_have_a_sector_and_proper_names_none():
    assert country_dependent_sector("Congress") == "LEG"
    assert country_dependent_sector("the Parliament") == "LEG"
    assert country_dependent_sector("Pentagon") is None
    assert country_dependent_sector("Congress of Peru") is None


def test_bare_congress_in_an_article_about_peru_is_peru_s_legislature():
    names = [_place("Peru", "PER", 0), _place("Lima", "PER", 10),
             Mention(30, 38, "Congress", "Organisation", **US_CONGRESS)]  # type: ignore[arg-type]
    out = in_country_context(names, ActorLinker(None))
    congress = out[-1]
    assert congress.country == "PER" and congress.sector == "LEG"
    assert congress.actor_id != "kb:us_congress"
    assert "PER" in (congress.link_reason or "")
    assert out[:2] == names[:2]


def test_bare_congress_stays_the_us_congress_in_an_article_about_the_us():
    names = [_place("Ohio", "USA", 0),
             Mention(30, 38, "Congress", "Organisation", **US_CONGRESS)]  # type: ignore[arg-type]
    assert in_country_context(names, ActorLinker(None)) == names


def test_without_a_country_context_the_kb_link_stands():
    names = [Mention(30, 38, "Congress", "Organisation", **US_CONGRESS)]  # type: ignore[arg-type]
    assert in_country_context(names, ActorLinker(None)) == names


def test_a_proper_name_keeps_its_kb_link_abroad():
    pentagon = Mention(30, 38, "Pentagon", "Organisation", actor_id="kb:pentagon",
                       actor_name="Pentagon", actor_kind="government_body", country="USA",
                       link_reason="kb alias 'Pentagon'")
    names = [_place("Peru", "PER", 0), pentagon]
    assert in_country_context(names, ActorLinker(None)) == names

"""Event places: gazetteer lookups, our province table, and the country-context rule."""

from __future__ import annotations

from factionmap.extract.events.places import article_country, default_gazetteer, find_event_place
from factionmap.records import Mention


def test_city_and_wrapped_phrase():
    gaz = default_gazetteer()
    najaf = gaz.resolve("Najaf")
    assert najaf.country == "IRQ" and abs(najaf.lat - 32.03) < 0.2 and abs(najaf.lon - 44.35) < 0.2
    damascus = gaz.resolve("the outskirts of Damascus")
    assert damascus.name == "Damascus" and damascus.country == "SYR"


def test_province_table():
    anbar = gaz_anbar = default_gazetteer().resolve("Anbar province")
    assert gaz_anbar is not None and anbar.country == "IRQ" and 32 < anbar.lat < 35


def test_country_has_no_coordinates():
    iraq = default_gazetteer().resolve("Iraq")
    assert iraq.country == "IRQ" and iraq.lat is None


def test_ambiguous_name_follows_article_country():
    gaz = default_gazetteer()
    assert gaz.resolve("Tripoli", "LBN").country == "LBN"
    assert gaz.resolve("Tripoli", "LBY").country == "LBY"


def test_article_country_is_most_mentioned():
    ms = [
        Mention(0, 7, "Lebanon", "Location"),
        Mention(10, 17, "Lebanon", "Location"),
        Mention(20, 25, "Libya", "Location"),
    ]
    assert article_country(ms) == "LBN"


def test_find_event_place_needs_locative_word():
    text = "Shells hit homes in Tripoli and angered Libya."
    ms = [Mention(20, 27, "Tripoli", "Location"), Mention(40, 45, "Libya", "Location")]
    place = find_event_place(0, len(text), 7, ms, "LBN", text=text)
    assert place is not None and place.country == "LBN" and place.name == "Tripoli"
    only_object = [Mention(40, 45, "Libya", "Location")]
    assert find_event_place(0, len(text), 7, only_object, None, text=text) is None

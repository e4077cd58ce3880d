"""Published mentions: unit phrases, titled names, and what relations still read apart.

All sentences are our own.
"""

from __future__ import annotations

import pytest

from factionmap.extract import extract_article
from factionmap.extract.article import article_mentions
from factionmap.records import Article


@pytest.fixture(scope="module")
def mentions(nlp, kb):
    def _run(text: str):
        return article_mentions(nlp(text), Article(id="t", text=text), kb)

    return _run


def _published(found) -> dict[str, tuple[str, str | None]]:
    return {m.text: (m.label, m.actor_id) for m in found.published}


@pytest.mark.parametrize(
    ("text", "phrase", "label", "actor"),
    [
        ("Two strikes hit an ISIL tactical unit near Hit.", "an ISIL tactical unit",
         "Organisation", "kb:isis"),
        ("Kataib Hezbollah fighters shelled the airport.", "Kataib Hezbollah fighters",
         "Organisation", "kb:kataib_hezbollah"),
        ("A strike destroyed an ISIL-held building in the old town.", "an ISIL-held building",
         "Location", None),
        ("The Houthi spokesman denied the report on Tuesday.", "The Houthi spokesman",
         "Person", None),
    ],
)
def test_group_and_the_noun_it_qualifies_are_one_published_mention(
    mentions, text, phrase, label, actor
):
    assert _published(mentions(text)).get(phrase) == (label, actor)


def test_a_count_stays_its_own_quantity(mentions):
    published = _published(mentions("The raid killed five ISIL fighters near the dam."))
    assert published.get("ISIL fighters") == ("Organisation", "kb:isis")
    assert published.get("five", ("",))[0] == "Quantity"


def test_held_equipment_is_not_a_place(mentions):
    published = _published(mentions("One strike destroyed an ISIL-held tank near the bridge."))
    assert not any(label == "Location" and "tank" in text for text, (label, _) in
                   published.items())


def test_the_holder_of_a_held_place_is_still_related(nlp, kb):
    text = "A strike destroyed an ISIL-held building near Raqqa."
    x = extract_article(nlp(text), Article(id="t", text=text), kb)
    assert any(r.type == "controls" and r.subject.actor_id == "kb:isis" for r in x.relations)


@pytest.mark.parametrize(
    ("text", "titled", "actor"),
    [
        ("Foreign Office Minister for the Middle East Tobias Ellwood condemned the attack.",
         "Foreign Office Minister for the Middle East Tobias Ellwood", "new:Person:"),
        ("US Secretary of State John Kerry arrived in Baghdad.",
         "US Secretary of State John Kerry", "kb:john_kerry"),
    ],
)
def test_title_before_a_name_is_published_with_it(mentions, text, titled, actor):
    found = mentions(text)
    label, actor_id = _published(found)[titled]
    assert label == "Person"
    assert actor_id is not None and actor_id.startswith(actor)  # linked to the person named


def test_a_title_needs_a_role_word(nlp, kb):
    from factionmap.extract.mentions import find_mentions
    from factionmap.extract.publish import with_titles

    text = "On Monday the Iraqi Rami Haddad visited the front."
    doc = nlp(text)
    titled = with_titles(doc, find_mentions(doc, Article(id="t", text=text), kb))
    assert "Rami Haddad" in [m.text for m in titled if m.label == "Person"]


def test_portfolio_and_name_are_split(mentions):
    found = mentions("Minister for the Middle East Tobias Ellwood said the talks would go on.")
    people = [m for m in found.working if m.label == "Person"]
    assert [m.text for m in people] == ["Tobias Ellwood"]
    assert not any(m.label == "Organisation" and "Ellwood" in m.text for m in found.working)


def test_relations_still_read_the_title_organisation(nlp, kb):
    text = "US Secretary of State John Kerry met Iraqi Prime Minister Haider al-Abadi."
    x = extract_article(nlp(text), Article(id="t", text=text), kb)
    assert any(r.type == "communicated_with" for r in x.relations)


def test_sites_are_places_and_counts_stay_apart(nlp, kb):
    from factionmap.extract.mentions import find_mentions

    text = "Four strikes destroyed two fighting positions and a weapons storage facility."
    found = {m.text: m.label for m in find_mentions(nlp(text), Article(id="t", text=text), kb)}
    assert found.get("fighting positions") == "Location"
    assert found.get("a weapons storage facility") == "Location"
    assert found.get("two") == "Quantity"


def test_a_position_needs_a_site_modifier(nlp, kb):
    from factionmap.extract.mentions import find_mentions

    text = "The minister restated the government's position on the talks."
    found = find_mentions(nlp(text), Article(id="t", text=text), kb)
    assert not any("position" in m.text for m in found)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Fighting resumed in northern Iraq on Monday.", "northern Iraq"),
        ("Two strikes hit targets near Sarmada, Syria, overnight.", "Sarmada, Syria"),
        ("The delegation flew to Berlin, Germany on Monday.", "Berlin, Germany"),
        ("The sergeant was born in Fort Bragg, North Carolina.", "Fort Bragg, North Carolina"),
    ],
)
def test_places_are_published_with_what_narrows_them(mentions, text, place):
    assert _published(mentions(text)).get(place, ("",))[0] == "Location"


def test_states_listed_as_members_act(mentions):
    published = _published(mentions("Coalition nations include Australia, Belgium and Canada."))
    assert {published[c][0] for c in ("Australia", "Belgium", "Canada")} == {"Organisation"}


def test_a_place_before_a_title_is_not_part_of_it(mentions):
    published = _published(mentions("In Turkey Minister Rami Haddad met the governor."))
    assert not any(text.startswith("Turkey") and label == "Person"
                   for text, (label, _) in published.items())


def test_war_vehicles_are_platforms_and_weapon_names_stay_whole(mentions):
    published = _published(mentions(
        "The strike destroyed two tactical vehicles and a rocket-propelled grenade launcher."))
    assert published.get("tactical vehicles", ("",))[0] == "MilitaryPlatform"
    assert any(label == "Weapon" and "rocket-propelled grenade launcher" in text
               for text, (label, _) in published.items())


def test_a_lone_one_is_no_count(mentions):
    published = _published(mentions("One strike destroyed one bunker and five trucks."))
    assert not any(text.lower() == "one" for text in published)
    assert published.get("five", ("",))[0] == "Quantity"


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Aid reached the people of Syria through Turkey.", "the people of Syria"),
        ("The report blames the Falcon Brigade's new leadership for the raid.",
         "the Falcon Brigade's new leadership"),
    ],
)
def test_peoples_and_owned_groups_are_one_group_mention(mentions, text, phrase):
    assert _published(mentions(text)).get(phrase, ("",))[0] == "Organisation"


def test_an_isil_unit_parsed_as_nmod_is_one_phrase(mentions):
    published = _published(mentions("One strike engaged an ISIL tactical unit near Hawijah."))
    assert published.get("an ISIL tactical unit") == ("Organisation", "kb:isis")


@pytest.mark.parametrize(
    ("text", "office"),
    [
        ("Hakan Fidan met the Iraqi Foreign Minister, Fuad Hussein, in Ankara.",
         "the Iraqi Foreign Minister"),
        ("The reporters asked the prime minister about the Sadrist bloc.", "the prime minister"),
        ("The plan was drafted by the UN Special Envoy for Yemen last spring.",
         "the UN Special Envoy for Yemen"),
        ("Brig. Gen. Yahya Rasool, spokesman for the Joint Operations Command, spoke.",
         "spokesman for the Joint Operations Command"),
    ],
)
def test_an_office_without_a_name_is_one_person(mentions, text, office):
    assert _published(mentions(text)).get(office, ("",))[0] == "Person"


def test_an_office_before_a_name_is_the_name_s_title(mentions):
    published = _published(
        mentions("U.S. Secretary of State Mike Pompeo flew to Baghdad on Monday."))
    assert published.get("U.S. Secretary of State Mike Pompeo", ("",))[0] == "Person"
    assert "U.S. Secretary of State" not in published


def test_rank_and_file_and_indefinite_officials_are_no_office(mentions):
    published = _published(mentions("A member of the militia told a minister of the plan."))
    assert "A member of the militia" not in published
    assert "a minister" not in published


def test_the_state_in_an_office_is_still_read_by_relations(nlp, kb):
    text = "Boris Johnson met the Iraqi Foreign Minister in London."
    x = extract_article(nlp(text), Article(id="t", text=text), kb)
    assert any(m.text == "the Iraqi Foreign Minister" for m in x.mentions)
    assert any(r.type == "communicated_with" for r in x.relations)


@pytest.mark.parametrize(
    ("text", "not_office"),
    [
        ("Officials said his senior staff left the building.", "his senior staff"),
        ("Troops moved into the interior of the province.", "the interior"),
    ],
)
def test_words_of_titles_are_no_office_on_their_own(mentions, text, not_office):
    assert _published(mentions(text)).get(not_office, ("",))[0] != "Person"


def test_a_lone_capitalised_title_word_is_a_surname_not_an_office(mentions):
    label, actor = _published(mentions("King said the bill would pass the House.")).get(
        "King", ("", None)
    )
    assert not (actor or "").startswith(("local:", "agent:"))  # no one's government


def test_an_office_stops_at_a_line_break(mentions):
    published = _published(mentions("Talks in Kabul\n\nThe Ukrainian President spoke."))
    assert published.get("The Ukrainian President", ("",))[0] == "Person"


def test_two_countries_in_a_row_are_a_list(mentions):
    published = _published(mentions("The group operates in Iraq, Syria and Lebanon."))
    assert "Iraq, Syria" not in published


def test_a_country_visited_is_a_place(mentions):
    published = _published(mentions("Minister Ellwood visited Turkey on 4 April."))
    assert published.get("Turkey", ("",))[0] == "Location"
    published = _published(mentions("Turkey shelled the border town on 4 April."))
    assert published.get("Turkey", ("",))[0] == "Organisation"


@pytest.mark.parametrize(
    ("text", "people", "actor"),
    [
        ("The attack was a blow to all Iraqis, the minister said.", "Iraqis", "kb:iraq"),
        ("Aid reached two million Syrians last year.", "Syrians", "kb:syria"),
        ("We are grateful to the Turks for their help.", "the Turks", "kb:turkey"),
    ],
)
def test_a_country_s_people_is_a_group_linked_to_the_country(mentions, text, people, actor):
    found = mentions(text)
    published = _published(found)
    assert published.get(people, ("",))[0] == "Organisation"
    assert any(m.actor_id == actor for m in found.working if people.endswith(m.text))


def test_a_plural_word_is_no_people_unless_its_singular_is_a_demonym():
    from factionmap.extract.linking import country_code, names_a_people

    assert names_a_people("the Iraqis") and not names_a_people("Iraq")
    assert country_code("Americans") == "USA"
    assert country_code("News") is None and not names_a_people("the Swiss")

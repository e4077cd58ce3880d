"""Within-document linking: definite descriptions, pronouns, and labels that follow the KB."""

from __future__ import annotations

import pytest

from factionmap.extract import extract_article
from factionmap.extract.coref import link_mentions
from factionmap.extract.mentions import keep_names_apart
from factionmap.extract.publish import with_titled_names
from factionmap.records import Article, Mention


def _mention(x, text: str) -> Mention:
    return next(m for m in x.mentions if m.text.lower() == text.lower())


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        pytest.param(
            "Abu Mahdi al-Muhandis was the deputy chief of Kataib Hezbollah, and the group "
            "later fired drones at a base.",
            "the group",
            {"actor_id": "kb:kataib_hezbollah", "label": "Organisation"},
            id="the-group-skips-an-intervening-person",
        ),
        pytest.param(
            "Asaib Ahl al-Haq paraded in Baghdad on Friday. Officials said the former "
            "militia had handed in its heavy weapons.",
            "the former militia",
            {"actor_id": "kb:asaib_ahl_al_haq", "link_reason": "coref: the former militia"},
            id="modified-definite-description",
        ),
    ],
)
def test_definite_description_links(run, text, phrase, expected):
    mention = _mention(run(text), phrase)
    for field, value in expected.items():
        assert getattr(mention, field) == value, field


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        pytest.param(
            "The Badr Organization held a rally. The other group stayed away.",
            "the other group",
            id="contrastive-description",
        ),
        pytest.param(
            "Kataib Hezbollah issued a statement. Prices rose. Markets fell. Shops closed. "
            "Schools opened late. The group was silent.",
            "the group",
            id="needs-a-recent-antecedent",
        ),
    ],
)
def test_definite_description_stays_unlinked(run, text, phrase):
    assert _mention(run(text), phrase).actor_id is None


def test_pronoun_links_to_the_only_person(run):
    x = run("Qais al-Khazali spoke in Basra. He warned the government about the budget.")
    he = _mention(x, "he")
    assert he.actor_id == "kb:qais_al_khazali"
    assert he.link_reason == "coref: he -> 'Qais al-Khazali'"
    assert x.article.text[he.start : he.end] == "He"


def test_pronoun_with_two_candidates_is_not_linked(run):
    x = run("Hadi al-Amiri met Falih al-Fayyadh in Baghdad. He said the talks went well.")
    assert not [m for m in x.mentions if m.text == "He" and m.actor_id]


def test_i_in_a_statement_is_its_speaker(run):
    x = run("Qais al-Khazali said:\n\nI commend the Peshmerga for their courage. My "
            "movement will stand with them.\n\nHadi al-Amiri said: I disagree.")
    firsts = [m for m in x.mentions if m.text in ("I", "My")]
    assert [(m.text, m.actor_id) for m in firsts] == [
        ("I", "kb:qais_al_khazali"), ("My", "kb:qais_al_khazali"), ("I", "kb:hadi_al_amiri"),
    ]
    assert firsts[0].link_reason == "coref: i -> speaker 'Qais al-Khazali'"
    praise = [r for r in x.relations if r.type == "supports" and r.subject.text == "I"]
    assert praise and praise[0].subject.actor_id == "kb:qais_al_khazali"


def test_i_in_an_office_holders_statement_is_the_office(run):
    x = run("The Iraqi Foreign Minister said:\n\nI commend the Peshmerga for their courage.")
    office = _mention(x, "The Iraqi Foreign Minister")
    assert office.actor_id is not None
    assert _mention(x, "I").actor_id == office.actor_id


def test_i_without_a_statement_is_not_linked(run):
    x = run("Qais al-Khazali spoke in Basra. \"I will stay,\" a driver told reporters.")
    assert not [m for m in x.mentions if m.text == "I" and m.actor_id]


def test_it_in_a_reported_clause_is_the_reporting_organisation(run):
    x = run("The US said it would classify Asaib Ahl al-Haq as a terrorist organization.")
    it = _mention(x, "it")
    assert it.actor_id == "kb:usa"
    assert it.link_reason == "coref: it -> reporting 'The US'"
    opposes = [r for r in x.relations if r.type == "opposes"]
    assert opposes and opposes[0].subject.actor_id == "kb:usa"
    assert opposes[0].object.actor_id == "kb:asaib_ahl_al_haq"


def test_it_with_a_plural_speaker_is_not_linked(run):
    x = run("Kataib Hezbollah fighters said it was over.")
    assert not [m for m in x.mentions if m.text == "it" and m.actor_id]


def test_quoted_we_is_the_speakers_organisation(run):
    x = run("\u201cThe general made it clear that we would strike the depots,\u201d said Col. "
            "John Smith, the CJTF-OIR spokesperson. \u201cWe will not allow ISIS to keep "
            "capabilities that threaten partner forces.\u201d")
    wes = [m for m in x.mentions if m.text.lower() == "we"]
    assert [m.actor_id for m in wes] == ["kb:cjtf_oir", "kb:cjtf_oir"]
    assert _has_opposes(x, "kb:cjtf_oir", "kb:isis")


def test_quoted_we_without_an_organisation_is_not_linked(run):
    x = run("\u201cWe will hold the bridge,\u201d said Ali Hassan, a shopkeeper in Mosul.")
    assert not [m for m in x.mentions if m.text == "We" and m.actor_id]


def _has_opposes(x, subj: str, obj: str) -> bool:
    return any(r.type == "opposes" and r.subject.actor_id == subj and r.object.actor_id == obj
               for r in x.relations)


def test_kb_kind_decides_the_label(nlp, kb):
    text = "Kataib Hezbollah fired rockets. The group denied it."
    doc = nlp(text)
    start = text.index("Kataib")
    end = start + len("Kataib Hezbollah")
    # A tagger (wrongly) calls the armed group a person; the KB kind overrides it.
    wrong = Mention(start, end, text[start:end], "Person", "kb:kataib_hezbollah",
                    "Kataib Hezbollah", "armed_group")
    g = text.index("The group")
    group = Mention(g, g + 9, "The group", "Organisation")
    out = link_mentions(doc, [wrong, group], Article(id="k", text=text), kb)
    assert out[0].label == "Organisation"
    assert out[1].actor_id == "kb:kataib_hezbollah"


def test_keep_names_apart_restores_title_and_name():
    text = "Iranian Foreign Minister Javad Zarif arrived."
    nat = Mention(0, 7, "Iranian", "Nationality", "kb:iran", "Iran", "state")
    z = text.index("Javad")
    name = Mention(z, z + 11, "Javad Zarif", "Person", "kb:zarif", "Javad Zarif", "person")
    wide = Mention(0, z + 11, text[: z + 11], "Person", "kb:zarif", "Javad Zarif", "person")
    assert keep_names_apart([nat, name], [wide]) == [nat, name]
    # A refinement that only adds a determiner to one name is kept.
    org = Mention(4, 21, "Badr Organization", "Organisation", "kb:badr_organization")
    the = Mention(0, 21, "the Badr Organization", "Organisation", "kb:badr_organization")
    assert keep_names_apart([org], [the]) == [the]


def test_generic_title_words_are_not_discovered_actors(nlp):
    from factionmap.records import Article

    text = "Secretary of State Jane Roe said the Ministry would answer. Roe spoke in Rome."
    doc = nlp(text)
    x = extract_article(doc, Article(id="t", text=text))
    names = {m.actor_name for m in x.mentions if m.actor_id}
    assert "State" not in names and "Ministry" not in names


def test_the_coalition_does_not_corefer_with_the_group_it_fights(nlp):
    from factionmap.records import Article

    text = (
        "The Islamic State lost its last town in the valley. "
        "The coalition said its aircraft had flown forty missions."
    )
    x = extract_article(nlp(text), Article(id="t", text=text))
    coalition = [m for m in x.mentions if m.text.lower().endswith("coalition")]
    assert all(m.actor_name != "Islamic State" for m in coalition)


def test_titled_name_is_published_as_one_person_linked_to_the_name():
    text = "Iranian Foreign Minister Javad Zarif arrived."
    nat = Mention(0, 7, "Iranian", "Nationality", "kb:iran", "Iran", "state")
    z = text.index("Javad")
    name = Mention(z, z + 11, "Javad Zarif", "Person", "kb:zarif", "Javad Zarif", "person")
    wide = Mention(0, z + 11, text[: z + 11], "Person")
    out = with_titled_names([nat, name], [wide])
    assert [(m.text, m.actor_id) for m in out] == [(wide.text, "kb:zarif")]
    assert out[0].link_reason == "title and name: 'Javad Zarif'"


def test_span_with_two_people_stays_split():
    text = "Zarif and Lavrov met."
    a = Mention(0, 5, "Zarif", "Person", "kb:zarif", "Javad Zarif", "person")
    b = Mention(10, 16, "Lavrov", "Person", "kb:lavrov", "Sergei Lavrov", "person")
    wide = Mention(0, 16, text[:16], "Person")
    assert with_titled_names([a, b], [wide]) == [a, b]


def test_titled_name_in_a_real_sentence(run):
    x = run("Defence Secretary Ash Carter met the commanders in Baghdad on Monday.")
    person = [m for m in x.mentions if m.label == "Person"]
    assert len(person) == 1 and person[0].text.endswith("Ash Carter")
    # The title's pieces are not published beside it.
    assert not any(m.text == "Ash Carter" for m in x.mentions)


def test_transliterated_city_read_as_a_person_is_a_place(run):
    x = run("Near Ar Raqqah, coalition aircraft destroyed two fighting positions on Sunday.")
    places = [m for m in x.mentions if "Raqqah" in m.text]
    assert places and all(m.label == "Location" for m in places)
    assert not any(m.text.startswith("Near") for m in places)


@pytest.mark.parametrize(
    ("text", "country", "label"),
    [
        ("Iraq signed a new security agreement on Monday.", "Iraq", "Organisation"),
        ("Officials met with Jordan on Monday to discuss the border.", "Jordan", "Organisation"),
        ("Fighting continued in Syria throughout the week.", "Syria", "Location"),
        ("Iraq and Syria signed a border agreement on Monday.", "Syria", "Organisation"),
    ],
)
def test_a_country_is_an_actor_or_a_place_by_its_use(run, text, country, label):
    x = run(text)
    assert _mention(x, country).label == label


def test_a_bracketed_acronym_is_an_alias(run):
    x = run("The Falcon Brigade (FBR) attacked the river militia. The FBR later withdrew.")
    first, acronym = _mention(x, "The Falcon Brigade"), _mention(x, "FBR")
    assert acronym.actor_id == first.actor_id
    assert any(r.type == "same_as" for r in x.relations)


@pytest.mark.parametrize(
    ("text", "name", "bracketed"),
    [
        # a reporter's outlet in brackets works for it, it is not the reporter's other name
        ("Questions came from Major Garrett (CBS) and Ayesha Rascoe (NPR) on Monday.",
         "Garrett", "CBS"),
        # a dateline: the city and the news agency
        ("WASHINGTON (Reuters) - The Pentagon said on Monday it struck Kataib Hezbollah.",
         "WASHINGTON", "Reuters"),
    ],
)
def test_a_bracketed_employer_or_agency_is_no_alias(run, text, name, bracketed):
    x = run(text)
    # the name's span may or may not take the rank ("Major Garrett"): that is the tagger's call
    named = next(m for m in x.mentions if name.lower() in m.text.lower())
    assert _mention(x, bracketed).actor_id != named.actor_id
    assert not [r for r in x.relations if r.type == "same_as"
                and {r.subject.text, r.object.text} == {named.text, bracketed}]


@pytest.mark.parametrize(
    ("source", "linked"),
    [
        # a command's own release speaks for the command
        ("CENTCOM", "kb:centcom"),
        # a news outlet's "we" is a columnist's or a nation's, never the outlet's
        ("Fox News", None),
    ],
)
def test_we_is_the_publisher_only_for_bodies_that_issue_statements(nlp, kb, source, linked):
    text = "We will keep hitting ISIL positions around Raqqa."
    x = extract_article(nlp(text), Article(id="t", text=text, source=source), kb)
    we = [m for m in x.mentions if m.text == "We"]
    assert (we[0].actor_id if we else None) == linked, [(m.text, m.actor_id) for m in x.mentions]

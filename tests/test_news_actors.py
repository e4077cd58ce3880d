"""Actors as news prose names them: errors found by reading the actors of unseen news.

Each case is a general form of one kind of error; all sentences are our own.
"""

from __future__ import annotations

import pytest

from factionmap.extract.common_words import without_common_words
from factionmap.extract.communities import as_communities
from factionmap.extract.coref import link_mentions
from factionmap.extract.learned.entities import TaggedSpan, merge_mentions
from factionmap.extract.place_names import as_named_places
from factionmap.records import Article, Mention


def _mention(text: str, part: str, label: str, **link: str) -> Mention:
    start = text.index(part)
    return Mention(start, start + len(part), part, label, **link)  # type: ignore[arg-type]


def test_a_rank_abbreviation_keeps_its_sentence_and_is_no_name(nlp, run) -> None:
    text = "The militia released Sgt. Karim Haddad on Monday, officials said."
    assert len(list(nlp(text).sents)) == 1  # "Sgt." once ended the sentence
    people = [m for m in run(text).mentions if m.label == "Person"]
    assert [m.actor_name for m in people] == ["Karim Haddad"]
    assert all("sgt" not in (m.actor_id or "") for m in people)


def test_a_line_break_ends_a_sentence(nlp, run) -> None:
    text = "Fighters near the dam, photographed by a reporter\nThe brigade said it would withdraw."
    assert [s.text.strip() for s in nlp(text).sents] == [
        "Fighters near the dam, photographed by a reporter",
        "The brigade said it would withdraw.",
    ]
    assert all("\n" not in m.text for m in run(text).mentions)


def test_a_place_span_takes_no_discovered_actor_from_a_name_inside(nlp) -> None:
    text = "Crowds gathered outside a Zaytoun Textiles store near northern Iraq."
    doc = nlp(text)
    rule = [
        _mention(text, "Zaytoun Textiles", "Organisation", actor_id="new:Organisation:zaytun",
                 actor_name="Zaytoun Textiles"),
        _mention(text, "Iraq", "Location", actor_id="kb:iraq", actor_name="Iraq",
                 actor_kind="state"),
    ]
    store, place = (text.index(p) for p in ("a Zaytoun Textiles store", "northern Iraq"))
    learned = [
        TaggedSpan(store, store + len("a Zaytoun Textiles store"), "Location"),
        TaggedSpan(place, place + len("northern Iraq"), "Location"),
    ]
    merged = {m.text: m.actor_id for m in merge_mentions(doc, rule, learned)}
    assert merged["a Zaytoun Textiles store"] is None
    assert merged["northern Iraq"] == "kb:iraq"  # a state still lends its link


def test_a_description_that_is_no_name_lends_no_name_parts(nlp) -> None:
    text = "A boy was carried into the Noor clinic in Tal Harb. Shells later fell on Tal Harb."
    clinic = _mention(text, "the Noor clinic in Tal Harb", "Person",
                      actor_id="new:Person:nur clinic", actor_name="Noor clinic in Tal Harb")
    later = text.rindex("Tal Harb")
    town = Mention(later, later + len("Tal Harb"), "Tal Harb", "Location")
    out = link_mentions(nlp(text), [clinic, town], Article(id="t", text=text))
    assert next(m for m in out if m.start == later).actor_id is None


def test_a_surname_still_links_to_the_full_name(nlp) -> None:
    text = "Hadi al-Amiri spoke in Basra. Amiri said the talks would go on."
    full = _mention(text, "Hadi al-Amiri", "Person", actor_id="new:Person:hadi amiri",
                    actor_name="Hadi al-Amiri")
    short = _mention(text, "Amiri said", "Location")
    short = Mention(short.start, short.start + 5, "Amiri", "Location")
    out = link_mentions(nlp(text), [full, short], Article(id="t", text=text))
    assert next(m for m in out if m.text == "Amiri").actor_id == "new:Person:hadi amiri"

@pytest.mark.parametrize(
    ("full", "short", "linked"),
    [
        ("the Zahra Palace House", "House", False),  # "House" alone is a legislature
        # other heads are short forms of the body named in full before them
        ("the Iraqi administration", "the administration", True),
        ("the Basra Oil Board", "Board", True),
        ("the Zahra Palace Brigade", "Palace Brigade", True),
    ],
)
def test_house_alone_is_not_short_for_a_house_named_before(nlp, full, short, linked) -> None:
    text = f"Officials at {full} met on Monday. {short} said the talks would go on."
    name = full.removeprefix("the ")
    first = _mention(text, full, "Organisation", actor_id="new:Organisation:x", actor_name=name)
    later = text.rindex(short)
    second = Mention(later, later + len(short), short, "Organisation",
                     actor_id="new:Organisation:y", actor_name=short)
    out = link_mentions(nlp(text), [first, second], Article(id="t", text=text))
    got = next(m for m in out if m.start == later).actor_id
    assert (got == "new:Organisation:x") is linked


@pytest.mark.parametrize("short", ["Mr. Haddad", "Mr Haddad", "Dr. Haddad", "Mrs. Haddad"])
def test_a_surname_after_a_courtesy_title_links_to_the_full_name(nlp, short: str) -> None:
    text = f"Karim Haddad spoke in Basra. {short} said the talks would go on."
    full = _mention(text, "Karim Haddad", "Person", actor_id="new:Person:karim hadad",
                    actor_name="Karim Haddad")
    later = _mention(text, short, "Person", actor_id="new:Person:hadad", actor_name="Haddad")
    out = link_mentions(nlp(text), [full, later], Article(id="t", text=text))
    assert next(m for m in out if m.text == short).actor_id == "new:Person:karim hadad"



def test_news_outlets_and_platforms_are_known_actors(run) -> None:
    x = run("The spokesman told Al Jazeera on Sunday, and later wrote on Twitter, that it ended.")
    linked = {m.text: m.actor_id for m in x.mentions if m.actor_id}
    assert linked.get("Al Jazeera") == "kb:al_jazeera"
    assert linked.get("Twitter") == "kb:twitter"


@pytest.mark.parametrize(
    ("text", "span", "linked"),
    [
        ("The ambassador led the American delegation in Oman.", "the American delegation", False),
        ("Officials praised our Syrian partners near the dam.", "our Syrian partners", False),
        ("He thanked the Iraqi nation on Sunday.", "the Iraqi nation", True),  # the state itself
    ],
)
def test_a_state_adjective_names_no_group_it_qualifies(nlp, text, span, linked) -> None:
    adjective = span.split()[1]
    rule = [_mention(text, adjective, "Nationality", actor_id="kb:x", actor_name="X",
                     actor_kind="state")]
    start = text.index(span)
    learned = [TaggedSpan(start, start + len(span), "Organisation")]
    assert [m.actor_id is not None for m in merge_mentions(nlp(text), rule, learned)] == [linked]


def test_a_state_adjective_does_not_name_one_sector_of_it(nlp, run) -> None:
    text = "Monitors documented abuses against the Syrian opposition in the north."
    doc = nlp(text)
    rule = [_mention(text, "Syrian", "Nationality", actor_id="kb:syria", actor_name="Syria",
                     actor_kind="state")]
    start = text.index("the Syrian opposition")
    learned = [TaggedSpan(start, start + len("the Syrian opposition"), "Organisation")]
    assert [m.actor_id for m in merge_mentions(doc, rule, learned)] == [None]
    linked = {m.text: m.actor_id for m in run(text).mentions}
    assert linked.get("the Syrian opposition") == "agent:SYROPP"  # Syria's opposition


def test_an_office_named_alone_is_the_one_person_given_that_title(run) -> None:
    x = run("President Amal Nasser opened the dam on Sunday. The president said the army would "
            "guard it. Sen. Omar Tahir and Minister Lina Saad visited; the senator spoke first.")
    linked = {m.text: m.actor_name for m in x.mentions if m.label == "Person"}
    assert linked.get("The president") == "Amal Nasser"
    assert linked.get("the senator") == "Omar Tahir"


def test_an_office_two_people_hold_is_nobody_in_particular(run) -> None:
    x = run("President Amal Nasser and President Karim Aziz met in Doha. The president said no.")
    people = {m.actor_name for m in x.mentions if m.text == "The president"}
    assert not people & {"Amal Nasser", "Karim Aziz"}


def test_a_lower_case_word_after_a_name_is_no_part_of_it(nlp) -> None:
    from factionmap.extract.mentions import _person_name

    doc = nlp("Markets wobbled in the fading Nasser sun.")
    name = doc[5:7]  # what the small model may tag as one PERSON: "Nasser sun"
    assert _person_name(name).text == "Nasser"


def test_a_description_with_a_name_in_it_points_back_to_no_one() -> None:
    from factionmap.extract.coref import _definite_head

    def head(text: str) -> str | None:
        return _definite_head(Mention(0, len(text), text, "Organisation"))

    assert head("the Libertarian party") is None  # a party's name, not "the party" again
    assert head("the Sadrist movement") is None
    # peoples, sects and patrons describe: these still point back to a named group
    assert head("the Iraqi militia") == "militia"
    assert head("the Iran-backed group") == "group"
    assert head("the Shia militia") == "militia"


def test_a_surname_after_a_title_links_to_the_full_name(nlp) -> None:
    text = "Another judge, Nadia Karam, heard the case. Judge Karam said the ruling would come."
    full = _mention(text, "Nadia Karam", "Person", actor_id="new:Person:nadia karam",
                    actor_name="Nadia Karam")
    later = _mention(text, "Judge Karam", "Person", actor_id="new:Person:karam",
                     actor_name="Karam")
    out = link_mentions(nlp(text), [full, later], Article(id="t", text=text))
    assert next(m for m in out if m.text == "Judge Karam").actor_id == "new:Person:nadia karam"


def test_a_misread_group_name_does_not_hide_the_person_it_contains(nlp) -> None:
    text = "Minister of Defense Omar Saleh spoke. Defense Minister Omar Saleh left. Saleh resigned."
    misread = _mention(text, "Defense Omar Saleh", "Organisation",
                       actor_id="new:Organisation:difinsi umar salih",
                       actor_name="Defense Omar Saleh")
    person = _mention(text, "Defense Minister Omar Saleh", "Person",
                      actor_id="new:Person:umar salih", actor_name="Omar Saleh")
    last = text.rindex("Saleh")
    lone = Mention(last, last + 5, "Saleh", "Person", "new:Person:salih", "Saleh")
    out = link_mentions(nlp(text), [misread, person, lone], Article(id="t", text=text))
    assert next(m for m in out if m.start == last).actor_id == "new:Person:umar salih"


def _new_person(text: str, part: str, key: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return Mention(start, start + len(part), part, "Person", f"new:Person:{key}", part, "person")


@pytest.mark.parametrize(
    ("text", "word", "dropped"),
    [
        # a headline's first word, written in lower case further down: no one's name
        ("Rubble cleared from the square\nCrews moved the rubble overnight.", "Rubble", True),
        ("The talks ended. Aides said the envoy would return. Two aides stayed.", "Aides", True),
        # a surname opening a sentence is never written in lower case
        ("The talks ended. Haddad said the envoy would return.", "Haddad", False),
        # not the first word: capitalised for being a name
        ("Reporters asked Rubble about the square. The rubble stayed.", "Rubble", False),
        # title case only: an acronym or a word in capitals is another matter
        ("RUBBLE\nThe rubble stayed.", "RUBBLE", False),
    ],
)
def test_a_common_word_capitalised_by_its_place_is_no_new_person(
    nlp, text: str, word: str, dropped: bool
) -> None:
    mention = _new_person(text, word, word.lower())
    kept = without_common_words(nlp(text), [mention])
    assert (kept == []) is dropped


def test_the_pronouns_of_a_dropped_common_word_go_with_it(nlp) -> None:
    text = "Rubble cleared from the square\nHe said the rubble would go."
    debris = _new_person(text, "Rubble", "rubble")
    he = Mention(text.index("He"), text.index("He") + 2, "He", "Person", debris.actor_id)
    assert without_common_words(nlp(text), [debris, he]) == []


def test_a_common_word_that_is_also_written_as_a_name_stays(nlp) -> None:
    text = "Rubble spoke first. Mr. Rubble said the rubble was cleared."
    first = _new_person(text, "Rubble", "rubble")
    titled = _new_person(text, "Mr. Rubble", "rubble")
    assert without_common_words(nlp(text), [first, titled]) == [first, titled]


def test_a_known_person_is_never_a_common_word(nlp) -> None:
    text = "Bush spoke first.\nThe bush burned."
    known = Mention(0, 4, "Bush", "Person", "kb:george_w_bush", "George W. Bush", "person")
    assert without_common_words(nlp(text), [known]) == [known]


@pytest.mark.parametrize(
    ("text", "tagged", "name", "other"),
    [
        ("It sent Nadia Karam to Vexcorp, a gas firm.", "Nadia Karam to Vexcorp",
         "Nadia Karam", "Vexcorp"),
        ("Omar Tali of the Harbour Institute said so.", "Omar Tali of the Harbour Institute",
         "Omar Tali", "the Harbour Institute"),
        ("They blamed Omar Tali's ministry for it.", "Omar Tali's ministry", "Omar Tali",
         "ministry"),
    ],
)
def test_a_tagged_span_that_glues_a_name_to_something_else_leaves_both_apart(
    nlp, text: str, tagged: str, name: str, other: str
) -> None:
    rule = [
        _mention(text, name, "Person", actor_id="new:Person:x", actor_name=name,
                 actor_kind="person"),
        _mention(text, other, "Organisation"),
    ]
    start = text.index(tagged)
    for label in ("Person", "Organisation"):
        merged = merge_mentions(nlp(text), rule, [TaggedSpan(start, start + len(tagged), label)])
        assert [(m.text, m.label) for m in merged] == [(name, "Person"), (other, "Organisation")]


def test_a_title_that_holds_a_name_and_a_joining_word_stays_one_span(nlp) -> None:
    text = "The Adviser to Ambassador Roe for Refugees spoke."
    tagged = "The Adviser to Ambassador Roe for Refugees"
    rule = [_mention(text, "Roe", "Person", actor_id="new:Person:roe", actor_name="Roe")]
    merged = merge_mentions(nlp(text), rule, [TaggedSpan(0, len(tagged), "Person")])
    assert [m.text for m in merged] == [tagged]


@pytest.mark.parametrize(
    ("text", "part", "label", "community"),
    [
        ("The Yazidis fled the mountain.", "The Yazidis", "Person", "Yazidis"),
        ("Gunmen killed hundreds of Yezidis.", "hundreds of Yezidis", "Organisation", "Yazidis"),
        ("Kurds marched in Erbil.", "Kurds", "Nationality", "Kurds"),
        ("Many Shiites voted.", "Many Shiites", "Person", "Shia Muslims"),
    ],
)
def test_a_peoples_name_is_its_community_not_a_new_person(
    text: str, part: str, label: str, community: str
) -> None:
    found = as_communities([_mention(text, part, label, actor_id="new:Person:x")])
    assert [(m.label, m.actor_name, m.actor_kind) for m in found] == [
        ("Organisation", community, "other")
    ]
    again = as_communities([_mention("They met " + part, part, "Person")])
    assert again[0].actor_id == found[0].actor_id  # one actor wherever it is named


@pytest.mark.parametrize(("name", "label"), [("COVID-19", "Person"), ("Ebola", "Organisation")])
def test_a_disease_is_no_actor(name: str, label: str) -> None:
    text = f"Officials said {name} had killed hundreds in the camps."
    (m,) = as_communities([_mention(text, name, label, actor_id="new:x", actor_name=name)])
    assert m.actor_id is None and m.label == "Organisation"


def test_a_faith_is_no_actor_and_known_actors_and_adjectives_stay(run) -> None:
    text = "The sect claims to speak for Islam."
    (faith,) = as_communities([_mention(text, "Islam", "Organisation", actor_id="new:x")])
    assert faith.actor_id is None and faith.label == "Organisation"
    text = "He warned against radical Islam."
    (creed,) = as_communities([_mention(text, "radical Islam", "Organisation", actor_id="new:x")])
    assert creed.actor_id is None
    known = _mention("Kurds", "Kurds", "Organisation", actor_id="kb:kurds", actor_name="Kurds")
    assert as_communities([known]) == [known]
    adjective = _mention("Shia militias", "Shia", "Nationality")
    assert as_communities([adjective]) == [adjective]
    assert all(m.actor_id is None for m in run(text).mentions if m.text == "Islam")


@pytest.mark.parametrize(
    ("text", "name", "label", "place"),
    [
        ("Two tankers near the strait of Qarun were hit.", "Qarun", "Person", True),
        ("Fighters took the village of Tel Zahra on Monday.", "Tel Zahra", "Person", True),
        ("Fishing boats sank off the island of Talveen.", "Talveen", "Person", True),
        # a group's name after "of" in other phrases stays a group
        ("The leader of Saraya Talveen spoke.", "Saraya Talveen", "Person", False),
        # a name opening with a word Arabic place names open with
        ("Kafr Zaytoun held a funeral on Monday.", "Kafr Zaytoun", "Person", True),
        ("Troops raided Beit Noura overnight.", "Beit Noura", "Organisation", True),
        ("Shells fell on Deir al-Hamra.", "Deir al-Hamra", "Organisation", True),
        # a person whose name merely resembles one stays a person
        ("Beitar Karam held a rally.", "Beitar Karam", "Person", False),
        ("Ras spoke.", "Ras", "Person", False),
    ],
)
def test_a_name_the_text_shows_to_be_a_place_is_that_place(nlp, text, name, label,
                                                           place) -> None:
    m = _mention(text, name, label, actor_id="new:Person:x", actor_name=name)
    (out,) = as_named_places(nlp(text), [m])
    assert (out.label == "Location" and out.actor_id is None) is place
    assert out == m or place


def test_a_known_actor_after_a_place_noun_stays_itself(nlp) -> None:
    text = "Raqqa, the declared capital of the Islamic State, fell."
    m = _mention(text, "the Islamic State", "Organisation", actor_id="kb:isis")
    assert as_named_places(nlp(text), [m]) == [m]


def test_a_new_person_only_ever_somewhere_is_a_place(nlp) -> None:
    text = ("The fighters hid in Kala Dara for a month. Food reached them at Kala Dara by mule. "
            "Nadia Karam said the caves in Kala Dara were cold.")
    doc = nlp(text)
    place = [_new_person(text, "Kala Dara", "kala dara", k) for k in range(3)]
    person = _new_person(text, "Nadia Karam", "nadia karam")
    out = as_named_places(doc, [*place, person])
    assert [(m.label, m.actor_id) for m in out[:3]] == [("Location", None)] * 3
    assert out[3] == person  # a subject: someone who does things
    # one place-like use is not enough, nor are many when the name also acts
    assert as_named_places(doc, [place[0], person]) == [place[0], person]
    acting = _new_person(text, "Nadia Karam", "nadia karam")
    twice = [Mention(m.start, m.end, m.text, "Person", acting.actor_id) for m in place[:2]]
    assert as_named_places(doc, [*twice, acting]) == [*twice, acting]

"""Precision of relations: argument schema, titles, modality of learned facts, merge rules.

All sentences are our own. The schema tests build mentions by hand (no parser needed).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from factionmap.extract import extract_article
from factionmap.extract.arguments import keep_valid_relations, valid_arguments
from factionmap.extract.learned.entities import TaggedSpan, merge_mentions
from factionmap.extract.learned.relations import merge_relations
from factionmap.extract.mentions import keep_names_apart
from factionmap.records import Article, Mention, Relation, Span


def _m(text: str, label: str, actor: str | None = None, kind: str | None = None,
       country: str | None = None, start: int = 0) -> Mention:
    return Mention(start, start + len(text), text, label, actor, text, kind,  # type: ignore[arg-type]
                   country)


PERSON = _m("Rami Haddad", "Person", "kb:rami", "person", "IRQ")
GROUP = _m("the Falcon Brigade", "Organisation", "kb:falcon", "armed_group", "IRQ", start=20)
STATE = _m("France", "Location", "kb:fra", "state", "FRA", start=50)
ALLIANCE = _m("the Northern Pact", "Organisation", "kb:pact", "international_org", start=140)
TOWN = _m("Tel Rumman", "Location", None, start=60)
MONTH = _m("March", "Location", None, start=80)
PRONOUN = _m("he", "Person", None, start=90)
VAGUE = _m("possible partners", "Organisation", None, start=100)
COUNT = _m("two", "Quantity", None, start=120)
NATIONS = replace(_m("Coalition nations", "Organisation", "local:MIL:coalition nations",
                     start=160), sector="MIL")
MILITANTS = replace(_m("a terrorist group", "Organisation", "local:UAF:terrorist group",
                       start=180), sector="UAF")
STRIKES = _m("strikes", "Weapon", None, start=200)
TRUCKS = _m("trucks", "Vehicle", None, start=210)
SHIP = _m("USS Mahan", "MilitaryPlatform", None, start=220)
HULL = _m("DDG 72", "MilitaryPlatform", None, start=230)


@pytest.mark.parametrize(
    ("rel_type", "subject", "obj", "ok"),
    [
        ("member_of", PERSON, GROUP, True),
        ("communicated_with", PRONOUN, PERSON, False),  # pronoun with no antecedent
        ("member_of", GROUP, VAGUE, False),  # unlinked noun phrase is no actor
        ("supports", STATE, VAGUE, False),
        ("member_of", STATE, GROUP, False),  # a state is no member of an armed group
        ("member_of", STATE, ALLIANCE, True),  # but of an international body
        ("leads", STATE, ALLIANCE, True),  # "the U.S.-led coalition"
        ("leads", STATE, GROUP, False),
        ("member_of", GROUP, STATE, False),  # an Iraqi group in the French state
        ("located_in", GROUP, TOWN, True),
        ("located_in", GROUP, MONTH, False),  # a month is no place
        ("located_in", STATE, TOWN, False),
        ("fighting_against", GROUP, TOWN, True),  # attacking a town
        ("leads", PERSON, TOWN, False),  # becomes controls, see below
        ("controls", GROUP, TOWN, True),
        ("has_attribute", GROUP, COUNT, True),
        ("has_attribute", TOWN, COUNT, False),
        ("same_as", PERSON, PRONOUN, False),
        ("role", GROUP, STATE, False),
        ("member_of", STATE, NATIONS, True),  # "Coalition nations include France"
        ("member_of", STATE, MILITANTS, False),  # a state is in no unnamed armed group
        ("fighting_against", STRIKES, TRUCKS, True),  # "five strikes destroyed two trucks"
        ("fighting_against", TRUCKS, GROUP, False),  # a truck attacks no one
        ("same_as", HULL, SHIP, True),  # "USS Mahan (DDG 72)"
        ("same_as", HULL, PERSON, False),
    ],
)
def test_argument_schema(rel_type, subject, obj, ok):
    assert valid_arguments(rel_type, subject, obj) is ok


def _rel(type_: str, a: Mention, b: Mention, pattern: str = "p") -> Relation:
    return Relation(type_, a.span(), b.span(), Span(0, 200, ""), pattern=pattern)  # type: ignore[arg-type]


def test_leads_over_a_place_is_controls_and_bad_arguments_go():
    kept = keep_valid_relations(
        [_rel("leads", GROUP, TOWN), _rel("member_of", GROUP, VAGUE)], [GROUP, TOWN, VAGUE]
    )
    assert [(r.type, r.object.text) for r in kept] == [("controls", "Tel Rumman")]


def test_pattern_pair_pre_empts_learned_relation():
    pattern = [_rel("leads", PERSON, GROUP)]
    learned = [_rel("member_of", PERSON, GROUP, "learned"), _rel("member_of", PERSON, STATE, "l")]
    merged = merge_relations(pattern, learned)
    assert [(r.type, r.object.text) for r in merged] == [
        ("leads", "the Falcon Brigade"), ("member_of", "France")
    ]


def test_kb_kind_outranks_tagger_label(nlp):
    text = "Kataib Hezbollah fired at the base."
    doc = nlp(text)
    rule = [_m("Kataib Hezbollah", "Organisation", "kb:kataib_hezbollah", "armed_group")]
    merged = merge_mentions(doc, rule, [TaggedSpan(0, len("Kataib Hezbollah"), "Person")])
    assert merged[0].label == "Organisation"


def test_tagger_span_cutting_a_kb_name_yields(nlp):
    text = "Fighters of the Islamic State of Iraq and the Levant fled."
    doc = nlp(text)
    start = text.index("Islamic")
    name = _m("Islamic State of Iraq and the Levant", "Organisation", "kb:isis", "armed_group",
              start=start)
    cut = TaggedSpan(start, start + len("Islamic State of Iraq"), "Organisation")
    merged = merge_mentions(doc, [name], [cut])
    assert [m.text for m in merged] == ["Islamic State of Iraq and the Levant"]


@pytest.mark.parametrize(
    ("text", "whole", "piece", "wider"),
    [
        ("Strikes hit other ISIS-held territory in Syria.", "ISIS-held territory", "ISIS",
         "other ISIS-held territory"),
        ("The Iran-backed militia withdrew.", "Iran-backed militia", "backed militia",
         "The Iran-backed militia"),
    ],
)
def test_tagger_span_splitting_a_hyphenated_word_yields(nlp, text, whole, piece, wider):
    doc = nlp(text)
    start = text.index(whole)
    rule = _m(whole, "Location", start=start)
    lo = text.index(piece, start)
    merged = merge_mentions(doc, [rule], [TaggedSpan(lo, lo + len(piece), "Organisation")])
    assert [m.text for m in merged] == [whole]
    # edges at word boundaries are the tagger's to draw
    lo = text.index(wider)
    merged = merge_mentions(doc, [rule], [TaggedSpan(lo, lo + len(wider), "Location")])
    assert [m.text for m in merged] == [wider]


def test_tagger_person_without_a_person_in_it_keeps_the_rule_label(nlp):
    text = "Soldiers of the 44th Desert Artillery Regiment fired on the ridge."
    doc = nlp(text)
    name = "44th Desert Artillery Regiment"
    start = text.index(name)
    unit = _m(name, "Organisation", "new:Organisation:44th", start=start)
    merged = merge_mentions(doc, [unit], [TaggedSpan(start, start + len(name), "Person")])
    assert [(m.text, m.label) for m in merged] == [(name, "Organisation")]
    # spaCy sees a person in the span: the tagger's Person stands
    text = "The envoy Samir Haddad arrived."
    doc = nlp(text)
    start = text.index("Samir")
    rule = _m("Samir Haddad", "Organisation", "new:Organisation:samir", start=start)
    assert any(t.ent_type_ == "PERSON" for t in doc[2:4])
    span = TaggedSpan(start, start + len("Samir Haddad"), "Person")
    assert [m.label for m in merge_mentions(doc, [rule], [span])] == ["Person"]


def test_lexicon_equipment_label_outranks_tagger(nlp):
    text = "A strike destroyed a VBIED near the bridge."
    doc = nlp(text)
    start = text.index("VBIED")
    weapon = _m("VBIED", "Weapon", start=start)
    merged = merge_mentions(doc, [weapon], [TaggedSpan(start - 2, start + 5, "Organisation")])
    assert [(m.text, m.label) for m in merged] == [("a VBIED", "Weapon")]


def test_a_site_the_rules_found_outranks_the_tagger_s_organisation(nlp):
    text = "Two strikes destroyed four weapons storage facilities near Hit."
    doc = nlp(text)
    start = text.index("weapons")
    site = _m("weapons storage facilities", "Location", start=start)
    span = TaggedSpan(start, start + len("weapons storage facilities"), "Organisation")
    assert [(m.text, m.label) for m in merge_mentions(doc, [site], [span])] == [
        ("weapons storage facilities", "Location")
    ]
    # a group named inside a span it heads stays the tagger's: "the Government of Iraq"
    text = "The Government of Iraq thanked the coalition."
    doc = nlp(text)
    iraq = _m("Iraq", "Location", start=text.index("Iraq"))
    merged = merge_mentions(doc, [iraq], [TaggedSpan(0, len("The Government of Iraq"),
                                                     "Organisation")])
    assert merged[0].label == "Organisation"


def test_title_after_name_is_split_off():
    rule = [_m("US", "Location", "kb:usa", "state", "USA")]
    refined = [_m("US Ambassador", "Organisation", "kb:usa")]
    assert [m.text for m in keep_names_apart(rule, refined)] == ["US"]


def _find(x, type_, subj, obj):
    return [r for r in x.relations
            if r.type == type_ and subj in r.subject.text and obj in r.object.text]


def test_title_before_name_gives_role_and_person_meets(run):
    x = run("Qais Khazali received US Ambassador to Iraq Douglas Silliman in Baghdad last week.")
    role = _find(x, "role", "Silliman", "US")
    assert role and role[0].role == "ambassador"
    # the title is how he is named: its role holds the affiliation, no second member_of
    assert not _find(x, "member_of", "Silliman", "US")
    met = [r for r in x.relations if r.type == "communicated_with"]
    assert met, "the meeting should be found"
    for r in met:
        assert {r.subject.text, r.object.text} == {"Qais Khazali", "Douglas Silliman"}


def test_no_relation_argument_lacks_an_actor(run):
    x = run("He told reporters that the United States saw some units as possible partners, "
            "and two airstrikes hit the group in March.")
    by_offsets = {(m.start, m.end): m for m in x.mentions}
    for r in x.relations:
        subj = by_offsets.get((r.subject.start, r.subject.end))
        assert r.subject.actor_id, r
        assert subj is None or subj.text.lower() != "he"


def test_appears_that_hedges_a_copula_role(run):
    x = run("It appears that Qais Khazali is the boss of Asaib Ahl al-Haq.")
    leads = _find(x, "leads", "Khazali", "Asaib")
    assert leads and all(r.modality == "hedged" for r in leads)


def test_quote_then_said_attributes_to_speaker(run):
    x = run("\"Hadi al-Amiri met Qais Khazali in Najaf,\" said Falih al-Fayyadh.")
    met = [r for r in x.relations if r.type == "communicated_with"]
    assert met
    for r in met:
        assert r.modality == "attributed"
        assert r.attributed_to is not None and "Fayyadh" in r.attributed_to.text


def test_a_possessor_state_is_not_led_by_the_commander_of_its_force(nlp, kb):

    text = "Qasem Soleimani, the commander of Iran's Quds Force, arrived in Damascus on Monday."
    x = extract_article(nlp(text), Article(id="q", text=text), kb)
    leads = [(r.subject.text, r.object.text) for r in x.relations if r.type == "leads"]
    assert ("Qasem Soleimani", "Quds Force") in leads
    assert not any(obj == "Iran" for _, obj in leads)

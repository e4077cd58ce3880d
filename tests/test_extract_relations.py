"""Relation patterns, modality, linking and offsets on our own hand-written sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from factionmap.extract import extract_article
from factionmap.records import Article


def _rels(x, type_):
    return [r for r in x.relations if r.type == type_]


def _triples(x):
    """(type, subject, object) of every relation: what a failed assertion shows."""
    return [(r.type, r.subject.text, r.object.text) for r in x.relations]


def _has(x, type_, subj: str, obj: str):
    return [
        r for r in _rels(x, type_)
        if subj in r.subject.text and obj in r.object.text
    ]


def test_offsets_slice_the_text(run):
    text = ("Ahmed al-Zubaidi, a spokesman for the Badr Organization, said on Monday that "
            "the Popular Mobilization Units (PMU) had fired rockets at a convoy near Basra.")
    x = run(text)
    assert x.mentions
    for m in x.mentions:
        assert text[m.start : m.end] == m.text
    for r in x.relations:
        for s in (r.subject, r.object, r.evidence):
            assert text[s.start : s.end] == s.text


@pytest.mark.parametrize(
    ("text", "person", "org", "role", "member", "absent"),
    [
        pytest.param(
            "Karim al-Saadi, spokesman of the Badr Organization, criticised the decision.",
            "Karim al-Saadi", "Badr", "spokesman", True, ("leads", "Badr"),
            id="apposition",
        ),
        pytest.param(
            # a title run before the name is how he is named: the role alone holds it
            "Yesterday US Ambassador to Iraq Mark Ellison toured the port.",
            "Mark Ellison", "US", "ambassador", False, ("member_of", "Iraq"),
            id="title-before-name-with-posting",
        ),
    ],
)
def test_role_gives_affiliation(run, text, person, org, role, member, absent):
    x = run(text)
    roles = _has(x, "role", person, org)
    assert roles and roles[0].role == role
    assert bool(_has(x, "member_of", person, org)) is member
    absent_type, absent_org = absent
    assert not _has(x, absent_type, person, absent_org)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Brig. Gen. Omar Haddad, commander, Iraqi Counter Terrorism Service, visited Qaim.",
         "Iraqi Counter Terrorism Service"),
        ('"We hold the line," said Maj. Gen. Omar Haddad, commander, Combined Joint Forces '
         "Land Component Command - Operation Northern Shield.", "Land Component Command"),
        ("U.S. Army General Omar Haddad, commander, U.S. Central Command recently met with "
         "Turkish officials.", "U.S. Central Command"),
    ],
)
def test_a_title_between_commas_leads_the_unit_beside_it(run, text, unit):
    x = run(text)
    assert _has(x, "leads", "Omar Haddad", unit), _triples(x)


def test_a_country_after_for_is_a_portfolio_not_an_employer(run):
    x = run("Jane Doe, the UK Special Representative for Syria, said the regime must stop.")
    assert not _has(x, "member_of", "Jane Doe", "Syria")
    assert not _has(x, "role", "Jane Doe", "Syria")


def test_nobody_is_a_member_of_a_person(run):
    x = run("Tony Blake joined US Secretary of State John Kerry in calling for a ceasefire.")
    assert not [r for r in _rels(x, "member_of") if "Kerry" in r.object.text]


def test_the_leader_of_gives_leads(run):
    x = run("Jalal al-Rubaie, the leader of the Badr Organization, arrived in Basra.")
    leads = _has(x, "leads", "Jalal al-Rubaie", "Badr")
    assert leads and leads[0].subject.actor_id
    assert leads[0].object.actor_id == "kb:badr_organization"


@pytest.mark.parametrize(
    ("text", "type_", "subj", "obj", "end", "actor_id"),
    [
        pytest.param(
            "The Badr Organization is headed by Hadi al-Amiri.",
            "leads", "Hadi al-Amiri", "Badr", "subject", "kb:hadi_al_amiri",
            id="passive-headed-by",
        ),
        pytest.param(
            "The Badr Organization is part of the Popular Mobilization Units.",
            "member_of", "Badr", "Popular Mobilization Units", "object", "kb:pmu",
            id="part-of",
        ),
    ],
)
def test_relation_end_links_to_kb(run, text, type_, subj, obj, end, actor_id):
    found = _has(run(text), type_, subj, obj)
    assert found and getattr(found[0], end).actor_id == actor_id


def test_possessive_title(run):
    x = run("Iraq's Interior Minister Samir Haddad visited the border.")
    role = _has(x, "role", "Samir Haddad", "Iraq")
    assert role and "minister" in role[0].role


def test_alias_gives_same_as_and_links(run):
    x = run("The Hashd, or Popular Mobilization Units, held a parade in Baghdad.")
    same = _rels(x, "same_as")
    assert same and {same[0].subject.actor_id, same[0].object.actor_id} == {"kb:pmu"}


def test_parenthesised_acronym_defines_a_new_actor(run):
    x = run("The Southern Dawn Brigades (SDB) announced a new commander. Later the SDB "
            "denied the report.")
    defs = [m for m in x.mentions if m.text.endswith("SDB")]
    assert len(defs) == 2
    assert defs[0].actor_id == defs[1].actor_id
    long = next(m for m in x.mentions if "Southern Dawn" in m.text)
    assert defs[0].actor_id == long.actor_id


def test_backed_compound(run):
    x = run("Iranian-backed militias fired at the base.")
    backed = _rels(x, "backed_by")
    assert backed and backed[0].object.actor_id is not None
    assert "militias" in backed[0].subject.text


def test_verb_relations(run):
    x = run("The Badr Organization attacked the Islamic State near Tikrit.")
    assert _has(x, "fighting_against", "Badr", "Islamic State")
    x = run("Hadi al-Amiri met Falih al-Fayyadh in Baghdad.")
    assert _has(x, "communicated_with", "Hadi al-Amiri", "Falih al-Fayyadh")


def _badr_attack(x):
    return _has(x, "fighting_against", "Badr", "Islamic State")[0]


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("The Badr Organization did not attack the Islamic State.", "negated"),
        ("The Badr Organization may have attacked the Islamic State.", "hedged"),
        ("The Badr Organization attacked the Islamic State.", "asserted"),
        # the complement of "refuse", "fail", "avoid" did not happen
        ("The Badr Organization refused to attack the Islamic State.", "negated"),
        ("The Badr Organization had avoided attacking the Islamic State.", "negated"),
        ("The Badr Organization failed to attack the Islamic State in time.", "negated"),
        ("The Badr Organization did not fail to attack the Islamic State.", "asserted"),
        # an attack that is only threatened, planned or authorised is a prospect
        ("Iraq faced the threat of a Badr Organization attack on the Islamic State.", "hedged"),
        ("Officials described a planned Badr Organization attack on the Islamic State.",
         "hedged"),
        ("Officials described the Badr Organization attack on the Islamic State.", "asserted"),
        # an attack only meant, wished or threatened has not happened
        ("The Badr Organization threatened to attack the Islamic State.", "hedged"),
        ("The Badr Organization hopes to attack the Islamic State soon.", "hedged"),
        ("The Badr Organization is ready to attack the Islamic State.", "hedged"),
        ("The Badr Organization does not intend to attack the Islamic State.", "negated"),
        ("The Badr Organization tried to attack the Islamic State.", "asserted"),
        ("The Badr Organization was unwilling to attack the Islamic State.", "negated"),
        # a condition, and what would follow from it, have not happened
        ("Iraq will act if the Badr Organization attacks the Islamic State.", "hedged"),
        ("If Iraq asks, the Badr Organization will attack the Islamic State.", "hedged"),
        ("Reporters asked whether the Badr Organization attacked the Islamic State.", "hedged"),
        ("When night fell, the Badr Organization attacked the Islamic State.", "asserted"),
        ("Unable to attack the Islamic State, the Badr Organization withdrew.", "negated"),
        # a denial beside the fact, not above it, does not deny it
        ("The Badr Organization denied the charge and attacked the Islamic State.", "asserted"),
        ("Officials denied that the Badr Organization had attacked the Islamic State.", "negated"),
    ],
)
def test_modality_cases(run, text, modality):
    assert _badr_attack(run(text)).modality == modality


def test_attributed_modality(run):
    r = _badr_attack(run("Local officials said the Badr Organization attacked the Islamic State."))
    assert r.modality == "attributed" and r.attributed_to is not None
    assert "officials" in r.attributed_to.text
    r = _badr_attack(
        run("The Badr Organization attacked the Islamic State, according to Hadi al-Amiri.")
    )
    assert r.modality == "attributed" and r.attributed_to.text == "Hadi al-Amiri"


def test_name_part_linking(run):
    x = run("Zuhair al-Khazraji founded a new movement. Khazraji told reporters it was ready.")
    first, second = [m for m in x.mentions if "Khazraji" in m.text][:2]
    assert second.actor_id == first.actor_id
    assert second.link_reason == f"name part of '{first.text}'"


def test_definite_description_linking(run):
    x = run("The Badr Organization held a rally. The group later announced its candidates.")
    group = next(m for m in x.mentions if m.text.lower() == "the group")
    assert group.actor_id == "kb:badr_organization"
    assert group.link_reason and group.link_reason.startswith("coref")


def test_former_gives_valid_time(run):
    x = run("Ali Hamdani was the former commander of the Badr Organization.", dt.date(2020, 5, 1))
    leads = _has(x, "leads", "Ali Hamdani", "Badr")
    assert leads and leads[0].valid is not None and leads[0].valid.is_former


def test_boilerplate_is_ignored(nlp, kb):
    from factionmap.nlp import masked_text

    text = "Hadi al-Amiri met Falih al-Fayyadh. Badr Organization photo caption."
    cut = text.index("Badr")
    article = Article(id="b", text=text, boilerplate=((cut, len(text)),))
    x = extract_article(nlp(masked_text(article)), article, kb)
    assert all(m.end <= cut for m in x.mentions)


def test_split_needs_from_and_two_groups(run):
    x = run("Asaib Ahl al-Haq broke away from the Sadrist movement in 2006.")
    split = _has(x, "split_from", "Asaib Ahl al-Haq", "Sadrist")
    assert split and split[0].object.actor_id == "kb:sadrist_movement"
    # States breaking with each other is diplomacy, not a faction leaving its parent.
    assert not _rels(run("Iraq broke with the United States over the strike."), "split_from")
    assert not _rels(run("Iraq split from the United States on the vote."), "split_from")


@pytest.mark.parametrize(
    ("text", "type_", "subj", "obj"),
    [
        pytest.param(
            "The members of NATO include Norway, Portugal and Turkey, the alliance said.",
            "member_of", "Turkey", "NATO", id="include-list",
        ),
        pytest.param(
            "Coalition countries include Norway, Portugal and Chile, the statement said.",
            "member_of", "Chile", "Coalition countries", id="unnamed-bloc-include-list",
        ),
        pytest.param(
            "Several factions of the Popular Mobilization Units, including Kataib Hezbollah "
            "and Asaib Ahl al-Haq, rejected the deal.",
            "member_of", "Asaib Ahl al-Haq", "Popular Mobilization Units",
            id="factions-of-including",
        ),
        pytest.param(
            "Iraqi soldiers from the Falcon Brigade guarded the road to Samarra.",
            "member_of", "Iraqi soldiers", "Falcon Brigade", id="from-a-group",
        ),
        pytest.param(
            "Coalition aircraft destroyed an ISIS-held bridge over the Tigris on Tuesday.",
            "controls", "ISIS", "bridge", id="held-compound",
        ),
        pytest.param(
            "Kataib Hezbollah used drones and rockets against the base at Ain al-Asad.",
            "controls", "Kataib Hezbollah", "drones", id="uses-equipment",
        ),
        pytest.param(
            "The report condemned the Syrian government's repeated attacks on Idlib.",
            "fighting_against", "Syrian government", "Idlib", id="possessive-attack-noun",
        ),
        pytest.param(
            "Kataib Hezbollah launched a rocket attack against the United States on Friday.",
            "fighting_against", "Kataib Hezbollah", "United States", id="clause-subject-noun",
        ),
        pytest.param(
            "The European Union condemned Hezbollah's attacks on the border villages.",
            "opposes", "European Union", "Hezbollah", id="condemn-what-an-actor-did",
        ),
        pytest.param(
            "The Islamic State has had control of Mosul since June 2014.",
            "controls", "Islamic State", "Mosul", id="control-noun",
        ),
        pytest.param(
            "The U.S.-led coalition carried out four strikes near Raqqa.",
            "leads", "U.S.", "coalition", id="led-compound",
        ),
        pytest.param(
            "Two U.S.-backed militias clashed with regime forces near Deir ez-Zor.",
            "backed_by", "militias", "U.S.", id="one-token-backed-compound",
        ),
        pytest.param(
            "Muqtada al-Sadr told Hadi al-Amiri on Sunday that the bloc would not join.",
            "communicated_with", "Sadr", "Amiri", id="tell",
        ),
        pytest.param(
            "The European Union imposed new sanctions on Hezbollah in March.",
            "opposes", "European Union", "Hezbollah", id="sanctions-noun",
        ),
        pytest.param(
            "Hadi al-Amiri and Qais al-Khazali met in Baghdad on Tuesday.",
            "communicated_with", "Amiri", "Khazali", id="joint-subjects",
        ),
        pytest.param(
            "Nouri al-Maliki held talks with Hadi al-Amiri about the new cabinet.",
            "communicated_with", "Maliki", "Amiri", id="talks-with",
        ),
        pytest.param(
            "The agreement between Iraq and Iran was signed in Tehran.",
            "communicated_with", "Iraq", "Iran", id="agreement-between",
        ),
        pytest.param(
            "The Badr Organization is committed to defeating the Islamic State in Diyala.",
            "fighting_against", "Badr Organization", "Islamic State", id="committed-to",
        ),
        pytest.param(
            "Iran's efforts to destroy the Islamic State in Syria continued in 2017.",
            "fighting_against", "Iran", "Islamic State", id="owner-of-the-effort",
        ),
        pytest.param(
            "The Iraqi army and the Peshmerga liberated the town of Bashiqa from ISIS in 2016.",
            "fighting_against", "Peshmerga", "ISIS", id="liberate-from",
        ),
    ],
)
def test_membership_and_control_patterns(run, text, type_, subj, obj):
    x = run(text)
    assert _has(x, type_, subj, obj), _triples(x)


def test_a_state_is_no_member_of_an_armed_group_it_sponsors(run):
    x = run("Armed groups such as Kataib Hezbollah receive money from Iran.")
    assert not _has(x, "member_of", "Iran", "Kataib")


@pytest.mark.parametrize(
    ("text", "type_", "subj", "obj", "pattern"),
    [
        pytest.param(
            "Sgt. Omar Nasser was assigned to the Falcon Brigade last year.",
            "member_of", "Omar Nasser", "Falcon Brigade", "passive_assign", id="assigned-to",
        ),
        pytest.param(
            "Nasser, who was attached to the Falcon Brigade, was wounded near Hit.",
            "member_of", "Nasser", "Falcon Brigade", "passive_attach", id="who-was-attached",
        ),
        pytest.param(
            "Karim served with Bravo Company, 2nd Battalion, during the siege.",
            "member_of", "Bravo Company", "2nd Battalion", "unit_chain", id="unit-chain",
        ),
        pytest.param(
            "\"The city is ours,\" said Maj. Gen. Rami Haddad, commander, Western Operations "
            "Command.",
            "leads", "Rami Haddad", "Western Operations Command", "apposition_role",
            id="commander-comma-unit",
        ),
        pytest.param(
            "The Global Coalition continues to support the Syrian Democratic Forces with "
            "air strikes.",
            "allied_with", "Global Coalition", "Syrian Democratic Forces", "verb_support",
            id="coalition-supports-force",
        ),
        pytest.param(
            "Iran supports Kataib Hezbollah with money and rockets.",
            "supports", "Iran", "Kataib Hezbollah", "verb_support", id="state-backs-militia",
        ),
        pytest.param(
            "The Iraqi army retook the dam from the Islamic State after a week of fighting.",
            "fighting_against", "Iraqi army", "Islamic State", "wrested_from",
            id="retook-from",
        ),
        pytest.param(
            "Asaib Ahl al-Haq fighters fired on the Peshmerga near Kirkuk.",
            "fighting_against", "Asaib Ahl al-Haq", "Peshmerga", "verb_fire", id="fired-on",
        ),
        pytest.param(
            "The raids belong to Operation Desert Hawk, the operation to eliminate the "
            "Islamic State in Anbar.",
            "fighting_against", "Desert Hawk", "Islamic State", "verb_eliminate",
            id="named-operation-in-apposition",
        ),
        pytest.param(
            "The militia seized two tanks and a rocket launcher at the airbase.",
            "controls", "militia", "tanks", "verb_seize", id="seized-equipment",
        ),
        pytest.param(
            "Iran's condemnation of the Falcon Brigade's raid surprised Baghdad.",
            "opposes", "Iran", "Falcon Brigade", "opposes_noun", id="condemnation-of-owner",
        ),
        pytest.param(
            "Hezbollah and the Syrian army attacked rebels near Qusayr.",
            "allied_with", "Hezbollah", "Syrian army", "joint_attack", id="co-belligerents",
        ),
        pytest.param(
            "The SDF, which includes the Syrian Arab Coalition, has retaken Manbij.",
            "member_of", "Syrian Arab Coalition", "SDF", "listed_member", id="which-includes",
        ),
        pytest.param(
            "The Falcon Brigade, made up in part of Badr fighters, entered the town.",
            "member_of", "Badr", "Falcon Brigade", "listed_member", id="made-up-of",
        ),
        pytest.param(
            "The Falcon Brigade, made up in part by Badr fighters, entered the town.",
            "member_of", "Badr", "Falcon Brigade", "listed_member", id="made-up-by",
        ),
        pytest.param(
            "Kataib Hezbollah, which fought in Syria as part of the Popular Mobilization "
            "Forces, denied the report.",
            "member_of", "Kataib Hezbollah", "Popular Mobilization Forces", "part_of",
            id="which-as-part-of",
        ),
        pytest.param(
            "Kataib Hezbollah, a faction within the Popular Mobilization Forces, denied it.",
            "member_of", "faction", "Popular Mobilization Forces", "within_org", id="within",
        ),
        pytest.param(
            "Kataib Hezbollah will fight ISIL in Anbar as part of the Popular Mobilization "
            "Forces.",
            "member_of", "Kataib Hezbollah", "Popular Mobilization Forces", "part_of",
            id="as-part-of",
        ),
        pytest.param(
            "The UK continues to stand shoulder to shoulder with the government of Iraq.",
            "supports", "UK", "government of Iraq", "verb_stand", id="stands-with",
        ),
        pytest.param(
            "Hadi al-Amiri praised Kataib Hezbollah for its discipline.",
            "supports", "Amiri", "Kataib Hezbollah", "verb_praise", id="praised",
        ),
        pytest.param(
            "The sanctions target trade that benefits ISIS, also known by its Arabic acronym "
            "as Daesh.",
            "same_as", "Daesh", "ISIS", "alias", id="known-by-its-acronym-as",
        ),
        pytest.param(
            "The frigate sailed beside USS Mahan (DDG 72) through the strait.",
            "same_as", "DDG 72", "USS Mahan", "alias", id="hull-number",
        ),
        pytest.param(
            "Washington classified Kataib Hezbollah as a terrorist group in 2009.",
            "opposes", "Washington", "Kataib Hezbollah", "branded_hostile", id="classified-as",
        ),
        pytest.param(
            "The European Union put Hezbollah's armed wing on its terror blacklist.",
            "opposes", "European Union", "Hezbollah", "branded_hostile", id="put-on-blacklist",
        ),
        pytest.param(
            "Washington added the Nujaba movement to its list of terrorist groups.",
            "opposes", "Washington", "Nujaba", "branded_hostile", id="added-to-terror-list",
        ),
        pytest.param(
            "The Treasury sanctioned Kataib Hezbollah on Friday.",
            "opposes", "Treasury", "Kataib Hezbollah", "verb_sanction", id="sanctioned",
        ),
        pytest.param(
            "Iran was alarmed by the Kataib Hezbollah raid on the consulate.",
            "opposes", "Iran", "Kataib Hezbollah", "dismayed_by", id="alarmed-by-raid",
        ),
        pytest.param(
            "Hadi al-Amiri said: I am appalled by this brutal attack by Asaib Ahl al-Haq.",
            "opposes", "I", "Asaib Ahl al-Haq", "dismayed_by", id="appalled-by-attack-by",
        ),
        pytest.param(
            "The Coalition, including Jordan and Turkey, must now work to end the war.",
            "member_of", "Turkey", "Coalition", "listed_member", id="including-states",
        ),
        pytest.param(
            "The Peshmerga are leading efforts in the campaign to defeat the Islamic State.",
            "fighting_against", "Peshmerga", "Islamic State", "verb_defeat",
            id="campaign-to-defeat",
        ),
        pytest.param(
            "Hadi al-Amiri represents the Badr Organization in parliament.",
            "member_of", "Amiri", "Badr Organization", "verb_represent", id="represents",
        ),
        pytest.param(
            "Hadi al-Amiri thanked Falih al-Fayyadh for his support.",
            "communicated_with", "Amiri", "Fayyadh", "verb_thank", id="thanked",
        ),
    ],
)
def test_patterns_by_name(run, text, type_, subj, obj, pattern):
    x = run(text)
    found = [r for r in _has(x, type_, subj, obj) if r.pattern == pattern]
    assert found, [(r.type, r.subject.text, r.object.text, r.pattern) for r in x.relations]


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("\"We hold the bridge,\" said Col. Rami Haddad, the Falcon Brigade spokesperson.",
         "the Falcon Brigade spokesperson"),
        ("The commander of the Falcon Brigade, Gen. Rami Haddad, spoke on Monday.",
         "The commander of the Falcon Brigade"),
    ],
)
def test_an_apposed_title_describes_the_person(run, text, description):
    x = run(text)
    found = [r for r in _rels(x, "same_as") if r.object.text == description]
    assert found, _triples(x)
    assert found[0].subject.actor_id == found[0].object.actor_id  # no edge on the map


@pytest.mark.parametrize(
    ("text", "weapon", "target"),
    [
        ("Near Baiji, three strikes engaged a Kataib Hezbollah unit and destroyed two "
         "trucks.", "strikes", "trucks"),
        ("Near Baiji, three strikes engaged a Kataib Hezbollah unit and destroyed two "
         "trucks.", "strikes", "Kataib Hezbollah"),
        ("Near Hit, one strike destroyed a weapons cache.", "strike", "a weapons cache"),
        ("The militia's use of rockets and drones against the Peshmerga went on for weeks.",
         "drones", "Peshmerga"),
        ("A U.S. strike on Monday hit two Kataib Hezbollah trucks near Qaim.",
         "U.S.", "trucks"),
        ("On Monday, Abu Ali al-Basri, a Kataib Hezbollah commander, was killed by a U.S. "
         "airstrike near Qaim.", "airstrike", "Abu Ali al-Basri"),
        ("A series of precision U.S. airstrikes this week killed more than 20 Hezbollah "
         "fighters.", "U.S.", "Hezbollah"),
        ("The bombings, for which Kataib Hezbollah claimed responsibility, targeted a "
         "Peshmerga checkpoint.", "Kataib Hezbollah", "Peshmerga checkpoint"),
        ("Coalition forces conducted five strikes using bomber aircraft against Kataib "
         "Hezbollah positions.", "Coalition forces", "Kataib Hezbollah"),
    ],
)
def test_a_weapon_fights_what_it_attacks(run, text, weapon, target):
    x = run(text)
    found = [r for r in _has(x, "fighting_against", weapon, target)
             if r.pattern == "attack_instrument"]
    assert found, [(r.type, r.subject.text, r.object.text, r.pattern) for r in x.relations]


def test_every_item_of_a_strike_list_is_hit(run):
    # The parser links some items of long comma lists as appositions, not conjuncts.
    text = ("Near Qaim, four strikes engaged two Kataib Hezbollah units, three KH trucks, "
            "two mortar systems, a bunker, a river crossing and an arms cache; and destroyed "
            "a Kataib Hezbollah unit.")
    x = run(text)
    hit = [(r.object.start, r.object.end) for r in _rels(x, "fighting_against")
           if r.subject.text == "strikes"]
    for target in ("KH trucks", "mortar systems", "a bunker", "an arms cache",
                   "a Kataib Hezbollah unit"):
        lo = text.index(target)
        assert any(s < lo + len(target) and lo < e for s, e in hit), (target, hit)


@pytest.mark.parametrize(
    ("text", "holder", "place", "lost"),
    [
        ("A year after the fall of Mosul to ISIS fighters, the city is still suffering.",
         "ISIS", "Mosul", False),
        ("The liberation of Raqqa from ISIS took four months.", "ISIS", "Raqqa", True),
        ("Speaking a year after the fall of Mosul to ISIS fighters, the minister said so.",
         "ISIS", "Mosul", False),
        ("Kurdish forces liberated the town of Sinjar from ISIS control last year.",
         "ISIS", "Sinjar", True),
        ("The offensive aims to cut off Tabqa and other ISIS-held territory in Syria.",
         "ISIS", "ISIS-held territory", False),
    ],
)
def test_control_read_from_a_change_of_hands(run, text, holder, place, lost):
    x = run(text)
    found = _has(x, "controls", holder, place)
    assert found, _triples(x)
    assert bool(found[0].valid and found[0].valid.is_former) is lost


def test_held_equipment_in_a_list_is_not_all_held(run):
    x = run("Two strikes destroyed three ISIS-held buildings, two vehicles and a mortar.")
    held = {r.object.text for r in _rels(x, "controls")}
    assert held and not held & {"vehicles", "a mortar", "mortar"}, held


@pytest.mark.parametrize(
    ("text", "a", "b"),
    [
        ("Hoshyar Zebari met the Iranian Foreign Minister, Javad Zarif, in Baghdad.",
         "Hoshyar Zebari", "Javad Zarif"),
        ("Erbil welcomed the deal reached on Monday between the Iraqi government and the "
         "Kurdistan Regional Government.", "Iraqi government", "Kurdistan Regional Government"),
        ("The Kurdistan Regional Government remains in close contact with the Iraqi "
         "government.", "Kurdistan Regional Government", "Iraqi government"),
    ],
)
def test_contacts_through_glosses_participles_and_touch(run, text, a, b):
    x = run(text)
    assert _has(x, "communicated_with", a, b) or _has(x, "communicated_with", b, a), [
        (r.type, r.subject.text, r.object.text, r.pattern) for r in x.relations]


@pytest.mark.parametrize(
    ("text", "holder", "thing"),
    [
        ("Abu Hamza was involved in the use of suicide vehicles, IEDs and chemical weapons "
         "against the Peshmerga.", "Abu Hamza", "chemical weapons"),
        ("The use of chemical weapons by the regime in Douma shocked the world.",
         "regime", "chemical weapons"),
        ("The UN condemned Hezbollah's suicide attacks in the town.",
         "Hezbollah", "suicide attacks"),
        ("A U.S. strike on Monday hit two trucks.", "U.S.", "strike"),
        ("Hezbollah fired dozens of rockets at the border town.", "Hezbollah", "rockets"),
        ("Kataib Hezbollah launched drones at the base.", "Kataib Hezbollah", "drones"),
    ],
)
def test_who_uses_or_carries_out_holds_the_weapon(run, text, holder, thing):
    x = run(text)
    assert _has(x, "controls", holder, thing), _triples(x)


def test_condemning_a_use_is_no_use(run):
    x = run("The UK condemned the use of barrel bombs in Aleppo.")
    assert not _rels(x, "controls")


def test_its_commitment_is_the_subjects(run):
    x = run("Tehran reaffirmed its commitment to support the Houthis in Yemen.")
    assert _has(x, "supports", "Tehran", "Houthis"), _triples(x)


def test_a_list_parsed_as_apposition_acts_together(run):
    x = run("Jordan, the wider Global Coalition and the Government of Iraq are committed to "
            "defeating ISIS.")
    for party in ("Jordan", "Global Coalition", "Government of Iraq"):
        assert _has(x, "fighting_against", party, "ISIS"), party
    assert _has(x, "allied_with", "Jordan", "Government of Iraq")


@pytest.mark.parametrize(
    ("text", "type_", "a", "b"),
    [
        ("The UK will continue to provide the government of Iraq with military and "
         "humanitarian support.", "supports", "UK", "government of Iraq"),
        ("The coalition conducted four airstrikes in support of SDF operations near Raqqa.",
         "allied_with", "coalition", "SDF"),
    ],
)
def test_support_given_with_or_for_operations(run, text, type_, a, b):
    x = run(text)
    assert _has(x, type_, a, b), _triples(x)


@pytest.mark.parametrize(
    ("text", "supporter", "supported", "not_supporter"),
    [
        ("Erdogan criticised U.S. support for the YPG in northern Syria.", "U.S.", "YPG",
         "Erdogan"),
        ("The senator said that Iran's support for the Houthis had grown.", "Iran", "Houthis",
         "senator"),
        ("Kuwait denounced the support for the Houthis.", None, "Houthis", "Kuwait"),
    ],
)
def test_support_noun_belongs_to_whoever_it_names(run, text, supporter, supported,
                                                  not_supporter):
    x = run(text)
    got = [(r.subject.text, r.object.text) for r in _rels(x, "supports")]
    if supporter is not None:
        assert _has(x, "supports", supporter, supported), got
    assert not _has(x, "supports", not_supporter, supported), got


@pytest.mark.parametrize(
    ("text", "fighters", "not_fighter"),
    [
        ("Britain reaffirmed its support for the Peshmerga in their fight against ISIS.",
         ("Peshmerga",), "Britain"),
        ("The minister repeated Danish support for Iraq in the war against ISIS.", ("Iraq",),
         "minister"),
        ("France will work with Jordan in the fight against ISIS.", ("France", "Jordan"), None),
    ],
)
def test_who_fights_in_the_fight_another_supports(run, text, fighters, not_fighter):
    x = run(text)
    got = [(r.subject.text, r.object.text) for r in _rels(x, "fighting_against")]
    for fighter in fighters:
        assert _has(x, "fighting_against", fighter, "ISIS"), got
    if not_fighter is not None:
        assert not _has(x, "fighting_against", not_fighter, "ISIS"), got


@pytest.mark.parametrize(
    ("text", "a", "b"),
    [
        ("Washington vowed to deny al-Qaida any safe haven in Syria.", "Washington",
         "al-Qaida"),
        ("The UK will help defend the Syrian people from Assad's barrel bombs and ISIS's "
         "savagery.", "UK", "ISIS"),
        ("The UK is committed to supporting the Iraqi government against the terrorism of "
         "ISIS.", "UK", "ISIS"),
        ("Jordan said it will not allow ISIS to regroup in the desert.", "it", "ISIS"),
    ],
)
def test_opposed_by_what_a_subject_will_not_let_happen(run, text, a, b):
    x = run(text)
    assert _has(x, "opposes", a, b), _triples(x)
    # the "not" in "will not allow" states the opposition; it does not deny it
    assert all(r.modality != "negated" for r in _has(x, "opposes", a, b))


def test_protecting_a_group_is_no_hostility_to_it(run):
    x = run("Iran protects Hezbollah from Israeli strikes.")
    assert not _has(x, "opposes", "Iran", "Hezbollah")


@pytest.mark.parametrize(
    ("text", "a", "b"),
    [
        ("Reports say ISIS has killed 70 members of the Albu Nimr tribe in Anbar.", "ISIS",
         "Albu Nimr tribe"),
        ("Kataib Hezbollah fighters killed dozens of members of the Peshmerga.",
         "Kataib Hezbollah", "Peshmerga"),
    ],
)
def test_a_groups_people_stand_for_the_group(run, text, a, b):
    x = run(text)
    assert _has(x, "fighting_against", a, b), _triples(x)


def test_taking_office_or_duties_from_someone_is_no_fight(run):
    x = run("The county police took control of security duties from the Ferguson department.")
    assert not _rels(x, "fighting_against")
    x = run("ISIS took control of Mosul from the Iraqi army in 2014.")
    assert _has(x, "fighting_against", "ISIS", "Iraqi army")
    lost = _has(x, "controls", "Iraqi army", "Mosul")
    assert lost and lost[0].valid and lost[0].valid.is_former


def test_calling_a_group_a_partner_is_no_hostility(run):
    x = run("Washington classified Kataib Hezbollah as a partner force in 2009.")
    assert not _rels(x, "opposes")


def test_a_strike_is_a_weapon_only_when_it_attacks(run):
    text = "Dockworkers in Basra began a strike on Monday. Later, one strike hit a depot."
    x = run(text)
    strikes = [m for m in x.mentions if "strike" in m.text]
    assert [(m.label, m.start) for m in strikes] == [("Weapon", text.rindex("strike"))]


def test_a_subunit_leader_is_a_member_of_the_group(run):
    x = run("On Monday, Abu Omar al-Kuwaiti, an ISIL cell leader in Raqqah, was killed.")
    assert _has(x, "member_of", "Abu Omar", "ISIL")
    assert not _has(x, "leads", "Abu Omar", "ISIL")


def test_a_larger_unit_is_not_a_member_of_a_smaller_one(run):
    x = run("Karim commanded the 9th Division, Bravo Company, in the north.")
    assert not [r for r in x.relations if r.pattern == "unit_chain"]


@pytest.mark.parametrize(
    ("text", "subj", "obj"),
    [
        ("Kataib Hezbollah fought alongside the Syrian army near Albu Kamal.",
         "Kataib Hezbollah", "Syrian army"),
        ("Turkish troops, along with Syrian rebels, entered Afrin in March.",
         "Turkish troops", "Syrian rebels"),
        ("The Peshmerga, together with Iraqi army units, pushed ISIS out of the town.",
         "Peshmerga", "Iraqi army units"),
    ],
)
def test_acting_together_is_an_alliance(run, text, subj, obj):
    x = run(text)
    assert _has(x, "allied_with", subj, obj) or _has(x, "allied_with", obj, subj)
    assert not _has(x, "member_of", subj, obj)


def test_alongside_a_place_is_no_alliance(run):
    assert not _rels(run("The Houthi convoy drove alongside the Red Sea coast."), "allied_with")


@pytest.mark.parametrize(
    ("text", "subj", "obj"),
    [
        ("Monitors said ISIS committed atrocities against the Peshmerga in Sinjar.",
         "ISIS", "Peshmerga"),
        ("The crimes that the Assad regime perpetrated against the Syrian opposition "
         "were documented.", "Assad regime", "Syrian opposition"),
    ],
)
def test_acts_committed_against_someone_are_hostile(run, text, subj, obj):
    assert _has(run(text), "fighting_against", subj, obj)


def test_who_condemns_an_attack_did_not_carry_it_out(run):
    x = run("The United States condemned the ISIS attack on the Peshmerga near Kirkuk.")
    assert not [r for r in _rels(x, "fighting_against")
                if r.subject.actor_id == "kb:usa" and r.pattern == "fighting_against_noun"]
    assert _has(x, "opposes", "United States", "ISIS")


def test_a_list_of_partners_is_no_blacklist(run) -> None:
    x = run("The army put the Peshmerga units on its list of trusted partners.")
    assert not _rels(x, "opposes")


def test_a_credit_glued_to_a_sentence_leaves_its_facts(nlp, kb):
    from factionmap.nlp import masked_text
    from factionmap.sources import boilerplate_ranges

    text = "Hadi al-Amiri met Falih al-Fayyadh in Baghdad on Monday. Photo: AP\n\nTalks went on."
    article = Article(id="c", text=text, boilerplate=boilerplate_ranges(text))
    assert [text[s:e] for s, e in article.boilerplate] == ["Photo: AP"]
    x = extract_article(nlp(masked_text(article)), article, kb)
    assert {(r.type, r.subject.text, r.object.text) for r in x.relations} >= {
        ("communicated_with", "Hadi al-Amiri", "Falih al-Fayyadh")
    }


@pytest.mark.parametrize(
    ("text", "person", "body", "leads"),
    [
        ("Haftar and his forces fought the militias in Tripoli.", "Haftar", "his forces", True),
        ("Haider al-Abadi and his government have met the Kurdish leaders.", "Abadi",
         "his government", True),
        ("Muqtada al-Sadr and his aides met the Kurdish leaders.", "Sadr", "his aides", False),
    ],
)
def test_a_person_and_his_own_body(run, text, person, body, leads):
    x = run(text)
    got = _triples(x)
    assert bool(_has(x, "leads", person, body)) is leads, got
    if leads:  # a leader and what he leads are not allies or parties to a meeting
        assert not _has(x, "allied_with", person, body), got
        assert not _has(x, "communicated_with", person, body), got


@pytest.mark.parametrize(
    ("text", "a", "b", "talked"),
    [
        ("Hadi al-Amiri and Qais al-Khazali spoke by phone on Monday.", "Amiri", "Khazali",
         True),
        ("Hadi al-Amiri and Qais al-Khazali have talked about the elections.", "Amiri",
         "Khazali", True),
        ("Hadi al-Amiri and Qais al-Khazali discussed the elections on Monday.", "Amiri",
         "Khazali", True),
        # each said something in public, or spoke to an audience: not to each other
        ("Hadi al-Amiri and Qais al-Khazali have spoken out against the deal.", "Amiri",
         "Khazali", False),
        ("Hadi al-Amiri and Qais al-Khazali spoke at a rally in Basra.", "Amiri", "Khazali",
         False),
        ("Hadi al-Amiri called Qais al-Khazali on Monday.", "Amiri", "Khazali", True),
        ("Hadi al-Amiri called Qais al-Khazali on Monday to discuss the elections.", "Amiri",
         "Khazali", True),
        # calling someone names is no phone call
        ("Erdogan called Assad a traitor.", "Erdogan", "Assad", False),
        ("Erdogan called Assad weak and reckless.", "Erdogan", "Assad", False),
    ],
)
def test_who_talked_to_whom(run, text, a, b, talked):
    assert bool(_has(run(text), "communicated_with", a, b)) is talked


@pytest.mark.parametrize(
    ("text", "person", "org", "type_"),
    [
        ("Karim Haddad, the White House chief of staff, met the envoy.", "Karim Haddad",
         "White House", "member_of"),
        ("Karim Haddad, the Iraqi army chief of staff, visited Mosul.", "Karim Haddad",
         "Iraqi army", "leads"),
        ("Karim Haddad, the chief of the Badr Organization, visited Mosul.", "Karim Haddad",
         "Badr", "leads"),
    ],
)
def test_a_chief_of_staff_leads_an_army_only(run, text, person, org, type_):
    x = run(text)
    got = _triples(x)
    assert _has(x, type_, person, org), got
    other = {"leads": "member_of", "member_of": "leads"}[type_]
    assert not _has(x, other, person, org), got
    assert any(r.role and r.role.endswith("chief of staff") for r in _rels(x, "role")) is (
        "staff" in text)


@pytest.mark.parametrize(
    ("text", "titled"),
    [
        ("In Turkey Minister Karim Haddad met the envoy.", False),
        ("At Baghdad airport Prime Minister Karim Haddad met the envoy.", False),
        # after a preposition whose object is the person, the name is the title's own
        ("The envoy met with Turkish Foreign Minister Karim Haddad.", True),
        ("Talks with Iraqi Prime Minister Karim Haddad went on.", True),
        ("Reporters asked about Iraqi Prime Minister Karim Haddad's plan.", True),
        ("Critics singled out Iraqi Prime Minister Karim Haddad on Monday.", True),
    ],
)
def test_a_place_before_a_title_is_where_not_whose(run, text, titled):
    got = _triples(run(text))
    assert bool([g for g in got if g[0] == "role" and g[1] == "Karim Haddad"]) is titled, got
    if not titled:
        assert not [g for g in got if g[0] in ("leads", "member_of", "controls")], got


@pytest.mark.parametrize(
    ("text", "type_", "right", "wrong"),
    [
        # statements of support are their maker's
        ("The senator dismissed Tehran's repeated statements of support for the Houthis.",
         "supports", ("Tehran", "Houthis"), ("senator", "Houthis")),
        # a coalition of groups is made of them
        ("The coalition of NATO forces met in Kabul on Monday.", "member_of",
         ("NATO", "coalition"), ("coalition", "NATO")),
    ],
)
def test_which_way_round_a_relation_holds(run, text, type_, right, wrong):
    x = run(text)
    assert _has(x, type_, *right), _triples(x)
    assert not _has(x, type_, *wrong), _triples(x)


@pytest.mark.parametrize(
    ("text", "a", "b", "type_", "not_type"),
    [
        # welcoming a visitor is meeting him; welcoming a decision backs it
        ("Haider al-Abadi welcomed Hadi al-Amiri in Baghdad.", "Abadi", "Amiri",
         "communicated_with", "supports"),
        ("Haider al-Abadi welcomed the Badr Organization's decision.", "Abadi", "Badr",
         "supports", "communicated_with"),
        # joining others in an act is siding with them, not joining their ranks
        ("Hadi al-Amiri joined the Badr Organization in 1982.", "Amiri", "Badr", "member_of",
         "allied_with"),
        ("Iran joined the Badr Organization in condemning the strike.", "Iran", "Badr",
         "allied_with", "member_of"),
        # an attack for what someone did or said is words, not force
        ("Hadi al-Amiri attacked Qais al-Khazali for meeting the Americans.", "Amiri",
         "Khazali", "opposes", "fighting_against"),
        ("Hadi al-Amiri attacked Qais al-Khazali over his remarks on the elections.", "Amiri",
         "Khazali", "opposes", "fighting_against"),
        ("Hadi al-Amiri attacked Qais al-Khazali for three days.", "Amiri", "Khazali",
         "fighting_against", "opposes"),
    ],
)
def test_what_a_verb_means_depends_on_what_it_takes(run, text, a, b, type_, not_type):
    x = run(text)
    assert _has(x, type_, a, b), _triples(x)
    assert not _has(x, not_type, a, b), _triples(x)


def test_harsh_words_against_a_state_are_no_attack(run):
    x = run("Hadi al-Amiri used harsh language against Turkey after the missile strike.")
    got = _triples(x)
    assert not _has(x, "fighting_against", "Amiri", "Turkey"), got
    x = run("The Badr Organization used rockets against Turkish troops.")
    assert _has(x, "fighting_against", "Badr", "Turkish troops"), _triples(x)


def test_a_list_after_the_second_of_two_groups_belongs_to_it(run):
    x = run("The United Nations and Western nations, including Qatar and Kuwait, criticised "
            "the plan.")
    got = _triples(x)
    assert not _has(x, "member_of", "Qatar", "United Nations"), got
    assert not _has(x, "member_of", "Kuwait", "United Nations"), got


def test_who_endures_an_attack_did_not_make_it(run):
    x = run("After enduring a night of attacks on the U.S. embassy, Karim Haddad left Basra.")
    assert not _has(x, "fighting_against", "Haddad", "U.S."), _triples(x)


@pytest.mark.parametrize(
    ("text", "type_", "modality"),
    [
        # a stance is held as much when only meant; a strike is not made by a vow
        ("Iran vowed to support the Houthis.", "supports", "asserted"),
        ("Iran wants to condemn the Houthis.", "opposes", "asserted"),
        ("Iran vowed to attack the Houthis.", "fighting_against", "hedged"),
    ],
)
def test_intent_hedges_acts_but_not_stances(run, text, type_, modality):
    x = run(text)
    rels = _has(x, type_, "Iran", "Houthis")
    assert rels and rels[0].modality == modality, [
        (r.type, r.subject.text, r.object.text, r.modality) for r in x.relations]


@pytest.mark.parametrize(
    ("text", "a", "b", "type_"),
    [
        ("Turkey expelled the Israeli ambassador on Monday.", "Turkey", "ambassador", "opposes"),
        ("Iraqi forces expelled ISIS from Mosul.", "Iraqi forces", "ISIS", "fighting_against"),
    ],
)
def test_expelling_envoys_is_a_measure_not_force(run, text, a, b, type_):
    x = run(text)
    assert _has(x, type_, a, b), _triples(x)


@pytest.mark.parametrize(
    ("text", "doer"),
    [
        ("Near the end of his address, responding to Iran’s missile strikes on U.S. bases in "
         "Iraq, Trump claimed victory.", "Iran"),
        # who claims an attack made it: "X claimed the attacks, which killed Y"
        ("On Sunday, Hamas claimed two attacks in the old market which killed at least 12 "
         "people.", "Hamas"),
        ("Hadi al-Amiri did not take responsibility for the attack on the U.S. embassy.", None),
    ],
)
def test_who_made_a_nominal_attack(run, text, doer):
    x = run(text)
    got = [(r.subject.text, r.object.text) for r in _rels(x, "fighting_against")]
    if doer is None:
        assert not got
    else:
        assert got and all(doer in s for s, _ in got), got


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("Critics worry that Trump will be too eager to strike a bad deal with Kim in order "
         "to claim a win.", "hedged"),
        ("Critics say that Trump struck a bad deal with Kim in order to claim a win.",
         "attributed"),
    ],
)
def test_a_deal_only_meant_is_hedged(run, text, modality):
    rels = _has(run(text), "communicated_with", "Trump", "Kim")
    assert rels and rels[0].modality == modality


@pytest.mark.parametrize(
    ("text", "doers", "not_doer", "modality"),
    [
        # the object of an object-control verb does its to-clause
        ("Britain is training the Peshmerga to fight ISIL.", ("Peshmerga", "Britain"), None,
         "asserted"),
        ("Jordan is assisting the Iraqi government to weaken and eventually destroy ISIL.",
         ("Iraqi government", "Jordan"), None, "asserted"),
        ("Jordan has backed the Iraqi army in its efforts to defeat ISIL.",
         ("Iraqi army", "Jordan"), None, "asserted"),
        ("Jordan thanked the Peshmerga for their efforts to defeat ISIL.", ("Peshmerga",),
         "Jordan", "asserted"),
        ("Turkey allowed the Peshmerga to attack ISIL.", ("Peshmerga",), "Turkey", "asserted"),
        # efforts named by their owner are the owner's
        ("Jordanian efforts to defeat ISIL have succeeded.", ("Jordan",), None, "asserted"),
        ("Jordan praised Coalition efforts to defeat ISIL.", ("Coalition",), "Jordan",
         "asserted"),
        ("Jordan praised the Coalition's efforts to degrade and defeat ISIL.", ("Coalition",),
         "Jordan", "asserted"),
        ("Karim Haddad reiterated Jordan's commitment to defeating ISIL.", ("Jordan",),
         "Haddad", "asserted"),
        # "our efforts" are the speaker's, not those of whoever discusses them
        ("Kerry will see Kurdish ministers for more talks on our efforts to weaken and "
         "defeat ISIL.", (), "Kerry", "asserted"),
        # one only asked to act has not acted
        ("Jordan urged the Peshmerga to attack ISIL.", ("Peshmerga",), "Jordan", "hedged"),
        ("Jordan called on the Peshmerga to attack ISIL.", ("Peshmerga",), "Jordan", "hedged"),
        ("Jordan urged its regional partners to attack ISIL.", (), "Jordan", "hedged"),
        # who orders a strike is in the fight too
        ("Jordan ordered its air force to strike ISIL.", ("air force", "Jordan"), None,
         "hedged"),
    ],
)
def test_who_does_what_another_helps_or_asks_for(run, text, doers, not_doer, modality):
    x = run(text)
    got = [(r.subject.text, r.modality) for r in _rels(x, "fighting_against")
           if "ISIL" in r.object.text]
    for doer in doers:
        assert any(doer in s and m == modality for s, m in got), _triples(x)
    assert not_doer is None or not any(not_doer in s for s, _ in got), got


def test_a_stance_only_urged_on_someone_is_not_theirs_yet(run):
    x = run("Kerry urged Iran to condemn Hezbollah.")
    rels = _has(x, "opposes", "Iran", "Hezbollah")
    assert rels and rels[0].modality == "hedged", _triples(x)
    assert not _has(x, "opposes", "Kerry", "Hezbollah")


@pytest.mark.parametrize(
    ("text", "triple", "modality"),
    [
        # a verb of another form joined to the to-clause is the parser's slip: its own
        # subject still acts
        ("Rania Haddad, having called on the US to rejoin the pact and loudly denounced "
         "Trump's tariffs, won the vote.", ("opposes", "Rania Haddad", "Trump"), "asserted"),
        # a strike one is asked to back, and talks one is asked to broker, are prospects
        ("The president asked Congress to approve a limited strike against Syria.",
         ("fighting_against", "Congress", "Syria"), "hedged"),
        ("Kurdish leaders asked Moscow to arrange talks with the Syrian government.",
         ("communicated_with", "Moscow", "Syrian government"), "hedged"),
        # but not what the request only mentions on the way
        ("She urged the Palestinian leaders to mend the divide between Hamas in Gaza and Fatah.",
         ("located_in", "Hamas", "Gaza"), "asserted"),
        # what is only wished for is the act the verb takes, not a title met on the way
        ("Cairo hopes to strengthen the hand of Mahmoud Abbas, president of the "
         "Palestinian Authority.", ("leads", "Mahmoud Abbas", "Palestinian Authority"),
         "asserted"),
        ("Saudi Arabia hopes to reach some kind of agreement with the Houthis.",
         ("communicated_with", "Saudi Arabia", "Houthis"), "hedged"),
        # a means to act is no act: "its capacity to attack X"
        ("Jordan will not let al-Qaida rebuild its capacity to attack Amman.",
         ("fighting_against", "al-Qaida", "Amman"), "hedged"),
    ],
)
def test_what_is_asked_wished_or_only_possible_is_a_prospect(run, text, triple, modality):
    x = run(text)
    rels = _has(x, *triple)
    assert rels and rels[0].modality == modality, [
        (r.type, r.subject.text, r.object.text, r.modality) for r in x.relations]


def test_calling_someone_to_tell_him_is_a_phone_call(run):
    x = run("The prime minister called Hicks to tell him the news.")
    assert not any(r.subject.text == "Hicks" for r in x.relations), _triples(x)


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Jordan stands with the people of Syria.", "Syria"),
        ("Jordan stood shoulder to shoulder with the government and citizens of Iraq.",
         "Iraq"),
        ("Jordan restated its pledge to support the government and citizens of Iraq.",
         "Iraq"),
    ],
)
def test_a_people_named_by_its_country_stands_for_it(run, text, state):
    x = run(text)
    assert _has(x, "supports", "Jordan", state), _triples(x)


def test_an_indefinite_role_is_a_person_not_a_group(run):
    x = run("Abu Khalid died in a raid on Monday. He was a previous member of the ISIL "
            "Shura Council.")
    assert not any(m.text == "a previous member" for m in x.mentions)
    assert _has(x, "member_of", "He", "Shura Council"), _triples(x)


def test_a_people_attacked_is_a_civilian_actor(run):
    x = run("The Islamic State targeted mourners at a funeral in Baghdad.")
    rels = _has(x, "fighting_against", "Islamic State", "mourners")
    assert rels and rels[0].object.actor_id is not None, _triples(x)


@pytest.mark.parametrize(
    ("text", "triple"),
    [
        # the parser hangs the target of "pressure" or "sanctions" on the verb carrying it
        ("Britain will keep applying pressure to the Syrian regime.",
         ("opposes", "Britain", "Syrian regime")),
        ("The EU imposed new sanctions on Iran.", ("opposes", "EU", "Iran")),
        # what is struck, named with "of", is its owner's
        ("Jordan is determined to destroy the terrorist menace of ISIL.",
         ("fighting_against", "Jordan", "ISIL")),
        ("Iraqi forces attacked the headquarters of the Nusra Front.",
         ("fighting_against", "Iraqi forces", "Nusra Front")),
        # "its condemnation" under a passive is its subject's
        ("The vote shows that the Arab League is united in its condemnation of Assad's siege.",
         ("opposes", "Arab League", "Assad")),
        # "who" stands for the actor, not a place the parser hung the clause on
        ("Jordan backs Kurdish fighters based in the eastern part of the country who are "
         "leading efforts in the campaign to defeat ISIL.",
         ("fighting_against", "Kurdish fighters", "ISIL")),
        # a statement's issuer does what the statement does
        ("Jordan issued a statement condemning the attack and thanking the Peshmerga.",
         ("communicated_with", "Jordan", "Peshmerga")),
        ("The UN passed a resolution condemning Iran.", ("opposes", "UN", "Iran")),
        ("The UN passed a resolution targeting Iran.", ("opposes", "UN", "Iran")),
        # an unnamed official still speaks for his body
        ("A senior administration official told Reuters on Friday that talks would resume.",
         ("communicated_with", "official", "Reuters")),
    ],
)
def test_doers_and_targets_where_the_parser_hangs_them(run, text, triple):
    x = run(text)
    assert _has(x, *triple), _triples(x)


def test_targeting_someone_s_policies_is_no_attack(run):
    x = run("The new governor likes to target the flagship policies of President Obama.")
    assert not _has(x, "fighting_against", "Trump", "Obama"), _triples(x)


@pytest.mark.parametrize(
    ("text", "type_"),
    [
        # strikes flown in support of someone are fought beside them
        ("Jordanian forces conducted eight strikes in support of the Iraqi government.",
         "allied_with"),
        ("Jordan reiterated its support for the Iraqi government.", "supports"),
    ],
)
def test_strikes_in_support_are_an_alliance(run, text, type_):
    x = run(text)
    assert _has(x, type_, "Jordan", "Iraqi government"), _triples(x)


@pytest.mark.parametrize(
    ("text", "giver", "receiver"),
    [
        ("The rebels captured the airport, helped by heavy support from Turkey.", "Turkey",
         "rebels"),
        ("The Houthis received support from Iran.", "Iran", "Houthis"),
        # in the passive the support goes to whoever owns what it serves
        ("Turkey armed the rebels, but Assad's rule was saved by support from Moscow.",
         "Moscow", "Assad"),
        # taking support away is no support
        ("Washington withdrew its support from the Kurds.", None, None),
    ],
)
def test_support_from_a_giver(run, text, giver, receiver):
    x = run(text)
    got = [(r.subject.text, r.object.text) for r in _rels(x, "supports")]
    if giver is None:
        assert not got
    else:
        assert any(giver in s and receiver in o for s, o in got), _triples(x)


@pytest.mark.parametrize(
    ("text", "triple"),
    [
        # defending against someone is fighting them
        ("The emir was moved north to shore up ISIL's defenses against the SDF.",
         ("fighting_against", "ISIL", "SDF")),
        # strikes flown or munitions delivered against a group's targets
        ("The 510th Fighter Squadron will fly strike missions against the Islamic State.",
         ("fighting_against", "Squadron", "Islamic State")),
        ("On Monday, the U.S.-led coalition's three airstrikes delivered 40 bombs against "
         "Islamic State targets.", ("fighting_against", "coalition", "Islamic State")),
    ],
)
def test_acts_against_a_group(run, text, triple):
    x = run(text)
    assert _has(x, *triple), _triples(x)


@pytest.mark.parametrize(
    "text",
    [
        # a lawyer's defence is no fight, and a country adjective says where bases are
        "Jane Roe, the attorney running his defense against Mueller's probe, quit on Monday.",
        "Officials described the drone attack Iran launched last week against Iraqi army bases.",
    ],
)
def test_no_fight_against_an_inquiry_or_a_host_country(run, text):
    x = run(text)
    assert not any(r.object.text in ("Mueller", "Iraqi") for r in _rels(x, "fighting_against")), \
        _triples(x)



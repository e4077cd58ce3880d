"""Our spaCy components: KB surface forms and weapon/platform/vehicle lexicons."""

from __future__ import annotations

from factionmap.nlp.components import KB_SPANS, LEXICON_SPANS


def test_kb_matcher_is_case_aware(nlp):
    doc = nlp("They told us the PMU and the Badr Organization fired at US troops.")
    found = {(s.text, s.label_) for s in doc.spans[KB_SPANS]}
    assert ("PMU", "kb:pmu") in found
    assert ("Badr Organization", "kb:badr_organization") in found
    assert not any(s.text == "us" for s in doc.spans[KB_SPANS])


def test_lexicon_matches_lemmas(nlp):
    doc = nlp("Militants launched drones and Katyusha rockets at a convoy; an F-16 responded.")
    labels = {s.text: s.label_ for s in doc.spans[LEXICON_SPANS]}
    assert labels.get("drones") == "Weapon"
    assert labels.get("convoy") == "Vehicle"
    assert labels.get("F-16") == "MilitaryPlatform"


def test_lexicon_marks_warships_by_prefix_and_aircraft(nlp):
    from factionmap.nlp.components import LEXICON_SPANS

    doc = nlp("The frigate HMS Kent sailed with USS Cole while remotely piloted aircraft flew.")
    found = {(s.text, s.label_) for s in doc.spans[LEXICON_SPANS]}
    assert ("HMS Kent", "MilitaryPlatform") in found
    assert ("USS Cole", "MilitaryPlatform") in found
    assert ("remotely piloted aircraft", "MilitaryPlatform") in found


def test_lexicon_matches_plural_acronyms(nlp):
    doc = nlp("The raid destroyed four VBIEDs and two IEDs near the bridge.")
    found = {(s.text, s.label_) for s in doc.spans[LEXICON_SPANS]}
    assert {("VBIEDs", "Weapon"), ("IEDs", "Weapon")} <= found


def test_kb_matcher_knows_the_da_esh_spelling_with_either_apostrophe(nlp):
    doc = nlp("Efforts to counter Da\u2019esh and Da'esh go on.")
    assert [s.label_ for s in doc.spans[KB_SPANS]] == ["kb:isis", "kb:isis"]

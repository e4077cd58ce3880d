"""Our spaCy components: KB surface forms and weapon/platform/vehicle lexicons."""

from __future__ import annotations

import pytest

from factionmap.nlp.components import KB_SPANS, LEXICON_SPANS


@pytest.fixture(scope="module")
def lookups():
    from factionmap.extract.pipeline import load_lookups

    return load_lookups()


def test_kb_matcher_is_case_aware(lookups):
    doc = lookups("They told us the PMU and the Badr Organization fired at US troops.")
    found = {(s.text, s.label_) for s in doc.spans[KB_SPANS]}
    assert ("PMU", "kb:pmu") in found
    assert ("Badr Organization", "kb:badr_organization") in found
    assert not any(s.text == "us" for s in doc.spans[KB_SPANS])


def test_lexicon_matches_lemmas(lookups):
    doc = lookups("Militants launched drones and Katyusha rockets at a convoy; an F-16 responded.")
    labels = {s.text: s.label_ for s in doc.spans[LEXICON_SPANS]}
    assert labels.get("drones") == "Weapon"
    assert labels.get("convoy") == "Vehicle"
    assert labels.get("F-16") == "MilitaryPlatform"


def test_lexicon_marks_warships_by_prefix_and_aircraft(lookups):
    from factionmap.nlp.components import LEXICON_SPANS

    doc = lookups("The frigate HMS Kent sailed with USS Cole while remotely piloted aircraft flew.")
    found = {(s.text, s.label_) for s in doc.spans[LEXICON_SPANS]}
    assert ("HMS Kent", "MilitaryPlatform") in found
    assert ("USS Cole", "MilitaryPlatform") in found
    assert ("remotely piloted aircraft", "MilitaryPlatform") in found


def test_lexicon_matches_plural_acronyms(lookups):
    doc = lookups("The raid destroyed four VBIEDs and two IEDs near the bridge.")
    found = {(s.text, s.label_) for s in doc.spans[LEXICON_SPANS]}
    assert {("VBIEDs", "Weapon"), ("IEDs", "Weapon")} <= found


def test_kb_matcher_knows_the_da_esh_spelling_with_either_apostrophe(lookups):
    doc = lookups("Efforts to counter Da\u2019esh and Da'esh go on.")
    assert [s.label_ for s in doc.spans[KB_SPANS]] == ["kb:isis", "kb:isis"]


def test_parsed_articles_remember_the_text_the_pipeline_saw(nlp):
    from factionmap.nlp.cache import doc_text
    from factionmap.nlp.pipeline import pipe_articles
    from factionmap.records import Article

    text = "Share this story.\n\nThe militia, backed by Iran, shelled the base."
    cut = text.index("\n")
    plain = Article(id="p", text="Badr fighters  entered Tikrit.")
    masked = Article(id="m", text=text, boilerplate=((0, cut),))
    docs = {a.id: d for a, d in pipe_articles(nlp, [plain, masked])}
    for doc in docs.values():
        assert doc_text(doc) == doc.text  # the stored text is what spaCy parsed
    assert doc_text(docs["m"]).startswith(" " * cut)
    assert doc_text(docs["p"]) == plain.text

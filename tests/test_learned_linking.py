"""Learned spans that the rules did not link take the KB actor or state their text names."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc

from factionmap.extract.learned import LearnedModels, refine_mentions, using_models
from factionmap.extract.learned.entities import TaggedSpan
from factionmap.records import Mention

TEXT = "The river brigade thanked the U.S. and a trader called Tariq Nuri near Qasr Dawud."


class FixedTagger:
    """Stands in for the CRF: returns the same spans for any document."""

    def __init__(self, phrases: list[tuple[str, str]]) -> None:
        self.phrases = phrases

    def tag(self, doc: Doc, rule: Iterable[TaggedSpan] = ()) -> list[TaggedSpan]:
        out = []
        for phrase, label in self.phrases:
            start = doc.text.index(phrase)
            out.append(TaggedSpan(start, start + len(phrase), label))
        return out


def _refine(nlp, phrases: list[tuple[str, str]]) -> dict[str, object]:
    doc = nlp(TEXT)
    models = LearnedModels(entities=FixedTagger(phrases))  # type: ignore[arg-type]
    with using_models(models):
        mentions = refine_mentions(doc, [])
    return {m.text: m for m in mentions}


def test_unlinked_learned_span_naming_a_state_gets_its_kb_actor(nlp) -> None:
    found = _refine(nlp, [("the U.S.", "Organisation")])
    us = found["the U.S."]
    assert us.actor_id == "kb:usa"  # type: ignore[attr-defined]
    assert us.actor_kind == "state"  # type: ignore[attr-defined]
    assert us.link_reason  # type: ignore[attr-defined]


def test_learned_spans_mint_no_new_actors(nlp) -> None:
    found = _refine(
        nlp,
        [
            ("The river brigade", "Organisation"),
            ("Tariq Nuri", "Person"),
            ("Qasr Dawud", "Location"),
        ],
    )
    for text in ("The river brigade", "Tariq Nuri", "Qasr Dawud"):
        assert found[text].actor_id is None  # type: ignore[attr-defined]


def test_a_name_inside_a_hyphenated_modifier_lends_no_link(nlp) -> None:
    doc = nlp("The counter-Badr alliance met the Badr brigade on Monday.")
    rule = [
        Mention(start, start + 4, "Badr", "Organisation", actor_id="kb:badr", actor_name="Badr")
        for start in (doc.text.index("Badr alliance"), doc.text.index("Badr brigade"))
    ]
    tagger = FixedTagger(
        [("The counter-Badr alliance", "Organisation"), ("the Badr brigade", "Organisation")]
    )
    models = LearnedModels(entities=tagger)  # type: ignore[arg-type]
    with using_models(models):
        found = {m.text: m for m in refine_mentions(doc, rule)}
    assert found["The counter-Badr alliance"].actor_id is None
    assert found["the Badr brigade"].actor_id == "kb:badr"

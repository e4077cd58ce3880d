"""The gold-standard tooling: span finding, building, verification, pairs, scoring, agreement.

Every article here is our own invented text; nothing comes from the shared sample.
"""

from __future__ import annotations

import json

import pytest

from factionmap.evaluate.newsgold.agreement import agreement, as_prediction, cohen_kappa
from factionmap.evaluate.newsgold.build import build, find_span
from factionmap.evaluate.newsgold.corpus import NewsRow
from factionmap.evaluate.newsgold.loader import GoldArticle, pairs, verify
from factionmap.evaluate.newsgold.run import outlet_fold
from factionmap.evaluate.newsgold.schema import AnnotatorDoc, text_digest
from factionmap.evaluate.newsgold.scoring import (
    PredEntity,
    PredEvent,
    Prediction,
    PredRelation,
    score,
)

SENTENCES = [
    "The Tigris Brigades and the Falcon Front launched a joint attack on a Turkish base.",
    "Ankara condemned the attack, and its envoy met Iraqi officials in Baghdad.",
    "The Brigades, an Iranian-backed faction, deny it.",
]
TEXT = " ".join(SENTENCES)


def _spans() -> list[tuple[int, int]]:
    out, pos = [], 0
    for s in SENTENCES:
        a = TEXT.index(s, pos)
        out.append((a, a + len(s)))
        pos = a + len(s)
    return out


ANNOTATION = {
    "article": "T1", "annotator": "x",
    "entities": [
        {"id": "e1", "s": 0, "text": "Tigris Brigades", "label": "Organisation"},
        {"id": "e2", "s": 0, "text": "Falcon Front", "label": "Organisation"},
        {"id": "e3", "s": 0, "text": "Turkish", "label": "Nationality", "ref": "Turkey"},
        {"id": "e4", "s": 1, "text": "Ankara", "label": "Location", "ref": "Turkey"},
        {"id": "e5", "s": 1, "text": "its", "label": "Location", "form": "pronoun",
         "ref": "Turkey"},
        {"id": "e6", "s": 1, "text": "envoy", "label": "Person", "form": "generic",
         "ref": "Turkish envoy"},
        {"id": "e7", "s": 1, "text": "Iraqi", "label": "Nationality", "ref": "Iraq"},
        {"id": "e8", "s": 1, "text": "Baghdad", "label": "Location"},
        {"id": "e9", "s": 2, "text": "Brigades", "label": "Organisation",
         "ref": "Tigris Brigades"},
        {"id": "e10", "s": 2, "text": "Iranian", "label": "Nationality", "ref": "Iran"},
    ],
    "relations": [
        {"type": "allied_with", "subject": "e1", "object": "e2"},
        {"type": "fighting_against", "subject": "e1", "object": "e3"},
        {"type": "fighting_against", "subject": "e2", "object": "e3"},
        {"type": "role", "subject": "e6", "object": "e5", "title": "envoy"},
        {"type": "backed_by", "subject": "e9", "object": "e10"},
    ],
    "events": [
        {"s": 0, "trigger": "attack", "type": "ASSAULT", "sources": ["e1", "e2"],
         "targets": ["e3"]},
        {"s": 1, "trigger": "met", "type": "CONSULT", "sources": ["e6"], "targets": ["e7"],
         "location": "e8"},
    ],
}


def _built(annotation: dict = ANNOTATION) -> GoldArticle:  # type: ignore[type-arg]
    res = build(AnnotatorDoc.model_validate(annotation), TEXT, _spans(), split="train",
                outlet="Example Times")
    assert res.errors == []
    assert res.doc is not None
    row = NewsRow("T1", "t", "2020-01-01", "Example Times", "world", None, TEXT)
    return GoldArticle(res.doc, row)


def test_find_span_counts_whole_words_only() -> None:
    sentence = "Iranian officials said Iran and Iran's allies agreed."
    assert find_span(sentence, 100, "Iran", 1) == (100 + sentence.index("Iran "), 104 +
                                                  sentence.index("Iran "))
    second = find_span(sentence, 0, "Iran", 2)
    assert second == (sentence.index("Iran's"), sentence.index("Iran's") + 4)
    assert "occurs 2 time(s)" in str(find_span(sentence, 0, "Iran", 3))
    assert "not in the sentence" in str(find_span(sentence, 0, "Tehran", 1))


def test_find_span_accepts_straight_quotes_for_curly_ones() -> None:
    sentence = "the group\u2019s leader"
    assert find_span(sentence, 0, "group's leader", 1) == (4, len(sentence))


def test_build_stores_offsets_and_digests_not_text() -> None:
    gold = _built().gold
    stored = gold.model_dump_json()
    assert "Tigris" not in stored and "Ankara" not in stored
    e4 = next(e for e in gold.entities if e.id == "e4")
    assert TEXT[e4.start:e4.end] == "Ankara"
    refs = {e.id: e.ref for e in gold.entities}
    assert refs["e4"] == refs["e5"] == refs["e3"]  # one ref, Turkey
    assert refs["e1"] == refs["e9"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a["relations"].append({"type": "opposes", "subject": "e4", "object": "e1"}),
         "different sentences"),
        (lambda a: a["relations"].append({"type": "role", "subject": "e7", "object": "e8"}),
         "role needs title"),
        (lambda a: a["events"].append({"s": 0, "trigger": "attack", "type": "ASSAULT",
                                       "mode": "visit"}), "not a ASSAULT mode"),
        (lambda a: a["entities"].append({"id": "e11", "s": 0, "text": "Brigades",
                                         "label": "Organisation"}), "overlaps"),
        (lambda a: a["entities"].append({"id": "e11", "s": 2, "text": "it",
                                         "label": "Organisation", "form": "pronoun",
                                         "ref": "x"}), "only as an argument"),
        (lambda a: a["relations"].append({"type": "same_as", "subject": "e1", "object": "e2"}),
         "same_as joins two mentions with one ref"),
    ],
)
def test_build_refuses_what_the_guidelines_forbid(change, message) -> None:  # type: ignore[no-untyped-def]
    annotation = json.loads(json.dumps(ANNOTATION))
    change(annotation)
    res = build(AnnotatorDoc.model_validate(annotation), TEXT, _spans(), split="train",
                outlet="x")
    assert res.doc is None
    assert any(message in e for e in res.errors), res.errors


def test_verify_refuses_changed_text() -> None:
    gold = _built().gold
    assert verify(gold, TEXT) == []
    assert "differs" in verify(gold, TEXT.replace("Ankara", "Angara"))[0]
    shifted = gold.model_copy(update={"text_digest": text_digest("X" + TEXT)})
    assert verify(shifted, "X" + TEXT)  # same length problems: every span is off by one


def test_pairs_label_listed_relations_and_none_for_the_rest() -> None:
    found = {(p.sentence, p.a, p.b): p.label for p in pairs(_built())}
    assert found[(0, "e1", "e2")] == "allied_with"
    assert found[(0, "e1", "e3")] == "fighting_against"
    # Ankara and its envoy's "its" are one ref: no pair; the envoy and Iraq: none.
    assert (1, "e4", "e5") not in found
    assert found[(1, "e6", "e7")] == "none"
    assert found[(2, "e9", "e10")] == "backed_by"


def test_score_reads_predicted_spans_as_gold_refs() -> None:
    gold = _built()
    ents = {e.id: (e.start, e.end) for e in gold.gold.entities}
    attack = gold.gold.events[0].trigger
    pred = Prediction(
        "T1",
        entities=[PredEntity(*ents["e1"], "Organisation"), PredEntity(*ents["e4"], "Person")],
        relations=[
            # Reversed order of a symmetric type still matches; the object is read by overlap.
            PredRelation("allied_with", ents["e2"], (ents["e1"][0], ents["e1"][1] - 3)),
            PredRelation("supports", ents["e1"], ents["e2"]),
        ],
        events=[PredEvent((attack.start, attack.end + 3), "ASSAULT",
                          (ents["e1"], ents["e2"]), (ents["e3"],))],
    )
    figures = score([gold], {"T1": pred}).to_dict()
    assert figures["entities_exact"]["micro"]["tp"] == 1  # Ankara has the wrong label
    rel = figures["relations"]
    assert rel["allied_with"]["tp"] == 1 and rel["supports"]["fp"] == 1
    assert rel["micro"]["fn"] == 4
    events = figures["events"]
    assert events["detection"]["tp"] == 1 and events["detection"]["fn"] == 1
    assert events["full"]["tp"] == 1


def test_agreement_of_an_annotation_with_itself_is_perfect() -> None:
    gold = _built()
    figures = agreement([gold], [gold])
    assert figures["relation_pairs"]["kappa"] == 1.0
    assert figures["entities_names_exact"]["micro"]["f1"] == 1.0
    assert figures["events"]["full"]["f1"] == 1.0
    assert as_prediction(gold.gold).article == "T1"


def test_cohen_kappa_is_zero_for_chance_and_one_for_identity() -> None:
    assert cohen_kappa([("a", "a"), ("b", "b")]) == 1.0
    assert cohen_kappa([("a", "a"), ("a", "b"), ("b", "a"), ("b", "b")]) == 0.0


def test_outlet_folds_are_stable_and_cover_all() -> None:
    folds = {outlet_fold(f"outlet {i}") for i in range(200)}
    assert folds == {0, 1, 2, 3, 4}
    assert outlet_fold("Example Times") == outlet_fold("Example Times")

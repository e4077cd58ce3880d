"""Filters on the learned relation model's output (own sentences)."""

from __future__ import annotations

import pytest

from factionmap.extract.learned import _listed_together, _told_apart, _unlike_names
from factionmap.extract.learned.entities import (
    TaggedSpan,
    sure_spans,
    tidy_edges,
    within_brackets,
)
from factionmap.records import Mention, Relation, Span


def _relation(text: str, subject: str, obj: str, type_: str = "communicated_with") -> Relation:
    s, o = text.index(subject), text.index(obj)
    return Relation(
        type=type_,  # type: ignore[arg-type]
        subject=Span(s, s + len(subject), subject),
        object=Span(o, o + len(obj), obj),
        evidence=Span(0, len(text), text),
    )


@pytest.mark.parametrize(
    ("text", "subject", "obj", "listed"),
    [
        # items of a list that is an object or a prepositional phrase: no relation of their own
        ("Washington praised the Iraqi army, the Kurdish Peshmerga and the tribal fighters.",
         "the Iraqi army", "the Kurdish Peshmerga", True),
        ("Washington praised the Iraqi army, the Kurdish Peshmerga and the tribal fighters.",
         "the Iraqi army", "the tribal fighters", True),
        ("The militia received weapons from Iran, Syria and Russia.", "Syria", "Russia", True),
        # joint subjects act together: the clause says how they stand to each other
        ("The foreign minister and the British envoy discussed the ceasefire in Geneva.",
         "The foreign minister", "the British envoy", False),
        # not items of one list at all
        ("The Houthis fought the Saudi army near the border.", "The Houthis", "the Saudi army",
         False),
    ],
)
def test_items_of_one_list_are_related_only_as_joint_subjects(
    nlp, text: str, subject: str, obj: str, listed: bool
) -> None:
    doc = nlp(text)
    assert _listed_together(doc, _relation(text, subject, obj)) is listed


def test_joint_subjects_do_not_lead_or_join_each_other(nlp) -> None:
    text = "The foreign minister and the British envoy discussed the ceasefire in Geneva."
    rel = _relation(text, "The foreign minister", "the British envoy", "member_of")
    assert _listed_together(nlp(text), rel)


@pytest.mark.parametrize(
    ("text", "subject", "obj", "type_", "apart"),
    [
        ("The Nour Brigade is different from the Rafidain Front.", "The Nour Brigade",
         "the Rafidain Front", "member_of", True),
        ("The cell was separate from the special forces unit.", "The cell",
         "the special forces unit", "member_of", True),
        ("Hana Zein, a minister from outside the Sadrist bloc, spoke.", "Hana Zein",
         "the Sadrist bloc", "member_of", True),
        ("The Nour Brigade is part of the Rafidain Front.", "The Nour Brigade",
         "the Rafidain Front", "member_of", False),
        # places are not ties: "not" there is the clause's modality, not a contrast
        ("The Nour Brigade is not in Basra.", "The Nour Brigade", "Basra", "located_in", False),
    ],
)
def test_a_learned_tie_across_a_word_that_sets_apart_is_dropped(
    nlp, text: str, subject: str, obj: str, type_: str, apart: bool
) -> None:
    assert _told_apart(nlp(text), _relation(text, subject, obj, type_)) is apart


@pytest.mark.parametrize(
    ("text", "tagged", "kept"),
    [
        ("Jonathan Karl (ABC) asked first.", "Jonathan Karl (ABC", "Jonathan Karl"),
        ("Jonathan Karl (ABC) asked first.", "ABC) asked", "asked"),
        ("The Falcon Brigade (FBR) attacked.", "The Falcon Brigade (FBR)",
         "The Falcon Brigade (FBR)"),
        ("The Falcon Brigade attacked.", "The Falcon Brigade", "The Falcon Brigade"),
    ],
)
def test_a_tagged_span_stops_at_a_bracket_it_leaves_open(text, tagged, kept) -> None:
    start = text.index(tagged)
    out = within_brackets(text, TaggedSpan(start, start + len(tagged), "Person"))
    assert out is not None and text[out.start : out.end] == kept


# Tokens: Greenwich Mean Time reached Tobruk late .
_TAGS = ["B-Person", "I-Person", "I-Person", "O", "B-Location", "O", "O"]
_SURE = {(t, i): 0.9 for i, t in enumerate(_TAGS)}


@pytest.mark.parametrize(
    ("marginals", "kept"),
    [
        # every token sure of its tag: both spans stay
        (_SURE, ["Greenwich Mean Time", "Tobruk"]),
        # one token unlikely to be inside a person at all sinks its whole span
        ({**_SURE, ("I-Person", 1): 0.3, ("B-Person", 1): 0.1}, ["Tobruk"]),
        # in doubt whether a person starts there, not whether it goes on: the span stays
        ({**_SURE, ("I-Person", 1): 0.3, ("B-Person", 1): 0.4}, ["Greenwich Mean Time", "Tobruk"]),
        # an unsure "O" decides nothing: only a span's own tokens count
        ({**_SURE, ("O", 3): 0.3}, ["Greenwich Mean Time", "Tobruk"]),
        # sure of some other label: not of this one
        ({**_SURE, ("B-Location", 4): 0.2, ("B-Person", 4): 0.7}, ["Greenwich Mean Time"]),
    ],
)
def test_a_tagged_span_needs_each_token_more_likely_than_not_inside_its_label(
    nlp, marginals, kept
) -> None:
    doc = nlp("Greenwich Mean Time reached Tobruk late .")
    assert [t.text for t in doc] == ["Greenwich", "Mean", "Time", "reached", "Tobruk", "late", "."]
    spans = sure_spans(doc, 0, _TAGS, lambda tag, i: marginals.get((tag, i), 0.0))
    assert [doc.text[s.start : s.end] for s in spans] == kept


def test_a_span_that_is_only_a_bracket_is_dropped() -> None:
    assert within_brackets("A (B) c", TaggedSpan(1, 3, "Person")) is None


@pytest.mark.parametrize(
    ("text", "tagged", "label", "kept"),
    [
        ("Fighters, mostly Kurdish units, held.", ", mostly Kurdish units,", "Organisation",
         "mostly Kurdish units"),
        ("Britain gave $5 million in aid.", "5 million", "Money", "$5 million"),
        ("Britain gave £40,000 more.", "40,000", "Money", "£40,000"),
        ("It cost 5 million euros.", "5 million euros", "Money", "5 million euros"),
        ("The U.S. said so.", "The U.S.", "Organisation", "The U.S."),
        ("Units: $12 troops", "12", "Quantity", "12"),  # only an amount of money takes the sign
    ],
)
def test_a_tagged_span_loses_edge_punctuation_and_keeps_its_currency_sign(
    text, tagged, label, kept
) -> None:
    start = text.index(tagged)
    out = tidy_edges(text, TaggedSpan(start, start + len(tagged), label))
    assert out is not None and text[out.start : out.end] == kept
    assert out.label == label


def test_a_span_of_punctuation_alone_is_dropped() -> None:
    assert tidy_edges("A , b", TaggedSpan(1, 4, "Organisation")) is None


def _mention(text: str, phrase: str, label: str) -> Mention:
    s = text.index(phrase)
    return Mention(s, s + len(phrase), phrase, label)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "a", "la", "b", "lb", "dropped"),
    [
        ("Questions came from Major Garrett (CBS) today.", "Major Garrett", "Person", "CBS",
         "Organisation", True),
        ("WASHINGTON (Reuters) - The army moved.", "WASHINGTON", "Organisation", "Reuters",
         "Organisation", True),
        ("The Falcon Brigade (FBR) attacked.", "The Falcon Brigade", "Organisation", "FBR",
         "Organisation", False),
    ],
)
def test_learned_same_as_needs_two_names_of_one_kind(nlp, text, a, la, b, lb, dropped) -> None:
    mentions = [_mention(text, a, la), _mention(text, b, lb)]
    rel = _relation(text, b, a, "same_as")
    assert _unlike_names(nlp(text), rel, mentions) is dropped


@pytest.mark.parametrize(
    ("text", "tagged", "label", "expected"),
    [
        ("Sixty Reserve Airmen left the base on Monday.", "Sixty Reserve Airmen", "Location",
         "Organisation"),
        ("The camp residents fled the shelling.", "The camp residents", "Temporal",
         "Organisation"),
        ("Two hundred Marines from the unit arrived.", "Two hundred Marines", "Person",
         "Organisation"),
        # things and places a sector word names keep the tagger's label
        ("The tanks crossed the river.", "The tanks", "Location", "Location"),
        ("The hospitals were full.", "The hospitals", "Location", "Location"),
        # a single person is a person
        ("Airman Jones left the base.", "Airman Jones", "Person", "Person"),
    ],
)
def test_a_tagged_group_of_people_is_an_organisation(nlp, text, tagged, label, expected) -> None:
    from factionmap.extract.learned.entities import merge_mentions

    doc = nlp(text)
    start = text.index(tagged)
    merged = merge_mentions(doc, [], [TaggedSpan(start, start + len(tagged), label)])
    assert [(m.text, m.label) for m in merged] == [(tagged, expected)]


@pytest.mark.parametrize(
    "text",
    [
        "To join the briefing, dial 888-847-6592 from the United States.",
        "Reporters may dial +44 20 7946 0958 and enter Passcode 4417302 to listen.",
    ],
)
def test_phone_numbers_and_access_codes_are_no_mentions(nlp, text) -> None:
    from factionmap.extract.article import extract_article
    from factionmap.records import Article

    found = extract_article(nlp(text), Article(id="t", text=text))
    assert not any(ch.isdigit() for m in found.mentions for ch in m.text)


@pytest.mark.parametrize(
    ("text", "contact"),
    [("910-432-3383", True), ("(202) 647-2492", True), ("Passcode 3080897", True),
     ("2016-11-20", False), ("20.11.2016", False), ("530,000", False), ("$5 million", False),
     ("Nov. 29, 2016", False), ("the 507th Air Refueling Wing", False)],
)
def test_contact_numbers_are_told_from_dates_and_amounts(text, contact) -> None:
    from factionmap.extract.lexicon import is_contact_number

    assert is_contact_number(text) is contact

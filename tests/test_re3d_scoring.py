"""re3d reader and scorer on tiny hand-made gold / prediction files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factionmap.evaluate.re3d_data import Re3dFormatError, read_source
from factionmap.evaluate.scoring import (
    MICRO,
    LabelledSpan,
    SpanPair,
    greedy_match,
    score_relations,
    score_spans_exact,
    score_spans_overlap,
)

TEXT = "The Northern Brigade attacked the depot near Qaryat al-Nur on Monday."


def _write(folder: Path, name: str, rows: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")


def _entity(begin: int, end: int, label: str, confidence: float = 1.0) -> dict:
    return {
        "_id": f"d1-{begin}-{end}",
        "begin": begin,
        "end": end,
        "type": label,
        "value": TEXT[begin:end],
        "documentId": "d1",
        "confidence": confidence,
    }


def _relation(kind: str, s: tuple[int, int], t: tuple[int, int], confidence: float = 1.0) -> dict:
    return {
        "_id": f"d1-{kind}-{s}-{t}",
        "sourceBegin": s[0],
        "sourceEnd": s[1],
        "targetBegin": t[0],
        "targetEnd": t[1],
        "type": kind,
        "documentId": "d1",
        "confidence": confidence,
    }


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "Src"
    _write(
        folder, "documents.json", [{"_id": "d1", "text": TEXT, "title": "t", "sourceName": "Src"}]
    )
    brigade, depot, village = (0, 20), (30, 39), (45, 58)
    _write(
        folder,
        "entities.json",
        [
            _entity(*brigade, "Organisation"),
            _entity(*village, "Location"),
            _entity(*depot, "Location", confidence=0.4),  # below the 0.5 cut: dropped
            _entity(62, 69, "DocumentReference"),  # a type we do not extract: dropped
        ],
    )
    _write(
        folder,
        "relations.json",
        [
            _relation("FightingAgainst", brigade, depot),
            _relation("CommWith", brigade, village),
            _relation("CommWith", village, brigade),  # same symmetric fact, other direction
            _relation("InChargeOf", brigade, village),
            _relation("Apart", brigade, village),  # ignored type
            _relation("Likes", brigade, village, confidence=0.2),  # below the cut
        ],
    )
    return folder


def test_reader_filters_confidence_and_types(source: Path) -> None:
    src = read_source(source)
    assert [(e.start, e.end, e.label) for e in src.entities] == [
        (0, 20, "Organisation"),
        (45, 58, "Location"),
    ]
    assert src.entities[0].text == "The Northern Brigade"


def test_reader_maps_relation_types_and_merges_symmetric_duplicates(source: Path) -> None:
    types = sorted(r.type for r in read_source(source).relations)
    assert types == ["communicated_with", "fighting_against", "leads"]


def test_reader_names_file_and_row_on_bad_offsets(source: Path) -> None:
    _write(source, "entities.json", [_entity(0, 20, "Person"), _entity(60, 500, "Person")])
    with pytest.raises(Re3dFormatError, match=r"entities\.json:2: offsets"):
        read_source(source)


def test_reader_names_file_and_row_on_bad_json(source: Path) -> None:
    (source / "relations.json").write_text('{"type": "CommWith"\n', encoding="utf-8")
    with pytest.raises(Re3dFormatError, match=r"relations\.json:1: not JSON"):
        read_source(source)


def _s(start: int, end: int, label: str = "Organisation", doc: str = "d") -> LabelledSpan:
    return LabelledSpan(doc, start, end, label)


def test_exact_needs_same_boundaries_and_label() -> None:
    gold = [_s(0, 10), _s(20, 30, "Person")]
    pred = [_s(0, 10), _s(20, 29, "Person"), _s(40, 45)]
    table = score_spans_exact(gold, pred)
    assert (table[MICRO].tp, table[MICRO].fp, table[MICRO].fn) == (1, 2, 1)
    assert table["Person"].tp == 0


def test_overlap_credits_partial_spans_with_same_label_only() -> None:
    gold = [_s(0, 10), _s(20, 30, "Person")]
    pred = [_s(2, 10), _s(20, 29, "Location")]
    table = score_spans_overlap(gold, pred)
    assert table["Organisation"].tp == 1
    assert table["Person"].fn == 1 and table["Location"].fp == 1


def test_overlap_is_one_to_one_and_greedy_on_largest_overlap() -> None:
    # One long prediction overlapping two gold spans may match only one: the larger overlap.
    gold = [_s(0, 4), _s(5, 15)]
    pred = [_s(0, 15)]
    table = score_spans_overlap(gold, pred)
    assert (table[MICRO].tp, table[MICRO].fp, table[MICRO].fn) == (1, 0, 1)
    assert greedy_match([(4, 0, 0), (10, 1, 0)]) == [(1, 0)]


def test_greedy_match_uses_each_side_once() -> None:
    assert greedy_match([(5, 0, 0), (5, 0, 1), (3, 1, 0)]) == [(0, 0)]


def _p(kind: str, s: tuple[int, int], o: tuple[int, int]) -> SpanPair:
    return SpanPair("d", kind, s[0], s[1], o[0], o[1])


def test_symmetric_relations_match_in_either_direction() -> None:
    gold = [_p("allied_with", (0, 5), (10, 15)), _p("member_of", (0, 5), (10, 15))]
    pred = [_p("allied_with", (11, 14), (0, 5)), _p("member_of", (10, 15), (0, 5))]
    table = score_relations(gold, pred)
    assert table["allied_with"].tp == 1
    assert table["member_of"].tp == 0 and table["member_of"].fp == 1


def test_controls_prediction_scores_as_leads_and_subset_filter() -> None:
    gold = [_p("leads", (0, 5), (10, 15)), _p("located_in", (20, 25), (30, 35))]
    pred = [_p("controls", (0, 5), (10, 15)), _p("located_in", (20, 25), (30, 35))]
    table = score_relations(gold, pred, frozenset({"leads"}))
    assert table["leads"].tp == 1
    assert "located_in" not in table and table[MICRO].tp == 1


def test_relation_needs_both_ends_to_overlap() -> None:
    gold = [_p("supports", (0, 5), (10, 15))]
    table = score_relations(gold, [_p("supports", (0, 5), (16, 20))])
    assert (table[MICRO].tp, table[MICRO].fp, table[MICRO].fn) == (0, 1, 1)


# -- gold in our span conventions -------------------------------------------------------------

TITLED = "President Amal Haddad met the Northern Brigade's envoy in Qaryat al-Nur."


def _titled_source(tmp_path: Path) -> Path:
    folder = tmp_path / "Titled"
    _write(folder, "documents.json", [{"_id": "d2", "text": TITLED}])
    person, brigade, town = (0, 21), (26, 48), (58, 71)
    rows = [
        {"_id": "e1", "begin": person[0], "end": person[1], "type": "Person",
         "documentId": "d2", "confidence": 1.0},
        {"_id": "e2", "begin": brigade[0], "end": brigade[1], "type": "Organisation",
         "documentId": "d2", "confidence": 1.0},
        {"_id": "e3", "begin": town[0], "end": town[1], "type": "Location",
         "documentId": "d2", "confidence": 1.0},
    ]
    _write(folder, "entities.json", rows)
    _write(folder, "relations.json", [
        {"_id": "r1", "sourceBegin": person[0], "sourceEnd": person[1], "targetBegin": brigade[0],
         "targetEnd": brigade[1], "type": "CommWith", "documentId": "d2", "confidence": 1.0},
    ])
    return folder


def test_gold_is_cut_to_our_conventions(tmp_path: Path) -> None:
    from factionmap.evaluate.re3d import normalised_gold

    spans, pairs = normalised_gold([read_source(_titled_source(tmp_path))])
    texts = sorted((TITLED[s.start:s.end], s.label) for s in spans)
    # no title before a person's name, no leading article, no trailing possessive
    assert texts == [("Amal Haddad", "Person"), ("Northern Brigade", "Organisation"),
                     ("Qaryat al-Nur", "Location")]
    (pair,) = pairs
    assert TITLED[pair.subject_start:pair.subject_end] == "Amal Haddad"
    assert TITLED[pair.object_start:pair.object_end] == "Northern Brigade"


def test_normalised_gold_scores_our_spans_exactly(tmp_path: Path) -> None:
    from factionmap.evaluate.re3d import score_fold

    src = read_source(_titled_source(tmp_path))
    ours = [LabelledSpan("d2", 10, 21, "Person"), LabelledSpan("d2", 30, 46, "Organisation")]
    fold = score_fold("Titled", [], [src], ours, [SpanPair("d2", "communicated_with", 10, 21,
                                                           30, 46)])
    assert fold.entities_exact[MICRO].tp == 2 and fold.entities_exact[MICRO].fn == 1
    assert fold.relations["communicated_with"].tp == 1


def test_training_leaves_out_a_source_by_name(tmp_path: Path, source: Path) -> None:
    from factionmap.train.corpora import re3d

    _titled_source(tmp_path)
    assert {t.group for t in re3d(tmp_path)} == {"Src", "Titled"}
    kept = re3d(tmp_path, exclude={"Titled"})
    assert [t.id for t in kept] == ["re3d:d1"]
    with pytest.raises(ValueError, match="no re3d source folder named Elsewhere"):
        re3d(tmp_path, exclude={"Elsewhere"})

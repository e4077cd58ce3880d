"""Train the learned tagger and relation model on a tiny synthetic re3d folder (own sentences)."""

from __future__ import annotations

import json
from pathlib import Path

from factionmap.evaluate.re3d import evaluate_re3d, parse_corpus, train_models
from factionmap.evaluate.re3d_data import read_corpus
from factionmap.extract.learned import refine_mentions, score_relations, using_models
from factionmap.records import Mention

# (text, [(phrase, label)], [(re3d type, subject phrase, object phrase)])
DOCS = [
    (
        "The Falcon Brigade fought the river militia near Tel Rumman. "
        "Commander Amar Said leads the Falcon Brigade.",
        [
            ("The Falcon Brigade", "Organisation"),
            ("the river militia", "Organisation"),
            ("Tel Rumman", "Location"),
            ("Commander Amar Said", "Person"),
        ],
        [("FightingAgainst", "The Falcon Brigade", "the river militia")],
    ),
    (
        "The desert militia attacked the Falcon Brigade in Qasr Dawud. "
        "Nour Halabi met the desert militia.",
        [
            ("The desert militia", "Organisation"),
            ("the Falcon Brigade", "Organisation"),
            ("Qasr Dawud", "Location"),
            ("Nour Halabi", "Person"),
        ],
        [("FightingAgainst", "The desert militia", "the Falcon Brigade")],
    ),
    (
        "The hill militia fought the Lion Battalion near Ain Sirin. "
        "Commander Rami Khouri visited Ain Sirin.",
        [
            ("The hill militia", "Organisation"),
            ("the Lion Battalion", "Organisation"),
            ("Ain Sirin", "Location"),
            ("Commander Rami Khouri", "Person"),
        ],
        [("FightingAgainst", "The hill militia", "the Lion Battalion")],
    ),
]


def write_corpus(root: Path) -> Path:
    for k, (text, ents, rels) in enumerate(DOCS):
        folder = root / f"Source{k}"
        folder.mkdir(parents=True)
        doc_id = f"doc{k}"
        (folder / "documents.json").write_text(
            json.dumps({"_id": doc_id, "text": text}) + "\n", encoding="utf-8"
        )
        where = {phrase: text.index(phrase) for phrase, _ in ents}
        ent_rows = [
            {
                "begin": where[p],
                "end": where[p] + len(p),
                "type": label,
                "documentId": doc_id,
                "confidence": 1,
            }
            for p, label in ents
        ]
        rel_rows = [
            {
                "sourceBegin": where[s],
                "sourceEnd": where[s] + len(s),
                "targetBegin": where[o],
                "targetEnd": where[o] + len(o),
                "type": t,
                "documentId": doc_id,
                "confidence": 1,
            }
            for t, s, o in rels
        ]
        for name, rows in (("entities.json", ent_rows), ("relations.json", rel_rows)):
            (folder / name).write_text(
                "\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8"
            )
    return root


def test_training_writes_small_deterministic_weights_that_tag_training_spans(
    tmp_path: Path, nlp
) -> None:
    sources = read_corpus(write_corpus(tmp_path / "re3d"))
    parsed = parse_corpus(nlp, sources)
    models = train_models(sources, parsed, tmp_path / "a")
    train_models(sources, parsed, tmp_path / "b")
    for name in ("re3d_entities.crfsuite", "re3d_relations.joblib"):
        first, second = (tmp_path / "a" / name).read_bytes(), (tmp_path / "b" / name).read_bytes()
        assert 0 < len(first) < 5_000_000
        assert first == second
    assert models.entities is not None and models.relations is not None
    _article, doc = parsed["doc0"]
    with using_models(models):
        mentions = refine_mentions(doc, [])
        relations = score_relations(doc, mentions, [])
    found = {(m.text, m.label) for m in mentions}
    assert ("The Falcon Brigade", "Organisation") in found
    for rel in relations:
        assert rel.pattern == "learned:re3d-logreg" and 0.0 <= rel.confidence <= 1.0


def test_refine_mentions_keeps_kb_link_of_a_rule_mention_inside_a_learned_span(
    tmp_path: Path, nlp
) -> None:
    sources = read_corpus(write_corpus(tmp_path / "re3d"))
    parsed = parse_corpus(nlp, sources)
    models = train_models(sources, parsed, tmp_path / "m")
    _article, doc = parsed["doc0"]
    start = doc.text.index("Falcon Brigade")
    rule = Mention(
        start, start + len("Falcon Brigade"), "Falcon Brigade", "Organisation", actor_id="kb:falcon"
    )
    with using_models(models):
        mentions = refine_mentions(doc, [rule])
    linked = [m for m in mentions if m.actor_id == "kb:falcon"]
    assert linked and all(m.start <= rule.start and m.end >= rule.end for m in linked)


def test_loso_on_synthetic_corpus_reports_three_folds(tmp_path: Path, nlp) -> None:
    report = evaluate_re3d(write_corpus(tmp_path / "re3d"), nlp=nlp)
    assert [f.name for f in report.folds] == ["Source0", "Source1", "Source2"]
    for fold in report.folds:
        assert fold.trained_on == [s for s in ("Source0", "Source1", "Source2") if s != fold.name]
    assert report.pooled is not None and report.pooled.documents == 3


def test_a_type_mostly_wrong_on_held_out_sources_is_left_to_the_patterns(monkeypatch):
    from factionmap.extract.learned import relations as rel

    # held-out (gold, predicted, probability): "allied_with" adds one right fact for two wrong
    # ones at every cut-off, which still raises pooled F1 when recall is scarce
    scored = [("member_of", "member_of", 0.9)] * 6 + [("member_of", "none", 0.2)] * 30
    scored += [("allied_with", "allied_with", 0.95)] * 3 + [("none", "allied_with", 0.95)] * 6
    scored += [("allied_with", "none", 0.1)] * 20
    monkeypatch.setattr(rel, "_held_out_scores", lambda groups: scored)
    _, cuts = rel.choose_thresholds([[], []])
    assert cuts.get("allied_with") == rel.NEVER
    assert cuts.get("member_of", 0.5) < rel.NEVER

"""The learned event layer on our own tiny hand-written data: training, weights files,
the coder's use of them, and held-out (k-fold) scoring."""

from __future__ import annotations

import pytest

from factionmap.evaluate.events.common import GoldFileError, SentenceCoder
from factionmap.extract.events import EventCoder
from factionmap.extract.events.learned import (
    NO_MODELS,
    QUAD_MODEL_FILE,
    EventModels,
    SentenceModel,
    load_event_models,
    sentence_features,
    train_role_model,
    train_sentence_model,
)
from factionmap.records import Article

CONFLICT = [
    "Rebels attacked the army base near the border.",
    "Militia fighters shelled the village at dawn.",
    "Government troops bombed the rebel camp.",
    "Gunmen attacked a police checkpoint in the city.",
]
COOPERATION = [
    "The two ministers met in the capital to discuss trade.",
    "The prime minister praised the new border agreement.",
    "The envoy held talks with the tribal leaders.",
    "The president welcomed the visiting delegation.",
]


def _rows(nlp, texts):
    coder = EventCoder(models=NO_MODELS)
    rows = []
    for doc in nlp.pipe(texts):
        live = [c for c in coder.codings(doc) if not c.dropped and c.plover is not None]
        assert live, f"no trigger in {doc.text!r}"
        rows.append(sentence_features(live[0].head.sent, live))
    return rows


def test_sentence_model_learns_and_round_trips(nlp, tmp_path):
    rows = _rows(nlp, CONFLICT + COOPERATION)
    labels = ["4"] * len(CONFLICT) + ["1"] * len(COOPERATION)
    model = train_sentence_model(rows, labels, "quad")
    model.trained_on = "abc"
    unseen = _rows(nlp, ["Insurgents attacked an army convoy.", "The mayor met the envoy."])
    assert [label for label, _ in model.predict(unseen)] == ["4", "1"]
    model.save(tmp_path / QUAD_MODEL_FILE)
    again = SentenceModel.load(tmp_path / QUAD_MODEL_FILE)
    assert again.trained_on == "abc" and again.kind == "quad"
    assert again.predict(unseen) == model.predict(unseen)
    assert load_event_models(tmp_path).quad is not None


def test_missing_weights_mean_rules_only(tmp_path):
    assert load_event_models(tmp_path) == NO_MODELS


def test_role_model_replaces_rule_arguments(nlp):
    # A deliberately perverse tagger (every phrase a target) shows the coder uses its output.
    from factionmap.extract.events.learned import candidate_phrases, role_features

    doc = nlp("Rebels attacked the army base.")
    coding = next(c for c in EventCoder(models=NO_MODELS).codings(doc) if not c.dropped)
    phrases = [p for p in candidate_phrases(doc[:]) if not p.start <= coding.head.i < p.end]
    rows = [role_features(p, coding.head, coding) for p in phrases] * 2
    model = train_role_model(rows, ["T"] * len(phrases) + ["O"] * len(phrases))
    assert list(model.classifier.classes_) == ["O", "T"]
    model.classifier.coef_[:] = 0.0
    model.classifier.intercept_[:] = 5.0  # binary: positive favours "T", for every phrase
    article = Article(id="t", text=doc.text)
    rules = EventCoder(models=NO_MODELS).code(doc, [], article)[0]
    learned = EventCoder(models=EventModels(roles=model)).code(doc, [], article)[0]
    assert [s.text for s in rules.sources] == ["Rebels"]
    assert [s.text for s in learned.sources] == ["Rebels"]  # no S predicted: rules kept
    assert "the army base" in [t.text for t in learned.targets]


def test_cameo_class_kfold_and_refusal(nlp, tmp_path):
    from factionmap.evaluate.events.cameo_class import evaluate_cameo_class

    gold = tmp_path / "quad.tsv"
    lines = [f"{t}\t4" for t in CONFLICT] + [f"{t}\t1" for t in COOPERATION]
    gold.write_text("\n".join(lines) + "\n", "utf-8")
    sc = SentenceCoder(nlp, EventCoder(models=NO_MODELS))
    out = tmp_path / "weights"
    result = evaluate_cameo_class(gold, sc, folds=2, train_out=out)
    assert result["mode"].startswith("2-fold held-out")
    assert 0.0 <= result["macro_f1"] <= 1.0 and result["sentences"] == 8
    trained = load_event_models(out).quad
    assert trained is not None
    with pytest.raises(GoldFileError, match="trained on this file"):
        evaluate_cameo_class(gold, sc, folds=0, model=trained)
    rules = evaluate_cameo_class(gold, sc, folds=0)
    assert rules["mode"] == "rules only"


def test_too_few_rows_for_folds_is_a_clear_error(nlp, tmp_path):
    from factionmap.evaluate.events.plover import evaluate_plover

    gold = tmp_path / "p.json"
    gold.write_text('[{"event": "ASSAULT", "text": "Rebels attacked the base."}]', "utf-8")
    sc = SentenceCoder(nlp, EventCoder(models=NO_MODELS))
    with pytest.raises(GoldFileError, match=r"p\.json: 1 rows are too few for 5-fold"):
        evaluate_plover(gold, sc, folds=5)


# --- rules added with the learned layer (rules only, so they test the rules) -------------


def _rules(nlp, text):
    doc = nlp(text)
    labels = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Location", "NORP": "Nationality"}
    from factionmap.records import Mention

    mentions = [
        Mention(e.start_char, e.end_char, e.text, labels[e.label_])
        for e in doc.ents
        if e.label_ in labels
    ]
    return EventCoder(models=NO_MODELS).code(doc, mentions, Article(id="t", text=text))


def test_refusing_a_cooperative_act_is_reject(nlp):
    events = _rules(nlp, "Hungary will not accept any more migrants this year.")
    assert [(e.type, e.modality) for e in events] == [("REJECT", "asserted")]


def test_announced_future_hostile_act_is_threaten(nlp):
    events = _rules(nlp, "The farmers said they would blockade the capital on Monday.")
    assert "THREATEN" in [e.type for e in events]
    hedged = _rules(nlp, "The farmers might blockade the capital on Monday.")
    assert "THREATEN" not in [e.type for e in hedged]  # speculation is not a threat


def test_meeting_between_drops_title_before_name(nlp):
    text = "Reporters saw a meeting between Karim Nasser and US Ambassador to Iraq Paul Reed."
    e = next(e for e in _rules(nlp, text) if e.type == "CONSULT")
    assert [s.text for s in e.sources] == ["Karim Nasser"]
    assert [t.text for t in e.targets] == ["Paul Reed"]


def test_main_verb_event_sums_up_the_sentence(nlp):
    from factionmap.extract.events import strongest_event

    text = "The rockets fired by the rebels struck an army depot."
    top = strongest_event(_rules(nlp, text))
    assert top is not None and top.trigger.text == "struck"

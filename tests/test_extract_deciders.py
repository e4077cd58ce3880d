"""The learned deciders' plumbing on Docs built by hand: features, label coding, thresholds,
determinism. (What the trained models decide is measured by the evaluations, not here.)"""

from __future__ import annotations

import numpy as np
from spacy.lang.en import English
from spacy.tokens import Doc

from factionmap.extract.deciders.args import Arg
from factionmap.extract.deciders.events import role_features, trigger_features
from factionmap.extract.deciders.linear import fit_linear
from factionmap.extract.deciders.modality import modality_features
from factionmap.extract.deciders.relations import (
    NONE,
    RELATION_LABELS,
    RelationDecider,
    decode,
    encode,
    pair_features,
)
from factionmap.extract.deciders.sentences import (
    LEXICON_TYPE,
    SentenceContext,
    sentence_features,
    with_context,
)

VOCAB = English().vocab


def make_doc(words, heads, deps, pos, lemmas):  # type: ignore[no-untyped-def]
    return Doc(VOCAB, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)


# "Iran backed the militia ." / "The militia did not attack Iran ."
BACKED = make_doc(["Iran", "backed", "the", "militia", "."], [1, 1, 3, 1, 1],
                  ["nsubj", "ROOT", "det", "dobj", "punct"],
                  ["PROPN", "VERB", "DET", "NOUN", "PUNCT"],
                  ["Iran", "back", "the", "militia", "."])
DENIED = make_doc(["The", "militia", "did", "not", "attack", "Iran", "."],
                  [1, 4, 4, 4, 4, 4, 4], ["det", "nsubj", "aux", "neg", "ROOT", "dobj", "punct"],
                  ["DET", "NOUN", "AUX", "PART", "VERB", "PROPN", "PUNCT"],
                  ["the", "militia", "do", "not", "attack", "Iran", "."])


def arg(doc: Doc, i: int, label: str, kind: str | None = None) -> Arg:
    tok = doc[i]
    return Arg(tok.idx, tok.idx + len(tok.text), label, "name", kind, tok.text)


def test_labels_keep_direction_for_asymmetric_types_only() -> None:
    assert decode(encode("backed_by", False)) == ("backed_by", False)
    assert decode(encode("allied_with", False)) == ("allied_with", True)
    assert len(RELATION_LABELS) == 1 + 5 + 2 * 10 and NONE in RELATION_LABELS


def test_pair_features_read_the_path_and_its_cue_words() -> None:
    f = pair_features(BACKED, BACKED[:], arg(BACKED, 0, "Location", "state"),
                      arg(BACKED, 3, "Organisation"))
    assert f["path=nsubj^ back vdobj"] == 1.0
    assert f["cue=backed_by"] == 1.0 and f["lxy=Location|Organisation"] == 1.0
    assert f["kx=state"] == 1.0
    g = pair_features(DENIED, DENIED[:], arg(DENIED, 1, "Organisation"),
                      arg(DENIED, 5, "Location"))
    assert g["neg"] == 1.0 and "neg" not in f


def test_vectors_enter_as_dense_features_when_given() -> None:
    vectors = np.ones((len(BACKED), 3), dtype=np.float32)
    f = pair_features(BACKED, BACKED[:], arg(BACKED, 0, "Location"), arg(BACKED, 3, "Organisation"),
                      vectors)
    assert f["vx0"] == 1.0 and f["vy2"] == 1.0 and f["vb1"] == 1.0


def _toy_model():  # type: ignore[no-untyped-def]
    rows = [{"a": 1.0}, {"b": 1.0}, {"c": 1.0}] * 4
    labels = ["backed_by<", NONE, "allied_with"] * 4
    return fit_linear(rows, labels, c=10.0, min_count=1)


def test_relation_decider_follows_direction_and_threshold() -> None:
    model = _toy_model()
    pairs = [(BACKED[:], arg(BACKED, 0, "Location"), arg(BACKED, 3, "Organisation"))]
    decider = RelationDecider(model, threshold=0.5)
    real = model.proba
    model.proba = lambda rows: real([{"a": 1.0}] * len(rows))  # type: ignore[method-assign]
    [decision] = decider.decide(BACKED, pairs)
    assert decision is not None and decision.type == "backed_by"
    assert decision.subject.ref == "militia" and decision.object.ref == "Iran"
    model.proba = lambda rows: real([{"b": 1.0}] * len(rows))  # type: ignore[method-assign]
    assert decider.decide(BACKED, pairs) == [None]


def test_fitting_is_deterministic() -> None:
    a, b = _toy_model(), _toy_model()
    assert np.array_equal(a.classifier.coef_, b.classifier.coef_)
    assert a.classes == b.classes


def test_trigger_and_role_features_see_actors_by_their_dependencies() -> None:
    by_token = {1: arg(DENIED, 1, "Organisation"), 5: arg(DENIED, 5, "Location", "state")}
    f = trigger_features(DENIED, DENIED[:], DENIED[4], by_token)
    assert f["ch=nsubj|Organisation"] == 1.0 and f["ch=dobj|Location"] == 1.0
    assert f["negated"] == 1.0 and f["lex=ASSAULT"] == 1.0
    r = role_features(DENIED, DENIED[:], DENIED[4], "ASSAULT", by_token[5])
    assert r["direct=dobj"] == 1.0 and r["after"] == 1.0


def test_sentence_context_reaches_every_trigger_and_names_the_lexicons_type() -> None:
    rows = [sentence_features(BACKED[:]), sentence_features(DENIED[:])]
    assert rows[1]["w=attack"] == 1.0 and "w=the" not in rows[1]  # stop words left out
    vectors = np.ones((len(DENIED), 4))
    assert sentence_features(DENIED[:], vectors)["sv3"] == 1.0
    types = fit_linear(rows, ["SUPPORT", "ASSAULT"], min_count=1)
    quad = fit_linear(rows, ["2", "4"], min_count=1)
    (context,) = SentenceContext(types, quad).features([DENIED[:]])
    assert set(context) == {"st=ASSAULT", "st=SUPPORT", "sq=2", "sq=4"}
    assert context["st=ASSAULT"] > context["st=SUPPORT"]
    f = with_context(trigger_features(DENIED, DENIED[:], DENIED[4], {}), context)
    assert f["lex=ASSAULT"] == 1.0 and f[LEXICON_TYPE] == context["st=ASSAULT"]
    assert f["sq=4"] == context["sq=4"]
    # a word the lexicon does not list gets the sentence's context but no lexicon tie
    g = with_context(trigger_features(DENIED, DENIED[:], DENIED[1], {}), context)
    assert LEXICON_TYPE not in g and g["st=ASSAULT"] == context["st=ASSAULT"]
    # no sentence classifier: nothing is added
    assert not SentenceContext(None, None)
    assert SentenceContext(None, None).features([DENIED[:]]) == [{}]


def test_modality_features_name_the_cues_around_an_anchor() -> None:
    f = modality_features(DENIED, DENIED[:], DENIED[4], "event", "ASSAULT")
    assert f["neg"] == 1.0 and f["layer=event"] == 1.0

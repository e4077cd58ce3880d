"""Grammar helpers on Docs built by hand (no statistical model): paths, voice, negation,
hedges, speech, quotes."""

from __future__ import annotations

from spacy.lang.en import English
from spacy.tokens import Doc

from factionmap.extract.grammar import (
    clause_head,
    dep_path,
    future_cue,
    hedge_cues,
    in_quotes,
    is_passive,
    lowest_common_ancestor,
    negated,
    path_lemmas,
    path_string,
    speech_verb_above,
    subject_of,
)

VOCAB = English().vocab  # lexical attributes (lower case, shape) without a trained model


def doc(words, heads, deps, pos, lemmas=None):  # type: ignore[no-untyped-def]
    return Doc(VOCAB, words=words, heads=heads, deps=deps, pos=pos,
               lemmas=lemmas or [w.lower() for w in words])


# "Officials said the militia did not attack the base ."
SAID = doc(
    ["Officials", "said", "the", "militia", "did", "not", "attack", "the", "base", "."],
    [1, 1, 3, 6, 6, 6, 1, 8, 6, 1],
    ["nsubj", "ROOT", "det", "nsubj", "aux", "neg", "ccomp", "det", "dobj", "punct"],
    ["NOUN", "VERB", "DET", "NOUN", "AUX", "PART", "VERB", "DET", "NOUN", "PUNCT"],
    ["official", "say", "the", "militia", "do", "not", "attack", "the", "base", "."],
)
# "The convoy was struck by rebels ."
STRUCK = doc(
    ["The", "convoy", "was", "struck", "by", "rebels", "."],
    [1, 3, 3, 3, 3, 4, 3],
    ["det", "nsubjpass", "auxpass", "ROOT", "agent", "pobj", "punct"],
    ["DET", "NOUN", "AUX", "VERB", "ADP", "NOUN", "PUNCT"],
    ["the", "convoy", "be", "strike", "by", "rebel", "."],
)


def test_path_joins_subject_and_object_through_their_verb() -> None:
    militia, base = SAID[3], SAID[8]
    up, down, lca = dep_path(militia, base)
    assert lca is not None and lca.text == "attack"
    assert [t.text for t in up] == ["militia"] and [t.text for t in down] == ["base"]
    assert path_string(militia, base) == "nsubj^ attack vdobj"
    assert path_lemmas(militia, base) == ["attack"]
    assert lowest_common_ancestor(SAID[0], base).text == "said"


def test_path_through_a_passive_agent() -> None:
    assert path_string(STRUCK[1], STRUCK[5]) == "nsubjpass^ strike vagent vpobj"
    assert is_passive(STRUCK[3]) and not is_passive(SAID[6])


def test_negation_and_the_clause_it_belongs_to() -> None:
    assert negated(SAID[6]) and negated(SAID[8])  # the object's clause is negated
    assert not negated(SAID[1])
    assert clause_head(SAID[8]).text == "attack"


def test_speech_verb_and_its_subject_above_a_reported_clause() -> None:
    speech = speech_verb_above(SAID[6])
    assert speech is not None and speech.text == "said"
    assert subject_of(speech).text == "Officials"
    assert speech_verb_above(STRUCK[3]) is None


def test_hedges_future_and_quotes() -> None:
    may = doc(["Iran", "may", "strike", "soon"], [2, 2, 2, 2],
              ["nsubj", "aux", "ROOT", "advmod"], ["PROPN", "AUX", "VERB", "ADV"])
    assert hedge_cues(may[2]) == ["may"]
    will = doc(["Iran", "will", "strike"], [2, 2, 2], ["nsubj", "aux", "ROOT"],
               ["PROPN", "AUX", "VERB"])
    assert future_cue(will[2]) and not future_cue(may[2])
    quoted = doc(["He", "said", '"', "we", "fight", '"'], [1, 1, 4, 4, 1, 4],
                 ["nsubj", "ROOT", "punct", "nsubj", "ccomp", "punct"],
                 ["PRON", "VERB", "PUNCT", "PRON", "VERB", "PUNCT"])
    sent = quoted[:]
    assert in_quotes(sent, quoted[4]) and not in_quotes(sent, quoted[1])

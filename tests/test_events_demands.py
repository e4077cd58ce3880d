"""Demands, conditions and modal complements: the act demanded or made a condition is not
coded as done. Our own sentences; the shipped coder (rules + learned layer) unless noted."""

from __future__ import annotations

import pytest

from factionmap.extract.events import EventCoder, code_events
from factionmap.extract.events.coder import demanded_code
from factionmap.extract.events.learned import NO_MODELS
from factionmap.records import Article, Mention

LABELS = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Location", "NORP": "Nationality"}
DONE = ("asserted", "attributed")


def _code(nlp, text, *, rules_only=False):
    doc = nlp(text)
    mentions = [
        Mention(e.start_char, e.end_char, e.text, LABELS[e.label_])
        for e in doc.ents
        if e.label_ in LABELS
    ]
    article = Article(id="t", text=text)
    if rules_only:
        return EventCoder(models=NO_MODELS).code(doc, mentions, article)
    return code_events(doc, mentions, article)


def _done(events, ptype):
    return [e for e in events if e.type == ptype and e.modality in DONE]


def _texts(spans):
    return [s.text for s in spans]


@pytest.mark.parametrize("rules_only", [False, True])
def test_statement_conditioning_talks_on_withdrawal_is_one_demand(nlp, rules_only):
    text = (
        "A spokesman for the Hamza Brigade issued a statement saying any talks with Turkey "
        "must be conditioned on the full withdrawal of Turkish forces."
    )
    events = _code(nlp, text, rules_only=rules_only)
    demands = [e for e in events if e.type == "REQUEST"]
    assert len(demands) == 1
    d = demands[0]
    assert d.cameo == "1056" and d.goldstein == -5.0 and d.quad_class == 3
    assert d.trigger.text == "conditioned"
    assert _texts(d.sources) == ["A spokesman"]
    assert d.attributed_to is not None and d.attributed_to.text == "A spokesman"
    assert _texts(d.targets) == ["Turkish"]
    # Neither the talks nor the withdrawal happened.
    assert not _done(events, "CONSULT") and not _done(events, "RETREAT")


def test_active_condition_names_who_must_act(nlp):
    events = _code(nlp, "Sudan conditioned the meeting on the withdrawal of Chadian troops.")
    d = next(e for e in events if e.type == "REQUEST")
    assert d.cameo == "1056" and _texts(d.sources) == ["Sudan"] and _texts(d.targets) == ["Chadian"]
    meeting = [e for e in events if e.type == "CONSULT"]
    assert all(e.modality == "hedged" for e in meeting)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The Hamza Brigade demanded the withdrawal of Turkish forces from the province.", "1056"),
        ("Rebel leaders called for a ceasefire with the government.", "1056"),
        ("The militia insisted on the release of fighters held in Jordan.", "1053"),
        ("The opposition demanded talks with the government.", "106"),
    ],
)
def test_demand_for_an_act_is_a_demand_not_the_act(nlp, text, code):
    events = _code(nlp, text)
    assert [e.type for e in events] == ["REQUEST"]
    assert events[0].cameo == code and events[0].quad_class == 3


def test_demanded_party_is_the_act_agent(nlp):
    e = _code(nlp, "The Hamza Brigade demanded the withdrawal of Turkish forces.")[0]
    assert _texts(e.sources) == ["The Hamza Brigade"] and _texts(e.targets) == ["Turkish"]


@pytest.mark.parametrize(
    "text",
    [
        "Any agreement with Egypt would be subject to the release of all prisoners.",
        "The group said it will hold talks with Chad only if Libyan forces withdraw.",
        "The rebels will free the hostages unless the army withdraws.",
        "Officials said Turkey must withdraw its forces from Iraq.",
        "Officials said Turkey would have to withdraw its forces from Iraq.",
        "Talks with Iran will depend on the release of the prisoners.",
        "The group agreed to a meeting on condition that Iraqi troops withdraw.",
    ],
)
def test_conditioned_and_modal_acts_are_not_done(nlp, text):
    events = _code(nlp, text)
    assert not _done(events, "RETREAT") and not _done(events, "CONSULT")


def test_plain_acts_stay_done(nlp):
    # The new rules must not hedge what did happen.
    for text, ptype in [
        ("The army withdrew from the town on Monday.", "RETREAT"),
        ("Iraq held talks with Iran on Sunday.", "CONSULT"),
        ("Police said the militia released two hostages.", "RETREAT"),
    ]:
        assert _done(_code(nlp, text), ptype), text


def test_demanded_code_follows_the_codebook():
    assert demanded_code("100", "087") == "1056"  # withdrawal
    assert demanded_code("10", "0871") == "1056"  # ceasefire
    assert demanded_code("100", "0841") == "1053"  # release
    assert demanded_code("100", "046") == "106"  # negotiation
    assert demanded_code("100", "045") == "108"  # mediation
    assert demanded_code("020", "087") == "0256"  # an appeal, not a demand
    assert demanded_code("1056", "087") is None  # already specific
    assert demanded_code("100", "190") is None  # not an act the codebook names


def test_demand_addresses_every_party_named_in_the_agent_phrase(nlp):
    text = "The Hamza Brigade demanded the withdrawal of Turkish and Russian forces."
    e = _code(nlp, text)[0]
    assert e.cameo == "1056"
    assert {"Turkish", "Russian"} <= set(_texts(e.targets))

"""PLOVER types that modality turns an act into: promises, future threats, obligations.

Our own sentences; the rules follow the PLOVER manual (AGREE covers promises, THREATEN
future or conditional hostile acts, REQUEST a duty put on another party).
"""

from __future__ import annotations

import datetime as dt

from factionmap.extract.events import EventCoder, strongest_event
from factionmap.extract.events.learned import NO_MODELS
from factionmap.records import Article

RULES = EventCoder(models=NO_MODELS)


def _main_type(nlp, text):
    doc = nlp(text)
    events = RULES.code(doc, [], Article(id="m", text=text, date=dt.date(2022, 5, 1)))
    event = strongest_event(events)
    return event.type if event else None


def test_promised_release_is_agree(nlp):
    text = "The militia said it will release the two kidnapped engineers next week."
    assert _main_type(nlp, text) == "AGREE"


def test_done_release_stays_retreat(nlp):
    text = "The militia released the two kidnapped engineers on Sunday."
    assert _main_type(nlp, text) == "RETREAT"


def test_willing_to_withdraw_is_agree(nlp):
    text = "The brigade is willing to withdraw its fighters from the town."
    assert _main_type(nlp, text) == "AGREE"


def test_conditional_boycott_is_threaten(nlp):
    text = "The bloc will boycott the vote unless the speaker resigns."
    assert _main_type(nlp, text) == "THREATEN"


def test_vowed_to_fight_is_threaten(nlp):
    text = "The commander vowed to fight the rebels until the valley is retaken."
    assert _main_type(nlp, text) == "THREATEN"


def test_must_return_is_request(nlp):
    text = "Baghdad said the group must return the seized trucks."
    assert _main_type(nlp, text) == "REQUEST"


def test_may_attack_stays_hedged_assault(nlp):
    doc = nlp("Rebels may attack the dam next month.")
    events = RULES.code(doc, [], Article(id="h", text=doc.text))
    assert [(e.type, e.modality) for e in events] == [("ASSAULT", "hedged")]

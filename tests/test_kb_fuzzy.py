"""Fuzzy name matching forgives spelling, not a different word (kb.fuzzy)."""

from __future__ import annotations

import pytest

from factionmap.kb import name_key
from factionmap.kb.fuzzy import closest_variant, is_spelling_variant


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Moammar Gaddafi", "Muammar Ghaddafi"),
        ("Nidal Hasan", "Nadal Hasan"),
        ("Pete King", "Peter King"),
        ("John F. Kerry", "John Kerry"),
        ("J. Christopher Stevens", "Christopher Stevens"),
        ("Republican Guards", "Republican Guard"),
        ("Saddam Husssein", "Saddam Hussain"),
        ("Pakistan Taliban", "Pakistani Taliban"),
        ("Yazidi", "Yazidis"),
    ],
)
def test_one_name_spelled_two_ways(a, b):
    assert is_spelling_variant(name_key(a), name_key(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Israel government", "Iraq government"),  # whole-string ratio 91
        ("Iraq military", "Iran military"),
        ("South Korea government", "North Korea government"),
        ("Niger government", "Nigeria government"),  # two countries, one a prefix
        ("George H.W. Bush", "George W. Bush"),  # other initials: another person
        ("H.W. Bush", "W. Bush"),
        ("Yale University", "Aleppo University"),
        ("Richard Harris", "Richard Haass"),
        ("U.S. Special Operations Command", "Joint Special Operations Command"),
        ("Senate Foreign Relations and", "Senate Foreign Relations"),  # a spare word
        ("Barak", "Barack"),  # one word alone: no context to forgive a spelling
        ("Heller", "Hitler"),
    ],
)
def test_a_different_word_is_a_different_name(a, b):
    assert not is_spelling_variant(name_key(a), name_key(b))


def test_closest_variant_skips_a_nearer_key_with_another_word():
    keys = [name_key("Iraq government"), name_key("Israeli government")]
    found = closest_variant(name_key("Israel government"), keys, 85.0)
    assert found is not None and found[0] == 1
    assert closest_variant(name_key("Israel government"), keys[:1], 85.0) is None

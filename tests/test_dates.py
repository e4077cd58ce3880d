"""Date phrases against a fixed reference date (Wednesday 20 June 2018)."""

from __future__ import annotations

import datetime as dt

import pytest

from factionmap.extract.dates import find_event_date, resolve_date_phrase

REF = dt.date(2018, 6, 20)
D = dt.date


@pytest.mark.parametrize(
    ("phrase", "date", "precision", "end"),
    [
        ("on Sunday", D(2018, 6, 17), "day", None),
        ("Wednesday", D(2018, 6, 20), "day", None),
        ("last Wednesday", D(2018, 6, 13), "day", None),
        ("yesterday", D(2018, 6, 19), "day", None),
        ("last week", D(2018, 6, 11), "day", D(2018, 6, 17)),
        ("last month", D(2018, 5, 1), "month", D(2018, 5, 31)),
        ("three days ago", D(2018, 6, 17), "day", None),
        ("in December and March", D(2017, 12, 1), "month", D(2018, 3, 31)),
        ("in January 2020", D(2020, 1, 1), "month", D(2020, 1, 31)),
        ("June 4", D(2018, 6, 4), "day", None),
        ("June 22", D(2018, 6, 22), "day", None),  # a couple of days ahead is kept
        ("September 9", D(2017, 9, 9), "day", None),  # would be in the future: last year
        ("4 June 2018", D(2018, 6, 4), "day", None),
        ("June 4, 2018", D(2018, 6, 4), "day", None),
        ("2019", D(2019, 1, 1), "year", D(2019, 12, 31)),
    ],
)
def test_resolve(phrase, date, precision, end):
    got = resolve_date_phrase(phrase, REF)
    assert got is not None
    assert (got.date, got.precision, got.end) == (date, precision, end)
    assert got.phrase == phrase


def test_no_date_in_phrase():
    assert resolve_date_phrase("the other side", REF) is None
    assert resolve_date_phrase("", REF) is None


def test_relative_needs_reference():
    assert resolve_date_phrase("yesterday", None) is None
    assert resolve_date_phrase("4 June 2018", None).date == D(2018, 6, 4)


def test_find_event_date_sentence_then_previous_then_reported(nlp):
    text = (
        "Talks opened in Baghdad on June 4.\nThe envoys met again that evening. Nothing else."
        "\n\nA raid followed."
    )
    doc = nlp(text)
    sents = list(doc.sents)
    first = find_event_date(doc, sents[0], sents[0].root, REF)
    assert (first.date, first.precision) == (D(2018, 6, 4), "day")
    carried = find_event_date(doc, sents[1], sents[1].root, REF)
    assert carried.date == D(2018, 6, 4)
    last = find_event_date(doc, sents[-1], sents[-1].root, REF)
    assert (last.date, last.precision, last.phrase) == (REF, "reported", None)

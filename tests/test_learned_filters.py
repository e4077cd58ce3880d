"""Filters on the learned relation model's output (own sentences)."""

from __future__ import annotations

import pytest

from factionmap.extract.learned import _listed_together
from factionmap.records import Relation, Span


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

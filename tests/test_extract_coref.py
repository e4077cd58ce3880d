"""Within-document linking (resolution, not typing): mentions are given by hand, on a real
parse, and coreference ties descriptions, pronouns and aliases to their antecedents."""

from __future__ import annotations

import pytest

from factionmap.extract.coref import link_mentions
from factionmap.extract.linking import linker_for
from factionmap.records import Article, Mention


def mentions_for(text: str, kb, spans):  # type: ignore[no-untyped-def]
    """Mentions at the first occurrence of each (phrase, label), linked as the tagger's
    names are."""
    linker = linker_for(kb)
    out = []
    for phrase, label in spans:
        start = text.index(phrase)
        link = linker.link(phrase, label)
        out.append(Mention(start, start + len(phrase), phrase, label,
                           link.actor_id if link else None, link.actor_name if link else None,
                           link.actor_kind if link else None, link.country if link else None,
                           link.sector if link else None, link.reason if link else None))
    return out


def linked(nlp, kb, text, spans):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    return link_mentions(doc, mentions_for(text, kb, spans), Article(id="t", text=text), kb)


def test_a_definite_description_takes_the_last_fitting_group(nlp, kb) -> None:
    text = ("Abu Mahdi al-Muhandis was the deputy chief of Kataib Hezbollah, and the group "
            "later fired drones at a base.")
    out = linked(nlp, kb, text, [("Abu Mahdi al-Muhandis", "Person"),
                                 ("Kataib Hezbollah", "Organisation"), ("group", "Organisation")])
    group = next(m for m in out if m.text == "group")
    assert group.actor_id == "kb:kataib_hezbollah"
    assert (group.link_reason or "").startswith("coref")


def test_he_links_to_the_only_person_before_it(nlp, kb) -> None:
    text = "Qais al-Khazali spoke in Baghdad. He warned the United States."
    out = linked(nlp, kb, text, [("Qais al-Khazali", "Person"), ("Baghdad", "Location"),
                                 ("United States", "Location")])
    he = next(m for m in out if m.text == "He")
    assert he.actor_id == next(m for m in out if m.text == "Qais al-Khazali").actor_id


@pytest.mark.parametrize("second", ["Hadi al-Amiri"])
def test_he_between_two_people_stays_unlinked(nlp, kb, second) -> None:
    text = f"Qais al-Khazali met {second} in Baghdad. He warned the United States."
    out = linked(nlp, kb, text, [("Qais al-Khazali", "Person"), (second, "Person")])
    assert not any(m.text == "He" and m.actor_id for m in out)


def test_a_bracketed_acronym_is_the_same_actor(nlp, kb) -> None:
    text = "The Northern Dawn Front (NDF) took the town. The NDF later withdrew."
    out = linked(nlp, kb, text, [("Northern Dawn Front", "Organisation"),
                                 ("NDF", "Organisation")])
    full = next(m for m in out if m.text == "Northern Dawn Front")
    short = next(m for m in out if m.text == "NDF")
    assert full.actor_id is not None and short.actor_id == full.actor_id

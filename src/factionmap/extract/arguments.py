"""Which mentions may be the arguments of which relation types (the argument schema).

A relation is only worth an analyst's time when both ends are actors the map can hold:
people, organisations, states (as places or nationalities) and generic agents, each with
an actor id. A few types take other things as their object: ``located_in`` takes places,
``fighting_against`` is fought by actors or their weapons ("five strikes engaged X") against
actors, places or equipment (a town attacked, vehicles destroyed), ``controls`` also takes
equipment (a town, a group or weapons held), and
``has_attribute`` follows re3d (an actor or a piece of equipment with a count, nationality
or sum of money). Pronouns that found no antecedent are never arguments.

Both the patterns and the learned relation model go through ``keep_valid_relations``, so
the schema is stated once.
"""

from __future__ import annotations

import calendar
from dataclasses import replace

from factionmap.extract.lexicon import SITE_NOUN_FORMS
from factionmap.records import ACTOR_LABELS, EntityLabel, Mention, Relation, Span

PRONOUNS = frozenset(
    {"he", "she", "him", "her", "his", "they", "them", "their", "it", "its", "we", "us", "i",
     "who", "which", "that", "this", "these", "those"}
)
EQUIPMENT_LABELS = frozenset({"Weapon", "MilitaryPlatform", "Vehicle"})
ATTRIBUTE_LABELS = frozenset({"Quantity", "Nationality", "Money"})

_CALENDAR_WORDS = frozenset(
    w.lower() for w in (*calendar.month_name, *calendar.month_abbr, *calendar.day_name) if w
)
# What each side may be: "actor", "place" (any Location), "held" (an actor, a place or
# equipment), "attacker" (an actor or a weapon), "target" (what is held, or a site such as
# "a tunnel"), "named" (an actor or a piece of equipment: both have aliases), "holder" or
# "attribute".
_ACTOR, _PLACE, _HOLDER, _ATTRIBUTE, _HELD, _ATTACKER, _TARGET, _NAMED = (
    "actor", "place", "holder", "attribute", "held", "attacker", "target", "named"
)
_SCHEMA: dict[str, tuple[str, str]] = {
    "located_in": (_ACTOR, _PLACE),
    "controls": (_ACTOR, _HELD),
    "fighting_against": (_ATTACKER, _TARGET),
    "has_attribute": (_HOLDER, _ATTRIBUTE),
    "same_as": (_NAMED, _NAMED),
}
_DEFAULT = (_ACTOR, _ACTOR)
# Types whose subject must be a person or an organisation, never a state: a country is not a
# member or a leader of anything in this map ("member_of(US, State)" is a title misread).
_NON_STATE_SUBJECT = frozenset({"member_of", "leads", "role"})
# ...except that states are members (and leaders) of international bodies (NATO, the Global
# Coalition) and of unnamed blocs ("Coalition nations include ...", "the U.S.-led coalition").
_BLOCS = frozenset({"international_org", None})


# Unnamed groups a state cannot belong to: armed groups, rebels, civilians, protesters...
NON_STATE_SECTORS = frozenset({"REB", "INS", "UAF", "SEP", "CVL", "REF", "PRO", "CRM"})


def _is_bloc(m: Mention) -> bool:
    """An international body, or an unnamed group of this article ("Coalition nations"), but
    not an unnamed armed or civilian group ("a terrorist group", "the militias")."""
    if (m.actor_id or "").startswith("local:"):
        return m.sector not in NON_STATE_SECTORS
    return m.actor_kind in _BLOCS


def is_pronoun(m: Mention | Span) -> bool:
    return m.text.strip().lower() in PRONOUNS


def is_actor(m: Mention) -> bool:
    """A mention that names an actor the map can hold (with an actor id)."""
    if m.label not in ACTOR_LABELS or not m.actor_id:
        return False
    # a town is where things happen, not who does them
    return m.label != "Location" or m.actor_kind == "state"


def is_place(m: Mention) -> bool:
    """A Location mention that names somewhere: linked, or a capitalised name that is not a
    month or weekday (taggers call "March" or "these factions" a Location now and then)."""
    if m.label != "Location":
        return False
    if m.actor_id:
        return True
    words = m.text.split()
    return any(w[:1].isupper() and w.lower() not in _CALENDAR_WORDS for w in words)


def is_site(m: Mention) -> bool:
    """A place named by what it is ("a tunnel", "supply routes"): a target, not somewhere an
    actor is or holds."""
    words = m.text.split()
    return m.label == "Location" and bool(words) and words[-1].lower() in SITE_NOUN_FORMS


def can_be_argument(m: Mention) -> bool:
    """Could ``m`` be either end of some relation type? (Used to prune candidate pairs.)"""
    if is_pronoun(m) and not m.actor_id:
        return False
    return (
        is_actor(m) or is_place(m) or m.label in EQUIPMENT_LABELS or m.label in ATTRIBUTE_LABELS
    )


def _fits(m: Mention, slot: str) -> bool:
    if slot == _ACTOR:
        return is_actor(m)
    if slot == _PLACE:
        return is_place(m)
    if slot == _HELD:  # a town, a group, or weapons and vehicles
        return is_actor(m) or is_place(m) or m.label in EQUIPMENT_LABELS
    if slot == _ATTACKER:  # an actor, or the weapon it attacks with
        return is_actor(m) or m.label in ("Weapon", "MilitaryPlatform")
    if slot == _TARGET:
        return _fits(m, _HELD) or is_site(m)
    if slot in (_HOLDER, _NAMED):
        return is_actor(m) or m.label in EQUIPMENT_LABELS
    return m.label in ATTRIBUTE_LABELS


def _countries_clash(subject: Mention, obj: Mention) -> bool:
    """Membership in (or leadership of) a state whose country differs from the subject's own."""
    return (
        obj.actor_kind == "state"
        and subject.actor_kind != "state"
        and subject.country is not None
        and obj.country is not None
        and subject.country != obj.country
    )


def valid_arguments(rel_type: str, subject: Mention, obj: Mention) -> bool:
    """Whether ``rel_type(subject, obj)`` respects the argument schema."""
    subj_slot, obj_slot = _SCHEMA.get(rel_type, _DEFAULT)
    if not (_fits(subject, subj_slot) and _fits(obj, obj_slot)):
        return False
    if rel_type == "role" and subject.label != "Person":
        return False
    if rel_type in _NON_STATE_SUBJECT and subject.actor_kind == "state" and not (
        rel_type in ("member_of", "leads") and _is_bloc(obj)
    ):
        return False
    if rel_type == "member_of" and obj.label == "Person":
        return False  # one belongs to a group, not to a person ("X joined Kerry in ...")
    if rel_type == "located_in" and subject.actor_kind == "state":
        return False  # a country is not inside another country or one of its towns
    if rel_type == "same_as":
        if (subject.label in EQUIPMENT_LABELS) != (obj.label in EQUIPMENT_LABELS):
            return False  # a ship is not a person's or a group's other name
        return not (is_pronoun(subject) or is_pronoun(obj))  # coreference, not an alias
    if subject.actor_id and subject.actor_id == obj.actor_id:
        return False  # an actor related to itself says nothing
    return not (rel_type in ("member_of", "leads") and _countries_clash(subject, obj))


_ARMED_SECTORS = frozenset({"MIL", "UAF", "REB", "COP"})


def retype_for_arguments(rel_type: str, subj: Mention, obj: Mention) -> str:
    """The type the two ends make of a relation.

    ``leads`` over a place or equipment is ``controls`` (re3d's InChargeOf covers both). A
    military coalition "supporting" an armed force fights beside it: ``allied_with``, as
    analysts read the coalition and the SDF; a state or a state's own forces backing a group
    stay ``supports``, the patronage the map tracks (Iran and its militias).
    """
    held = is_place(obj) or obj.label in EQUIPMENT_LABELS
    if rel_type == "leads" and held and not is_actor(obj):
        return "controls"
    if rel_type == "supports" and is_coalition(subj) and is_armed_force(obj):
        return "allied_with"
    return rel_type


def is_coalition(m: Mention) -> bool:
    """An international body or an unnamed bloc that is a military coalition."""
    if not m.actor_id or not (_is_bloc(m) or m.actor_kind == "international_org"):
        return False
    return m.sector == "MIL" or "coalition" in f"{m.text} {m.actor_name or ''}".lower()


def is_armed_force(m: Mention) -> bool:
    return bool(m.actor_id) and (m.actor_kind == "armed_group" or m.sector in _ARMED_SECTORS)


def keep_valid_relations(relations: list[Relation], mentions: list[Mention]) -> list[Relation]:
    """Relations whose arguments fit the schema (``leads`` over a place becomes ``controls``).

    An argument span no mention covers (a pattern may cut a name out of a compound) is
    judged by its own actor id.
    """
    index: dict[tuple[int, int], Mention] = {}
    for m in mentions:
        index.setdefault((m.start, m.end), m)
    out = []
    for rel in relations:
        subj = index.get((rel.subject.start, rel.subject.end)) or _bare(rel.subject)
        obj = index.get((rel.object.start, rel.object.end)) or _bare(rel.object)
        rel_type = retype_for_arguments(rel.type, subj, obj)
        if not valid_arguments(rel_type, subj, obj):
            continue
        out.append(rel if rel_type == rel.type else replace(rel, type=rel_type))  # type: ignore[arg-type]
    return out


def _bare(span: Span) -> Mention:
    """A stand-in mention for a span no mention covers: an actor if it carries an actor id."""
    label: EntityLabel = "Organisation" if span.actor_id else "Temporal"  # no id: no actor slot
    return Mention(span.start, span.end, span.text, label, span.actor_id, span.actor_name)

"""Pydantic response and request models of the REST API.

Every model and field carries a description: they are the API reference at /docs
(tests/test_api_docs.py checks that none is missing).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


def _d(description: str, default: Any = ..., **kw: Any) -> Any:
    return Field(default, description=description, **kw)


class Page(BaseModel, Generic[T]):
    """One page of a listing."""

    # Page[ActorOut] and the like are new classes without the docstring: say it in config
    model_config = ConfigDict(json_schema_extra={"description": "One page of a listing."})

    total: int = _d("How many items match in all.")
    limit: int = _d("Page size asked for.")
    offset: int = _d("Items skipped before this page.")
    items: list[T] = _d("The items of this page.")


class ActorOut(BaseModel):
    """An actor: a state, armed group, party, government body, person or organisation."""

    model_config = ConfigDict(from_attributes=True)
    id: int = _d("Actor id.")
    name: str = _d("Display name.")
    kind: str = _d("state, armed_group, party, government_body, person, international_org "
                   "or other.")
    country: str | None = _d("ISO-3 country code, if known.", None)
    kb_id: str | None = _d("Knowledge-base id (e.g. kb:kataib_hezbollah), if from the KB.", None)
    merged_into_id: int | None = _d("The actor an analyst merged this one into.", None)


class AliasOut(BaseModel):
    """A surface form of an actor and why it was attached."""

    model_config = ConfigDict(from_attributes=True)
    name: str = _d("The alias as written.")
    origin: str = _d("Where it came from: kb, text, analyst, ...")
    reason: str | None = _d("Why it was attached (the merge explanation).", None)


class EvidenceOut(BaseModel):
    """A sentence a fact or a brief line rests on."""

    document_id: str = _d("Document id.")
    start: int = _d("Character offset where the sentence starts.")
    end: int = _d("Character offset where it ends.")
    text: str = _d("The sentence.", "")


class FactBase(BaseModel):
    """Fields every extracted fact has."""

    model_config = ConfigDict(from_attributes=True)
    id: int = _d("Fact id.")
    document_id: str = _d("Document it was read from.")
    type: str = _d("Relation type, or PLOVER event type.")
    evidence_start: int = _d("Character offset of the evidence sentence.")
    evidence_end: int = _d("End offset of the evidence sentence.")
    sentence_text: str = _d("The evidence sentence.")
    modality: str = _d("asserted, negated, hedged or attributed.")
    confidence: float = _d("Extraction confidence, 0 to 1.")
    reported_at: dt.date | None = _d("Publication date of the article.", None)
    review: str | None = _d("Analyst review: confirmed, rejected, or none.", None)
    outlets: int | None = _d("Independent outlets reporting this tie or happening.", None)
    first_reported: dt.date | None = _d("Its earliest report.", None)
    last_reported: dt.date | None = _d("Its latest report.", None)


class RelationOut(FactBase):
    """A typed relation between two actors, with its valid time."""

    role: str | None = _d("The role held, for role relations.", None)
    subject_actor_id: int | None = _d("Subject actor, when resolved.", None)
    object_actor_id: int | None = _d("Object actor, when resolved.", None)
    subject_text: str = _d("Subject as written.")
    object_text: str = _d("Object as written.")
    valid_from: dt.date | None = _d("First day it holds, if stated.", None)
    valid_until: dt.date | None = _d("Last day it holds, if stated.", None)
    is_former: bool = _d("Stated as past (a former leader).", False)
    contested: bool | None = _d("Other reports contradict the tie in an overlapping period "
                                "(ally in one, enemy in another; or a denial).", None)


class EventOut(FactBase):
    """A coded event: who did what to whom, when and where."""

    cameo: str = _d("CAMEO code.")
    goldstein: float = _d("Goldstein score, -10 (conflict) to +10 (cooperation).")
    quad_class: int = _d("1 verbal cooperation, 2 material cooperation, 3 verbal conflict, "
                         "4 material conflict.")
    source_actor_id: int | None = _d("Acting actor, when resolved.", None)
    target_actor_id: int | None = _d("Actor acted upon, when resolved.", None)
    trigger_text: str = _d("The words that name the event.")
    date: dt.date | None = _d("When it happened, if the text says.", None)
    location_name: str | None = _d("Place name.", None)
    country: str | None = _d("ISO-3 country of the place.", None)


class PartnerOut(BaseModel):
    """An actor's counterpart in events, all time."""

    actor_id: int = _d("The partner's id.")
    name: str = _d("The partner's name.")
    n_events: int = _d("Events between them, both ways.")
    goldstein_sum: float = _d("Sum of their Goldstein scores.")


class ActorProfile(BaseModel):
    """Everything the actor page shows, as data."""

    actor: ActorOut = _d("The actor.")
    aliases: list[AliasOut] = _d("Its aliases (merged actors' included).")
    merged_from: list[int] = _d("Ids of actors merged into it.")
    n_events: int = _d("Events it takes part in (denied events not counted).")
    n_relations: int = _d("Relations it takes part in.")
    partners: list[PartnerOut] = _d("Top counterparts by events.")
    recent_events: list[EventOut] = _d("Latest events, newest first.")
    relations: list[RelationOut] = _d("Its relations (first 50).")


class StancePointOut(BaseModel):
    """Stance of one actor toward another in one month."""

    model_config = ConfigDict(from_attributes=True)
    month: str = _d("YYYY-MM.")
    score: float = _d("Shrunk mean Goldstein score, -10 to +10.")
    low: float = _d("Lower end of the 95% band.")
    high: float = _d("Upper end of the 95% band.")
    raw_mean: float = _d("Unshrunk mean of the month's evidence.")
    n_events: int = _d("Events that month.")
    n_relations: int = _d("Stance relations that month (each counts ±5).")


class ShiftOut(BaseModel):
    """A change in a stance series (binary segmentation, Welch's t)."""

    model_config = ConfigDict(from_attributes=True)
    month: str = _d("First month after the change, YYYY-MM.")
    kind: str = _d("rapprochement (stance rose) or escalation (stance fell).")
    before_mean: float = _d("Mean stance before.")
    after_mean: float = _d("Mean stance after.")
    t: float = _d("Welch's t of the difference.")
    n_before: int = _d("Pieces of evidence before.")
    n_after: int = _d("Pieces of evidence after.")


class DyadTimeline(BaseModel):
    """Stance both ways between two actors, month by month."""

    source: ActorOut = _d("First actor.")
    target: ActorOut = _d("Second actor.")
    forward: list[StancePointOut] = _d("Source toward target, months with evidence.")
    backward: list[StancePointOut] = _d("Target toward source, months with evidence.")
    shifts: list[ShiftOut] = _d("Shifts in the forward series.")


class NodeOut(BaseModel):
    """An actor in the network."""

    model_config = ConfigDict(from_attributes=True)
    id: int = _d("Actor id.")
    name: str = _d("Display name.")
    kind: str = _d("Actor kind.")
    country: str | None = _d("ISO-3 country code, if known.")
    camp: int = _d("Camp id, 1 = largest; 0 = in no camp (media outlets, generic agents, "
                   "unnamed actors, or no tie with the evidence to place it).")
    strength: float = _d("Share of its tie weight its camp agrees with, 0 to 1.")
    degree: int = _d("Pieces of evidence touching it in the window.")
    colour: str = _d("Its camp's colour (#rrggbb); camp 0 is grey.", "")


class EdgeOut(BaseModel):
    """A tie between two actors, both directions pooled."""

    model_config = ConfigDict(from_attributes=True)
    a: int = _d("One actor id (the smaller).")
    b: int = _d("The other actor id.")
    weight: float = _d("Signed weight: > 0 cooperation, < 0 conflict.")
    sign: int = _d("+1, -1 or 0.")
    n_events: int = _d("Events behind it.")
    n_relations: int = _d("Stance relations behind it.")
    relation_types: list[str] = _d("Relation types behind it.")
    in_camps: bool = _d("Has the evidence and confidence to place actors in camps.", False)


class CampOut(BaseModel):
    """A camp (signed bloc): actors held together by positive ties."""

    model_config = ConfigDict(from_attributes=True)
    id: int = _d("Camp id, 1 = largest (0 is no camp and is not listed).")
    name: str = _d("Its most connected members' names.")
    core: list[int] = _d("Actor ids of its core members, most connected first.")
    members: list[int] = _d("Actor ids of all its members.")
    colour: str = _d("Its colour (#rrggbb), stable for the same core.")


class NetworkOut(BaseModel):
    """The signed network of a time window."""

    start: dt.date | None = _d("First day of the window (none = from the start).")
    end: dt.date | None = _d("Last day of the window (none = up to now).")
    nodes: list[NodeOut] = _d("Actors, most evidence first.")
    edges: list[EdgeOut] = _d("Ties among them.")
    camps: list[CampOut] = _d("Camps, largest first (camp 0, no camp, is not listed).", [])
    frustration: float = _d("Tie weight the camp split disagrees with.")


class MentionOut(BaseModel):
    """A name in the text and the actor it was linked to."""

    model_config = ConfigDict(from_attributes=True)
    id: int = _d("Mention id.")
    start: int = _d("Character offset.")
    end: int = _d("End offset.")
    text: str = _d("As written.")
    label: str = _d("Entity label (Organisation, Person, ...).")
    actor_id: int | None = _d("Linked actor, if any.", None)


class DocumentSummary(BaseModel):
    """A document in a listing."""

    model_config = ConfigDict(from_attributes=True)
    id: str = _d("Document id.")
    title: str | None = _d("Title.", None)
    published: dt.date | None = _d("Publication date.", None)
    source: str | None = _d("Outlet or feed.", None)


class DocumentOut(DocumentSummary):
    """A document with its text and every fact read from it."""

    url: str | None = _d("Original address.", None)
    text: str = _d("The article text (offsets refer to it).")
    mentions: list[MentionOut] = _d("Names found in it.")
    relations: list[RelationOut] = _d("Relations read from it.")
    events: list[EventOut] = _d("Events read from it.")


class BriefLineOut(BaseModel):
    """One line of a brief."""

    label: str = _d("What the line says.")
    text: str = _d("Its evidence sentence, or the label for a computed line.")
    evidence: list[EvidenceOut] = _d("Sentences it rests on.")


class BriefSectionOut(BaseModel):
    """A section of a brief."""

    name: str = _d("Section name.")
    lines: list[BriefLineOut] = _d("Its lines.")


class BriefOut(BaseModel):
    """A brief on an actor or a pair."""

    title: str = _d("Title.")
    sections: list[BriefSectionOut] = _d("Sections in reading order.")


class CorrectionIn(BaseModel):
    """An analyst correction to record."""

    action: Literal["merge", "split", "confirm", "reject", "alias"] = _d(
        "What to do.")
    payload: dict[str, Any] = _d(
        "merge: {absorbed, survivor}; split: {actor, names}; alias: {actor, name}; "
        "confirm/reject: {fact: relation|event, id}. Actors as {id} or {key}.")
    who: str = _d("Who makes it.", min_length=1, max_length=255)
    why: str | None = _d("Why.", None, max_length=4000)


class CorrectionOut(BaseModel):
    """A recorded correction."""

    model_config = ConfigDict(from_attributes=True)
    id: int = _d("Correction id.")
    action: str = _d("merge, split, confirm, reject or alias.")
    payload: dict[str, Any] = _d("What it applies to (see CorrectionIn).")
    who: str = _d("Who made it.")
    why: str | None = _d("Why.")
    created_at: dt.datetime = _d("When (UTC).")

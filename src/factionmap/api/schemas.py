"""Pydantic response and request models of the REST API."""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    total: int
    limit: int
    offset: int
    items: list[T]


class ActorOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    kind: str
    country: str | None = None
    kb_id: str | None = None
    merged_into_id: int | None = None


class AliasOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    name: str
    origin: str
    reason: str | None = None


class EvidenceOut(BaseModel):
    document_id: str
    start: int
    end: int
    text: str = ""


class FactBase(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    document_id: str
    type: str
    evidence_start: int
    evidence_end: int
    sentence_text: str
    modality: str
    confidence: float
    reported_at: dt.date | None = None
    review: str | None = None
    outlets: int | None = Field(
        default=None, description="Independent outlets reporting this tie or happening")
    first_reported: dt.date | None = Field(default=None, description="Its earliest report")
    last_reported: dt.date | None = Field(default=None, description="Its latest report")


class RelationOut(FactBase):
    role: str | None = None
    subject_actor_id: int | None = None
    object_actor_id: int | None = None
    subject_text: str
    object_text: str
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    is_former: bool = False
    contested: bool | None = Field(
        default=None,
        description="Other reports contradict the tie in an overlapping period "
                    "(ally in one, enemy in another; or a denial)")


class EventOut(FactBase):
    cameo: str
    goldstein: float
    quad_class: int
    source_actor_id: int | None = None
    target_actor_id: int | None = None
    trigger_text: str
    date: dt.date | None = None
    location_name: str | None = None
    country: str | None = None


class PartnerOut(BaseModel):
    actor_id: int
    name: str
    n_events: int
    goldstein_sum: float


class ActorProfile(BaseModel):
    actor: ActorOut
    aliases: list[AliasOut]
    merged_from: list[int]
    n_events: int
    n_relations: int
    partners: list[PartnerOut]
    recent_events: list[EventOut]
    relations: list[RelationOut]


class StancePointOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    month: str
    score: float
    low: float
    high: float
    raw_mean: float
    n_events: int
    n_relations: int


class ShiftOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    month: str
    kind: str
    before_mean: float
    after_mean: float
    t: float
    n_before: int
    n_after: int


class DyadTimeline(BaseModel):
    source: ActorOut
    target: ActorOut
    forward: list[StancePointOut]
    backward: list[StancePointOut]
    shifts: list[ShiftOut]


class NodeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    kind: str
    country: str | None
    camp: int = Field(description="Camp id; 0: in no camp (media, generic agents, no camp tie)")
    strength: float
    degree: int
    colour: str = Field(default="", description="The camp's colour (#rrggbb)")


class EdgeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    a: int
    b: int
    weight: float
    sign: int
    n_events: int
    n_relations: int
    relation_types: list[str]
    in_camps: bool = Field(
        default=False, description="Has the evidence and confidence to place actors in camps")


class CampOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str = Field(description="Its most connected members' names")
    core: list[int]
    members: list[int]
    colour: str


class NetworkOut(BaseModel):
    start: dt.date | None
    end: dt.date | None
    nodes: list[NodeOut]
    edges: list[EdgeOut]
    camps: list[CampOut] = []
    frustration: float


class MentionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    start: int
    end: int
    text: str
    label: str
    actor_id: int | None = None


class DocumentSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None


class DocumentOut(DocumentSummary):
    url: str | None = None
    text: str
    mentions: list[MentionOut]
    relations: list[RelationOut]
    events: list[EventOut]


class BriefLineOut(BaseModel):
    label: str
    text: str
    evidence: list[EvidenceOut]


class BriefSectionOut(BaseModel):
    name: str
    lines: list[BriefLineOut]


class BriefOut(BaseModel):
    title: str
    sections: list[BriefSectionOut]


class CorrectionIn(BaseModel):
    action: Literal["merge", "split", "confirm", "reject", "alias"]
    payload: dict[str, Any]
    who: str = Field(min_length=1, max_length=255)
    why: str | None = Field(default=None, max_length=4000)


class CorrectionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    action: str
    payload: dict[str, Any]
    who: str
    why: str | None
    created_at: dt.datetime

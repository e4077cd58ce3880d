"""The annotation schema: labels, forms, relation and event types, and the two file shapes.

An annotator writes an :class:`AnnotatorDoc` per article (spans named by sentence, exact
text and occurrence, because people cannot count characters); ``build`` turns it into a
:class:`GoldDoc` (character offsets plus a digest of each span) which is what the repository
stores. Pydantic does the validation so every error names its field.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from factionmap.records import (
    ENTITY_LABELS,
    PLOVER_TYPES,
    RELATION_TYPES,
    SYMMETRIC_RELATIONS,
    EntityLabel,
    PloverType,
    RelationType,
)

# Labels whose mentions take part in relation pairs (the project's actor labels).
PAIR_LABELS: frozenset[str] = frozenset({"Person", "Organisation", "Location", "Nationality"})

Form = Literal["name", "generic", "nominal", "pronoun"]
FORMS: tuple[str, ...] = ("name", "generic", "nominal", "pronoun")
# Forms annotated in every sentence; the others only where they are an argument.
EXHAUSTIVE_FORMS: frozenset[str] = frozenset({"name"})

GoldModality = Literal["asserted", "attributed", "hedged", "negated"]
NONE = "none"

# PLOVER modes (manual tables); AGREE, SUPPORT, CONCEDE, COOPERATE and AID have none.
PLOVER_MODES: dict[str, tuple[str, ...]] = {
    "CONSULT": ("visit", "third-party", "multilateral", "phone"),
    "RETREAT": ("withdraw", "release", "disarm", "ceasefire", "access", "resign"),
    "REQUEST": ("assist", "change", "yield", "meet"),
    "REJECT": ("assist", "change", "yield", "meet"),
    "ACCUSE": ("disapprove", "investigate", "allege"),
    "THREATEN": ("restrict", "arrest", "relations", "expel", "territory", "violence"),
    "PROTEST": ("demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"),
    "SANCTION": ("convict", "expel", "withdraw", "discontinue"),
    "MOBILIZE": ("troops", "weapons", "police", "militia"),
    "COERCE": ("seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport",
               "withhold", "misinformation", "cyber"),
    "ASSAULT": ("abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive",
                "firearms", "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons",
                "crowd-control", "unconventional"),
}

__all__ = [
    "ENTITY_LABELS", "PLOVER_TYPES", "RELATION_TYPES", "SYMMETRIC_RELATIONS", "PAIR_LABELS",
]


def digest(text: str) -> str:
    """Short fingerprint of a span's text: the stored file can check offsets without the text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- what an annotator writes -------------------------------------------------------------


class AnnEntity(_Strict):
    id: str = Field(pattern=r"^e\d+$")
    s: int = Field(ge=0, description="sentence number in the packet")
    text: str = Field(min_length=1, description="exact characters of the span, as in the packet")
    occ: int = Field(default=1, ge=1, description="which occurrence of text in the sentence")
    label: EntityLabel
    form: Form = "name"
    ref: str | None = Field(default=None, min_length=1,
                            description="same string for every mention of one thing")


class AnnRelation(_Strict):
    type: RelationType
    subject: str
    object: str
    modality: GoldModality = "asserted"
    speaker: str | None = None
    former: bool = False
    title: str | None = Field(default=None, min_length=1)


class AnnEvent(_Strict):
    s: int = Field(ge=0)
    trigger: str = Field(min_length=1)
    occ: int = Field(default=1, ge=1)
    type: PloverType
    mode: str | None = None
    sources: list[str] = Field(default_factory=list)
    targets: list[str] = Field(default_factory=list)
    location: str | None = None
    date: str | None = None
    modality: GoldModality = "asserted"
    speaker: str | None = None


class AnnotatorDoc(_Strict):
    article: str
    annotator: str = Field(min_length=1)
    entities: list[AnnEntity] = Field(default_factory=list)
    relations: list[AnnRelation] = Field(default_factory=list)
    events: list[AnnEvent] = Field(default_factory=list)
    notes: str | None = None


# --- what the repository stores -----------------------------------------------------------


class GoldEntity(_Strict):
    id: str
    start: int = Field(ge=0)
    end: int = Field(gt=0)
    digest: str
    label: EntityLabel
    form: Form
    ref: str  # article-local cluster id ("r3"): mentions of one actor share it


class GoldSpan(_Strict):
    start: int = Field(ge=0)
    end: int = Field(gt=0)
    digest: str


class GoldRelation(_Strict):
    type: RelationType
    subject: str
    object: str
    modality: GoldModality = "asserted"
    speaker: str | None = None
    former: bool = False
    title: GoldSpan | None = None


class GoldEvent(_Strict):
    trigger: GoldSpan
    type: PloverType
    mode: str | None = None
    sources: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    location: str | None = None
    date: str | None = None
    modality: GoldModality = "asserted"
    speaker: str | None = None


class GoldDoc(_Strict):
    article: str
    split: Literal["train", "blind"]
    outlet: str
    annotator: str
    text_digest: str
    sentences: tuple[tuple[int, int], ...]
    entities: tuple[GoldEntity, ...] = ()
    relations: tuple[GoldRelation, ...] = ()
    events: tuple[GoldEvent, ...] = ()


def is_symmetric(rel_type: str) -> bool:
    return rel_type in SYMMETRIC_RELATIONS


ALL_RELATION_LABELS: tuple[str, ...] = (*RELATION_TYPES, NONE)
ALL_EVENT_TYPES: tuple[str, ...] = tuple(PLOVER_TYPES)
ALL_LABELS: tuple[str, ...] = tuple(ENTITY_LABELS)

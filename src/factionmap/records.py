"""Typed records that flow between the pipeline stages.

sources -> Article; extract -> ArticleExtraction (mentions, relations, events);
resolve and store consume those. Records are plain frozen dataclasses so they
pickle cheaply (Ray, multiprocessing) and carry no database state.
All offsets are 0-based, end-exclusive character offsets into ``Article.text``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

EntityLabel = Literal[
    "Person",
    "Organisation",
    "Location",
    "Nationality",
    "Temporal",
    "Money",
    "Quantity",
    "Weapon",
    "MilitaryPlatform",
    "Vehicle",
]
ENTITY_LABELS: tuple[EntityLabel, ...] = (
    "Person",
    "Organisation",
    "Location",
    "Nationality",
    "Temporal",
    "Money",
    "Quantity",
    "Weapon",
    "MilitaryPlatform",
    "Vehicle",
)
# Labels that can denote an actor (something that acts, leads, fights, ...).
ACTOR_LABELS: frozenset[str] = frozenset({"Person", "Organisation", "Location", "Nationality"})

RelationType = Literal[
    "member_of",
    "leads",
    "role",
    "allied_with",
    "supports",
    "opposes",
    "fighting_against",
    "communicated_with",
    "backed_by",
    "controls",
    "same_as",
    "located_in",
    "split_from",
    "merged_with",
    "has_attribute",
]
RELATION_TYPES: tuple[RelationType, ...] = (
    "member_of",
    "leads",
    "role",
    "allied_with",
    "supports",
    "opposes",
    "fighting_against",
    "communicated_with",
    "backed_by",
    "controls",
    "same_as",
    "located_in",
    "split_from",
    "merged_with",
    "has_attribute",
)
# Relations that read the same in both directions.
SYMMETRIC_RELATIONS: frozenset[str] = frozenset(
    {"allied_with", "communicated_with", "fighting_against", "same_as", "merged_with"}
)

Modality = Literal["asserted", "negated", "hedged", "attributed"]
MODALITIES: tuple[Modality, ...] = ("asserted", "negated", "hedged", "attributed")

PloverType = Literal[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]
PLOVER_TYPES: tuple[PloverType, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)

ActorKind = Literal[
    "state",
    "armed_group",
    "party",
    "government_body",
    "person",
    "international_org",
    "other",
]
ACTOR_KINDS: tuple[ActorKind, ...] = (
    "state",
    "armed_group",
    "party",
    "government_body",
    "person",
    "international_org",
    "other",
)

DatePrecision = Literal["day", "month", "year", "reported"]


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read from a source file (or one row of it)."""

    id: str  # stable content hash of ``text``
    text: str  # exactly as decoded; all offsets point into this
    title: str | None = None
    date: dt.date | None = None
    date_inferred: bool = False
    source: str | None = None
    url: str | None = None
    path: str | None = None
    row: int | None = None  # 1-based row within a JSONL/CSV/feed file
    # Character ranges of boilerplate (repeated captions, "Comments are closed.")
    # that extraction must ignore; kept in ``text`` so offsets stay exact.
    boilerplate: tuple[tuple[int, int], ...] = ()
    encoding: str | None = None  # how the file's bytes were decoded ("utf-8", "cp1252", ...)


def one_line(value: object) -> str:
    """``value`` as text on one line: control characters (a newline in a file name) are
    shown escaped, so every message stays one line of plain text."""
    text = str(value)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in text)


# One error line stays short: a database error's SQL and parameters are left out.
_MAX_REASON_CHARS = 300


def exception_line(exc: BaseException) -> str:
    """One short line for an exception: its type and first line, without the SQL and
    parameters a database error carries."""
    # a database error wraps the driver's: report that one (imported here: records stay light)
    from sqlalchemy.exc import DBAPIError

    inner = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = str(inner).strip().splitlines()
    first = lines[0] if lines else ""
    if len(first) > _MAX_REASON_CHARS:
        first = first[:_MAX_REASON_CHARS] + "..."
    return f"{type(inner).__name__}: {first}" if first else type(inner).__name__


@dataclass(frozen=True, slots=True)
class ReadError:
    """An input that could not be read; the batch goes on without it."""

    path: str
    reason: str
    row: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.row}" if self.row is not None else self.path
        return one_line(f"{where}: {self.reason}")


@dataclass(frozen=True, slots=True)
class ReadWarning:
    """Input that was read, but not exactly as given (bytes replaced, a date ignored)."""

    path: str
    reason: str
    row: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.row}" if self.row is not None else self.path
        return one_line(f"{where}: {self.reason}")


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the article text, optionally linked to an actor."""

    start: int
    end: int
    text: str
    actor_id: str | None = None  # KB id ("kb:...") or document-local new actor key ("new:...")
    actor_name: str | None = None  # canonical name as far as extract knows it


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


# Link reason of a title-and-name mention ("Foreign Minister X"); resolve keeps no alias for it.
TITLED_NAME_REASON = "title and name"


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str
    label: EntityLabel
    actor_id: str | None = None
    actor_name: str | None = None
    actor_kind: ActorKind | None = None
    country: str | None = None  # ISO 3166 alpha-3 where known
    sector: str | None = None  # PLOVER/CAMEO agent sector (GOV, MIL, REB, ...) for generic agents
    # Why this mention got its actor: "kb alias", "name part of 'Hadi al-Amiri'", "coref: ..."
    link_reason: str | None = None
    # name (the tagger's), generic (an unnamed agent), nominal or pronoun (coreference)
    form: str = "name"

    def span(self) -> Span:
        return Span(self.start, self.end, self.text, self.actor_id, self.actor_name)


@dataclass(frozen=True, slots=True)
class ValidTime:
    """When a fact held, as far as the text says ("former", "in January 2020")."""

    start: dt.date | None = None
    end: dt.date | None = None
    phrase: str | None = None
    is_former: bool = False


@dataclass(frozen=True, slots=True)
class Relation:
    type: RelationType
    subject: Span
    object: Span
    evidence: Span  # the sentence the fact came from
    modality: Modality = "asserted"
    confidence: float = 0.5
    role: str | None = None  # the title for ``role`` (and ``leads``) facts: "spokesman"
    attributed_to: Span | None = None  # who said it, for attributed facts
    valid: ValidTime | None = None
    pattern: str | None = None  # which rule or model produced it, for debugging and audit


@dataclass(frozen=True, slots=True)
class EventDate:
    date: dt.date | None
    precision: DatePrecision
    phrase: str | None = None  # the words it came from; None when it is the publication date
    end: dt.date | None = None  # for ranges / imprecise dates: last day covered


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str | None = None  # ISO alpha-3
    lat: float | None = None
    lon: float | None = None
    phrase: str | None = None  # the words it came from
    geonameid: int | None = None


@dataclass(frozen=True, slots=True)
class Event:
    type: PloverType
    cameo: str  # root ("19") or 3-digit ("190") CAMEO code
    goldstein: float
    # 0 neutral, 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    quad_class: int
    evidence: Span  # the sentence
    trigger: Span  # the word(s) that carry the event
    sources: tuple[Span, ...] = ()  # compound actors are several spans
    targets: tuple[Span, ...] = ()
    mode: str | None = None
    context: str | None = None
    date: EventDate | None = None
    location: Place | None = None
    modality: Modality = "asserted"
    confidence: float = 0.5
    attributed_to: Span | None = None

    @property
    def source(self) -> Span | None:
        return self.sources[0] if self.sources else None

    @property
    def target(self) -> Span | None:
        return self.targets[0] if self.targets else None


@dataclass(slots=True)
class ArticleExtraction:
    """Everything ``extract`` found in one article. Pure data, no database ids."""

    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

"""JSON endpoints under /api. Read endpoints are open; writes need the bearer token."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from factionmap.analysis.briefs import actor_brief, dyad_brief
from factionmap.analysis.corrections import MAX_ID, CorrectionError, record_correction
from factionmap.analysis.network import MAX_NODES, CampRules, Ties, visible_network
from factionmap.analysis.queries import (
    EventFilter,
    clamp,
    document_facts,
    list_documents,
    list_events,
    list_relations,
    search_actors,
    search_documents,
)
from factionmap.analysis.shifts import detect_shifts
from factionmap.analysis.stance import dyad_stance
from factionmap.api import schemas as s
from factionmap.api.convert import (
    actor_profile,
    brief_out,
    event_outs,
    network_out,
    relation_outs,
)
from factionmap.api.deps import SessionDep, require_token
from factionmap.api.params import (
    ActorId,
    DocumentId,
    Limit,
    MinOutlets,
    NameItem,
    Offset,
    OptionalActor,
    SearchText,
    actor_query,
    day_query,
    name_query,
    names_query,
)
from factionmap.config import CAMP_MIN_CONFIDENCE, CAMP_MIN_EVIDENCE
from factionmap.store.models import Actor, Correction, Document


class ErrorOut(BaseModel):
    """An error: one line saying what was wrong."""

    detail: str = Field(description="Why the request failed (never a traceback).")


# Answers every endpoint may give besides its own: documented so clients (and the schema
# tests) know them.
_ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorOut, "description": "Host header not allowed"},
    404: {"model": ErrorOut, "description": "No such actor or document"},
    413: {"model": ErrorOut, "description": "Request body too large"},
    422: {"model": ErrorOut, "description": "A parameter out of its type or range"},
    503: {"model": ErrorOut, "description": "Over the per-request work budget, or store busy"},
}
router = APIRouter(prefix="/api", responses=_ERRORS)


def _actor(session: SessionDep, actor_id: int) -> Actor:
    actor = session.get(Actor, actor_id)
    if actor is None:
        raise HTTPException(404, f"no actor with id {actor_id}")
    return actor


StartDay = Annotated[dt.date | None, day_query("Only facts on or after this day")]
EndDay = Annotated[dt.date | None, day_query("Only facts on or before this day")]


@router.get("/actors", response_model=s.Page[s.ActorOut], summary="Search actors")
def actors(session: SessionDep, q: SearchText = "", limit: Limit = 20, offset: Offset = 0):
    """Actors whose name or any alias matches ``q`` (best matches first); merged actors
    are not listed (their survivor is)."""
    total, rows = search_actors(session, q, limit=limit, offset=offset)
    return s.Page(total=total, limit=limit, offset=offset,
                  items=[s.ActorOut.model_validate(a) for a in rows])


@router.get("/actors/{actor_id}", response_model=s.ActorProfile, summary="Actor profile")
def actor(session: SessionDep, actor_id: ActorId):
    """Aliases, totals, top partners, recent events and relations of one actor (with the
    actors merged into it)."""
    return actor_profile(session, _actor(session, actor_id))


@router.get("/actors/{actor_id}/brief", response_model=s.BriefOut, summary="Actor brief")
def actor_brief_endpoint(session: SessionDep, actor_id: ActorId):
    """A short brief whose every line is an evidence sentence or a summary linked to them."""
    _actor(session, actor_id)
    return brief_out(actor_brief(session, actor_id))


@router.get("/relations", response_model=s.Page[s.RelationOut], summary="List relations")
def relations(
    session: SessionDep,
    actor: OptionalActor = None,
    type: Annotated[str | None, name_query(
        "Only this relation type, e.g. allied_with, leads, member_of.")] = None,
    min_outlets: MinOutlets = 1,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """Relation facts (rejected ones left out), each with its evidence sentence and how
    many outlets report its tie (first and last report; contested when reports disagree)."""
    total, rows = list_relations(session, actor_id=actor, type=type, limit=limit, offset=offset,
                                 min_outlets=min_outlets)
    return s.Page(total=total, limit=limit, offset=offset, items=relation_outs(session, rows))


@router.get("/events", response_model=s.Page[s.EventOut], summary="List events")
def events(
    session: SessionDep,
    actor: OptionalActor = None,
    source: Annotated[int | None, actor_query(
        "With target: only events this actor does to the target (a directed dyad).")] = None,
    target: Annotated[int | None, actor_query(
        "With source: only events done to this actor by the source.")] = None,
    type: Annotated[str | None, name_query("Only this PLOVER event type, e.g. ASSAULT.")] = None,
    quad_class: Annotated[int | None, Query(
        ge=1, le=4, description="Only this quad class: 1 verbal cooperation, 2 material "
                                "cooperation, 3 verbal conflict, 4 material conflict.")] = None,
    place: Annotated[str | None, name_query(
        "Only events whose place name contains this text, or in this ISO-3 country.")] = None,
    start: StartDay = None,
    end: EndDay = None,
    min_outlets: MinOutlets = 1,
    include_actorless: Annotated[bool, Query(
        description="Also list events whose source and target resolved to no actor.")] = False,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """Events newest first (by event date, else report date), denials included with
    their modality."""
    dyad: tuple[int, int] | None = None
    if source is not None and target is not None:
        dyad = (source, target)
    elif source is not None or target is not None:
        raise HTTPException(422, "a dyad filter needs both source and target")
    f = EventFilter(actor_id=actor, dyad=dyad,
                    type=type, quad_class=quad_class, place=place, start=start, end=end,
                    min_outlets=min_outlets, include_actorless=include_actorless)
    total, rows = list_events(session, f, limit=limit, offset=offset)
    return s.Page(total=total, limit=limit, offset=offset, items=event_outs(session, rows))


@router.get("/dyads/{source_id}/{target_id}/timeline", response_model=s.DyadTimeline,
            summary="Dyad stance timeline")
def dyad_timeline(
    session: SessionDep,
    source_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The actor whose stance.")],
    target_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The actor it is toward.")],
    start: StartDay = None,
    end: EndDay = None,
):
    """Monthly stance both ways (months with evidence only) and the shifts found in the
    source's stance toward the target."""
    a, b = _actor(session, source_id), _actor(session, target_id)
    forward = dyad_stance(session, a.id, b.id, start=start, end=end)
    backward = dyad_stance(session, b.id, a.id, start=start, end=end)
    return s.DyadTimeline(
        source=s.ActorOut.model_validate(a), target=s.ActorOut.model_validate(b),
        forward=[s.StancePointOut.model_validate(p) for p in forward],
        backward=[s.StancePointOut.model_validate(p) for p in backward],
        shifts=[s.ShiftOut.model_validate(x) for x in detect_shifts(forward)],
    )


@router.get("/dyads/{source_id}/{target_id}/brief", response_model=s.BriefOut,
            summary="Dyad brief")
def dyad_brief_endpoint(
    session: SessionDep,
    source_id: Annotated[int, Path(ge=1, le=MAX_ID, description="One actor of the pair.")],
    target_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The other actor.")],
):
    """A brief of what the two actors did to each other, both ways, with evidence."""
    _actor(session, source_id), _actor(session, target_id)
    return brief_out(dyad_brief(session, source_id, target_id))


@router.get("/network", response_model=s.NetworkOut, summary="Signed actor network")
def network(
    session: SessionDep,
    start: StartDay = None,
    end: EndDay = None,
    max_nodes: Annotated[int, Query(
        ge=1, le=MAX_NODES,
        description=f"At most this many actors (those with most evidence in the window), "
                    f"1 to {MAX_NODES}.")] = 150,
    event_type: Annotated[list[NameItem] | None, names_query(
        "Only events of this PLOVER type (e.g. ASSAULT); without relation_type, relation "
        "ties are left out.")] = None,
    relation_type: Annotated[list[NameItem] | None, names_query(
        "Only relations of this type (e.g. allied_with); without event_type, event ties "
        "are left out.")] = None,
    kind: Annotated[list[NameItem] | None, names_query(
        "Only actors of this kind (state, armed_group, party, government_body, person, "
        "international_org, other).")] = None,
    country: Annotated[str | None, name_query("Only actors of this ISO-3 country.")] = None,
    ties: Annotated[Ties, Query(
        description="Which evidence makes ties: all, events only, or relations only.")] = "all",
    camp_min_evidence: Annotated[int, Query(
        ge=1, le=1000, description="Pieces of evidence a tie needs to place actors in camps, "
                                   "1 to 1000.")] = CAMP_MIN_EVIDENCE,
    camp_min_confidence: Annotated[float, Query(
        ge=0.0, le=1.0, description="Facts less confident than this (0 to 1) place no one "
                                    "in a camp.")] = CAMP_MIN_CONFIDENCE,
    min_outlets: MinOutlets = 1,
):
    """The window's best-evidenced actors, their signed ties (events and relations pooled
    both ways) and camps, each named by its core members with a stable colour. Media
    outlets are not nodes; they, generic agents and unnamed actors are in no camp (0).
    With ``min_outlets``, only events and relations that many outlets report make ties."""
    rules = CampRules(min_evidence=camp_min_evidence, min_confidence=camp_min_confidence)
    return network_out(visible_network(
        session, start=start, end=end, max_nodes=max_nodes, event_types=event_type,
        relation_types=relation_type, kinds=kind, country=country, ties=ties,
        camp_rules=rules, min_outlets=min_outlets))


@router.get("/documents", response_model=s.Page[s.DocumentSummary], summary="List documents")
def documents(session: SessionDep, q: SearchText = "", limit: Limit = 20, offset: Offset = 0):
    """Documents whose title or text contains ``q``; without ``q``, all, newest first."""
    if q:
        total, rows = search_documents(session, q, limit=limit, offset=offset)
    else:
        total, rows = list_documents(session, limit=limit, offset=offset)
    return s.Page(total=total, limit=limit, offset=offset,
                  items=[s.DocumentSummary.model_validate(d) for d in rows])


@router.get("/documents/{document_id}", response_model=s.DocumentOut, summary="One document")
def document(session: SessionDep, document_id: DocumentId):
    """The article text with its mentions, relations and events (offsets into the text)."""
    doc = session.get(Document, document_id)
    if doc is None:
        raise HTTPException(404, f"no document with id {document_id}")
    mentions, rels, evs = document_facts(session, document_id)
    return s.DocumentOut(
        id=doc.id, title=doc.title, published=doc.published, source=doc.source, url=doc.url,
        text=doc.text, mentions=[s.MentionOut.model_validate(m) for m in mentions],
        relations=relation_outs(session, rels),
        events=event_outs(session, evs),
    )


@router.get("/corrections", response_model=s.Page[s.CorrectionOut], summary="Audit trail")
def corrections(session: SessionDep, limit: Limit = 50, offset: Offset = 0):
    """Analyst corrections, newest first."""
    limit, offset = clamp(limit, offset)
    total = session.scalar(select(func.count()).select_from(Correction)) or 0
    rows = session.scalars(select(Correction).order_by(Correction.id.desc())
                           .limit(limit).offset(offset))
    return s.Page(total=total, limit=limit, offset=offset,
                  items=[s.CorrectionOut.model_validate(c) for c in rows])


@router.post("/corrections", response_model=s.CorrectionOut, status_code=201,
             dependencies=[Depends(require_token)], summary="Record a correction",
             responses={401: {"model": ErrorOut, "description": "No or a wrong bearer token"},
                        403: {"model": ErrorOut, "description": "Writes are disabled"}})
def add_correction(session: SessionDep, body: s.CorrectionIn):
    """Merge or split actors, add an alias, confirm or reject a fact (needs
    ``Authorization: Bearer <FACTIONMAP_TOKEN>``)."""
    try:
        correction = record_correction(session, body.action, body.payload, body.who, body.why)
    except CorrectionError as exc:
        raise HTTPException(422, str(exc)) from exc
    return s.CorrectionOut.model_validate(correction)

"""JSON endpoints under /api. Read endpoints are open; writes need the bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel
from sqlalchemy import func, select

from factionmap.analysis.briefs import actor_brief, dyad_brief
from factionmap.analysis.corrections import CorrectionError, record_correction
from factionmap.analysis.network import MAX_NODES, signed_network
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
from factionmap.api.convert import actor_profile, brief_out, network_out
from factionmap.api.deps import SessionDep, require_token
from factionmap.api.params import (
    ActorId,
    Day,
    DocumentId,
    Limit,
    Name,
    Names,
    Offset,
    OptionalActor,
    SearchText,
)
from factionmap.store.models import Actor, Correction, Document


class ErrorOut(BaseModel):
    detail: str


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


@router.get("/actors", response_model=s.Page[s.ActorOut])
def actors(session: SessionDep, q: SearchText = "", limit: Limit = 20, offset: Offset = 0):
    total, rows = search_actors(session, q, limit=limit, offset=offset)
    return s.Page(total=total, limit=limit, offset=offset,
                  items=[s.ActorOut.model_validate(a) for a in rows])


@router.get("/actors/{actor_id}", response_model=s.ActorProfile)
def actor(session: SessionDep, actor_id: ActorId):
    return actor_profile(session, _actor(session, actor_id))


@router.get("/actors/{actor_id}/brief", response_model=s.BriefOut)
def actor_brief_endpoint(session: SessionDep, actor_id: ActorId):
    _actor(session, actor_id)
    return brief_out(actor_brief(session, actor_id))


@router.get("/relations", response_model=s.Page[s.RelationOut])
def relations(session: SessionDep, actor: OptionalActor = None, type: Name = None,
              limit: Limit = 50, offset: Offset = 0):
    total, rows = list_relations(session, actor_id=actor, type=type, limit=limit, offset=offset)
    return s.Page(total=total, limit=limit, offset=offset,
                  items=[s.RelationOut.model_validate(r) for r in rows])


@router.get("/events", response_model=s.Page[s.EventOut])
def events(
    session: SessionDep,
    actor: OptionalActor = None,
    source: OptionalActor = None,
    target: OptionalActor = None,
    type: Name = None,
    quad_class: Annotated[int | None, Query(ge=1, le=4)] = None,
    place: Name = None,
    start: Day = None,
    end: Day = None,
    include_actorless: Annotated[bool, Query(
        description="Also list events whose source and target resolved to no actor.")] = False,
    limit: Limit = 50,
    offset: Offset = 0,
):
    dyad: tuple[int, int] | None = None
    if source is not None and target is not None:
        dyad = (source, target)
    elif source is not None or target is not None:
        raise HTTPException(422, "a dyad filter needs both source and target")
    f = EventFilter(actor_id=actor, dyad=dyad,
                    type=type, quad_class=quad_class, place=place, start=start, end=end,
                    include_actorless=include_actorless)
    total, rows = list_events(session, f, limit=limit, offset=offset)
    return s.Page(total=total, limit=limit, offset=offset,
                  items=[s.EventOut.model_validate(e) for e in rows])


@router.get("/dyads/{source_id}/{target_id}/timeline", response_model=s.DyadTimeline)
def dyad_timeline(session: SessionDep, source_id: ActorId, target_id: ActorId,
                  start: Day = None, end: Day = None):
    a, b = _actor(session, source_id), _actor(session, target_id)
    forward = dyad_stance(session, a.id, b.id, start=start, end=end)
    backward = dyad_stance(session, b.id, a.id, start=start, end=end)
    return s.DyadTimeline(
        source=s.ActorOut.model_validate(a), target=s.ActorOut.model_validate(b),
        forward=[s.StancePointOut.model_validate(p) for p in forward],
        backward=[s.StancePointOut.model_validate(p) for p in backward],
        shifts=[s.ShiftOut.model_validate(x) for x in detect_shifts(forward)],
    )


@router.get("/dyads/{source_id}/{target_id}/brief", response_model=s.BriefOut)
def dyad_brief_endpoint(session: SessionDep, source_id: ActorId, target_id: ActorId):
    _actor(session, source_id), _actor(session, target_id)
    return brief_out(dyad_brief(session, source_id, target_id))


@router.get("/network", response_model=s.NetworkOut)
def network(
    session: SessionDep,
    start: Day = None,
    end: Day = None,
    max_nodes: Annotated[int, Query(ge=1, le=MAX_NODES)] = 150,
    event_type: Names = None,
    relation_type: Names = None,
    kind: Names = None,
    country: Name = None,
):
    net = signed_network(session, start=start, end=end, max_nodes=max_nodes,
                         event_types=event_type, relation_types=relation_type,
                         kinds=kind, country=country)
    return network_out(net)


@router.get("/documents", response_model=s.Page[s.DocumentSummary])
def documents(session: SessionDep, q: SearchText = "", limit: Limit = 20, offset: Offset = 0):
    if q:
        total, rows = search_documents(session, q, limit=limit, offset=offset)
    else:
        total, rows = list_documents(session, limit=limit, offset=offset)
    return s.Page(total=total, limit=limit, offset=offset,
                  items=[s.DocumentSummary.model_validate(d) for d in rows])


@router.get("/documents/{document_id}", response_model=s.DocumentOut)
def document(session: SessionDep, document_id: DocumentId):
    doc = session.get(Document, document_id)
    if doc is None:
        raise HTTPException(404, f"no document with id {document_id}")
    mentions, rels, evs = document_facts(session, document_id)
    return s.DocumentOut(
        id=doc.id, title=doc.title, published=doc.published, source=doc.source, url=doc.url,
        text=doc.text, mentions=[s.MentionOut.model_validate(m) for m in mentions],
        relations=[s.RelationOut.model_validate(r) for r in rels],
        events=[s.EventOut.model_validate(e) for e in evs],
    )


@router.get("/corrections", response_model=s.Page[s.CorrectionOut])
def corrections(session: SessionDep, limit: Limit = 50, offset: Offset = 0):
    limit, offset = clamp(limit, offset)
    total = session.scalar(select(func.count()).select_from(Correction)) or 0
    rows = session.scalars(select(Correction).order_by(Correction.id.desc())
                           .limit(limit).offset(offset))
    return s.Page(total=total, limit=limit, offset=offset,
                  items=[s.CorrectionOut.model_validate(c) for c in rows])


@router.post("/corrections", response_model=s.CorrectionOut, status_code=201,
             dependencies=[Depends(require_token)],
             responses={401: {"model": ErrorOut, "description": "No or a wrong bearer token"},
                        403: {"model": ErrorOut, "description": "Writes are disabled"}})
def add_correction(session: SessionDep, body: s.CorrectionIn):
    try:
        correction = record_correction(session, body.action, body.payload, body.who, body.why)
    except CorrectionError as exc:
        raise HTTPException(422, str(exc)) from exc
    return s.CorrectionOut.model_validate(correction)

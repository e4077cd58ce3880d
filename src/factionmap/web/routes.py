"""Server-rendered pages (Jinja2, autoescape on) mounted beside the JSON API."""

from __future__ import annotations

import re
from http import HTTPStatus
from importlib import resources
from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select

from factionmap.analysis.briefs import actor_brief, dyad_brief, shift_events
from factionmap.analysis.corrections import MAX_ID, CorrectionError, record_correction
from factionmap.analysis.network import MAX_NODES, signed_network
from factionmap.analysis.queries import (
    EventFilter,
    actor_names,
    document_facts,
    latest_events,
    list_events,
    list_relations,
    search_actors,
    search_documents,
    store_counts,
)
from factionmap.analysis.shifts import detect_shifts
from factionmap.analysis.stance import dyad_stance
from factionmap.api.convert import actor_profile, brief_out, event_outs, relation_outs
from factionmap.api.deps import SessionDep, token_matches
from factionmap.api.params import (
    MAX_OUTLETS,
    ActorId,
    DocumentId,
    FormIds,
    MinOutlets,
    SearchText,
)
from factionmap.api.schemas import EventOut
from factionmap.store.models import (
    Actor,
    Correction,
    Document,
    EventFact,
    RelationFact,
    Sentence,
)
from factionmap.web.charts import stance_chart, tenure_chart
from factionmap.web.highlight import sentence_views
from factionmap.web.timeline import slider_range

_HERE = resources.files("factionmap.web")
templates = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(str(_HERE / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
)
MAX_FORM_BYTES = 64 * 1024
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")  # not str.isdigit(): "²" is a digit to it


def safe_url(url: str | None) -> str | None:
    """Only http(s) links leave the app; anything else (javascript:, data:) is dropped."""
    if not url:
        return None
    return url if urlsplit(url).scheme in ("http", "https") else None


templates.env.filters["safe_url"] = safe_url


def _page(request: Request, name: str, **context: object) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """A bad request to a page is answered with a page that says what was wrong."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    response = _page(request, "error.html", status=status, title=title, message=message)
    response.status_code = status
    return response


def index(request: Request, session: SessionDep, min_outlets: MinOutlets = 1) -> HTMLResponse:
    counts = store_counts(session)
    latest = event_outs(session, latest_events(session, min_outlets=min_outlets))
    names = actor_names(session, {x for e in latest
                                  for x in (e.source_actor_id, e.target_actor_id) if x})
    return _page(request, "index.html", counts=counts, latest=latest, names=names,
                 slider=slider_range(session), min_outlets=min_outlets)


# min_outlets is read by network.js from the URL; declared here so a bad one is a 422 page
def network_page(request: Request, session: SessionDep,
                 min_outlets: MinOutlets = 1) -> HTMLResponse:
    kinds = sorted(session.scalars(select(Actor.kind).distinct()))
    rel_types = sorted(session.scalars(select(RelationFact.type).distinct()))
    ev_types = sorted(session.scalars(select(EventFact.type).distinct()))
    return _page(request, "network.html", slider=slider_range(session), kinds=kinds,
                 rel_types=rel_types, ev_types=ev_types, max_nodes=MAX_NODES,
                 max_outlets=MAX_OUTLETS)


def _actor_ids(values: list[str] | None, field: str) -> list[int]:
    """Ids typed into a page's form: blanks ignored (an empty form field), anything else
    must be an actor id."""
    ids = []
    for value in values or []:
        value = value.strip()
        if not value:
            continue
        if not _ASCII_DIGITS.fullmatch(value) or not 1 <= int(value) <= MAX_ID:
            raise HTTPException(422, f"{field} must be an actor id (a number from 1 to {MAX_ID})")
        ids.append(int(value))
    return ids


def actor_page(
    request: Request, session: SessionDep, actor_id: ActorId, toward: FormIds = None,
    min_outlets: MinOutlets = 1,
) -> Response:
    actor = session.get(Actor, actor_id)
    if actor is None:
        raise HTTPException(404, f"no actor with id {actor_id}")
    if actor.merged_into_id is not None:
        return RedirectResponse(f"/actors/{actor.merged_into_id}?{request.url.query}"
                                if request.url.query else f"/actors/{actor.merged_into_id}",
                                status_code=307)
    profile = actor_profile(session, actor, min_outlets=min_outlets)
    # at most params.MAX_REPEATED charts, each drawn once: a stance chart is real work
    chosen = _actor_ids(toward, "toward") or [p.actor_id for p in profile.partners[:3]]
    chosen = list(dict.fromkeys(chosen))
    names = actor_names(session, set(chosen))
    charts = [
        (names.get(t, str(t)), t, stance_chart(dyad_stance(session, actor_id, t),
                                                f"{actor.name} toward {names.get(t, t)}"))
        for t in chosen if t in names
    ]
    tenures = [(f"{r.type.replace('_', ' ')} {r.object_text}", r.valid_from or r.reported_at,
                r.valid_until) for r in profile.relations
               if r.type in ("member_of", "leads", "role") and r.subject_actor_id == actor_id]
    net = signed_network(session, max_nodes=80)
    camp = net.blocs.members.get(actor_id)
    camp_info = next((c for c in net.camps if camp and c.id == camp.camp), None)
    camp_names = (actor_names(session, {t for t, _ in (*camp.ties, *camp.apart)})
                  if camp else {})
    # as on the overview: an event dated after its own report is not a recent event
    profile.recent_events = [e for e in profile.recent_events
                             if not (e.date and e.reported_at and e.date > e.reported_at)]
    return _page(request, "actor.html", p=profile, charts=charts, tenure=tenure_chart(tenures),
                 min_outlets=min_outlets, max_outlets=MAX_OUTLETS,
                 brief=brief_out(actor_brief(session, actor_id, min_outlets=min_outlets)),
                 camp=camp,
                 camp_info=camp_info, camp_names=camp_names,
                 ev_names=actor_names(session, {x for e in profile.recent_events
                                                for x in (e.source_actor_id, e.target_actor_id)
                                                if x}),
                 rel_names=actor_names(session, {x for r in profile.relations
                                                 for x in (r.subject_actor_id, r.object_actor_id)
                                                 if x}))


def dyad_page(request: Request, session: SessionDep, a: ActorId, b: ActorId,
              min_outlets: MinOutlets = 1) -> HTMLResponse:
    actors = {x.id: x for x in session.scalars(select(Actor).where(Actor.id.in_([a, b])))}
    if a not in actors or b not in actors:
        raise HTTPException(404, "no such actor")
    forward, backward = dyad_stance(session, a, b), dyad_stance(session, b, a)
    by_month: dict[str, list[EventOut]] = {}
    for x, y in ((a, b), (b, a)):
        _, evs = list_events(session, EventFilter(dyad=(x, y), min_outlets=min_outlets),
                             limit=200)
        for e in event_outs(session, evs):
            day = e.date or e.reported_at
            if day:
                by_month.setdefault(f"{day.year:04d}-{day.month:02d}", []).append(e)
    # shifts come from the stance (all evidence); the events shown beside them are
    # filtered like the rest of the page
    shifts = [(s, event_outs(session, shift_events(session, a, b, s, min_outlets=min_outlets)))
              for s in detect_shifts(forward)]
    _, ties = list_relations(session, between=(a, b), min_outlets=min_outlets, limit=100)
    return _page(
        request, "dyad.html", a=actors[a], b=actors[b],
        forward=stance_chart(forward, f"{actors[a].name} toward {actors[b].name}"),
        backward=stance_chart(backward, f"{actors[b].name} toward {actors[a].name}"),
        points=forward, by_month=dict(sorted(by_month.items(), reverse=True)), shifts=shifts,
        brief=brief_out(dyad_brief(session, a, b, min_outlets=min_outlets)),
        names={a: actors[a].name, b: actors[b].name},
        ties=relation_outs(session, ties), min_outlets=min_outlets, max_outlets=MAX_OUTLETS,
    )


def document_page(request: Request, session: SessionDep, document_id: DocumentId) -> HTMLResponse:
    doc = session.get(Document, document_id)
    if doc is None:
        raise HTTPException(404, f"no document with id {document_id}")
    mentions, rels, evs = document_facts(session, document_id)
    sentences = list(session.scalars(select(Sentence).where(Sentence.document_id == document_id)))
    views = sentence_views(doc.text, sentences, mentions, rels, evs)
    names = actor_names(session, {x for f in rels for x in (f.subject_actor_id, f.object_actor_id)
                                  if x} | {x for e in evs
                                           for x in (e.source_actor_id, e.target_actor_id) if x})
    return _page(request, "document.html", doc=doc, views=views,
                 relations=relation_outs(session, rels), events=event_outs(session, evs),
                 names=names)


def search_page(request: Request, session: SessionDep, q: SearchText = "") -> HTMLResponse:
    actors_found = search_actors(session, q, limit=30) if q else (0, [])
    docs_found = search_documents(session, q, limit=30) if q else (0, [])
    return _page(request, "search.html", q=q, actors=actors_found, docs=docs_found)


def corrections_page(request: Request, session: SessionDep) -> HTMLResponse:
    rows = session.scalars(select(Correction).order_by(Correction.id.desc()).limit(100)).all()
    return _page(request, "corrections.html", rows=rows, error=None,
                 writable=bool(request.app.state.token), prefill=dict(request.query_params))


def _form_payload(action: str, form: dict[str, str]) -> dict[str, object]:
    def number(field: str, what: str) -> int:
        value = form.get(field, "").strip()
        if not _ASCII_DIGITS.fullmatch(value) or int(value) > MAX_ID:
            raise CorrectionError(f"{what} must be a number from 0 to {MAX_ID}")
        return int(value)

    def ref(field: str) -> dict[str, object]:
        return {"id": number(field, f"{field} (an actor id)")}

    if action == "merge":
        return {"absorbed": ref("absorbed"), "survivor": ref("survivor")}
    if action == "split":
        names = [n.strip() for n in form.get("names", "").split(",") if n.strip()]
        return {"actor": ref("actor"), "names": names}
    if action == "alias":
        return {"actor": ref("actor"), "name": form.get("name", "")}
    if action in ("confirm", "reject"):
        return {"fact": form.get("fact", ""), "id": number("fact_id", "fact id")}
    raise CorrectionError(f"unknown action {action!r}")


async def corrections_post(request: Request) -> Response:
    raw = await request.body()
    if len(raw) > MAX_FORM_BYTES:
        raise HTTPException(413, "form too large")
    form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
    session = request.app.state.sessions()
    try:
        if not token_matches(request, form.get("token")):
            raise PermissionError("a valid token is required to change the store"
                                  if request.app.state.token else
                                  "writes are disabled: the operator has not set FACTIONMAP_TOKEN")
        action = form.get("action", "")
        correction = record_correction(session, action, _form_payload(action, form),
                                       form.get("who", "").strip() or "anonymous",
                                       form.get("why") or None)
        session.commit()
        target = correction.payload.get("survivor") or correction.payload.get("actor")
        where = f"/actors/{target['id']}" if isinstance(target, dict) else "/corrections"
        return RedirectResponse(where, status_code=303)
    except (CorrectionError, PermissionError) as exc:
        session.rollback()
        rows = session.scalars(select(Correction).order_by(Correction.id.desc()).limit(100)).all()
        status = 403 if isinstance(exc, PermissionError) else 422
        response = _page(request, "corrections.html", rows=rows, error=str(exc),
                         writable=bool(request.app.state.token), prefill=form)
        response.status_code = status
        return response
    finally:
        session.close()


def docs_page(request: Request) -> HTMLResponse:
    """Swagger UI over /openapi.json, from the bundled assets and our own start-up script
    (the CSP allows no inline script)."""
    bundled = (_HERE / "static" / "vendor" / "swagger-ui-bundle.js").is_file()
    return _page(request, "docs.html", bundled=bundled)


def mount_web(app: FastAPI) -> None:
    app.state.error_page = error_page
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
    get = app.get
    get("/", response_class=HTMLResponse, include_in_schema=False)(index)
    get("/network", response_class=HTMLResponse, include_in_schema=False)(network_page)
    get("/actors/{actor_id}", response_class=HTMLResponse, include_in_schema=False)(actor_page)
    get("/dyads/{a}/{b}", response_class=HTMLResponse, include_in_schema=False)(dyad_page)
    get("/documents/{document_id}", response_class=HTMLResponse,
        include_in_schema=False)(document_page)
    get("/search", response_class=HTMLResponse, include_in_schema=False)(search_page)
    get("/corrections", response_class=HTMLResponse, include_in_schema=False)(corrections_page)
    app.post("/corrections", response_class=HTMLResponse,
             include_in_schema=False)(corrections_post)
    get("/docs", response_class=HTMLResponse, include_in_schema=False)(docs_page)



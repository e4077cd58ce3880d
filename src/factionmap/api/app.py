"""The FastAPI application: JSON API under /api, web pages at /, one process.

Security defaults: a strict Content-Security-Policy (no inline script, nothing
from other origins), a request body limit, writes only with the operator's
token (env FACTIONMAP_TOKEN; without a token every write is refused), a Host
allow-list (reads need no token, so a page on another site must not reach the
store by DNS rebinding), and a work budget per request. Every answer carries the
security headers, errors included; a bad request is a 4xx with a one-line reason,
never a 500 or a traceback.
"""

from __future__ import annotations

import ipaddress
import logging
import os
from collections.abc import Callable, Iterable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from factionmap.api.budget import DEFAULT_BUDGET_SECONDS, WorkBudgetExceeded, watch, work_budget

log = logging.getLogger("factionmap.api")
# Host headers every server accepts; ``create_app(host=...)`` adds the interface it binds.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")

MAX_BODY_BYTES = 1024 * 1024
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class BodyLimitMiddleware:
    """Refuse request bodies over ``limit`` bytes (declared or streamed) with 413."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _too_large(send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _too_large(send)


class _TooLarge(Exception):
    pass


async def _too_large(send: Send) -> None:
    body = b'{"detail":"request body too large (limit 1 MB)"}'
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


class BudgetMiddleware:
    """Give each request a deadline (see ``api.budget``)."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app, self.seconds = app, seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with work_budget(self.seconds):
            await self.app(scope, receive, send)


def allowed_hosts(host: str | None = None, extra: Iterable[str] = ()) -> list[str]:
    """Loopback names, the interface the server binds (unless it is a wildcard) and any
    names the operator adds; IPv6 literals as a Host header writes them, in brackets."""
    hosts = list(LOOPBACK_HOSTS)
    for name in [host or "", *extra]:
        name = name.strip().lower()
        if not name or name in ("0.0.0.0", "::", "[::]"):
            continue
        try:
            if ipaddress.ip_address(name.strip("[]")).version == 6:
                name = f"[{name.strip('[]')}]"
        except ValueError:
            pass
        if name not in hosts:
            hosts.append(name)
    return hosts


def _reason(detail: object) -> str:
    return detail if isinstance(detail, str) else str(detail)


def _error(request: Request, status: int, detail: str,
           headers: dict[str, str] | None = None) -> Response:
    """JSON for the API, a page for the web app (when it is mounted)."""
    page = getattr(request.app.state, "error_page", None)
    if page is not None and not request.url.path.startswith("/api"):
        response: Response = page(request, status, detail)
        if headers:
            response.headers.update(headers)
        return response
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    return _error(request, exc.status_code, _reason(exc.detail), getattr(exc, "headers", None))


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    # One line per bad parameter, without echoing what was sent (it may be 60,000 characters).
    problems = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "request"
        problems.append(f"{where}: {error.get('msg', 'invalid')}")
    return _error(request, 422, "; ".join(problems)[:1000])


async def _over_budget(request: Request, exc: Exception) -> Response:
    if isinstance(exc, OperationalError) and "interrupted" not in str(exc.orig):
        log.warning("store unavailable: %s", str(exc.orig).splitlines()[0] if exc.orig else exc)
        detail = "the store is busy or unavailable; try again"
    else:
        detail = str(exc) if isinstance(exc, WorkBudgetExceeded) else (
            "this request needs more work than one request may do; narrow it")
    return _error(request, 503, detail, {"Retry-After": "5"})


async def _unexpected(request: Request, exc: Exception) -> Response:
    # A bug, not a bad request: logged with its traceback, answered without one.
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    headers = {k.decode(): v.decode() for k, v in SECURITY_HEADERS}
    return JSONResponse({"detail": "internal error (logged on the server)"}, status_code=500,
                        headers=headers)


def create_app(
    db_url: str | None = None,
    *,
    engine: Engine | None = None,
    token: str | None = None,
    mounts: Iterable[Callable[[FastAPI], None]] = (),
    host: str | None = None,
    extra_hosts: Iterable[str] = (),
    budget_seconds: float = DEFAULT_BUDGET_SECONDS,
) -> FastAPI:
    """Build the app over a store URL (migrated via open_store) or a ready engine.

    ``token`` defaults to env FACTIONMAP_TOKEN; empty means writes are refused. Requests
    must name a loopback host, ``host`` (the interface served) or one of ``extra_hosts``
    in their Host header (400 otherwise).
    """
    if engine is None:
        from factionmap.config import db_url_from_env
        from factionmap.store.db import open_store

        engine = open_store(db_url or db_url_from_env()).engine
    watch(engine)
    app = FastAPI(title="factionmap", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Evidence-backed map of armed factions: actors, ties, events.")
    app.state.sessions = sessionmaker(engine, expire_on_commit=False)
    app.state.token = token if token is not None else os.environ.get("FACTIONMAP_TOKEN") or None

    from factionmap.api.routes import router

    app.include_router(router)
    for mount in mounts:  # the pages live downstream (factionmap.web.app adds them)
        mount(app)
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(WorkBudgetExceeded, _over_budget)
    app.add_exception_handler(OperationalError, _over_budget)
    app.add_exception_handler(Exception, _unexpected)
    # Last added runs first: headers on everything (the 413 and the Host check's 400 too),
    # the body limit, the Host check, then the budget.
    app.add_middleware(BudgetMiddleware, seconds=budget_seconds)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(host, extra_hosts))
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    return app

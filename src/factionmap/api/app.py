"""The FastAPI application: JSON API under /api, web pages at /, one process.

Security defaults: a strict Content-Security-Policy (no inline script, nothing
from other origins), a request body limit, and writes only with the operator's
token (env FACTIONMAP_TOKEN); without a token every write is refused.
"""

from __future__ import annotations

import os

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


def create_app(
    db_url: str | None = None,
    *,
    engine: Engine | None = None,
    token: str | None = None,
    web: bool = True,
) -> FastAPI:
    """Build the app over a store URL (migrated via open_store) or a ready engine.

    ``token`` defaults to env FACTIONMAP_TOKEN; empty means writes are refused.
    """
    if engine is None:
        from factionmap.config import db_url_from_env
        from factionmap.store.db import open_store

        engine = open_store(db_url or db_url_from_env()).engine
    app = FastAPI(title="factionmap", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Evidence-backed map of armed factions: actors, ties, events.")
    app.state.sessions = sessionmaker(engine, expire_on_commit=False)
    app.state.token = token if token is not None else os.environ.get("FACTIONMAP_TOKEN") or None

    from factionmap.api.routes import router

    app.include_router(router)
    if web:
        from factionmap.web.routes import mount_web

        mount_web(app)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(BodyLimitMiddleware)
    return app

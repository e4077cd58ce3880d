"""FastAPI dependencies: one session per request, the operator's write token."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from factionmap.store.db import session_scope

_bearer = HTTPBearer(auto_error=False)


def get_session(request: Request) -> Iterator[Session]:
    """A session for this request: committed if the handler succeeds, else rolled back."""
    with session_scope(request.app.state.sessions) as session:
        yield session


def token_matches(request: Request, given: str | None) -> bool:
    """Constant-time check against the configured token; no token configured = no writes."""
    expected: str | None = request.app.state.token
    if not expected or not given:
        return False
    return secrets.compare_digest(given.encode(), expected.encode())


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    if not request.app.state.token:
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            "writes are disabled: the operator has not set FACTIONMAP_TOKEN")
    if credentials is None or not token_matches(request, credentials.credentials):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a valid bearer token is required",
                            headers={"WWW-Authenticate": "Bearer"})


SessionDep = Annotated[Session, Depends(get_session)]

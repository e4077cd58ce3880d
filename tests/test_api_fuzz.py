"""Schemathesis against our own OpenAPI schema: every endpoint, every parameter, generated
values inside and outside their types and ranges. No answer may be a 5xx, and every answer
must match the schema (status code, content type, body).

Bounded so the suite stays fast (``FUZZ_EXAMPLES`` per endpoint); the seed of the run is
printed on failure (see conftest.py)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from factionmap.api.app import CSP, create_app
from factionmap.store.models import Base
from factionmap.web.sample import build_sample_store

TOKEN = "fuzz-token"
FUZZ_EXAMPLES = 25


def _app():
    engine = create_engine(
        "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
    )
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        build_sample_store(session)
        session.commit()
    return create_app(engine=engine, token=TOKEN)


app = _app()
# the loader sends Host "testserver" unless told: the app serves loopback names only
schema = schemathesis.openapi.from_asgi("/openapi.json", app, headers={"Host": "localhost"})
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@schema.parametrize()
@settings(max_examples=FUZZ_EXAMPLES, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_every_endpoint_answers_inside_its_schema(case):
    # writes are fuzzed with the token, so they reach validation and the store
    response = case.call_and_validate(
        base_url="http://127.0.0.1:8000",
        headers={"Authorization": f"Bearer {TOKEN}"},
        checks=CHECKS,
    )
    assert response.headers.get("content-security-policy") == [CSP]  # every answer, errors too

"""Schemathesis against our own OpenAPI schema: every endpoint, every parameter, generated
values inside and outside their types and ranges. No answer may be a 5xx, and every answer
must match the schema (status code, content type, body). The web pages are not in the schema:
hypothesis drives them with the same kinds of values.

Bounded so the suite stays fast (``FUZZ_EXAMPLES`` per endpoint); the seed of the run is
printed on failure (see conftest.py)."""

from __future__ import annotations

import os
from urllib.parse import quote

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from factionmap.api.app import CSP
from factionmap.store.db import make_engine
from factionmap.store.models import Base
from factionmap.web.app import create_app
from factionmap.web.sample import build_sample_store

TOKEN = "fuzz-token"
# per endpoint in the suite; FACTIONMAP_FUZZ_EXAMPLES=N for a deeper run
FUZZ_EXAMPLES = int(os.environ.get("FACTIONMAP_FUZZ_EXAMPLES", "25"))


@pytest.fixture(scope="module")
def app(module_db_url):
    """The app on the sample store, once per backend (SQLite and the throwaway PostgreSQL
    server): PostgreSQL has answered 500 where SQLite did not."""
    engine = make_engine(module_db_url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        build_sample_store(session)
        session.commit()
    yield create_app(engine=engine, token=TOKEN)
    engine.dispose()


# The schema is the app's, whatever the store: it is read once from an app on an empty
# in-memory store, and each case is sent to the app of the backend under test. The loader sends
# Host "testserver" unless told: the app serves loopback names only.
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(engine=create_engine("sqlite://"), token=TOKEN),
    headers={"Host": "localhost"},
)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@schema.parametrize()
@settings(max_examples=FUZZ_EXAMPLES, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_every_endpoint_answers_inside_its_schema(app, case):
    # writes are fuzzed with the token, so they reach validation and the store
    response = case.call_and_validate(
        app=app,
        base_url="http://127.0.0.1:8000",
        headers={"Authorization": f"Bearer {TOKEN}"},
        checks=CHECKS,
    )
    assert response.headers.get("content-security-policy") == [CSP]  # every answer, errors too


# --- the web pages ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def web(app):
    return TestClient(app, base_url="http://127.0.0.1:8000", raise_server_exceptions=False)


numbers = st.integers(min_value=-(2**70), max_value=2**70).map(str)
words = st.text(max_size=120)
values = numbers | words | st.sampled_from(["\u00b2", "%", "_", "1e5", "0x10", " 7 ", ""])
page_paths = st.one_of(
    st.builds("/actors/{}".format, values),
    st.builds("/dyads/{}/{}".format, values, values),
    st.builds("/documents/{}".format, words),
    st.just("/search"), st.just("/"), st.just("/network"), st.just("/corrections"),
)
query = st.lists(st.tuples(st.sampled_from(["toward", "q", "start", "end", "limit", "x"]),
                           values), max_size=14)


def _served(response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:300])
    assert response.headers.get("content-security-policy") == CSP


@settings(max_examples=FUZZ_EXAMPLES * 4)
@given(path=page_paths, params=query)
def test_web_pages_never_answer_5xx(web, path, params):
    _served(web.get(quote(path, safe="/"), params=params))


form_fields = st.dictionaries(
    st.sampled_from(["action", "absorbed", "survivor", "actor", "names", "name", "fact",
                     "fact_id", "who", "why", "token"]),
    values, max_size=8,
)


@settings(max_examples=FUZZ_EXAMPLES * 2)
@given(fields=form_fields, with_token=st.booleans(),
       action=st.sampled_from(["merge", "split", "alias", "confirm", "reject", "x"]))
def test_the_corrections_form_never_answers_5xx(web, fields, with_token, action):
    data = {"action": action, **fields}
    if with_token:
        data["token"] = TOKEN
    _served(web.post("/corrections", data=data))

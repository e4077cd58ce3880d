"""Shared fixtures: the spaCy pipeline and the KB are loaded once per test session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from factionmap.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def kb():
    from factionmap.kb import default_kb

    return default_kb()


@pytest.fixture(scope="session")
def run(nlp, kb):
    """Extract one article from a sentence of our own (with an optional publication date)."""
    from factionmap.extract import extract_article
    from factionmap.records import Article

    def _run(text: str, date: dt.date | None = None):
        return extract_article(nlp(text), Article(id="t", text=text, date=date), kb)

    return _run


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


# --- stores of every backend the test machine offers -----------------------------------------
# SQLite always. PostgreSQL when a server is available to the tests: FACTIONMAP_TEST_POSTGRES_URL
# names one (a URL whose user may create databases); each test then gets a throwaway database.
POSTGRES_URL_ENV = "FACTIONMAP_TEST_POSTGRES_URL"


def _postgres_database(tmp_name: str):
    import os
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = os.environ.get(POSTGRES_URL_ENV)
    if not server:
        pytest.skip(f"no PostgreSQL server for the tests ({POSTGRES_URL_ENV} is not set)")
    name = f"fm_{tmp_name[:20].lower()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_store_url(request, tmp_path):
    """The URL of a new, empty store (nothing created yet) on each available backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    url, drop = _postgres_database(request.node.name)
    yield url
    drop()

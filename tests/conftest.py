"""Shared fixtures: the spaCy pipeline and the KB are loaded once per test session; store
tests run once on SQLite and once on a throwaway PostgreSQL server (``pgserver``)."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Iterator
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


# ---- stores: every test asking for ``db_url`` runs on SQLite and on PostgreSQL ----------

BACKENDS = ("sqlite", "postgresql")
_names = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    """One throwaway PostgreSQL server for the whole run (``make test`` installs Debian's
    package when missing). Missing on CI is a failure; elsewhere those tests skip."""
    from pgserver import TempPostgres, find_bindir

    bindir = find_bindir()
    if bindir is None:
        message = "PostgreSQL server binaries not found (apt-get install postgresql)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    server = TempPostgres(bindir).start()
    template = server.create_database("factionmap_template")
    from factionmap.store.db import open_store

    open_store(template).close()  # migrated once; each test copies it
    yield server
    server.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    return str(request.param)


def _new_database(request, backend: str, folder: Path, *, migrated: bool) -> str:
    name = f"fm{next(_names)}"
    if backend == "sqlite":
        return f"sqlite:///{folder / (name + '.db')}"
    server = request.getfixturevalue("pg_server")
    template = " TEMPLATE factionmap_template STRATEGY FILE_COPY" if migrated else ""
    server._admin(f'CREATE DATABASE "{name}"{template}')
    request.addfinalizer(lambda: server.drop_database(name))
    return str(server.url(name))


@pytest.fixture()
def db_url(request, backend, tmp_path) -> str:
    """A fresh store URL (already migrated on PostgreSQL, migrated by ``open_store`` on SQLite)."""
    return _new_database(request, backend, tmp_path, migrated=True)


@pytest.fixture()
def empty_db_url(request, backend, tmp_path) -> str:
    """A fresh, empty database: for migration tests."""
    return _new_database(request, backend, tmp_path, migrated=False)


@pytest.fixture(scope="module")
def module_db_url(request, backend, tmp_path_factory) -> str:
    """A store URL shared by one module's tests (one per backend)."""
    return _new_database(request, backend, tmp_path_factory.mktemp("store"), migrated=True)


@pytest.fixture()
def db_factory(request, backend, tmp_path):
    """Make further fresh store URLs in one test (e.g. a store rebuilt from scratch)."""
    return lambda: _new_database(request, backend, tmp_path, migrated=True)

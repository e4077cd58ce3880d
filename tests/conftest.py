"""Shared fixtures: the spaCy pipeline and the KB are loaded once per test session; store
tests run once on SQLite and once on a throwaway PostgreSQL server (``pgserver``)."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


# --- fuzzing: one seed per run, printed, so any failure can be replayed -----------------------
# The property tests (hypothesis, schemathesis) draw from one seed per run: given with
# --hypothesis-seed=N or FACTIONMAP_FUZZ_SEED=N, else a fresh one. It is printed in the header
# (pytest -v) and beside every failure of a property test, and at the end of a failing run.
FUZZ_SEED_ENV = "FACTIONMAP_FUZZ_SEED"


def pytest_configure(config: pytest.Config) -> None:
    from hypothesis import HealthCheck, core, settings

    settings.register_profile(
        "factionmap", deadline=None, database=None, print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    settings.load_profile("factionmap")
    given = config.getoption("hypothesis_seed", default=None) or os.environ.get(FUZZ_SEED_ENV)
    seed = int(given) if given is not None else random.SystemRandom().randrange(2**31)
    core.global_force_seed = seed
    config.stash[_SEED] = seed


_SEED = pytest.StashKey[int]()


def _seed_line(config: pytest.Config) -> str:
    seed = config.stash.get(_SEED, None)
    return f"fuzzing seed: {seed} (replay with --hypothesis-seed={seed} or {FUZZ_SEED_ENV}={seed})"


def pytest_report_header(config: pytest.Config) -> str:
    return _seed_line(config)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    outcome = yield
    report = outcome.get_result()
    if report.failed and item.get_closest_marker("hypothesis") is not None:
        report.sections.append(("fuzzing seed", _seed_line(item.config)))


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if terminalreporter.stats.get("failed"):
        terminalreporter.write_line(_seed_line(config))


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
    """Make further fresh store URLs in one test (e.g. a store rebuilt from scratch, or one
    per killed process); ``migrated=False`` gives an empty database."""
    return lambda migrated=True: _new_database(request, backend, tmp_path, migrated=migrated)

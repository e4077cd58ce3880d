"""Shared fixtures: the spaCy pipeline and the KB are loaded once per test session."""

from __future__ import annotations

import datetime as dt
import os
import random
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


# --- stores of every backend the test machine offers -----------------------------------------
# SQLite always. PostgreSQL when a server is available to the tests: FACTIONMAP_TEST_POSTGRES_URL
# names one (a URL whose user may create databases); each store is then a throwaway database.
POSTGRES_URL_ENV = "FACTIONMAP_TEST_POSTGRES_URL"


class StoreFactory:
    """Makes URLs of new, empty stores (nothing created in them yet) on one backend."""

    def __init__(self, backend: str, tmp_path: Path) -> None:
        self.backend = backend
        self._tmp = tmp_path
        self._made: list[str] = []
        self._admin = None
        if backend == "postgresql":
            server = os.environ.get(POSTGRES_URL_ENV)
            if not server:
                pytest.skip(f"no PostgreSQL server for the tests ({POSTGRES_URL_ENV} is not set)")
            from sqlalchemy import create_engine

            self._server = server
            self._admin = create_engine(server, isolation_level="AUTOCOMMIT")

    def __call__(self) -> str:
        n = len(self._made) + 1
        if self._admin is None:
            url = f"sqlite:///{self._tmp / f'store{n}.db'}"
        else:
            import uuid

            from sqlalchemy import text
            from sqlalchemy.engine import make_url

            name = f"fm_test_{uuid.uuid4().hex[:12]}"
            with self._admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            url = make_url(self._server).set(database=name).render_as_string(
                hide_password=False)
        self._made.append(url)
        return url

    def close(self) -> None:
        if self._admin is None:
            return
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        with self._admin.connect() as conn:
            for url in self._made:
                name = make_url(url).database
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_factory(request, tmp_path):
    """Call it for the URL of a new empty store; runs once per available backend."""
    factory = StoreFactory(request.param, tmp_path)
    yield factory
    factory.close()


@pytest.fixture()
def fresh_store_url(store_factory):
    """The URL of a new, empty store (nothing created yet) on each available backend."""
    return store_factory()

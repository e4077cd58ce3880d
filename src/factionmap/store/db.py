"""Open a store: engine, session scope, schema migrated to the newest revision.

The same code serves SQLite (default, a file in the working folder) and PostgreSQL: no
dialect-specific SQL beyond the SQLite connection set-up and the summary upserts.

Several processes may share a store. On SQLite, writers take the write lock when their
transaction begins (``BEGIN IMMEDIATE``, ``Store.write_session``) and a second writer waits
for it (busy timeout) instead of failing half-way; readers never wait (WAL).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from factionmap.config import DEFAULT_DB_URL


@contextmanager
def session_scope(factory: Callable[[], Session]) -> Iterator[Session]:
    """One transaction: commit on success, rollback on any error, close either way."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# How long a SQLite writer waits for another one to finish its transaction.
SQLITE_BUSY_SECONDS = 120.0
_WRITE_OPTION = "factionmap_write"


@dataclass
class Store:
    """An open store. ``session()`` is one transaction: commit on success, rollback on error.
    ``write_session()`` is one too, holding SQLite's write lock from its first statement."""

    engine: Engine
    _factory: sessionmaker[Session]
    _writer: sessionmaker[Session] | None = None

    def session(self) -> AbstractContextManager[Session]:
        return session_scope(self._factory)

    def write_session(self) -> AbstractContextManager[Session]:
        return session_scope(self._writer or self._factory)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=False)

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy, not the driver, begins transactions (below): savepoints then work, and
    # a writer can take the lock up front.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # SQLite leaves foreign keys off by default; cascades on delete depend on them.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers (web, CLI) do not block the ingester
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # A deferred transaction that reads and then writes cannot wait for another writer
    # (SQLite answers "database is locked" at once): writers lock when they begin.
    immediate = connection.get_execution_options().get(_WRITE_OPTION)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str = DEFAULT_DB_URL) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


def alembic_config() -> Config:
    """Alembic configuration pointing at the migrations shipped inside the package."""
    config = Config()
    location = resources.files("factionmap.store") / "migrations"
    config.set_main_option("script_location", str(location))
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (idempotent)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def open_store(url: str = DEFAULT_DB_URL, *, upgrade: bool = True) -> Store:
    """Connect to ``url`` and migrate its schema to the newest revision."""
    engine = make_engine(url)
    if upgrade:
        migrate(engine)
    writer = engine.execution_options(**{_WRITE_OPTION: True})
    return Store(
        engine=engine,
        _factory=sessionmaker(engine, expire_on_commit=False),
        _writer=sessionmaker(writer, expire_on_commit=False),
    )

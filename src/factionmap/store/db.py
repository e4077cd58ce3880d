"""Open a store: engine, session scope, schema migrated to the newest revision.

The same code serves SQLite (default, a file in the working folder) and PostgreSQL: no
dialect-specific SQL beyond the SQLite connection set-up, the summary upserts and the lock
taken around a migration.

Several processes may share a store. On SQLite, writers take the write lock when their
transaction begins (``BEGIN IMMEDIATE``, ``Store.write_session``) and a second writer waits
for it (busy timeout) instead of failing half-way; readers never wait (WAL).

Migrations are atomic: every revision of one upgrade runs in one transaction (SQLite and
PostgreSQL both have transactional DDL, and SQLAlchemy, not the sqlite3 driver, begins the
transactions), so a process killed at any moment of it leaves the store as it was before.
Concurrent first opens are serialised by a lock held for the whole upgrade (SQLite: the
write lock of ``BEGIN IMMEDIATE``; PostgreSQL: a transaction-scoped advisory lock); whoever
gets it second finds the schema current and does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from factionmap.config import DEFAULT_DB_URL


class StoreOpenError(RuntimeError):
    """A store that cannot be brought to the current schema (the message says why)."""


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


# How long a SQLite writer (an ingest, or a first open migrating the schema) waits for
# another one to finish its transaction.
SQLITE_BUSY_SECONDS = 120.0
_WRITE_OPTION = "factionmap_write"
# Any constant: the key of the PostgreSQL advisory lock that serialises migrations.
_PG_MIGRATION_LOCK = 0x666D6170  # "fmap"


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
    # SQLAlchemy, not the driver, begins transactions (below): savepoints then work, a
    # writer can take the lock up front, and CREATE TABLE stays inside the transaction
    # (the driver would commit before each one, leaving half a schema after a kill).
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


def _head(config: Config) -> str | None:
    return ScriptDirectory.from_config(config).get_current_head()


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _clear_unfinished_first_migration(connection: Connection) -> None:
    """Drop the empty tables a first migration of an older release left when it was killed.

    Before migrations were atomic on SQLite, a kill during the first open left some tables
    and no recorded revision, and every later open failed on "table ... already exists".
    Such tables hold no rows; anything else without a revision is refused, not touched.
    """
    from factionmap.store.models import Base

    if _current(connection) is not None:
        return
    present = set(inspect(connection).get_table_names())
    ours = [t for t in reversed(Base.metadata.sorted_tables) if t.name in present]
    if not ours:
        return
    for table in ours:
        if connection.execute(text(f'SELECT 1 FROM "{table.name}" LIMIT 1')).first():
            raise StoreOpenError(
                f"the store has table {table.name!r} with rows but no recorded schema "
                "revision: it was not made by factionmap, or its history was lost"
            )
    for table in ours:
        table.drop(connection)
    if "alembic_version" in present:
        connection.exec_driver_sql("DROP TABLE alembic_version")


def _lock_for_migration(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
    # SQLite: the writer's BEGIN IMMEDIATE (see make_engine) already holds the write lock.


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` in one transaction (idempotent, safe to race)."""
    config = alembic_config()
    if revision == "head":
        with engine.connect() as connection:
            if _current(connection) == _head(config):
                return  # the common case: no lock, no write
    with engine.execution_options(**{_WRITE_OPTION: True}).begin() as connection:
        _lock_for_migration(connection)
        _clear_unfinished_first_migration(connection)
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

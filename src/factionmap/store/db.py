"""Open a store: engine, session scope, schema migrated to the newest revision.

The same code serves SQLite (default, a file in the working folder) and
PostgreSQL: no dialect-specific SQL beyond the SQLite connect pragmas and the
lock taken around a migration.

Migrations are atomic: every revision of one upgrade runs in one transaction
(SQLite and PostgreSQL both have transactional DDL), so a process killed at any
moment of it leaves the store as it was before. Concurrent first opens are
serialised by a lock held for the whole upgrade (SQLite: ``BEGIN IMMEDIATE``;
PostgreSQL: a transaction-scoped advisory lock); whoever gets it second finds the
schema current and does nothing.
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

# How long a first open waits for another process's migration before giving up (seconds).
MIGRATION_LOCK_WAIT = 300.0
# Any constant: the key of the PostgreSQL advisory lock that serialises migrations.
_PG_MIGRATION_LOCK = 0x666D6170  # "fmap"


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


@dataclass
class Store:
    """An open store. ``session()`` is one transaction: commit on success, rollback on error."""

    engine: Engine
    _factory: sessionmaker[Session]

    def session(self) -> AbstractContextManager[Session]:
        return session_scope(self._factory)

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite leaves foreign keys off by default; cascades on delete depend on them.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers (web, CLI) do not block the ingester
    cursor.close()


def make_engine(url: str = DEFAULT_DB_URL) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _migration_engine(url: str) -> Engine:
    """An engine whose transactions really enclose DDL.

    Python's sqlite3 driver opens transactions only before INSERT/UPDATE/DELETE, so
    ``CREATE TABLE`` would commit one statement at a time and a kill would leave half a
    schema. Here the driver's own handling is off and each transaction starts with
    ``BEGIN IMMEDIATE``, which also takes the write lock up front: two first opens queue
    instead of both migrating.
    """
    if not url.startswith("sqlite"):
        return create_engine(url)
    engine = create_engine(url, connect_args={"timeout": MIGRATION_LOCK_WAIT})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        _sqlite_pragmas(dbapi_connection, record)
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

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
    # SQLite: BEGIN IMMEDIATE (see _migration_engine) already holds the write lock.


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` in one transaction (idempotent, safe to race)."""
    config = alembic_config()
    if revision == "head":
        with engine.connect() as connection:
            if _current(connection) == _head(config):
                return  # the common case: no lock, no write
    if engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"):
        migrator = engine  # a private in-memory database: nobody else can see it half-made
    else:
        migrator = _migration_engine(engine.url.render_as_string(hide_password=False))
    try:
        with migrator.begin() as connection:
            _lock_for_migration(connection)
            _clear_unfinished_first_migration(connection)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        if migrator is not engine:
            migrator.dispose()


def open_store(url: str = DEFAULT_DB_URL, *, upgrade: bool = True) -> Store:
    """Connect to ``url`` and migrate its schema to the newest revision."""
    engine = make_engine(url)
    if upgrade:
        migrate(engine)
    return Store(engine=engine, _factory=sessionmaker(engine, expire_on_commit=False))

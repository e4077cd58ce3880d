"""Open a store: engine, session scope, schema migrated to the newest revision.

The same code serves SQLite (default, a file in the working folder) and
PostgreSQL: no dialect-specific SQL beyond the SQLite connect pragmas.
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
    return Store(engine=engine, _factory=sessionmaker(engine, expire_on_commit=False))

"""Consistency checks that run on any store URL (SQLite or PostgreSQL): shared by the tests
that kill a process mid-write and then look at what it left."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, create_engine, select, text

from factionmap.store.db import alembic_config
from factionmap.store.models import Base

# Columns that differ between two runs of the same input by nature (wall-clock time).
_CLOCK_COLUMNS = frozenset({"ingested_at", "created_at"})


def integrity_problems(url: str) -> list[str]:
    """Everything wrong with the store's files and references; [] when sound.

    SQLite: ``PRAGMA integrity_check`` and ``PRAGMA foreign_key_check``. Every backend:
    each foreign key is checked by a query (PostgreSQL enforces them, SQLite only when the
    pragma was on for every writer), and the schema must equal the models at the head
    revision.
    """
    engine = create_engine(url)
    problems: list[str] = []
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                result = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
                if result != ["ok"]:
                    problems.extend(f"integrity_check: {r}" for r in result)
                problems.extend(
                    f"foreign_key_check: {tuple(r)}"
                    for r in conn.exec_driver_sql("PRAGMA foreign_key_check")
                )
            problems.extend(_orphans(conn))
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            head = _head()
            if ctx.get_current_revision() != head:
                problems.append(f"revision {ctx.get_current_revision()} is not head {head}")
            problems.extend(f"schema differs: {d}" for d in compare_metadata(ctx, Base.metadata))
    finally:
        engine.dispose()
    return problems


def _head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _orphans(conn: Connection) -> list[str]:
    found = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            child, parent = fk.parent, fk.column
            query = text(
                f'SELECT COUNT(*) FROM "{table.name}" c WHERE c."{child.name}" IS NOT NULL '
                f'AND NOT EXISTS (SELECT 1 FROM "{parent.table.name}" p '
                f'WHERE p."{parent.name}" = c."{child.name}")'
            )
            n = conn.execute(query).scalar()
            if n:
                found.append(f"{n} rows of {table.name}.{child.name} point at no {parent.table}")
    return found


def store_content(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, without wall-clock columns: two stores built from
    the same input must give equal content.

    On SQLite row ids are compared too (a rolled-back insert gives its id back). PostgreSQL
    sequences do not roll back, so there surrogate ids and the references made of them are
    left out of the comparison and the rest of each row is compared.
    """
    engine = create_engine(url)
    content: dict[str, list[tuple]] = {}
    try:
        with engine.connect() as conn:
            keep_ids = conn.dialect.name == "sqlite"
            for table in Base.metadata.sorted_tables:
                columns = [c for c in table.columns if c.name not in _CLOCK_COLUMNS
                           and (keep_ids or not _surrogate(c))]
                rows = conn.execute(select(*columns)).all()
                content[table.name] = sorted((tuple(r) for r in rows), key=repr)
    finally:
        engine.dispose()
    return content


def _surrogate(column) -> bool:
    """An integer id made by a sequence, or a reference to one."""
    from sqlalchemy import Integer

    if not isinstance(column.type, Integer):
        return False
    return (column.primary_key and column.name == "id") or any(
        fk.column.name == "id" and isinstance(fk.column.type, Integer)
        for fk in column.foreign_keys
    ) or column.name.endswith("actor_id") or column.name == "partner_id"


def documents_with_rows(url: str) -> dict[str, tuple[int, int, int, int]]:
    """Per stored document: how many sentences, mentions, relations and events it has."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            counts = {}
            for (doc_id,) in conn.execute(text("SELECT id FROM documents")):
                counts[doc_id] = tuple(
                    conn.execute(
                        text(f"SELECT COUNT(*) FROM {t} WHERE document_id = :d"), {"d": doc_id}
                    ).scalar()
                    for t in ("sentences", "mentions", "relations", "events")
                )
            return counts
    finally:
        engine.dispose()

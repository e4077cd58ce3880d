"""Opening a store: migrations are atomic, a kill at any moment of the first open leaves a
store the next open opens, and concurrent first opens are safe. Runs on every backend the
``empty_db_url`` fixture offers (SQLite and the throwaway PostgreSQL server)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time

import pytest
from sqlalchemy import create_engine, text

from factionmap.store.db import StoreOpenError, open_store
from factionmap.store.models import Base
from store_checks import integrity_problems

# A child process that opens a store and SIGKILLs itself right after its Nth write statement
# (CREATE, INSERT, ...): a kill at a chosen moment of the migration. It prints how many write
# statements it ran when it is not killed.
_OPEN_AND_DIE = textwrap.dedent(
    """
    import os, signal, sys
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    url, die_after = sys.argv[1], int(sys.argv[2])
    seen = 0
    WRITES = ("CREATE", "INSERT", "ALTER", "UPDATE", "DELETE", "DROP")

    @event.listens_for(Engine, "after_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        global seen
        if statement.lstrip().upper().startswith(WRITES):
            seen += 1
            if seen == die_after:
                os.kill(os.getpid(), signal.SIGKILL)

    from factionmap.store.db import open_store
    open_store(url).close()
    print(seen)
    """
)


def _open_in_child(url: str, die_after: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _OPEN_AND_DIE, url, str(die_after)],
        capture_output=True, text=True, timeout=120,
    )


def test_a_kill_at_any_moment_of_the_first_open_leaves_a_store_that_opens(empty_db_url):
    # Count the write statements of a whole first migration on a throwaway store, then kill a
    # first open after the first, a quarter, half, three quarters and the last of them.
    probe = _open_in_child(empty_db_url, 10**9)
    assert probe.returncode == 0, probe.stderr
    total = int(probe.stdout.split()[-1])
    assert total > 40  # tables, indexes, the revision row
    _drop_everything(empty_db_url)
    for die_after in sorted({1, total // 4, total // 2, 3 * total // 4, total}):
        killed = _open_in_child(empty_db_url, die_after)
        assert killed.returncode == -signal.SIGKILL, (die_after, killed.stderr)
        store = open_store(empty_db_url)  # the next command opens it
        store.close()
        assert integrity_problems(empty_db_url) == [], die_after
        _drop_everything(empty_db_url)


def test_concurrent_first_opens_all_succeed(empty_db_url):
    script = (
        "import sys, time; from factionmap.store.db import open_store;"
        "time.sleep(max(0.0, float(sys.argv[2]) - time.time()));"
        "open_store(sys.argv[1]).close()"
    )
    start_at = time.time() + 2.0  # every child is past its imports by then
    children = [
        subprocess.Popen([sys.executable, "-c", script, empty_db_url, str(start_at)],
                         stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    results = [(c.wait(timeout=180), c.stderr.read() if c.stderr else "") for c in children]
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    assert integrity_problems(empty_db_url) == []


def test_tables_left_by_an_older_killed_first_open_are_cleared(empty_db_url):
    # What a kill during a non-atomic first migration left: some empty tables, an empty
    # alembic_version table.
    engine = create_engine(empty_db_url)
    with engine.begin() as conn:
        Base.metadata.tables["actors"].create(conn)
        Base.metadata.tables["documents"].create(conn)
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
    engine.dispose()
    open_store(empty_db_url).close()
    assert integrity_problems(empty_db_url) == []


def test_tables_with_rows_and_no_revision_are_refused_not_dropped(empty_db_url):
    engine = create_engine(empty_db_url)
    with engine.begin() as conn:
        Base.metadata.tables["corrections"].create(conn)
        conn.execute(text(
            "INSERT INTO corrections (id, action, payload, who, created_at) "
            "VALUES (1, 'alias', '{}', 'someone', '2026-01-01 00:00:00')"
        ))
    with pytest.raises(StoreOpenError, match="corrections"):
        open_store(empty_db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM corrections")).scalar() == 1
    engine.dispose()


def _drop_everything(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()

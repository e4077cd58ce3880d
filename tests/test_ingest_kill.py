"""Crash consistency: an ingest killed with SIGKILL in the middle of a batch (inside the
writer's transaction, in an article's savepoint) leaves a sound store -- integrity and foreign
keys check out, no document is stored without its facts -- and running the same input again
ends exactly where an uninterrupted run ends. Runs on SQLite and on the throwaway PostgreSQL
server (``db_factory``)."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import textwrap

from rich.console import Console
from sqlalchemy import event

from factionmap.ingest import ingest_paths
from factionmap.store.db import open_store
from store_checks import documents_with_rows, integrity_problems, store_content

# Our own short reports: each names actors, a tie and an event, so every article writes
# documents, sentences, mentions, relations, events, happenings and summary rows.
_PLACES = ["Baghdad", "Basra", "Erbil", "Mosul", "Kirkuk", "Najaf", "Tikrit", "Samarra"]
_PAIRS = [
    ("Kataib Hezbollah", "attacked", "a base hosting United States troops"),
    ("The United States", "struck", "a Kataib Hezbollah depot"),
    ("Hadi al-Amiri", "met", "the Iraqi prime minister"),
    ("Asaib Ahl al-Haq", "threatened", "the United States"),
    ("The Badr Organization", "criticised", "Kataib Hezbollah"),
    ("Harakat al-Nujaba", "praised", "the attack on the coalition"),
    ("Qais Khazali", "accused", "the government of Iraq"),
    ("The Popular Mobilization Forces", "denied", "any part in the attack"),
]


def _write_corpus(folder) -> None:
    folder.mkdir()
    for i, (place, (who, verb, whom)) in enumerate(zip(_PLACES, _PAIRS, strict=True)):
        day = 3 + i
        text = (f"{place}, {day} March 2021. {who} {verb} {whom} on Tuesday, officials said. "
                f"Hadi al-Amiri, who leads the Badr Organization, said the talks in {place} "
                "would go on.")
        (folder / f"{i:02d}-{place.lower()}.txt").write_text(text, encoding="utf-8")


# A child that ingests the folder and SIGKILLs itself right after its Nth INSERT (so inside
# the writer's transaction); it prints how many INSERTs it ran when it is not killed.
_INGEST_AND_DIE = textwrap.dedent(
    """
    import io, os, signal, sys
    from rich.console import Console
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from factionmap.ingest import ingest_paths
    from factionmap.store.db import open_store

    url, folder, die_after = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = open_store(url)  # migrated first: the kill lands in the ingest
    seen = 0

    @event.listens_for(Engine, "after_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        global seen
        if statement.lstrip().upper().startswith("INSERT"):
            seen += 1
            if seen == die_after:
                os.kill(os.getpid(), signal.SIGKILL)

    ingest_paths([folder], store, progress=False, console=Console(file=io.StringIO()))
    store.close()
    print(seen)
    """
)


def _quiet() -> Console:
    return Console(file=io.StringIO())


def _ingest(url: str, folder) -> None:
    store = open_store(url)
    summary = ingest_paths([folder], store, progress=False, console=_quiet())
    store.close()
    assert summary.failed == 0, summary.errors


def test_a_kill_mid_batch_leaves_a_sound_store_and_a_rerun_ends_identical(
    nlp, tmp_path, db_factory
):
    folder = tmp_path / "articles"
    _write_corpus(folder)
    reference = db_factory()
    store = open_store(reference)
    inserts = 0

    def count(conn, cursor, statement, *args):
        nonlocal inserts
        inserts += statement.lstrip().upper().startswith("INSERT")

    event.listen(store.engine, "after_cursor_execute", count)
    summary = ingest_paths([folder], store, progress=False, console=_quiet())
    store.close()
    assert (summary.ingested, summary.failed) == (len(_PAIRS), 0), summary.errors
    expected_rows = documents_with_rows(reference)
    expected = store_content(reference)
    assert all(rows[0] and rows[2] + rows[3] for rows in expected_rows.values())

    # early (inside the first article) and half way through the batch (inside an article)
    for die_after in (3, inserts // 2):
        url = db_factory()
        killed = subprocess.run(
            [sys.executable, "-c", _INGEST_AND_DIE, url, str(folder), str(die_after)],
            capture_output=True, text=True, timeout=300,
        )
        assert killed.returncode == -signal.SIGKILL, (die_after, killed.stderr[-2000:])
        assert integrity_problems(url) == [], die_after
        survived = documents_with_rows(url)
        assert len(survived) < len(expected_rows), die_after  # the kill cut the batch short
        for doc_id, rows in survived.items():  # no document without all of its facts
            assert rows == expected_rows[doc_id], (die_after, doc_id)
        _ingest(url, folder)  # the same command again
        assert integrity_problems(url) == []
        assert store_content(url) == expected, die_after

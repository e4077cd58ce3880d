"""Several processes on one store: overlapping ingests, a waiting writer, readers meanwhile."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factionmap.store.db import open_store
from factionmap.store.models import Actor, Document, EventFact, Mention, RelationFact
from test_store_helpers import amiri_article, write_corpus

FACTIONMAP = Path(sys.executable).parent / "factionmap"


def _counts(store) -> dict[str, int]:
    with store.session() as session:
        return {m.__name__: session.scalar(select(func.count()).select_from(m)) or 0
                for m in (Document, Mention, RelationFact, EventFact)}


def _actors(store) -> list[tuple[str, str, str | None, str | None]]:
    with store.session() as session:
        rows = session.execute(select(Actor.name, Actor.kind, Actor.kb_id, Actor.discovery_key))
        return sorted(tuple(r) for r in rows)  # type: ignore[misc]


def test_two_ingests_with_overlapping_input(nlp, tmp_path, db_url, db_factory):
    first, second, both = tmp_path / "first", tmp_path / "second", tmp_path / "both"
    write_corpus(first, range(0, 9))
    write_corpus(second, range(4, 13))  # articles 4-8 go to both processes
    write_corpus(both, range(0, 13))
    open_store(db_url).close()  # created before both start (first opens are another matter)
    # one article per transaction, so the two writers interleave as much as they can
    runs = [subprocess.Popen([str(FACTIONMAP), "--db", db_url, "ingest", "-j", "1", "--batch",
                              "1", "--no-progress", str(folder)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for folder in (first, second)]
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    ingested = [int(out.strip().splitlines()[-1].split()[0]) for out in outputs]
    assert sum(ingested) == 13, outputs  # each article stored by exactly one of them

    shared = open_store(db_url)
    alone = open_store(db_factory())
    try:
        from factionmap.ingest import ingest_paths

        assert ingest_paths([both], alone, progress=False, n_process=1).ingested == 13
        assert _counts(shared) == _counts(alone)  # every document once, with its facts once
        actors = _actors(shared)
        named = [(name, kind) for name, kind, _, key in actors
                 if not (key or "").startswith("local:")]  # not one document's "the group"
        assert len(set(named)) == len(named)  # no actor twice
        assert actors == _actors(alone)
    finally:
        shared.close()
        alone.close()


def test_a_second_sqlite_writer_waits_and_readers_read(tmp_path):
    from factionmap.store.actors import ActorResolver
    from factionmap.store.ingest import BatchWriter
    from factionmap.web.app import create_app

    url = f"sqlite:///{tmp_path / 'busy.db'}"
    store = open_store(url)
    holding = threading.Event()
    releasing: list[float] = []

    def hold_the_write_lock() -> None:
        other = open_store(url)  # another connection, as another process would have
        with other.write_session() as session:
            session.add(Document(id="held", text="x"))
            session.flush()
            holding.set()
            time.sleep(1.5)
            releasing.append(time.monotonic())
        other.close()

    thread = threading.Thread(target=hold_the_write_lock)
    thread.start()
    assert holding.wait(10)
    with store.session() as session:  # a reader does not wait for the writer
        assert session.scalar(select(func.count()).select_from(Document)) == 0
    # a Host header the app serves (TestClient sends "testserver" unless told)
    client = TestClient(create_app(engine=store.engine, token="t"), base_url="http://127.0.0.1")
    assert client.get("/api/actors").status_code == 200  # nor does the web app
    writer = BatchWriter(store, ActorResolver())
    writer.add(amiri_article())
    written = writer.flush()  # waits for the other transaction instead of failing
    finished = time.monotonic()
    thread.join()
    assert [w.outcome for w in written] == ["ingested"], [w.error for w in written]
    assert releasing and finished > releasing[0]
    with store.session() as session:
        assert set(session.scalars(select(Document.id))) == {"held", amiri_article().article.id}
    store.close()

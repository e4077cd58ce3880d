"""The ingest orchestrator and the `ingest` command, on small articles written for the test."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from factionmap.cli.main import app
from factionmap.store.db import open_store
from factionmap.store.models import Document

FIRST = (
    "Baghdad, 3 March 2021. Hadi al-Amiri, who leads the Badr Organization, met the prime "
    "minister on Tuesday. Amiri said the Popular Mobilization Units would stay in Anbar."
)
SECOND = (
    "Erbil, 9 March 2021. Kataib Hezbollah accused the United States of an attack near the "
    "border. The PMU denied that its fighters were involved."
)


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "first.txt").write_text(FIRST, encoding="utf-8")
    (folder / "second.txt").write_text(SECOND, encoding="utf-8")
    return folder


def _documents(store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(Document))


def test_bad_path_is_reported_and_batch_goes_on(nlp, corpus, db_url, tmp_path):
    from factionmap.ingest import ingest_paths

    store = open_store(db_url)
    missing = tmp_path / "no-such-file.txt"
    summary = ingest_paths([corpus, missing], store, progress=False)
    assert (summary.ingested, summary.failed) == (2, 1)
    assert "no-such-file.txt" in summary.errors[0]
    again = ingest_paths([corpus], store, progress=False)
    assert (again.ingested, again.duplicates, again.failed) == (0, 2, 0)
    assert _documents(store) == 2
    store.close()


def test_storing_failure_rolls_back_that_article_only(nlp, corpus, db_url, monkeypatch):
    import factionmap.store.ingest as store_ingest
    from factionmap.ingest import ingest_paths

    real = store_ingest.ingest_extraction

    def flaky(session, extraction, resolver, **options):
        outcome = real(session, extraction, resolver, **options)  # write everything, then fail
        if "Erbil" in extraction.article.text:
            raise RuntimeError("disk full")
        return outcome

    monkeypatch.setattr(store_ingest, "ingest_extraction", flaky)
    store = open_store(db_url)
    summary = ingest_paths([corpus], store, progress=False)
    assert (summary.ingested, summary.failed) == (1, 1)
    assert "second.txt" in summary.errors[0] and "disk full" in summary.errors[0]
    assert _documents(store) == 1
    store.close()


def test_ingest_command_summary_and_exit_code(nlp, corpus, db_url, tmp_path):
    url = db_url
    runner = CliRunner()
    ok = runner.invoke(app, ["--db", url, "ingest", "--no-progress", str(corpus)])
    assert ok.exit_code == 0, ok.output
    assert "2 ingested, 0 duplicates skipped, 0 failed" in ok.output
    bad = runner.invoke(
        app, ["--db", url, "ingest", "--no-progress", str(corpus), str(tmp_path / "gone.txt")]
    )
    assert bad.exit_code == 1
    assert "0 ingested, 2 duplicates skipped, 1 failed" in bad.output
    assert "gone.txt" in bad.output

"""The ingest orchestrator on hostile input: every bad item is one plain line printed as it
happens, and the good articles beside it are stored."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from typer.testing import CliRunner

from factionmap.cli.main import app
from factionmap.store.db import open_store
from factionmap.store.models import Document

FIRST = "Baghdad, 3 March 2021. Hadi al-Amiri, who leads the Badr Organization, met the minister."
SECOND = "Erbil, 9 March 2021. Kataib Hezbollah accused the United States of an attack."
THIRD = "Basra, 12 March 2021. The Popular Mobilization Units said their convoy was safe."


def _console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=100, force_terminal=False), buffer


def _documents(store) -> list[tuple[str | None, str | None]]:
    with store.session() as session:
        return list(session.execute(select(Document.path, Document.encoding)
                                    .order_by(Document.path)).all())


def test_markup_emoji_and_newlines_in_names_print_as_written(nlp, tmp_path):
    (tmp_path / "in [").mkdir()
    odd = tmp_path / "in [" / "x] two\nlines.txt"  # prints as ".../in [/x] two\nlines.txt"
    odd.write_text("", encoding="utf-8")
    rows = tmp_path / "row100.jsonl"
    rows.write_text("\n".join([json.dumps({"text": FIRST})] + ["{}"] * 98 + ["{oops"]),
                    encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(SECOND, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'm.db'}"
    result = CliRunner().invoke(app, ["--db", url, "ingest", "--no-progress", str(tmp_path)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert any(line.endswith("in [/x] two\\nlines.txt: empty") for line in lines), lines
    assert sum("row100.jsonl:100: malformed JSON" in line for line in lines) == 1
    assert "2 ingested, 0 duplicates skipped, 100 failed" in result.output
    store = open_store(url)
    assert len(_documents(store)) == 2
    store.close()


def test_errors_are_printed_before_the_batch_ends(nlp, tmp_path, monkeypatch):
    import factionmap.store.ingest as store_ingest
    from factionmap.ingest import ingest_paths

    (tmp_path / "a_bad.jsonl").write_text('{"text": 1}\n', encoding="utf-8")
    (tmp_path / "b_good.txt").write_text(FIRST, encoding="utf-8")
    console, buffer = _console()
    seen_when_storing: list[str] = []
    real = store_ingest.ingest_extraction

    def spy(session, extraction, resolver, **options):
        seen_when_storing.append(buffer.getvalue())
        return real(session, extraction, resolver, **options)

    monkeypatch.setattr(store_ingest, "ingest_extraction", spy)
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    summary = ingest_paths([tmp_path], store, progress=False, console=console)
    store.close()
    assert summary.ingested == 1
    assert "a_bad.jsonl:1: row has no text" in seen_when_storing[0]


def test_a_store_error_is_one_short_line_without_sql(nlp, tmp_path, monkeypatch):
    import factionmap.store.ingest as store_ingest
    from factionmap.ingest import ingest_paths

    # not a clash with another writer (which the writer retries): this article's own fault
    def fail(session, extraction, resolver, **options):
        raise IntegrityError("INSERT INTO documents (id, path, title, url, source, published)\n"
                             "VALUES (?, ?, ?, ?, ?, ?)\n" * 10, ("x",) * 6,
                             Exception("NOT NULL constraint failed: documents.text"))

    monkeypatch.setattr(store_ingest, "ingest_extraction", fail)
    (tmp_path / "one.txt").write_text(FIRST, encoding="utf-8")
    console, buffer = _console()
    store = open_store(f"sqlite:///{tmp_path / 'e.db'}")
    summary = ingest_paths([tmp_path / "one.txt"], store, progress=False, console=console)
    store.close()
    [line] = buffer.getvalue().splitlines()
    assert line.endswith("one.txt: could not store: Exception: NOT NULL constraint failed: "
                         "documents.text")
    assert "INSERT" not in line and summary.failed == 1


def test_an_unreadable_file_named_on_the_command_line_is_one_error(nlp, tmp_path, monkeypatch):
    good = tmp_path / "good.txt"
    good.write_text(FIRST, encoding="utf-8")
    locked = tmp_path / "locked.txt"
    locked.write_text(SECOND, encoding="utf-8")
    locked.chmod(0)
    if os.geteuid() == 0:
        # root reads any file: make the permission check and the read fail as for a user
        real_access, real_read = os.access, Path.read_bytes

        def access(path, mode, *args, **kwargs):
            return False if Path(path) == locked else real_access(path, mode, *args, **kwargs)

        def read_bytes(self):
            if self == locked:
                raise PermissionError(13, "Permission denied", str(self))
            return real_read(self)

        monkeypatch.setattr(os, "access", access)
        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    url = f"sqlite:///{tmp_path / 'u.db'}"
    result = CliRunner().invoke(app, ["--db", url, "ingest", "--no-progress", str(good),
                                      str(locked)])
    locked.chmod(0o644)
    assert result.exit_code == 1, result.output
    assert "Usage" not in result.output
    assert "locked.txt: cannot read file (Permission denied)" in result.output
    assert "1 ingested, 0 duplicates skipped, 1 failed" in result.output


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "May"])
def test_articles_with_impossible_dates_are_stored(nlp, tmp_path, date):
    from factionmap.ingest import ingest_paths

    path = tmp_path / "dates.jsonl"
    path.write_text(json.dumps({"text": FIRST + " Fighters reached the town yesterday.",
                                "date": date}), encoding="utf-8")
    console, buffer = _console()
    store = open_store(f"sqlite:///{tmp_path / 'd.db'}")
    summary = ingest_paths([path], store, progress=False, console=console)
    with store.session() as session:
        published, inferred = session.execute(
            select(Document.published, Document.date_inferred)).one()
    store.close()
    assert (summary.ingested, summary.failed) == (1, 0), summary.errors
    assert "warning: " in buffer.getvalue() and "dates.jsonl:1:" in buffer.getvalue()
    assert published is None or inferred


def test_the_encoding_is_recorded_on_the_document(nlp, tmp_path):
    from factionmap.ingest import ingest_paths

    (tmp_path / "a.txt").write_bytes("Le comité de Bagdad a réuni les délégués à Bassora."
                                     .encode("cp1252"))
    (tmp_path / "b.txt").write_text(THIRD, encoding="utf-8")
    console, buffer = _console()
    store = open_store(f"sqlite:///{tmp_path / 'enc.db'}")
    summary = ingest_paths([tmp_path], store, progress=False, console=console)
    encodings = [e for _, e in _documents(store)]
    store.close()
    assert summary.ingested == 2 and encodings == ["cp1252", "utf-8"]
    assert "a.txt: not UTF-8: decoded as cp1252 (detected)" in buffer.getvalue()


# in worker processes the warning is found where the text is parsed and printed by the writer
@pytest.mark.parametrize("n_process", [1, 2])
def test_a_run_without_sentence_break_is_split_with_a_warning(nlp, tmp_path, n_process):
    from factionmap.ingest import ingest_paths
    from factionmap.nlp.components import MAX_SENTENCE_TOKENS

    phrase = "fighters of Kataib Hezbollah moved north of Baghdad and "
    run = phrase * (3 * MAX_SENTENCE_TOKENS // len(phrase.split()))  # about 3 caps long
    (tmp_path / "long.txt").write_text(run, encoding="utf-8")
    (tmp_path / "short.txt").write_text(THIRD, encoding="utf-8")
    console, buffer = _console()
    store = open_store(f"sqlite:///{tmp_path / 'p.db'}")
    summary = ingest_paths([tmp_path], store, progress=False, console=console,
                           n_process=n_process)
    store.close()
    assert (summary.ingested, summary.failed) == (2, 0), summary.errors
    assert "long.txt: text without a sentence break for over" in buffer.getvalue()
    assert "split 2 times" in buffer.getvalue()


def test_sentence_cap_splits_only_overlong_runs(nlp):
    from factionmap.nlp.components import FORCED_BREAKS, MAX_SENTENCE_TOKENS

    normal = nlp("The talks ended. " * 50)
    assert FORCED_BREAKS not in normal.user_data
    doc = nlp("word " * (MAX_SENTENCE_TOKENS * 2 + 10))
    assert doc.user_data[FORCED_BREAKS] == 2
    assert max(len(s) for s in doc.sents) <= MAX_SENTENCE_TOKENS

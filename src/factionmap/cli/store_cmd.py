"""factionmap commands that write the store: ingest, remove."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from factionmap.config import DEFAULT_MODEL
from factionmap.records import one_line

err = Console(stderr=True)


def error_line(message: str) -> None:
    """One plain error line on stderr: markup and emoji codes in the message are shown as
    written."""
    err.print(Text.assemble(("error: ", "red"), one_line(message)), soft_wrap=True)


def open_cli_store(upgrade: bool = True):  # type: ignore[no-untyped-def]
    """Open the ``--db`` store, turning driver/URL problems into one clear error."""
    from factionmap.cli.state import state
    from factionmap.ingest import reason
    from factionmap.store.db import open_store

    try:
        return open_store(state.db_url, upgrade=upgrade)
    except ModuleNotFoundError as exc:
        error_line(f"cannot open {state.db_url}: missing database driver {exc.name!r}")
    except Exception as exc:
        error_line(f"cannot open store {state.db_url}: {reason(exc)}")
    raise typer.Exit(2)


def ingest(
    # readable=False: a file that cannot be read is one error line of the batch, not a
    # refusal of the whole command
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders of articles.", readable=False)
    ],
    model: Annotated[str, typer.Option(help="Installed spaCy model package.")] = DEFAULT_MODEL,
    n_process: Annotated[
        int, typer.Option("--n-process", "-j", min=1, help="Parser processes.")
    ] = 1,
    progress: Annotated[bool, typer.Option("--progress/--no-progress")] = True,
) -> None:
    """Read, extract and store articles (already stored articles are skipped)."""
    from factionmap.ingest import ingest_paths

    store = open_cli_store()
    try:
        summary = ingest_paths(paths, store, model=model, n_process=n_process, progress=progress)
    finally:
        store.close()
    typer.echo(summary.line())  # the error and warning lines were printed as they happened
    if summary.failed:
        raise typer.Exit(1)


def remove(doc_id: Annotated[str, typer.Argument(help="Document id to remove.")]) -> None:
    """Remove one document and exactly the facts drawn from it."""
    from factionmap.store.ingest import DocumentNotFound, remove_document

    store = open_cli_store()
    try:
        with store.session() as session:
            remove_document(session, doc_id)
    except DocumentNotFound as exc:
        error_line(str(exc))
        raise typer.Exit(1) from None
    finally:
        store.close()
    typer.echo(f"removed document {doc_id}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("ingest")(ingest)
    app.command("remove")(remove)

"""factionmap commands that write the store: ingest, remove."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from factionmap.config import DEFAULT_MODEL
from factionmap.records import exception_line, one_line

err = Console(stderr=True)


def error_line(message: str) -> None:
    """One plain error line on stderr: markup and emoji codes in the message are shown as
    written."""
    err.print(Text.assemble(("error: ", "red"), one_line(message)), soft_wrap=True)


def open_cli_store(upgrade: bool = True):  # type: ignore[no-untyped-def]
    """Open the ``--db`` store, turning driver/URL problems into one clear error."""
    from factionmap.cli.state import state
    from factionmap.store.db import open_store

    try:
        return open_store(state.db_url, upgrade=upgrade)
    except ModuleNotFoundError as exc:
        error_line(f"cannot open {state.db_url}: missing database driver {exc.name!r}")
    except Exception as exc:
        error_line(f"cannot open store {state.db_url}: {exception_line(exc)}")
    raise typer.Exit(2)


def ingest(
    # readable=False: a file that cannot be read is one error line of the batch, not a
    # refusal of the whole command
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders of articles.", readable=False)
    ],
    model: Annotated[str, typer.Option(help="Installed spaCy model package.")] = DEFAULT_MODEL,
    n_process: Annotated[
        int | None,
        typer.Option("--n-process", "-j", min=1,
                     help="Extraction processes (default: one per core; with --ray local, "
                          "Ray workers)."),
    ] = None,
    ray: Annotated[
        str | None,
        typer.Option("--ray", metavar="ADDRESS",
                     help="Extract as Ray tasks: 'local' starts Ray on this machine, 'auto' "
                          "joins the cluster this machine is in, or a head node's address "
                          "(ray://HOST:10001)."),
    ] = None,
    batch: Annotated[
        int, typer.Option(min=1, help="Articles written per transaction.")
    ] = 32,
    progress: Annotated[bool, typer.Option("--progress/--no-progress")] = True,
) -> None:
    """Read, extract and store articles (already stored articles are skipped)."""
    from factionmap.ingest import default_processes, ingest_paths

    store = open_cli_store()
    processes = n_process or default_processes()
    try:
        summary = ingest_paths(paths, store, model=model, n_process=processes,
                               progress=progress, ray_address=ray, batch=batch)
    except ModuleNotFoundError as exc:
        error_line(f"--ray needs the {exc.name!r} package (pip install ray)")
        raise typer.Exit(2) from None
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

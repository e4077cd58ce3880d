"""factionmap watch: keep the store current from RSS/Atom feeds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from factionmap.config import DEFAULT_MODEL

err = Console(stderr=True)


def _log(message: str) -> None:
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    style = "red" if message.startswith("error:") else (
        "yellow" if message.startswith("warning:") else "")
    err.print(Text.assemble((stamp + " ", "dim"), (message, style)), soft_wrap=True)


def watch(
    feeds: Annotated[list[str], typer.Argument(help="RSS or Atom feed addresses.",
                                               metavar="FEED_URL...")],
    every: Annotated[str, typer.Option(help="Time between polls: 30s, 15m, 1h.")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Poll once and stop.")] = False,
    state: Annotated[Path, typer.Option(
        help="Where what was seen is remembered between polls and runs.")] = Path(
        "factionmap-watch.json"),
    model: Annotated[str, typer.Option(help="Installed spaCy model package.")] = DEFAULT_MODEL,
) -> None:
    """Poll feeds (conditional GET), fetch each new article's page and ingest it."""
    from factionmap.cli.store_cmd import error_line, open_cli_store
    from factionmap.watch import Watcher, WatchState, check_feed_url, parse_every, run, store_ingest

    try:
        seconds = parse_every(every)
        for url in feeds:
            check_feed_url(url)
        remembered = WatchState.load(state)
    except ValueError as exc:
        error_line(str(exc))
        raise typer.Exit(2) from None
    store = open_cli_store()
    watcher = Watcher(remembered, store_ingest(store, model=model, log=_log), _log)
    _log(f"watching {len(feeds)} feeds" + ("" if once else f", every {every}")
         + f"; state in {state}")
    try:
        run(watcher, list(feeds), every=seconds, once=once)
    except KeyboardInterrupt:
        _log("stopped")
    finally:
        watcher.client.close()
        store.close()


def register(app: typer.Typer) -> None:
    app.command("watch")(watch)

"""The ``factionmap`` command: one Typer app; each area registers its own commands."""

from __future__ import annotations

import typer

from factionmap.cli.state import state

app = typer.Typer(
    name="factionmap",
    help="Turn news articles into an evidence-backed map of armed factions.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def main(
    db: str = typer.Option(
        None, "--db", help="Store URL (default: sqlite:///factionmap.db in this folder)."
    ),
) -> None:
    if db:
        state.db_url = db


def _register() -> None:
    from factionmap.cli import (
        evaluate_cmd,
        extract_cmd,
        gold_cmd,
        kb_cmd,
        query_cmd,
        serve_cmd,
        store_cmd,
        train_cmd,
        watch_cmd,
    )

    store_cmd.register(app)
    watch_cmd.register(app)
    query_cmd.register(app)
    extract_cmd.register(app)
    train_cmd.register(app)
    app.add_typer(evaluate_cmd.app, name="evaluate", help="Score extraction against gold data.")
    app.add_typer(kb_cmd.app, name="kb", help="The actor knowledge base.")
    serve_cmd.register(app)
    gold_cmd.register(app)


_register()

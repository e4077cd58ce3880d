"""factionmap evaluate: scorers for the gold sets, each printing figures and optional JSON."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True)


def _register() -> None:
    from factionmap.cli import evaluate_events_cmd, evaluate_newsgold_cmd, evaluate_re3d_cmd

    evaluate_re3d_cmd.register(app)
    evaluate_events_cmd.register(app)
    evaluate_newsgold_cmd.register(app)


_register()

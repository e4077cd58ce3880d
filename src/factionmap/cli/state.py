"""Options of the root command that every subcommand reads (set once per invocation)."""

from __future__ import annotations

from factionmap.config import db_url_from_env


class State:
    db_url: str = db_url_from_env()


state = State()

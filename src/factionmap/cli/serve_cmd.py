"""factionmap commands: serve (the web app and the REST API in one process)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""

    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", help="Interface to bind; loopback unless told."),
        port: int = typer.Option(8000, help="TCP port."),
        db: str = typer.Option(None, "--db", help="Store URL (default: the root --db)."),
        allow_host: list[str] = typer.Option(  # noqa: B008 (Typer's way of declaring options)
            [], "--allow-host",
            help="Another name clients may use in the Host header (repeatable); loopback "
                 "names and --host are always allowed.",
        ),
    ) -> None:
        """Serve the web app and the REST API (writes need env FACTIONMAP_TOKEN)."""
        import uvicorn

        from factionmap.api.app import allowed_hosts
        from factionmap.cli.state import state
        from factionmap.web.app import create_app

        url = db or state.db_url
        if host not in ("127.0.0.1", "localhost", "::1"):
            typer.secho(f"warning: listening on {host}, reachable from other machines",
                        fg="yellow", err=True)
        hosts = allowed_hosts(host, allow_host)
        typer.echo(f"answering requests for hosts: {', '.join(hosts)}", err=True)
        app = create_app(url, host=host, extra_hosts=allow_host)
        uvicorn.run(app, host=host, port=port, log_level="info")

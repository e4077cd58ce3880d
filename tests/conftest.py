"""Shared fixtures: the spaCy pipeline and the KB are loaded once per test session."""

from __future__ import annotations

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
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED

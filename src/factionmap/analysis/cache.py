"""A small per-store cache of derived results, invalidated by the store revision.

Every write through the store's own code (ingest, removal, corrections, summary
rebuilds) bumps ``store_revision`` in the same transaction, so a cached value
computed at revision N is valid as long as the committed revision is still N --
also when the write came from another process (the CLI ingesting while the web
app serves). A session that has written itself bypasses the cache: its revision
is not committed yet and could be rolled back.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from factionmap.store.summaries import WROTE_FLAG, store_revision

T = TypeVar("T")


class RevisionCache(Generic[T]):
    """LRU of ``size`` values per engine, keyed by (store revision, caller's key)."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._lock = threading.Lock()
        # weak keys: a disposed engine (a test's in-memory store) takes its entries along
        self._by_engine: weakref.WeakKeyDictionary[Engine, OrderedDict[Hashable, T]] = (
            weakref.WeakKeyDictionary()
        )

    def get_or_build(self, session: Session, key: Hashable, build: Callable[[], T]) -> T:
        if session.info.get(WROTE_FLAG):
            return build()
        bind = session.get_bind()
        engine = bind if isinstance(bind, Engine) else bind.engine
        full_key = (store_revision(session), key)
        with self._lock:
            entries = self._by_engine.setdefault(engine, OrderedDict())
            if full_key in entries:
                entries.move_to_end(full_key)
                return entries[full_key]
        value = build()  # outside the lock: concurrent requests may build the same value
        with self._lock:
            entries[full_key] = value
            while len(entries) > self.size:
                entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._by_engine.clear()

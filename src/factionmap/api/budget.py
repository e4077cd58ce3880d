"""A per-request work budget: no single request may keep the store busy for long.

The app sets a deadline for each request; every SQL statement run for it checks the
deadline before it starts (any backend), and a running SQLite statement is interrupted once
it passes (a progress handler; on PostgreSQL a statement that has started runs to its end).
A request over its budget is answered 503 with the reason, and its transaction is rolled
back.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Engine, event

DEFAULT_BUDGET_SECONDS = 20.0
# SQLite calls the progress handler every this many virtual machine instructions.
_SQLITE_CHECK_EVERY = 20_000

_deadline: ContextVar[float | None] = ContextVar("factionmap_request_deadline", default=None)
_budget: ContextVar[float] = ContextVar("factionmap_request_budget", default=0.0)


class WorkBudgetExceeded(RuntimeError):
    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"this request needs more work than one request may do ({seconds:g} s); "
            "narrow it (a shorter window, fewer actors, a smaller page)"
        )


@contextmanager
def work_budget(seconds: float) -> Iterator[None]:
    """Run the enclosed request with a deadline ``seconds`` from now."""
    deadline = _deadline.set(time.monotonic() + seconds)
    budget = _budget.set(seconds)
    try:
        yield
    finally:
        _deadline.reset(deadline)
        _budget.reset(budget)


def over_budget() -> bool:
    deadline = _deadline.get()
    return deadline is not None and time.monotonic() > deadline


def check_budget() -> None:
    """Raise ``WorkBudgetExceeded`` once the current request's deadline has passed."""
    if over_budget():
        raise WorkBudgetExceeded(_budget.get())


def watch(engine: Engine) -> None:
    """Make every statement on ``engine`` respect the current request's deadline."""
    if getattr(engine, "_factionmap_budget_watch", False):
        return
    engine._factionmap_budget_watch = True  # type: ignore[attr-defined]

    @event.listens_for(engine, "before_cursor_execute")
    def _before(*_args: Any) -> None:
        check_budget()

    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "checkout")
        def _checkout(dbapi_connection: Any, *_args: Any) -> None:
            # a true return interrupts the running statement ("interrupted")
            dbapi_connection.set_progress_handler(over_budget, _SQLITE_CHECK_EVERY)

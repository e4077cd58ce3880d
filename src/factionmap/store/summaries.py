"""Summary tables derived from events: monthly dyads, monthly actor activity, partners.

They hold the same counts the analysis would compute from ``events`` and
``event_actors``, grouped so that a page reads a few rows instead of scanning a
busy actor's events. Only events that count as having happened are summarised
(``counted_event``): rejected and negated events are left out, hedged ones count
at ``HEDGED_WEIGHT`` of their Goldstein score (``observed_goldstein``), compound
actors are included:

- ``dyad_months``: per directed (source, target) pair and month, n, sum and sum of
  squares of Goldstein, counts per quad class;
- ``actor_months``: per actor and month, distinct events it takes part in;
- ``actor_partners``: per actor and partner on the other side, events and Goldstein sum;
- ``dyad_days``: per directed pair and day (yyyymmdd), n and Goldstein sums -- the partial
  months at a window's edges, so network windows of any length read summaries only.

Maintained incrementally: ``add_document`` after an article's events are written,
``subtract_document`` before it is deleted, ``apply_event_delta`` when an analyst
rejects or un-rejects an event. ``rebuild_summaries`` recomputes everything in SQL
(after bulk loads, or if the tables are ever in doubt). Every write bumps
``store_revision`` so readers can cache derived results (blocs) safely.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    delete,
    extract,
    func,
    insert,
    inspect,
    literal,
    or_,
    select,
    union,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from factionmap.store.models import (
    ActorMonth,
    ActorPartner,
    DyadDay,
    DyadMonth,
    EventActor,
    EventFact,
    StoreRevision,
)

UNDATED_MONTH = 0  # events with neither an own date nor a publication date
# session.info flag: this session bumped the revision (uncommitted), so it must not
# read or fill caches keyed on the revision
WROTE_FLAG = "factionmap_wrote"


def month_of(day: dt.date | None) -> int:
    """The yyyymm key of a day (UNDATED_MONTH for None)."""
    return day.year * 100 + day.month if day else UNDATED_MONTH


def _month_column() -> ColumnElement[int]:
    """yyyymm of the day an event is placed on (own date, else publication date)."""
    day = func.coalesce(EventFact.date, EventFact.reported_at)
    return func.coalesce(extract("year", day) * 100 + extract("month", day), UNDATED_MONTH)


def _day_column() -> ColumnElement[int]:
    """yyyymmdd of the day an event is placed on (NULL when it has no day at all)."""
    day = func.coalesce(EventFact.date, EventFact.reported_at)
    return extract("year", day) * 10000 + extract("month", day) * 100 + extract("day", day)


def day_of(day: dt.date) -> int:
    """The yyyymmdd key of a day."""
    return day.year * 10000 + day.month * 100 + day.day


# A hedged event ("may strike", "reportedly plans to meet") is read as an observation of
# half its Goldstein score: evidence of the tie's direction, but weaker than a report that
# it happened. Its counts (n, quad classes, degrees) are whole: it is still one event.
HEDGED_WEIGHT = 0.5


def happened() -> ColumnElement[bool]:
    """The text does not deny the event ("did not attack"): negated events never count."""
    return EventFact.modality != "negated"


def not_rejected(model: Any = EventFact) -> ColumnElement[bool]:
    """Facts (events or relations) an analyst rejected are invisible to every face."""
    return or_(model.review.is_(None), model.review != "rejected")


def counted_event() -> ColumnElement[bool]:
    """An event every summary and analysis counts: not rejected by an analyst, not negated."""
    return and_(not_rejected(EventFact), happened())


def observed_goldstein() -> ColumnElement[float]:
    """An event's Goldstein score as an observation of the tie (hedged ones weigh less)."""
    return EventFact.goldstein * case((EventFact.modality == "hedged", HEDGED_WEIGHT), else_=1.0)


def event_pairs_select(where: ColumnElement[bool]) -> Any:
    """Distinct (event, source, target) triples of the events matching ``where``.

    Same rule as analysis.common.event_pairs: the first source/target on the event
    row plus every source x target of event_actors (PLOVER compound actors);
    ``goldstein`` is the observed score (``observed_goldstein``).
    """
    month = _month_column()
    day = _day_column()
    goldstein = observed_goldstein()
    primary = select(
        EventFact.id.label("event_id"),
        EventFact.source_actor_id.label("source_id"),
        EventFact.target_actor_id.label("target_id"),
        goldstein.label("goldstein"),
        EventFact.quad_class.label("quad_class"),
        month.label("month"),
        day.label("day"),
    ).where(EventFact.source_actor_id.is_not(None), EventFact.target_actor_id.is_not(None), where)
    src = EventActor.__table__.alias("src")
    tgt = EventActor.__table__.alias("tgt")
    compound = (
        select(src.c.event_id, src.c.actor_id, tgt.c.actor_id, goldstein,
               EventFact.quad_class, month, day)
        .select_from(EventFact)
        .join(src, and_(src.c.event_id == EventFact.id, src.c.side == "source"))
        .join(tgt, and_(tgt.c.event_id == EventFact.id, tgt.c.side == "target"))
        .where(src.c.actor_id.is_not(None), tgt.c.actor_id.is_not(None), where)
    )
    return union(primary, compound).subquery("pairs")


def _dyad_rows(where: ColumnElement[bool]) -> Select[Any]:
    p = event_pairs_select(where)

    def quad(k: int) -> ColumnElement[int]:
        return func.sum(case((p.c.quad_class == k, 1), else_=0))

    return select(
        p.c.source_id, p.c.target_id, p.c.month, func.count(), func.sum(p.c.goldstein),
        func.sum(p.c.goldstein * p.c.goldstein), quad(1), quad(2), quad(3), quad(4),
    ).group_by(p.c.source_id, p.c.target_id, p.c.month)


def _dyad_day_rows(where: ColumnElement[bool]) -> Select[Any]:
    p = event_pairs_select(where)
    return (
        select(p.c.source_id, p.c.target_id, p.c.day, func.count(), func.sum(p.c.goldstein),
               func.sum(p.c.goldstein * p.c.goldstein))
        .where(p.c.day.is_not(None))
        .group_by(p.c.source_id, p.c.target_id, p.c.day)
    )


def _actor_rows(where: ColumnElement[bool]) -> Select[Any]:
    month = _month_column()
    takes_part = (
        select(EventActor.event_id, EventActor.actor_id, month.label("month"))
        .join(EventFact, EventFact.id == EventActor.event_id)
        .where(EventActor.actor_id.is_not(None), where)
        .distinct()
        .subquery("takes_part")
    )
    return select(
        takes_part.c.actor_id, takes_part.c.month, func.count()
    ).group_by(takes_part.c.actor_id, takes_part.c.month)


def _partner_rows(where: ColumnElement[bool]) -> Select[Any]:
    p = event_pairs_select(where)
    differ = p.c.source_id != p.c.target_id
    both_ways = union(
        select(p.c.event_id, p.c.source_id.label("actor_id"), p.c.target_id.label("partner_id"),
               p.c.goldstein).where(differ),
        select(p.c.event_id, p.c.target_id, p.c.source_id, p.c.goldstein).where(differ),
    ).subquery("both_ways")
    return select(
        both_ways.c.actor_id, both_ways.c.partner_id, func.count(), func.sum(both_ways.c.goldstein)
    ).group_by(both_ways.c.actor_id, both_ways.c.partner_id)


_DYAD_COLUMNS = ("source_actor_id", "target_actor_id", "month", "n_events", "goldstein_sum",
                 "goldstein_sumsq", "quad1", "quad2", "quad3", "quad4")
_DAY_COLUMNS = ("source_actor_id", "target_actor_id", "day", "n_events", "goldstein_sum",
                "goldstein_sumsq")
_ACTOR_COLUMNS = ("actor_id", "month", "n_events")
_PARTNER_COLUMNS = ("actor_id", "partner_id", "n_events", "goldstein_sum")
_TABLES: tuple[tuple[type[Any], tuple[str, ...], int, Any], ...] = (
    (DyadMonth, _DYAD_COLUMNS, 3, _dyad_rows),
    (ActorMonth, _ACTOR_COLUMNS, 2, _actor_rows),
    (ActorPartner, _PARTNER_COLUMNS, 2, _partner_rows),
    (DyadDay, _DAY_COLUMNS, 3, _dyad_day_rows),
)


def rebuild_summaries(session: Session) -> None:
    """Recompute every summary table from the events (one INSERT ... SELECT each).

    Tables not created yet are skipped: an earlier migration step rebuilds what
    exists at its revision, the migration adding a table fills it.
    """
    existing = set(inspect(session.connection()).get_table_names())
    for model, columns, _, rows in _TABLES:
        if model.__tablename__ not in existing:
            continue
        session.execute(delete(model))
        session.execute(insert(model).from_select(list(columns), rows(counted_event())))
    bump_revision(session)
    session.flush()


def _apply(session: Session, where: ColumnElement[bool], sign: int) -> None:
    """Add (sign=+1) or take away (-1) the contribution of the events matching ``where``."""
    session.flush()
    for model, columns, n_key, rows in _TABLES:
        deltas: dict[tuple[Any, ...], list[float]] = defaultdict(lambda: [0.0] * 8)
        for row in session.execute(rows(where)).all():
            acc = deltas[tuple(row[:n_key])]
            for i, value in enumerate(row[n_key:]):
                acc[i] += sign * float(value or 0.0)
        if deltas:
            _upsert(session, model, columns, n_key, deltas)
    bump_revision(session)


def _upsert(
    session: Session, model: type[Any], columns: tuple[str, ...], n_key: int,
    deltas: dict[tuple[Any, ...], list[float]],
) -> None:
    """Add the deltas to their rows in one INSERT ... ON CONFLICT DO UPDATE (rows in key
    order, so concurrent writers lock them in the same order), then drop emptied rows."""
    table = model.__table__
    dialect = session.get_bind().dialect.name
    insert_ = postgresql_insert if dialect == "postgresql" else sqlite_insert
    rows = []
    for key in sorted(deltas):
        row = dict(zip(columns[:n_key], key, strict=True))
        for column, value in zip(columns[n_key:], deltas[key], strict=False):
            row[column] = value if column.startswith("goldstein") else int(round(value))
        rows.append(row)
    statement = insert_(table)
    statement = statement.on_conflict_do_update(
        index_elements=list(columns[:n_key]),
        set_={c: table.c[c] + statement.excluded[c] for c in columns[n_key:]},
    )
    session.execute(statement, rows)
    emptied = [row for row in rows if row["n_events"] < 0 or row["n_events"] == 0]
    if emptied:  # nothing left: drop the row so tables stay as small as the data
        same_key = and_(*(table.c[c] == bindparam(f"k_{c}") for c in columns[:n_key]))
        session.execute(
            delete(table).where(same_key, table.c.n_events <= 0),
            [{f"k_{c}": row[c] for c in columns[:n_key]} for row in emptied],
        )


def add_document(session: Session, document_id: str) -> None:
    """Count a just-written document's counted events into the summaries."""
    add_documents(session, [document_id])


def add_documents(session: Session, document_ids: list[str]) -> None:
    """Count just-written documents' counted events into the summaries (one pass)."""
    if document_ids:
        _apply(session, and_(EventFact.document_id.in_(document_ids), counted_event()), +1)


def subtract_document(session: Session, document_id: str) -> None:
    """Take a document's events out of the summaries; call before deleting it."""
    _apply(session, and_(EventFact.document_id == document_id, counted_event()), -1)


def apply_event_delta(session: Session, event_ids: list[int], sign: int) -> None:
    """Count events in (+1, e.g. un-rejected) or out (-1, rejected) regardless of review.

    Negated events are never in the summaries, so reviewing one changes nothing.
    """
    if event_ids:
        _apply(session, and_(EventFact.id.in_(event_ids), happened()), sign)


def bump_revision(session: Session) -> None:
    """Mark the store as changed (readers' caches keyed on the revision go stale)."""
    session.info[WROTE_FLAG] = True
    done = session.execute(
        update(StoreRevision).where(StoreRevision.id == 1)
        .values(revision=StoreRevision.revision + literal(1))
    )
    if not getattr(done, "rowcount", 0):
        session.add(StoreRevision(id=1, revision=1))
        session.flush()


def store_revision(session: Session) -> int:
    """The current write counter (0 for a store never written through this module)."""
    return session.scalar(select(StoreRevision.revision).where(StoreRevision.id == 1)) or 0

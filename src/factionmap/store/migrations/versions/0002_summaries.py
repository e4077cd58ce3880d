"""Summary tables: monthly dyads, monthly actor activity, actor partners, store revision.

Existing events are summarised during the upgrade, so an upgraded store answers
the same as before.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _int(name: str, primary_key: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer, primary_key=primary_key, nullable=False)


def upgrade() -> None:
    op.create_table(
        "dyad_months",
        _int("source_actor_id", True),
        _int("target_actor_id", True),
        _int("month", True),
        _int("n_events"),
        sa.Column("goldstein_sum", sa.Float, nullable=False),
        sa.Column("goldstein_sumsq", sa.Float, nullable=False),
        _int("quad1"),
        _int("quad2"),
        _int("quad3"),
        _int("quad4"),
    )
    op.create_index("ix_dyad_months_month", "dyad_months", ["month"])
    op.create_table(
        "actor_months", _int("actor_id", True), _int("month", True), _int("n_events")
    )
    op.create_table(
        "actor_partners",
        _int("actor_id", True),
        _int("partner_id", True),
        _int("n_events"),
        sa.Column("goldstein_sum", sa.Float, nullable=False),
    )
    op.create_index(
        "ix_actor_partners_rank", "actor_partners", ["actor_id", "n_events", "partner_id"]
    )
    op.create_table("store_revision", _int("id", True), _int("revision"))

    # Summarise what is already stored (a no-op on a fresh store).
    from sqlalchemy.orm import Session

    from factionmap.store.summaries import rebuild_summaries

    session = Session(bind=op.get_bind())
    rebuild_summaries(session)
    session.flush()


def downgrade() -> None:
    for table in ("store_revision", "actor_partners", "actor_months", "dyad_months"):
        op.drop_table(table)

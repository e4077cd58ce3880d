"""Daily dyad summary and covering window indexes (fast network windows of any length).

Existing events are summarised during the upgrade.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _int(name: str, primary_key: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer, primary_key=primary_key, nullable=False)


def upgrade() -> None:
    op.create_table(
        "dyad_days",
        _int("source_actor_id", True),
        _int("target_actor_id", True),
        _int("day", True),
        _int("n_events"),
        sa.Column("goldstein_sum", sa.Float, nullable=False),
        sa.Column("goldstein_sumsq", sa.Float, nullable=False),
    )
    op.create_index("ix_dyad_days_window", "dyad_days",
                    ["day", "source_actor_id", "target_actor_id", "n_events", "goldstein_sum"])
    op.create_index("ix_dyad_months_window", "dyad_months",
                    ["month", "source_actor_id", "target_actor_id", "n_events", "goldstein_sum"])
    op.create_index("ix_actor_months_window", "actor_months", ["month", "actor_id", "n_events"])

    from sqlalchemy.orm import Session

    from factionmap.store.summaries import rebuild_summaries

    session = Session(bind=op.get_bind())
    rebuild_summaries(session)
    session.flush()


def downgrade() -> None:
    op.drop_index("ix_actor_months_window", table_name="actor_months")
    op.drop_index("ix_dyad_months_window", table_name="dyad_months")
    op.drop_table("dyad_days")

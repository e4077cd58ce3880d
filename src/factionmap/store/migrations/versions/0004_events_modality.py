"""Negated events leave the summaries; index events by modality.

The summary tables now count only events that happened (negated ones out, hedged
ones at half their Goldstein score), so they are rebuilt during the upgrade.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_modality", "events", ["modality"])

    from sqlalchemy.orm import Session

    from factionmap.store.summaries import rebuild_summaries

    session = Session(bind=op.get_bind())
    rebuild_summaries(session)
    session.flush()


def downgrade() -> None:
    op.drop_index("ix_events_modality", table_name="events")

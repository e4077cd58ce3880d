"""Index events by confidence: camps leave out the few coded with little confidence.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_confidence", "events", ["confidence"])


def downgrade() -> None:
    op.drop_index("ix_events_confidence", "events")

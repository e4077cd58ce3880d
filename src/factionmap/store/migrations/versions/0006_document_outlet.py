"""Record each document's outlet, for counting independent reports of a fact.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from factionmap.store.outlets import outlet_of

    op.add_column("documents", sa.Column("outlet", sa.String(255), nullable=True))
    op.create_index("ix_documents_outlet", "documents", ["outlet"])
    documents = sa.table("documents", sa.column("id", sa.String), sa.column("url", sa.Text),
                         sa.column("source", sa.String), sa.column("outlet", sa.String))
    bind = op.get_bind()
    rows = bind.execute(sa.select(documents.c.id, documents.c.url, documents.c.source)).all()
    updates = [{"doc_id": i, "outlet": outlet_of(url, source)} for i, url, source in rows]
    updates = [u for u in updates if u["outlet"] is not None]
    if updates:
        bind.execute(documents.update().where(documents.c.id == sa.bindparam("doc_id"))
                     .values(outlet=sa.bindparam("outlet")), updates)


def downgrade() -> None:
    op.drop_index("ix_documents_outlet", "documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("outlet")

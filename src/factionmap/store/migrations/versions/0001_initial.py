"""Initial schema: documents, sentences, actors, aliases, mentions, facts, happenings.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _fk_actor(column: str) -> sa.Column:
    return sa.Column(
        column, sa.Integer, sa.ForeignKey("actors.id", ondelete="SET NULL"), nullable=True
    )


def _fk_document(nullable: bool = False, ondelete: str = "CASCADE") -> sa.Column:
    return sa.Column(
        "document_id",
        sa.String(64),
        sa.ForeignKey("documents.id", ondelete=ondelete),
        nullable=nullable,
    )


def _fact_columns() -> list[sa.Column]:
    """The evidence columns every fact table carries (models.FactMixin)."""
    return [
        sa.Column("evidence_start", sa.Integer, nullable=False),
        sa.Column("evidence_end", sa.Integer, nullable=False),
        sa.Column("sentence_text", sa.Text, nullable=False),
        sa.Column("modality", sa.String(16), nullable=False),
        sa.Column("attributed_to", sa.Text, nullable=True),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("reported_at", sa.Date, nullable=True),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_until", sa.Date, nullable=True),
        sa.Column("valid_phrase", sa.Text, nullable=True),
        sa.Column("is_former", sa.Boolean, nullable=False),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
        sa.Column("review", sa.String(16), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "actors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("country", sa.String(3), nullable=True),
        sa.Column("sector", sa.String(16), nullable=True),
        sa.Column("kb_id", sa.String(128), nullable=True, unique=True),
        sa.Column("wikidata", sa.String(32), nullable=True),
        sa.Column("discovery_key", sa.String(255), nullable=True, unique=True),
        sa.Column("merged_into_id", sa.Integer, sa.ForeignKey("actors.id"), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_actors_name", "actors", ["name"])
    op.create_index("ix_actors_merged_into_id", "actors", ["merged_into_id"])

    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("who", sa.String(255), nullable=False),
        sa.Column("why", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )

    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("path", sa.Text, nullable=True),
        sa.Column("title", sa.Text, nullable=True),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("source", sa.String(255), nullable=True),
        sa.Column("published", sa.Date, nullable=True),
        sa.Column("date_inferred", sa.Boolean, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_documents_published", "documents", ["published"])

    op.create_table(
        "aliases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "actor_id", sa.Integer, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        _fk_document(nullable=True, ondelete="SET NULL"),
        sa.UniqueConstraint("actor_id", "key", name="uq_alias_actor_key"),
    )
    op.create_index("ix_aliases_actor_id", "aliases", ["actor_id"])
    op.create_index("ix_aliases_key", "aliases", ["key"])

    op.create_table(
        "happenings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("cameo", sa.String(8), nullable=False),
        sa.Column("goldstein", sa.Float, nullable=False),
        sa.Column("quad_class", sa.Integer, nullable=False),
        _fk_actor("source_actor_id"),
        _fk_actor("target_actor_id"),
        sa.Column("date", sa.Date, nullable=True),
        sa.Column("date_end", sa.Date, nullable=True),
        sa.Column("date_precision", sa.String(16), nullable=False),
        sa.Column("location_name", sa.String(255), nullable=True),
        sa.Column("country", sa.String(3), nullable=True),
        sa.Column("report_count", sa.Integer, nullable=False),
    )
    for column in ("type", "date", "source_actor_id", "target_actor_id"):
        op.create_index(f"ix_happenings_{column}", "happenings", [column])

    op.create_table(
        "relations",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk_document(),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("role", sa.String(255), nullable=True),
        _fk_actor("subject_actor_id"),
        _fk_actor("object_actor_id"),
        sa.Column("subject_start", sa.Integer, nullable=False),
        sa.Column("subject_end", sa.Integer, nullable=False),
        sa.Column("subject_text", sa.Text, nullable=False),
        sa.Column("object_start", sa.Integer, nullable=False),
        sa.Column("object_end", sa.Integer, nullable=False),
        sa.Column("object_text", sa.Text, nullable=False),
        sa.Column("pattern", sa.String(64), nullable=True),
        *_fact_columns(),
    )
    for column in ("document_id", "type", "reported_at"):
        op.create_index(f"ix_relations_{column}", "relations", [column])
    op.create_index("ix_relations_subject_type", "relations", ["subject_actor_id", "type"])
    op.create_index("ix_relations_object_type", "relations", ["object_actor_id", "type"])

    op.create_table(
        "sentences",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk_document(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_sentences_document_id", "sentences", ["document_id"])

    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk_document(),
        sa.Column(
            "happening_id",
            sa.Integer,
            sa.ForeignKey("happenings.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(64), nullable=True),
        sa.Column("context", sa.String(64), nullable=True),
        sa.Column("cameo", sa.String(8), nullable=False),
        sa.Column("goldstein", sa.Float, nullable=False),
        sa.Column("quad_class", sa.Integer, nullable=False),
        _fk_actor("source_actor_id"),
        _fk_actor("target_actor_id"),
        sa.Column("trigger_start", sa.Integer, nullable=False),
        sa.Column("trigger_end", sa.Integer, nullable=False),
        sa.Column("trigger_text", sa.Text, nullable=False),
        sa.Column("date", sa.Date, nullable=True),
        sa.Column("date_end", sa.Date, nullable=True),
        sa.Column("date_precision", sa.String(16), nullable=False),
        sa.Column("date_phrase", sa.Text, nullable=True),
        sa.Column("location_name", sa.String(255), nullable=True),
        sa.Column("location_phrase", sa.Text, nullable=True),
        sa.Column("country", sa.String(3), nullable=True),
        sa.Column("lat", sa.Float, nullable=True),
        sa.Column("lon", sa.Float, nullable=True),
        *_fact_columns(),
    )
    for column in ("document_id", "happening_id", "type", "quad_class", "reported_at"):
        op.create_index(f"ix_events_{column}", "events", [column])
    op.create_index("ix_events_date", "events", ["date"])
    op.create_index("ix_events_source_target", "events", ["source_actor_id", "target_actor_id"])

    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk_document(),
        sa.Column(
            "sentence_id",
            sa.Integer,
            sa.ForeignKey("sentences.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("label", sa.String(32), nullable=False),
        _fk_actor("actor_id"),
        sa.Column("link_reason", sa.Text, nullable=True),
    )
    op.create_index("ix_mentions_actor_id", "mentions", ["actor_id"])
    op.create_index("ix_mentions_document_id", "mentions", ["document_id"])

    op.create_table(
        "event_actors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("side", sa.String(8), nullable=False),
        _fk_actor("actor_id"),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_event_actors_actor_id", "event_actors", ["actor_id"])
    op.create_index("ix_event_actors_event_id", "event_actors", ["event_id"])


def downgrade() -> None:
    for table in (
        "event_actors",
        "mentions",
        "events",
        "sentences",
        "relations",
        "happenings",
        "aliases",
        "documents",
        "corrections",
        "actors",
    ):
        op.drop_table(table)

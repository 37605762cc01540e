"""Initial schema: articles (versions), places, events, reports, claims, actors.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 17:36:39.764862
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "actors",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_actors")),
    )
    op.create_table(
        "articles",
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("doc_key", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("publisher", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("source_path", sa.Text(), nullable=True),
        sa.Column("dateline", sa.Text(), nullable=True),
        sa.Column("publish_date", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("extractor_version", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("content_hash", name=op.f("pk_articles")),
    )
    op.create_index(op.f("ix_articles_article_id"), "articles", ["article_id"], unique=False)
    op.create_index(op.f("ix_articles_doc_key"), "articles", ["doc_key"], unique=False)

    op.create_table(
        "places",
        sa.Column("place_id", sa.String(length=32), nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("iso3", sa.String(length=3), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("geonameid", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("place_id", name=op.f("pk_places")),
    )
    op.create_table(
        "events",
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("place_id", sa.String(length=32), nullable=True),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("date_precision", sa.String(length=8), nullable=True),
        sa.Column("event_type", sa.Text(), nullable=True),
        sa.Column("sub_event_type", sa.Text(), nullable=True),
        sa.Column("actor1", sa.Text(), nullable=True),
        sa.Column("actor2", sa.Text(), nullable=True),
        sa.Column("assoc_actor_1", sa.JSON(), nullable=True),
        sa.Column("assoc_actor_2", sa.JSON(), nullable=True),
        sa.Column("geo_precision", sa.Integer(), nullable=True),
        sa.Column("fatalities", sa.Integer(), nullable=True),
        sa.Column("fatalities_low", sa.Integer(), nullable=True),
        sa.Column("fatalities_high", sa.Integer(), nullable=True),
        sa.Column("fatalities_by_actor", sa.JSON(), nullable=True),
        sa.Column("wounded", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["place_id"], ["places.place_id"], name=op.f("fk_events_place_id_places")),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_events")),
    )
    op.create_index(op.f("ix_events_event_date"), "events", ["event_date"], unique=False)
    op.create_index(op.f("ix_events_place_id"), "events", ["place_id"], unique=False)

    op.create_table(
        "event_actors",
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["actor"], ["actors.name"], name=op.f("fk_event_actors_actor_actors")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.event_id"],
            name=op.f("fk_event_actors_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "role", "actor", name=op.f("pk_event_actors")),
    )
    op.create_index(op.f("ix_event_actors_actor"), "event_actors", ["actor"], unique=False)

    op.create_table(
        "reports",
        sa.Column("report_id", sa.String(length=32), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("report_index", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("link_explanation", sa.Text(), nullable=False),
        sa.Column("place_id", sa.String(length=32), nullable=True),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("date_precision", sa.String(length=8), nullable=True),
        sa.Column("event_type", sa.Text(), nullable=True),
        sa.Column("sub_event_type", sa.Text(), nullable=True),
        sa.Column("actor1", sa.Text(), nullable=True),
        sa.Column("actor2", sa.Text(), nullable=True),
        sa.Column("assoc_actor_1", sa.JSON(), nullable=True),
        sa.Column("assoc_actor_2", sa.JSON(), nullable=True),
        sa.Column("geo_precision", sa.Integer(), nullable=True),
        sa.Column("fatalities", sa.Integer(), nullable=True),
        sa.Column("fatalities_low", sa.Integer(), nullable=True),
        sa.Column("fatalities_high", sa.Integer(), nullable=True),
        sa.Column("fatalities_by_actor", sa.JSON(), nullable=True),
        sa.Column("wounded", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["content_hash"],
            ["articles.content_hash"],
            name=op.f("fk_reports_content_hash_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["event_id"], ["events.event_id"], name=op.f("fk_reports_event_id_events")),
        sa.ForeignKeyConstraint(["place_id"], ["places.place_id"], name=op.f("fk_reports_place_id_places")),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_reports")),
    )
    op.create_index(op.f("ix_reports_content_hash"), "reports", ["content_hash"], unique=False)
    op.create_index(op.f("ix_reports_event_id"), "reports", ["event_id"], unique=False)

    op.create_table(
        "claims",
        sa.Column("report_id", sa.String(length=32), nullable=False),
        sa.Column("claim_index", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("publisher", sa.Text(), nullable=True),
        sa.Column("claimant", sa.Text(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("fatalities", sa.Integer(), nullable=True),
        sa.Column("wounded", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.report_id"], name=op.f("fk_claims_report_id_reports"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("report_id", "claim_index", name=op.f("pk_claims")),
    )
    op.create_index(op.f("ix_claims_content_hash"), "claims", ["content_hash"], unique=False)
    op.create_index(op.f("ix_claims_event_id"), "claims", ["event_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_claims_event_id"), table_name="claims")
    op.drop_index(op.f("ix_claims_content_hash"), table_name="claims")

    op.drop_table("claims")
    op.drop_index(op.f("ix_reports_event_id"), table_name="reports")
    op.drop_index(op.f("ix_reports_content_hash"), table_name="reports")

    op.drop_table("reports")
    op.drop_index(op.f("ix_event_actors_actor"), table_name="event_actors")

    op.drop_table("event_actors")
    op.drop_index(op.f("ix_events_place_id"), table_name="events")
    op.drop_index(op.f("ix_events_event_date"), table_name="events")

    op.drop_table("events")
    op.drop_table("places")
    op.drop_index(op.f("ix_articles_doc_key"), table_name="articles")
    op.drop_index(op.f("ix_articles_article_id"), table_name="articles")

    op.drop_table("articles")
    op.drop_table("actors")

"""Live monitoring: the feeds table, the feed items already read, alerts and their deliveries.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 21:10:00

``marsad watch`` polls ``feeds`` (with ETag, Last-Modified and back-off kept per feed, and
the health ``marsad feeds list`` shows), marks each item it has dealt with in
``feed_items`` (after its article's events are committed, so a restart neither loses nor
repeats one), and records each alert once in ``alerts`` with one ``alert_deliveries`` row
per sink (an outbox: a crash between making and sending an alert sends it after restart).
New tables only: nothing stored before is touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("feed_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("every_seconds", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("last_polled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_poll_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("items_seen", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("feed_id", name=op.f("pk_feeds")),
        sa.UniqueConstraint("name", name=op.f("uq_feeds_name")),
        sa.UniqueConstraint("url", name=op.f("uq_feeds_url")),
    )
    op.create_table(
        "feed_items",
        sa.Column("item_key", sa.String(length=64), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("item_key", name=op.f("pk_feed_items")),
    )
    op.create_index(op.f("ix_feed_items_content_hash"), "feed_items", ["content_hash"], unique=False)
    op.create_index(op.f("ix_feed_items_feed_id_seen_at"), "feed_items", ["feed_id", "seen_at"], unique=False)
    op.create_table(
        "alerts",
        sa.Column("alert_id", sa.String(length=32), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("fatalities", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("alert_id", name=op.f("pk_alerts")),
    )
    op.create_index(op.f("ix_alerts_rule_event_id"), "alerts", ["rule", "event_id"], unique=False)
    op.create_table(
        "alert_deliveries",
        sa.Column("alert_id", sa.String(length=32), nullable=False),
        sa.Column("sink", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.alert_id"],
            name=op.f("fk_alert_deliveries_alert_id_alerts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("alert_id", "sink", name=op.f("pk_alert_deliveries")),
    )
    op.create_index(
        op.f("ix_alert_deliveries_delivered_at"), "alert_deliveries", ["delivered_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_alert_deliveries_delivered_at"), table_name="alert_deliveries")
    op.drop_table("alert_deliveries")
    op.drop_index(op.f("ix_alerts_rule_event_id"), table_name="alerts")
    op.drop_table("alerts")
    op.drop_index(op.f("ix_feed_items_feed_id_seen_at"), table_name="feed_items")
    op.drop_index(op.f("ix_feed_items_content_hash"), table_name="feed_items")
    op.drop_table("feed_items")
    op.drop_table("feeds")

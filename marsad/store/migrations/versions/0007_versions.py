"""History: every event's record after each change (``event_versions``).

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-07 23:30:00

One row per event per change transaction (the change number of 0005), written by
marsad.store.changes through marsad.store.versions; ``--history``, ``--as-of`` and
``marsad changes`` read it. Events stored before get one version each, as they are now, at
their last change (with its time; before 0005, the time their last article was read):
history starts there. Events deleted
before (``event_removals``) get a deleted version without fields.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"  # after review (0005 -> 0009 -> 0006 -> 0007); written on 0005
branch_labels = None
depends_on = None

BEFORE = "recorded when marsad began keeping history"


def upgrade() -> None:
    table = op.create_table(
        "event_versions",
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.Text(), nullable=True),
        sa.Column("why", sa.Text(), nullable=True),
        sa.Column("extractor", sa.String(length=64), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "change_seq", name=op.f("pk_event_versions")),
    )
    op.create_index(op.f("ix_event_versions_change_seq"), "event_versions", ["change_seq"], unique=False)
    op.create_index(op.f("ix_event_versions_at"), "event_versions", ["at"], unique=False)
    _baseline(op.get_bind(), table)


def _baseline(conn: sa.Connection, table: sa.Table) -> None:
    from marsad.store.versions import review_fields, snapshots

    # the review columns this database has now (the part's migration may come before or after)
    extra = review_fields(c["name"] for c in sa.inspect(conn).get_columns("events"))

    events = sa.table(
        "events",
        sa.column("event_id"),
        sa.column("change_seq"),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    removals = sa.table(
        "event_removals",
        sa.column("event_id"),
        sa.column("change_seq"),
        sa.column("removed_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    held = list(conn.execute(sa.select(events.c.event_id, events.c.change_seq, events.c.updated_at)))
    # an event stored before 0005 has no change time: the last time one of its articles was read
    reports = sa.table("reports", sa.column("event_id"), sa.column("content_hash"))
    articles = sa.table(
        "articles", sa.column("content_hash"), sa.column("read_at", sa.DateTime(timezone=True))
    )
    last_read = (
        sa.select(reports.c.event_id, sa.func.max(articles.c.read_at))
        .select_from(reports.join(articles, reports.c.content_hash == articles.c.content_hash))
        .group_by(reports.c.event_id)
    )
    read = {event_id: at for event_id, at in conn.execute(last_read)}
    for i in range(0, len(held), 500):
        chunk = held[i : i + 500]
        records = snapshots(conn, [row.event_id for row in chunk], extra=extra)
        rows = [
            {
                "event_id": row.event_id,
                "change_seq": int(row.change_seq or 0),
                "at": row.updated_at or read.get(row.event_id) or now,
                "by": None,
                "why": BEFORE,
                "extractor": None,
                "deleted": False,
                "record": records[row.event_id],
            }
            for row in chunk
            if row.event_id in records
        ]
        if rows:
            conn.execute(table.insert(), rows)
    gone = [
        {
            "event_id": row.event_id,
            "change_seq": int(row.change_seq),
            "at": row.removed_at,
            "by": None,
            "why": BEFORE,
            "extractor": None,
            "deleted": True,
            "record": {},
        }
        for row in conn.execute(sa.select(removals.c.event_id, removals.c.change_seq, removals.c.removed_at))
    ]
    if gone:
        conn.execute(table.insert(), gone)


def downgrade() -> None:
    op.drop_index(op.f("ix_event_versions_at"), table_name="event_versions")
    op.drop_index(op.f("ix_event_versions_change_seq"), table_name="event_versions")
    op.drop_table("event_versions")

"""Event changes for the live map: a change counter, and when each event was added and changed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 21:45:00

``events.change_seq`` is the value of the ``events`` counter of the transaction that last
added or changed the event, ``events.created_seq`` that of the one that added it, and
``updated_at`` its time; ``event_removals`` keeps the events deleted (merged into another)
with the number of the deleting transaction. ``/api/stream`` reads both after a client's
watermark through their (change_seq, event_id) indexes. Events stored before get 0: they are
not news to anyone.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (no table copy on SQLite: the text-search triggers of 0003 stay)
    op.add_column("events", sa.Column("change_seq", sa.BigInteger(), server_default="0", nullable=False))
    op.add_column("events", sa.Column("created_seq", sa.BigInteger(), server_default="0", nullable=False))
    op.add_column("events", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f("ix_events_change_seq_event_id"), "events", ["change_seq", "event_id"], unique=False)
    counters = op.create_table(
        "counters",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_counters")),
    )
    op.bulk_insert(counters, [{"name": "events", "value": 0}])
    op.create_table(
        "event_removals",
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_removals")),
    )
    op.create_index(
        op.f("ix_event_removals_change_seq_event_id"),
        "event_removals",
        ["change_seq", "event_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_event_removals_change_seq_event_id"), table_name="event_removals")
    op.drop_table("event_removals")
    op.drop_table("counters")
    op.drop_index(op.f("ix_events_change_seq_event_id"), table_name="events")
    for name in ("updated_at", "created_seq", "change_seq"):
        op.drop_column("events", name)

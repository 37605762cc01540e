"""Review: event status, flags, and analysts' edits that re-linking re-applies.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 23:30:00

``events.status`` is ``provisional`` (the machine's, every event stored before), ``verified``,
``edited`` or ``rejected``; ``flagged`` and ``flag_reason`` mark an event a new report
contradicts an analyst's value on. ``event_edits`` keeps every analyst action, anchored to the
event's reports at the time (``event_edit_reports``). The listing index gains ``status`` so the
default listing (rejected events left out) still reads the index alone.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

LISTING = ["event_date", "event_id", "place_id", "event_type", "sub_event_type", "fatalities"]


def upgrade() -> None:
    # plain ADD COLUMN (no table copy on SQLite: the text-search triggers of 0003 stay)
    op.add_column(
        "events", sa.Column("status", sa.String(length=16), server_default="provisional", nullable=False)
    )
    op.add_column("events", sa.Column("flagged", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("events", sa.Column("flag_reason", sa.Text(), nullable=True))
    op.drop_index("ix_events_listing", table_name="events")
    op.create_index(
        "ix_events_listing", "events", [sa.text("(event_date IS NULL)"), *LISTING, "status"], unique=False
    )
    op.create_table(
        "event_edits",
        sa.Column("edit_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("field", sa.Text(), nullable=True),
        sa.Column("old", sa.JSON(), nullable=True),
        sa.Column("new", sa.JSON(), nullable=True),
        sa.Column("editor", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("edit_id", name=op.f("pk_event_edits")),
    )
    op.create_index(op.f("ix_event_edits_event_id"), "event_edits", ["event_id"], unique=False)
    op.create_table(
        "event_edit_reports",
        sa.Column("edit_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=8), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["edit_id"],
            ["event_edits.edit_id"],
            name=op.f("fk_event_edit_reports_edit_id_event_edits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("edit_id", "part", "position", name=op.f("pk_event_edit_reports")),
    )
    op.create_index(
        op.f("ix_event_edit_reports_report_id"), "event_edit_reports", ["report_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_event_edit_reports_report_id"), table_name="event_edit_reports")
    op.drop_table("event_edit_reports")
    op.drop_index(op.f("ix_event_edits_event_id"), table_name="event_edits")
    op.drop_table("event_edits")
    op.drop_index("ix_events_listing", table_name="events")
    op.create_index("ix_events_listing", "events", [sa.text("(event_date IS NULL)"), *LISTING], unique=False)
    for name in ("flag_reason", "flagged", "status"):
        op.drop_column("events", name)

"""Linking: reports.link_group and the link_blocks table; existing reports are linked.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 19:30:00

Before this revision every report was its own event. Upgrading files each stored report
under its blocking keys and links them all (marsad.store.linking.relink_all), so an old
database ends up with the events a fresh ingest of the same articles would give.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN, not a batch copy: SQLite's copy-and-rename would drop the reports
    # table under foreign_keys=ON and cascade-delete every claim
    op.add_column("reports", sa.Column("link_group", sa.String(length=32), nullable=False, server_default=""))
    op.execute("UPDATE reports SET link_group = report_id")
    if op.get_bind().dialect.name != "sqlite":  # SQLite cannot drop a default in place; harmless there
        op.alter_column("reports", "link_group", server_default=None)
    op.create_index(op.f("ix_reports_link_group"), "reports", ["link_group"], unique=False)
    op.create_table(
        "link_blocks",
        sa.Column("block", sa.Text(), nullable=False),
        sa.Column("report_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.report_id"],
            name=op.f("fk_link_blocks_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("block", "report_id", name=op.f("pk_link_blocks")),
    )
    op.create_index(op.f("ix_link_blocks_report_id"), "link_blocks", ["report_id"], unique=False)
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM reports LIMIT 1")).first() is not None:
        # the 0002-era linker over the 0002 schema; a later revision that changes these
        # tables must keep this call working or replace it
        from marsad.store.linking import relink_all

        relink_all(bind, track=False)  # the change columns come with 0005


def downgrade() -> None:
    op.drop_index(op.f("ix_link_blocks_report_id"), table_name="link_blocks")
    op.drop_table("link_blocks")
    op.drop_index(op.f("ix_reports_link_group"), table_name="reports")
    op.drop_column("reports", "link_group")  # SQLite 3.35+; events stay linked

"""Confidence: how sure marsad is of each event and report, with the evidence it rests on.

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-07 23:30:00

``confidence`` is the chance that the event's type, place and date are all right,
``field_confidence`` each main field's chance and ``confidence_evidence`` how each value was
found (docs/confidence.md). Rows stored before stay NULL until their articles are extracted
again: an old extraction recorded no evidence to read a chance from.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("events", "reports")


def upgrade() -> None:
    # plain ADD COLUMN (no table copy on SQLite: the text-search triggers of 0003 stay)
    for table in TABLES:
        op.add_column(table, sa.Column("confidence", sa.Float(), nullable=True))
        op.add_column(table, sa.Column("field_confidence", sa.JSON(), nullable=True))
        op.add_column(table, sa.Column("confidence_evidence", sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        for name in ("confidence_evidence", "field_confidence", "confidence"):
            op.drop_column(table, name)

"""Users and access (issue 23): users with roles, their bearer tokens and login sessions.

Revision ID: 0008
Revises: 0006 (0005 on the auth branch alone; the lead rechains at merge)
Create Date: 2026-12-07 23:30:00

``users`` holds each person's role (viewer, analyst or admin) and an argon2 hash of the
password; ``user_tokens`` the SHA-256 of each bearer token a script uses; ``user_sessions``
the SHA-256 of each web session's cookie with its CSRF token and end. New tables only:
nothing stored before is touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"  # after history: 0005 -> 0009 -> 0006 -> 0007 -> 0008 (written on 0005)
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_users")),
    )
    op.create_table(
        "user_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["name"], ["users.name"], name=op.f("fk_user_tokens_name_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_user_tokens")),
    )
    op.create_index(op.f("ix_user_tokens_name"), "user_tokens", ["name"], unique=False)
    op.create_table(
        "user_sessions",
        sa.Column("session_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["name"], ["users.name"], name=op.f("fk_user_sessions_name_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("session_hash", name=op.f("pk_user_sessions")),
    )
    op.create_index(op.f("ix_user_sessions_name"), "user_sessions", ["name"], unique=False)
    op.create_index(op.f("ix_user_sessions_expires_at"), "user_sessions", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_user_sessions_expires_at"), table_name="user_sessions")
    op.drop_index(op.f("ix_user_sessions_name"), table_name="user_sessions")
    op.drop_table("user_sessions")
    op.drop_index(op.f("ix_user_tokens_name"), table_name="user_tokens")
    op.drop_table("user_tokens")
    op.drop_table("users")

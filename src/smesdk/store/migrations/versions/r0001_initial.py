"""The first schema: enterprises, framework spec snapshots, answer sets, results.

Revision ID: 0001
Revises:
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
        "enterprises",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(200), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("credit_code", sa.String(40), nullable=True),
    )
    op.create_table(
        "framework_specs",
        sa.Column("content_hash", sa.String(80), primary_key=True),
        sa.Column("framework", sa.String(100), nullable=False),
        sa.Column("version", sa.String(50), nullable=False),
        sa.Column("profile", sa.String(100), nullable=True),
        sa.Column("spec", sa.Text, nullable=False),
    )
    op.create_table(
        "answer_sets",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("enterprise_id", sa.Integer, sa.ForeignKey("enterprises.id"), nullable=False),
        sa.Column("assessed_on", sa.Date, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_table(
        "results",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uid", sa.String(32), nullable=False, unique=True),
        sa.Column("enterprise_id", sa.Integer, sa.ForeignKey("enterprises.id"), nullable=False),
        sa.Column("answer_set_id", sa.Integer, sa.ForeignKey("answer_sets.id"), nullable=False),
        sa.Column("content_hash", sa.String(80), sa.ForeignKey("framework_specs.content_hash"),
                  nullable=False),
        sa.Column("framework", sa.String(100), nullable=False),
        sa.Column("assessed_on", sa.Date, nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("source", sa.String(500), nullable=True),
        sa.Column("total", sa.String(20), nullable=False),
        sa.Column("level", sa.String(100), nullable=True),
        sa.Column("body", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("results", "answer_sets", "framework_specs", "enterprises"):
        op.drop_table(table)

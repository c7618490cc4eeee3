"""History reads: an index on (enterprise, framework, date) and the level's rank as a column.

The rank is backfilled from each stored result's body, so ordering by level needs no JSON.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("results") as batch:
        batch.add_column(sa.Column("level_rank", sa.Integer, nullable=True))
    op.create_index("ix_results_history", "results", ["enterprise_id", "framework", "assessed_on"])
    results = sa.table("results", sa.column("id", sa.Integer), sa.column("body", sa.Text),
                       sa.column("level_rank", sa.Integer))
    bind = op.get_bind()
    for row_id, body in bind.execute(sa.select(results.c.id, results.c.body)).all():
        level = json.loads(body).get("level")
        if level is not None:
            bind.execute(results.update().where(results.c.id == row_id)
                         .values(level_rank=level["rank"]))


def downgrade() -> None:
    op.drop_index("ix_results_history", table_name="results")
    with op.batch_alter_table("results") as batch:
        batch.drop_column("level_rank")

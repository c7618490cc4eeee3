"""Finding an enterprise by name without scanning them all.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_enterprises_name", "enterprises", ["name"])


def downgrade() -> None:
    op.drop_index("ix_enterprises_name", table_name="enterprises")

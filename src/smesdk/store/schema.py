"""The store's tables (the schema at the newest Alembic revision).

Bodies are canonical JSON text, not a JSON column type: the same bytes on SQLite and
PostgreSQL, so a record exported from one and imported into the other is unchanged.
The columns beside the bodies are only what history queries filter and sort on.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

enterprises = sa.Table(
    "enterprises", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # the 统一社会信用代码 when the answer set gives one, else "name:" + the enterprise name
    sa.Column("key", sa.String(200), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("credit_code", sa.String(40), nullable=True),
    # added in revision 0003: history looks enterprises up by name too
    sa.Index("ix_enterprises_name", "name"),
)

framework_specs = sa.Table(
    "framework_specs", metadata,
    # the resolved framework's content hash, as a result's provenance names it
    sa.Column("content_hash", sa.String(80), primary_key=True),
    sa.Column("framework", sa.String(100), nullable=False),
    sa.Column("version", sa.String(50), nullable=False),
    sa.Column("profile", sa.String(100), nullable=True),
    # the spec as registered (before the profile), which with `profile` rebuilds the framework
    sa.Column("spec", sa.Text, nullable=False),
)

answer_sets = sa.Table(
    "answer_sets", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("enterprise_id", sa.Integer, sa.ForeignKey("enterprises.id"), nullable=False),
    sa.Column("assessed_on", sa.Date, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
)

results = sa.Table(
    "results", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # a random id given when recorded: stable across export and import, so imports are idempotent
    sa.Column("uid", sa.String(32), nullable=False, unique=True),
    sa.Column("enterprise_id", sa.Integer, sa.ForeignKey("enterprises.id"), nullable=False),
    sa.Column("answer_set_id", sa.Integer, sa.ForeignKey("answer_sets.id"), nullable=False),
    sa.Column("content_hash", sa.String(80), sa.ForeignKey("framework_specs.content_hash"),
              nullable=False),
    sa.Column("framework", sa.String(100), nullable=False),
    sa.Column("assessed_on", sa.Date, nullable=False),
    # UTC, ISO 8601 text: identical on both engines and in exports
    sa.Column("recorded_at", sa.String(40), nullable=False),
    # where the answers came from (a file name, "python", "import"), for provenance
    sa.Column("source", sa.String(500), nullable=True),
    sa.Column("total", sa.String(20), nullable=False),
    sa.Column("level", sa.String(100), nullable=True),
    # added in revision 0002 (backfilled from the body)
    sa.Column("level_rank", sa.Integer, nullable=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Index("ix_results_history", "enterprise_id", "framework", "assessed_on"),
)

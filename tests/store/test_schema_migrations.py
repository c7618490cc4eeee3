"""Alembic: the schema is reached from an empty database and from the first revision."""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import smesdk
from smesdk.framework import Framework
from smesdk.store import open_store
from smesdk.store.connect import make_engine
from smesdk.store.database import enterprise_key, spec_row
from smesdk.store.migrate_schema import current_revision, head_revision, upgrade
from smesdk.store.schema import metadata


def test_upgrade_from_empty_reaches_the_declared_schema(db_url: str) -> None:
    engine = make_engine(db_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision() == "0003"
    with engine.connect() as connection:
        # the migrations build exactly what schema.py declares (tables, columns, indexes)
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []


def test_upgrade_from_the_first_revision_keeps_and_backfills_rows(
        db_url: str, example_fw: Framework, example_answers: smesdk.AnswerSet) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    result = example_fw.assess(example_answers)
    # rows as a revision-0001 store wrote them (no level_rank column yet)
    with engine.begin() as connection:
        connection.execute(sa.table("framework_specs", *map(sa.column, spec_row(example_fw)))
                           .insert().values(**spec_row(example_fw)))
        connection.execute(sa.text("INSERT INTO enterprises (key, name) VALUES (:k, :n)"),
                           {"k": enterprise_key(example_answers.enterprise),
                            "n": example_answers.enterprise.name})
        connection.execute(sa.text("INSERT INTO answer_sets (enterprise_id, assessed_on, body) "
                                   "VALUES (1, :d, '{}')"), {"d": example_answers.date})
        connection.execute(sa.text(
            "INSERT INTO results (uid, enterprise_id, answer_set_id, content_hash, framework, "
            "assessed_on, recorded_at, source, total, level, body) VALUES ('u1', 1, 1, :h, "
            "'example', :d, '2026-11-01T00:00:00+00:00', NULL, '72.5000', 'standard', :b)"),
            {"h": example_fw.content_hash, "d": example_answers.date,
             "b": result.to_json(indent=None)})
    store = open_store(db_url)  # upgrades 0001 -> 0002 -> 0003
    assert current_revision(store.engine) == "0003"
    [entry] = store.history(example_answers.enterprise.name)
    assert (entry.uid, entry.total, entry.level) == ("u1", "72.5000", "standard")
    with store.engine.connect() as connection:
        rank = connection.execute(sa.text("SELECT level_rank FROM results")).scalar_one()
    # backfilled from the stored body: "standard" is the second of the example's levels (ranks count from 1)
    assert rank == json.loads(result.to_json())["level"]["rank"] == 2

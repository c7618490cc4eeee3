"""Store tests run on two real engines: a SQLite file and a PostgreSQL server.

PostgreSQL comes from $SMESDK_TEST_POSTGRES_URL (a superuser URL; .ci/run installs and
starts the server and sets it). Each test gets its own fresh database, dropped afterwards.
Without the URL the PostgreSQL cases skip, unless SMESDK_REQUIRE_POSTGRES is set (CI), where
they fail instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

if not os.environ.get("SMESDK_REQUIRE_POSTGRES"):  # in CI a missing extra must fail, not skip
    pytest.importorskip("sqlalchemy", reason="the store needs smesdk[store]")
import sqlalchemy as sa

import smesdk
from smesdk.framework import Framework

ROOT = Path(__file__).parents[2]
ANSWERS = ROOT / "examples" / "answers" / "example-small-firm.yaml"
POSTGRES_ENV = "SMESDK_TEST_POSTGRES_URL"
REQUIRE_ENV = "SMESDK_REQUIRE_POSTGRES"


def _postgres_admin() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"{REQUIRE_ENV} is set but {POSTGRES_ENV} names no server")
        pytest.skip(f"no PostgreSQL server ({POSTGRES_ENV} unset)")
    return url


def fresh_database(kind: str, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database of ``kind``, dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    admin_url = sa.make_url(_postgres_admin()).set(drivername="postgresql+psycopg")
    name = f"smesdk_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from fresh_database(request.param, tmp_path)


@pytest.fixture(scope="session")
def example_fw() -> Framework:
    return smesdk.load_framework("example")


@pytest.fixture(scope="session")
def example_answers() -> smesdk.AnswerSet:
    return smesdk.load_answers(ANSWERS)

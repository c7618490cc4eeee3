"""Engines for the store: a SQLite file by default, any PostgreSQL URL for platforms."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from smesdk.errors import SmesdkError

#: Environment variable naming the store (a URL or a SQLite file path).
STORE_ENV = "SMESDK_STORE"
#: The store used when neither --store nor SMESDK_STORE names one: a file in the working folder.
DEFAULT_FILE = "smesdk-store.sqlite"
#: Seconds a SQLite writer waits for another writer's lock before giving up.
SQLITE_LOCK_WAIT = 60


def store_url(target: str | Path | None = None) -> str:
    """A SQLAlchemy URL from a URL, a file path, $SMESDK_STORE or the default file."""
    text = str(target) if target is not None else os.environ.get(STORE_ENV) or DEFAULT_FILE
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).resolve()}"


def make_engine(url: str) -> sa.Engine:
    """An engine whose transactions are all or nothing, with concurrent writers queueing."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise SmesdkError([f"store: not a database URL or file path: {url!r} ({exc})"]) from None
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")  # psycopg 3, the extra's driver
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    if parsed.get_backend_name() != "postgresql":
        raise SmesdkError([f"store: {parsed.get_backend_name()!r} is not supported "
                           "(use a SQLite file or a postgresql:// URL)"])
    try:
        return sa.create_engine(parsed, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise SmesdkError([f"store: {exc.name} is missing: pip install 'smesdk[store]'"]) from None


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    if url.database and url.database != ":memory:":
        folder = Path(url.database).parent
        if not folder.is_dir():
            raise SmesdkError([f"store: folder {folder} does not exist"])
    engine = sa.create_engine(url, connect_args={"timeout": SQLITE_LOCK_WAIT})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from the sqlite3 module, so that "begin" below is the
        # only BEGIN; WAL lets readers read while one writer writes.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # IMMEDIATE: take the write lock at the start, so two writers queue (busy timeout)
        # instead of one failing when it upgrades a read lock that the other blocks.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine

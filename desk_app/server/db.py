"""The server's database: engines, sessions, migrations (SQLite file by default, PostgreSQL by URL).

SQLite allows one writer; a write transaction that starts as a reader and then upgrades can fail
with "database is locked" under load, so writes begin with ``BEGIN IMMEDIATE`` on a dedicated
engine while reads use another. On PostgreSQL both are the same pooled engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from desk_app.store.wal import use_wal

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
DEFAULT_URL = "sqlite:///desk-server.sqlite3"


def normalize_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (the only PostgreSQL driver installed)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
    use_wal(dbapi_connection)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _begin_deferred(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


@dataclass
class Database:
    url: str
    writer: Engine
    reader: Engine
    writes: sessionmaker[Session]
    reads: sessionmaker[Session]

    @property
    def is_postgres(self) -> bool:
        return self.writer.dialect.name == "postgresql"

    def dispose(self) -> None:
        self.writer.dispose()
        if self.reader is not self.writer:
            self.reader.dispose()


def _sqlite_engine(url: str, begin: Any) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", begin)
    return engine


def open_database(url: str, *, pool_size: int = 40) -> Database:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        writer = _sqlite_engine(url, _begin_immediate)
        reader = _sqlite_engine(url, _begin_deferred)
    else:
        writer = reader = create_engine(
            # As many connections as worker threads (40): a pool smaller than the load closes and
            # reopens connections all the time, and each new one is a PostgreSQL process.
            url,
            pool_size=pool_size,
            max_overflow=10,
            pool_pre_ping=True,
        )
    return Database(
        url=url,
        writer=writer,
        reader=reader,
        writes=sessionmaker(writer, expire_on_commit=False),
        reads=sessionmaker(reader, expire_on_commit=False),
    )


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def migrate(database: Database) -> None:
    from alembic import command

    command.upgrade(_alembic_config(database.writer), "head")


def is_initialized(database: Database) -> bool:
    with database.reader.connect() as connection:
        return inspect(connection).has_table("records")

"""Writing many rows in one round trip. On PostgreSQL: one statement over ``unnest`` of arrays
(a fixed SQL text, so nothing is recompiled per batch), sent straight to psycopg with the arrays
in binary format (the text format escapes every quote of every JSON document in Python, which
cost more than the rest of a push); on SQLite (in-process, no round trips): plain
executemany."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast

import psycopg
from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from desk_app.store.types import UtcDateTime

_PG_TYPES = {"seq": "bigint", "data": "json", "result": "json"}


def _pg_type(table: Table, name: str) -> str:
    if name in _PG_TYPES:
        return _PG_TYPES[name]
    return "timestamp" if isinstance(table.c[name].type, UtcDateTime) else "text"


def _pg_value(table: Table, name: str, value: Any) -> Any:
    column_type = table.c[name].type
    if isinstance(column_type, UtcDateTime):
        return column_type.process_bind_param(value, None)  # type: ignore[arg-type]
    if name in ("data", "result"):
        return json.dumps(value)
    return value


def arrays(table: Table, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {c: [_pg_value(table, c, row[c]) for row in rows] for c in columns}


def unnest_casts(table: Table, columns: Sequence[str]) -> str:
    """``unnest`` arguments: one typed array parameter per column, binary (``%(name)b``)."""
    return ", ".join(f"CAST(%({c})b AS {_pg_type(table, c)}[])" for c in columns)


def driver(session: Session) -> psycopg.Connection[Any]:
    """The psycopg connection under the session's transaction (flushed first)."""
    session.flush()
    return cast(psycopg.Connection[Any], session.connection().connection.driver_connection)


def as_dbapi_error(sql: str, params: Any, error: psycopg.Error) -> DBAPIError:
    """The error SQLAlchemy would have raised, so ``run_write`` retries races the same way."""
    wrapped = DBAPIError.instance(sql, params, error, psycopg.Error)
    assert isinstance(wrapped, DBAPIError)
    return wrapped


def _pg_execute(session: Session, sql: str, params: dict[str, Any]) -> None:
    try:
        driver(session).execute(sql, params)
    except psycopg.Error as error:
        raise as_dbapi_error(sql, params, error) from error


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), list(rows))
        return
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"SELECT * FROM unnest({unnest_casts(table, columns)})"
    )
    _pg_execute(session, sql, arrays(table, columns, rows))


def update_rows(
    session: Session, table: Table, keys: Sequence[str], rows: Sequence[dict[str, Any]]
) -> None:
    """Update rows matched on ``keys`` with the other columns of each row dict."""
    if not rows:
        return
    columns = list(rows[0])
    values = [c for c in columns if c not in keys]
    if session.get_bind().dialect.name != "postgresql":
        statement = (
            update(table)
            .where(*(table.c[k] == bindparam(f"k_{k}") for k in keys))
            .values({c: bindparam(c, type_=table.c[c].type) for c in values})
        )
        session.execute(statement, [{**r, **{f"k_{k}": r[k] for k in keys}} for r in rows])
        return
    sql = (
        f"UPDATE {table.name} AS t SET {', '.join(f'{c} = u.{c}' for c in values)} "
        f"FROM unnest({unnest_casts(table, columns)}) AS u({', '.join(columns)}) "
        f"WHERE {' AND '.join(f't.{k} = u.{k}' for k in keys)}"
    )
    _pg_execute(session, sql, arrays(table, columns, rows))

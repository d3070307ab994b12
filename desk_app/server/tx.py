"""Running a write transaction with retries for the races a database resolves by failing one side
(a unique key taken by a concurrent push, a PostgreSQL deadlock, SQLite busy)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from fastapi import HTTPException
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from desk_app.server.db import Database

T = TypeVar("T")
RETRYABLE_PG_CODES = {"40001", "40P01", "55P03"}  # serialization, deadlock, lock not available


def _retryable(error: DBAPIError) -> bool:
    if isinstance(error, IntegrityError):
        return True
    code = getattr(error.orig, "sqlstate", None)
    if code in RETRYABLE_PG_CODES:
        return True
    return isinstance(error, OperationalError) and "locked" in str(error.orig).lower()


def run_write(database: Database, work: Callable[[Session], T], attempts: int = 6) -> T:
    """One transaction around ``work``; retried from scratch when a race made it fail."""
    for attempt in range(attempts):
        try:
            with database.writes.begin() as session:
                return work(session)
        except DBAPIError as error:
            if not _retryable(error):
                raise
            if attempt == attempts - 1:
                raise HTTPException(503, "the server is busy; retry") from error
            time.sleep(0.005 * 2**attempt)
    raise AssertionError("unreachable")

"""The ASGI application: routes, the long-poll waker's lifetime, errors as JSON (never a 500 for
bad input: validation is in the schemas; a database that is down is a 503)."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError

from desk_app.server import account_routes, sync_routes, team_routes
from desk_app.server.auth import TokenCache
from desk_app.server.committer import GroupCommitter
from desk_app.server.db import DEFAULT_URL, Database, is_initialized, open_database
from desk_app.server.feed import read_counter
from desk_app.server.pages import PageCache
from desk_app.server.ring import ChangeRing, RingFeeder
from desk_app.server.schemas import Health
from desk_app.server.waker import Waker

log = logging.getLogger(__name__)
DATABASE_ENV = "DESK_SERVER_DATABASE"


def create_app(database: Database) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not is_initialized(database):
            raise RuntimeError("the server database is not initialized: run desk-server init-db")
        with database.reads() as session:
            app.state.epoch = read_counter(session, "epoch")
        await app.state.waker.start(database)
        feeder = RingFeeder(app.state.ring, app.state.waker)
        feeder.start(database)
        try:
            yield
        finally:
            await feeder.stop()
            await app.state.waker.stop()
            app.state.committer.close()
            database.dispose()

    app = FastAPI(
        title="Desk server",
        version="1",
        description="Central server for Desk workstations: sync, presence, team settings.",
        lifespan=lifespan,
        # Answers any route may give besides its own: a body that is not JSON, no or a stale
        # session, a role that may not, a database that is down for a moment.
        responses={
            400: {"description": "Malformed request body"},
            401: {"description": "Not signed in"},
            403: {"description": "The caller's role may not do this"},
            503: {"description": "Database unavailable or busy; retry"},
        },
    )
    app.state.db = database
    app.state.waker = Waker()
    app.state.tokens = TokenCache()
    app.state.pages = PageCache()
    app.state.ring = ChangeRing()
    app.state.committer = GroupCommitter(database, app.state.waker.bump_threadsafe)
    app.include_router(account_routes.router)
    app.include_router(sync_routes.router)
    app.include_router(team_routes.router)

    @app.get("/health", response_model=Health, tags=["health"])
    def health() -> Health:
        with database.reads() as session:
            seq = read_counter(session, "seq")
        return Health(ok=True, database=database.writer.dialect.name, seq=seq)

    @app.exception_handler(OperationalError)
    async def database_down(_request: Request, error: OperationalError) -> JSONResponse:
        log.warning("database error: %s", error)
        return JSONResponse({"detail": "database unavailable; retry"}, status_code=503)

    return app


def create_app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (and ``desk-server serve`` with several workers)."""
    return create_app(open_database(os.environ.get(DATABASE_ENV, DEFAULT_URL)))

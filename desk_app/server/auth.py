"""Who is calling, and may they: bearer-token authentication and role checks for every route.

Token lookups are cached for a few seconds per process (a push-heavy workstation would otherwise
add a query to every request); signing out removes the token at once here and within
``CACHE_SECONDS`` on the other server processes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select

from desk_app.domain.enums import Role
from desk_app.server.apply import Actor
from desk_app.server.db import Database
from desk_app.server.models import SessionToken, User
from desk_app.server.security import token_hash
from desk_app.store.types import utcnow

TOKEN_LIFETIME = timedelta(days=30)
CACHE_SECONDS = 5.0
PRODUCTION = (Role.AGENT, Role.LEAD, Role.ADMIN)  # trainees never touch production data
MANAGERS = (Role.LEAD, Role.ADMIN)

bearer = HTTPBearer(auto_error=False, description="Session token from POST /auth/login")


class TokenCache:
    def __init__(self) -> None:
        self._items: dict[str, tuple[Actor, float]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Actor | None:
        with self._lock:
            item = self._items.get(key)
            if item is None or item[1] < time.monotonic():
                self._items.pop(key, None)
                return None
            return item[0]

    def put(self, key: str, actor: Actor) -> None:
        with self._lock:
            if len(self._items) > 10_000:
                self._items.clear()
            self._items[key] = (actor, time.monotonic() + CACHE_SECONDS)

    def drop(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)


def database_of(request: Request) -> Database:
    database: Database = request.app.state.db
    return database


def lookup(database: Database, key: str) -> Actor | None:
    with database.reads() as session:
        row = session.execute(
            select(User, SessionToken.expires_at)
            .join(SessionToken, SessionToken.user_id == User.id)
            .where(SessionToken.token_hash == key)
        ).first()
    if row is None:
        return None
    user, expires_at = row
    if not user.active or expires_at < utcnow():
        return None
    return Actor(id=user.id, role=Role(user.role), team_id=user.team_id, name=user.display_name)


async def current_actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    """Async, so the usual case (a cached token) costs no hop to a worker thread."""
    if credentials is None or not credentials.credentials:
        raise HTTPException(401, "sign in first", headers={"WWW-Authenticate": "Bearer"})
    key = token_hash(credentials.credentials)
    cache: TokenCache = request.app.state.tokens
    actor = cache.get(key)
    if actor is None:
        actor = await run_in_threadpool(lookup, database_of(request), key)
        if actor is None:
            raise HTTPException(401, "session expired or unknown", {"WWW-Authenticate": "Bearer"})
        cache.put(key, actor)
    return actor


def require(*roles: Role) -> Callable[[Actor], Awaitable[Actor]]:
    allowed = frozenset(roles)

    async def check(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        if actor.role not in allowed:
            raise HTTPException(403, f"the {actor.role.value} role may not do this")
        return actor

    return check


production = require(*PRODUCTION)
managers = require(*MANAGERS)
admins = require(Role.ADMIN)

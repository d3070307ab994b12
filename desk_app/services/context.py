"""What every service needs for one profile: sessions, the clock, who is working, the bus."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from desk_app.services.changes import ChangeBus
from desk_app.store.match_keys import keep_keys_current
from desk_app.store.types import utcnow


@dataclass
class ServiceContext:
    sessions: sessionmaker[Session]
    agent_id: str | None = None  # the operator at this workstation
    now: Callable[[], datetime] = utcnow
    bus: ChangeBus = field(default_factory=ChangeBus)

    def __post_init__(self) -> None:
        # Every commit on this profile's engine (this context's writes, sync apply, demo
        # seeding: anything that commits) first re-keys the customers it changed.
        bind = self.sessions.kw.get("bind")
        if isinstance(bind, Engine):
            keep_keys_current(bind)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: commits on success, rolls back on any error. Customers it changed
        are re-keyed for duplicate detection just before the commit (``store.match_keys``)."""
        with self.sessions.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

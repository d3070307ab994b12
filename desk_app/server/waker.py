"""Waking long-polls when the change sequence moves, whichever server process moved it.

Pushes in this process bump the waker directly. Other processes are heard through PostgreSQL
``LISTEN desk_changes`` (the push transaction sends the NOTIFY), or on SQLite by polling the
counter every 100 ms. A slow poll also runs on PostgreSQL as a safety net if the listening
connection drops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from sqlalchemy.engine import make_url

from desk_app.server.db import Database
from desk_app.server.feed import CHANNEL, read_counter

log = logging.getLogger(__name__)


class Waker:
    def __init__(self) -> None:
        self.latest = 0
        self._event = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task[None]] = []

    # -- signalling ----------------------------------------------------------------------------
    def _bump(self, seq: int) -> None:
        if seq > self.latest:
            self.latest = seq
            event, self._event = self._event, asyncio.Event()
            event.set()

    def bump_threadsafe(self, seq: int | None) -> None:
        """Called from worker threads after a commit."""
        if seq is not None and self._loop is not None:
            self._loop.call_soon_threadsafe(self._bump, seq)

    async def wait_beyond(self, seq: int, timeout: float) -> bool:
        """Wait until the sequence passes ``seq`` (True) or the timeout ends (False)."""
        if self.latest > seq:
            return True
        event = self._event
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            return False
        return True

    # -- sources -------------------------------------------------------------------------------
    async def start(self, database: Database) -> None:
        self._loop = asyncio.get_running_loop()
        self._bump(await asyncio.to_thread(self._read, database))
        if database.is_postgres:
            self._tasks.append(asyncio.create_task(self._listen(database.url)))
            self._tasks.append(asyncio.create_task(self._poll(database, 2.0)))
        else:
            self._tasks.append(asyncio.create_task(self._poll(database, 0.1)))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()

    @staticmethod
    def _read(database: Database) -> int:
        with database.reads() as session:
            return read_counter(session, "seq")

    async def _poll(self, database: Database, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                self._bump(await asyncio.to_thread(self._read, database))
            except Exception:  # the database may be restarting; keep polling
                log.debug("waker poll failed", exc_info=True)

    async def _listen(self, url: str) -> None:
        import psycopg

        conninfo = make_url(url).set(drivername="postgresql").render_as_string(False)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    conninfo, autocommit=True
                ) as connection:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    async for note in connection.notifies():
                        self._bump(_as_int(note.payload, self.latest))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("LISTEN connection lost; reconnecting", exc_info=True)
                await asyncio.sleep(1.0)


def _as_int(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default


Bump = Callable[[int | None], None]

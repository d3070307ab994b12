"""The per-process change feed (Zulip's event queue idea): recent changes in memory, encoded once.

When the sequence moves (a push in this process, ``NOTIFY`` from another, the SQLite counter
poll), ONE task per server process reads the new rows once (``seq > head``: commits happen in
seq order, so what is committed is always a prefix) and appends them to a ring of
pre-encoded JSON records keyed by seq. Every waiting long-poll is then answered from memory by
joining bytes, filtered per actor by the same rule as the database path (``Actor.sees``, the
rule behind ``visible_records``). A record changed again is dropped from its old slot, as the
database would no longer return it there. A cursor older than the ring (or one this process has
not heard of) takes the database path in ``pages.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from bisect import bisect_right
from typing import Any

from sqlalchemy import Text, cast, select

from desk_app.server.apply import Actor
from desk_app.server.db import Database
from desk_app.server.models import Record
from desk_app.server.pages import Page, encode_record
from desk_app.server.waker import Waker

log = logging.getLogger(__name__)
CAPACITY = 50_000  # records kept (a few MB): minutes of traffic for a busy team
READ_CHUNK = 5_000


class _Entry:
    __slots__ = ("body", "key", "seq", "team_id")

    def __init__(self, key: tuple[str, str], seq: int, team_id: str | None, body: bytes) -> None:
        self.key = key
        self.seq = seq
        self.team_id = team_id
        self.body: bytes | None = body  # None once the record moved to a later seq


class ChangeRing:
    """Changes with ``floor < seq <= head``, in seq order; ``covers`` says when to use it."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self.floor = -1
        self.head = -1  # -1 until started: covers nothing
        self._seqs: list[int] = []
        self._entries: list[_Entry] = []
        self._latest: dict[tuple[str, str], _Entry] = {}
        self._event = asyncio.Event()

    def start_at(self, head: int) -> None:
        self.floor = self.head = head

    def covers(self, after: int) -> bool:
        return 0 <= self.floor <= after <= self.head

    def extend(self, rows: list[Any], head: int) -> None:
        """Append rows ``(kind, id, seq, team_id, data_json)`` read after ``self.head``; every
        change up to ``head`` is then known here."""
        for kind, record_id, seq, team_id, data in rows:
            key = (kind, record_id)
            entry = _Entry(key, seq, team_id, encode_record(kind, record_id, seq, data))
            older = self._latest.get(key)
            if older is not None:
                older.body = None
            self._latest[key] = entry
            self._seqs.append(seq)
            self._entries.append(entry)
        if len(self._entries) > self.capacity:
            self._evict(len(self._entries) - self.capacity * 3 // 4)
        if head > self.head:
            self.head = head
            event, self._event = self._event, asyncio.Event()
            event.set()

    def _evict(self, count: int) -> None:
        for entry in self._entries[:count]:
            if self._latest.get(entry.key) is entry:
                del self._latest[entry.key]
        self.floor = self._seqs[count - 1]
        del self._seqs[:count], self._entries[:count]

    def page(self, actor: Actor, after: int, limit: int, epoch: int) -> Page:
        """What ``actor`` may see after ``after`` (``covers(after)`` must hold), like
        ``pages.read_changes`` with ``head`` = the ring's head."""
        records: list[bytes] = []
        last = after
        entries = self._entries
        for index in range(bisect_right(self._seqs, after), len(entries)):
            entry = entries[index]
            if entry.body is None or not actor.sees(entry.team_id):
                continue
            if len(records) == limit:
                return Page(cursor=f"{epoch}-{last}", more=True, records=records)
            records.append(entry.body)
            last = entry.seq
        return Page(cursor=f"{epoch}-{self.head}", more=False, records=records)

    async def wait_beyond(self, seq: int, timeout: float) -> bool:
        """Wait until the ring's head passes ``seq`` (True) or the timeout ends (False)."""
        if self.head > seq:
            return True
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            return False
        return True


class RingFeeder:
    """The one task per process that moves the ring's head up to the waker's."""

    def __init__(self, ring: ChangeRing, waker: Waker) -> None:
        self.ring = ring
        self.waker = waker
        self._task: asyncio.Task[None] | None = None

    def start(self, database: Database) -> None:
        self.ring.start_at(self.waker.latest)
        self._task = asyncio.create_task(self._run(database))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def _run(self, database: Database) -> None:
        while True:
            target = self.waker.latest
            if target <= self.ring.head:
                await self.waker.wait_beyond(self.ring.head, 5.0)
                continue
            try:
                rows = await asyncio.to_thread(_read_after, database, self.ring.head)
            except Exception:  # the database may be restarting; the waker will call again
                log.warning("change ring read failed", exc_info=True)
                await asyncio.sleep(0.5)
                continue
            last = rows[-1][2] if rows else target
            # A full chunk may stop short of the target; otherwise all up to it is here.
            self.ring.extend(rows, last if len(rows) == READ_CHUNK else max(target, last))


def _read_after(database: Database, after: int) -> list[Any]:
    with database.reads() as session:
        return list(
            session.execute(
                select(Record.kind, Record.id, Record.seq, Record.team_id, cast(Record.data, Text))
                .where(Record.seq > after)
                .order_by(Record.seq)
                .limit(READ_CHUNK)
            ).all()
        )

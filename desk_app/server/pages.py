"""Answers to a pull, read from the database: the path for cursors older than this process's
change ring (``ring.py``), a desk catching up, or a cursor this process has not heard of yet.

Records are stored as JSON and go out as stored, never parsed and re-serialized (that would
dominate the server's CPU under load).
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Text, cast
from sqlalchemy.orm import Session

from desk_app.server.apply import MANAGERS, Actor, visible_records
from desk_app.server.feed import read_counter
from desk_app.server.models import Record


def encode_record(kind: str, record_id: str, seq: int, data: str) -> bytes:
    """One change as the wire has it (``RecordOut``), ``data`` being the stored JSON text."""
    return (
        f'{{"kind": {json.dumps(kind)}, "id": {json.dumps(record_id)}, "seq": {seq}, '
        f'"data": {data}}}'
    ).encode()


@dataclass(frozen=True)
class Page:
    """One answer to a pull (``ChangesResponse``), its records already encoded."""

    cursor: str
    more: bool
    records: Sequence[bytes]

    @cached_property
    def body(self) -> bytes:
        """Built once: the same page answers every workstation waiting on the same range."""
        head = json.dumps({"cursor": self.cursor, "more": self.more})[:-1].encode()
        return b"".join((head, b', "changes": [', b", ".join(self.records), b"]}"))


def read_changes(
    session: Session, actor: Actor, after: int, head: int, limit: int, epoch: int
) -> Page | None:
    """Records visible to ``actor`` with ``after < seq <= head``; None when ``after`` is ahead
    of the server. Everything at or below ``head`` is committed (feed.py), so nothing is
    skipped."""
    if after > head:
        head = read_counter(session, "seq")  # this process may not have heard of it yet
        if after > head:
            return None
    rows = session.execute(
        visible_records(actor)
        .with_only_columns(Record.kind, Record.id, Record.seq, cast(Record.data, Text))
        .where(Record.seq > after, Record.seq <= head)
        .order_by(Record.seq)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1][2] if more else head
    records = [encode_record(kind, rid, seq, data) for kind, rid, seq, data in rows]
    return Page(cursor=f"{epoch}-{last}", more=more, records=records)


class PageCache:
    """Single-flight database reads. Desks catching up after the same change ask for the same
    range; one query answers all of them. A page for (scope, after, head, limit) stays correct:
    a record moved past ``head`` by a later change is sent again with its new seq."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._pages: OrderedDict[tuple[object, ...], asyncio.Future[Page | None]] = OrderedDict()

    async def get(
        self, key: tuple[object, ...], load: Callable[[], Awaitable[Page | None]]
    ) -> Page | None:
        future = self._pages.get(key)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._pages[key] = future
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
            try:
                future.set_result(await load())
            except Exception as error:
                self._pages.pop(key, None)
                future.set_exception(error)
                raise
        return await asyncio.shield(future)


def scope_of(actor: Actor) -> str | None:
    """Actors with the same scope see the same records (visible_records)."""
    return "*" if actor.role in MANAGERS else actor.team_id

"""Writing the change feed: documents staged during one transaction get their ``seq`` at the end.

Seq numbers come from the ``counters`` row, incremented in the same transaction just before
commit. On PostgreSQL that row lock is held until commit, so transactions commit in seq order
and a reader never sees seq N while a smaller one is still invisible — a pull can trust
``seq > cursor`` (what Anki's USN gives a single database). The same transaction sends
``NOTIFY desk_changes`` so every server process wakes its long-polls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from desk_app.server.models import Counter, Record

CHANNEL = "desk_changes"


def bump_counter(session: Session, name: str, by: int = 1) -> int:
    """Add ``by`` to a counter and return its new value (row-locked until commit)."""
    value = session.execute(
        update(Counter)
        .where(Counter.name == name)
        .values(value=Counter.value + by)
        .returning(Counter.value)
    ).scalar_one()
    return int(value)


def read_counter(session: Session, name: str) -> int:
    return int(session.scalar(select(Counter.value).where(Counter.name == name)) or 0)


@dataclass
class Feed:
    """Stages record writes for one transaction and stamps them with seqs in ``commit_seqs``."""

    session: Session
    postgres: bool
    _staged: dict[tuple[str, str], Record] = field(default_factory=dict)
    _order: list[tuple[str, str]] = field(default_factory=list)

    def get(self, kind: str, record_id: str) -> Record | None:
        """The record as this transaction sees it, row-locked on PostgreSQL for the update."""
        key = (kind, record_id)
        if key in self._staged:
            return self._staged[key]
        return self.session.scalars(
            select(Record).where(Record.kind == kind, Record.id == record_id).with_for_update()
        ).first()

    def by_dedupe_key(self, dedupe_key: str) -> Record | None:
        for record in self._staged.values():
            if record.dedupe_key == dedupe_key:
                return record
        return self.session.scalars(
            select(Record).where(Record.dedupe_key == dedupe_key).with_for_update()
        ).first()

    def put(
        self,
        kind: str,
        record_id: str,
        data: dict[str, Any],
        *,
        team_id: str | None = None,
        dedupe_key: str | None = None,
        keep_team: bool = True,
    ) -> Record:
        """Insert or replace a document; it gets a new seq at commit."""
        record = self.get(kind, record_id)
        if record is None:
            record = Record(kind=kind, id=record_id, team_id=team_id, dedupe_key=dedupe_key)
        else:
            if not keep_team:
                record.team_id = team_id
            if dedupe_key is not None:
                record.dedupe_key = dedupe_key
        record.data = dict(data)  # a new object, so the ORM sees the change
        key = (kind, record_id)
        if key not in self._staged:
            self._staged[key] = record
            self._order.append(key)
        return record

    @property
    def touched(self) -> bool:
        return bool(self._order)

    def commit_seqs(self) -> int | None:
        """Number the staged records (in the order they were touched) and notify. Call last."""
        if not self._order:
            return None
        last = bump_counter(self.session, "seq", len(self._order))
        first = last - len(self._order) + 1
        for offset, key in enumerate(self._order):
            record = self._staged[key]
            record.seq = first + offset
            self.session.add(record)
        self.session.flush()
        if self.postgres:
            self.session.execute(text("SELECT pg_notify(:c, :p)"), {"c": CHANNEL, "p": str(last)})
        self._staged.clear()
        self._order.clear()
        return last

"""Writing the change feed: documents staged during one transaction get their ``seq`` at the end.

Seq numbers come from the ``counters`` row, incremented in the same transaction just before
commit. On PostgreSQL that row lock is held until commit, so transactions commit in seq order
and a reader never sees seq N while a smaller one is still invisible — a pull can trust
``seq > cursor`` (what Anki's USN gives a single database). The same transaction sends
``NOTIFY desk_changes`` so every server process wakes its long-polls.

Because every writer queues on that row, the locked stretch must be short: on PostgreSQL the
counter bump, the record writes and the NOTIFY are one statement, sent with the ``COMMIT`` in one
pipeline (:meth:`Feed.commit_seqs` with ``commit=True``), so the lock is held for the statement
and the commit's WAL flush only — no client round trip, no Python, no GIL wait in between.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

import psycopg
from sqlalchemy import Table, select, text, update
from sqlalchemy.orm import Session

from desk_app.server.bulk import (
    arrays,
    as_dbapi_error,
    driver,
    insert_rows,
    unnest_casts,
    update_rows,
)
from desk_app.server.models import Counter, Record
from desk_app.store.types import utcnow

CHANNEL = "desk_changes"
RECORDS = cast(Table, Record.__table__)
_WRITTEN = ("kind", "id", "team_id", "dedupe_key", "data", "updated_at")
_SET = ", ".join(f"{c} = s.{c}" for c in ("seq", *_WRITTEN[2:]))
# One statement: take the seqs (row-locking the counter), queue the NOTIFY, insert the new
# records and update the stored ones, numbered in staging order (WITH ORDINALITY).
_PG_WRITE = f"""
WITH counter AS (
    UPDATE counters SET value = value + %(n)s WHERE name = 'seq'
    RETURNING value, pg_notify(%(channel)s, value::text)
), staged AS (
    SELECT u.*, counter.value - %(n)s + u.ord AS seq
    FROM counter, unnest({unnest_casts(RECORDS, _WRITTEN)}, CAST(%(stored)b AS boolean[]))
        WITH ORDINALITY AS u({", ".join(_WRITTEN)}, stored, ord)
), inserted AS (
    INSERT INTO records (seq, {", ".join(_WRITTEN)})
    SELECT seq, {", ".join(_WRITTEN)} FROM staged WHERE NOT stored
), updated AS (
    UPDATE records AS t SET {_SET}
    FROM staged AS s WHERE s.stored AND t.kind = s.kind AND t.id = s.id
)
SELECT value FROM counter
"""


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
class Doc:
    """A record as one push sees it: plain data, written back in bulk at the end."""

    kind: str
    id: str
    data: dict[str, Any]
    team_id: str | None = None
    dedupe_key: str | None = None
    seq: int = 0
    stored: bool = False  # already a row (UPDATE) or new (INSERT)


@dataclass
class Feed:
    """Stages record writes for one transaction and stamps them with seqs in ``commit_seqs``.

    Records a push will touch are loaded (and row-locked) in one query up front
    (:meth:`prefetch`); later lookups are answered from memory, so applying a mutation costs
    no round trip, and the writes go out as one INSERT and one batched UPDATE at the end.
    """

    session: Session
    postgres: bool
    _staged: dict[tuple[str, str], Doc] = field(default_factory=dict)
    _order: list[tuple[str, str]] = field(default_factory=list)
    _loaded: dict[tuple[str, str], Doc] = field(default_factory=dict)
    _known_ids: set[str] = field(default_factory=set)  # ids whose records are all in _loaded
    _by_dedupe: dict[str, Doc] = field(default_factory=dict)
    _known_dedupe: set[str] = field(default_factory=set)

    def _load(self, condition: Any) -> None:
        columns = (Record.kind, Record.id, Record.data, Record.team_id, Record.dedupe_key)
        # Locked in (kind, id) order: two pushes over the same tickets queue, never deadlock.
        query = (
            select(*columns, Record.seq)
            .where(condition)
            .order_by(Record.kind, Record.id)
            .with_for_update()
        )
        for kind, rid, data, team, dedupe, seq in self.session.execute(query):
            doc = Doc(kind, rid, data, team, dedupe, seq, stored=True)
            self._loaded[(kind, rid)] = doc
            if dedupe is not None:
                self._by_dedupe[dedupe] = doc

    def prefetch(self, ids: set[str], dedupe_keys: Iterable[str] = ()) -> None:
        ids = ids - self._known_ids
        if ids:
            self._load(Record.id.in_(sorted(ids)))
            self._known_ids |= ids
        keys = set(dedupe_keys) - self._known_dedupe
        if keys:
            self._load(Record.dedupe_key.in_(sorted(keys)))
            self._known_dedupe |= keys

    def get(self, kind: str, record_id: str) -> Doc | None:
        """The record as this transaction sees it, row-locked on PostgreSQL for the update."""
        key = (kind, record_id)
        if key in self._staged:
            return self._staged[key]
        if key not in self._loaded and record_id not in self._known_ids:
            self.prefetch({record_id})
        return self._loaded.get(key)

    def by_dedupe_key(self, dedupe_key: str) -> Doc | None:
        if dedupe_key not in self._known_dedupe:
            self.prefetch(set(), {dedupe_key})
        return self._by_dedupe.get(dedupe_key)

    def put(
        self,
        kind: str,
        record_id: str,
        data: dict[str, Any],
        *,
        team_id: str | None = None,
        dedupe_key: str | None = None,
        keep_team: bool = True,
    ) -> Doc:
        """Insert or replace a document; it gets a new seq at commit."""
        key = (kind, record_id)
        doc = self.get(kind, record_id)
        if doc is None:
            doc = Doc(kind, record_id, dict(data), team_id, dedupe_key)
        else:
            doc.data = dict(data)
            if not keep_team:
                doc.team_id = team_id
            if dedupe_key is not None:
                doc.dedupe_key = dedupe_key
        if doc.dedupe_key is not None:
            self._by_dedupe[doc.dedupe_key] = doc
        if key not in self._staged:
            self._staged[key] = doc
            self._order.append(key)
        return doc

    def _next_seqs(self, count: int) -> int:
        """Take ``count`` seqs (locking the counter until commit); on PostgreSQL the same
        statement queues the NOTIFY that wakes long-polls in every server process at commit."""
        if not self.postgres:
            return bump_counter(self.session, "seq", count)
        return int(
            self.session.execute(
                text(
                    "UPDATE counters SET value = value + :n WHERE name = 'seq' "
                    "RETURNING value, pg_notify(:channel, value::text)"
                ),
                {"n": count, "channel": CHANNEL},
            ).one()[0]
        )

    @property
    def touched(self) -> bool:
        return bool(self._order)

    def commit_seqs(self, *, commit: bool = False) -> int | None:
        """Number the staged records (in the order they were touched), write them and notify.
        Call last: from here the counter row stays locked until commit. With ``commit`` (the
        caller does nothing else in this transaction) PostgreSQL commits here, in the same
        round trip as the writes; SQLite (one writer, in-process) leaves it to the caller."""
        if not self._order:
            return None
        docs = [self._staged[key] for key in self._order]
        self._staged.clear()
        self._order.clear()
        last = self._write_and_commit(docs) if self.postgres and commit else self._write(docs)
        first = last - len(docs) + 1
        for offset, doc in enumerate(docs):
            doc.seq = first + offset
            doc.stored = True
        return last

    def _write(self, docs: list[Doc]) -> int:
        last = self._next_seqs(len(docs))
        first = last - len(docs) + 1
        now = utcnow()
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for offset, doc in enumerate(docs):
            row = _row(doc, now) | {"seq": first + offset}
            (updates if doc.stored else inserts).append(row)
        insert_rows(self.session, RECORDS, inserts)
        update_rows(self.session, RECORDS, ("kind", "id"), updates)
        return last

    def _write_and_commit(self, docs: list[Doc]) -> int:
        """The PostgreSQL write statement and COMMIT in one pipeline (one round trip)."""
        connection = driver(self.session)  # flushed: nothing of the ORM is left for later
        now = utcnow()
        params = arrays(RECORDS, _WRITTEN, [_row(doc, now) for doc in docs])
        params |= {"n": len(docs), "channel": CHANNEL, "stored": [d.stored for d in docs]}
        try:
            with connection.pipeline():
                cursor = connection.execute(_PG_WRITE, params)
                connection.commit()
            row = cursor.fetchone()
        except psycopg.Error as error:  # the caller retries races as for any statement
            raise as_dbapi_error(_PG_WRITE, params, error) from error
        assert row is not None
        return int(row[0])


def _row(doc: Doc, now: Any) -> dict[str, Any]:
    return {
        "kind": doc.kind,
        "id": doc.id,
        "team_id": doc.team_id,
        "dedupe_key": doc.dedupe_key,
        "data": doc.data,
        "updated_at": now,
    }

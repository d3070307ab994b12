"""The simulated channel used by the demo profile and the training sandbox.

It stands in for a provider: a small SQLite file inside the profile ("the remote") keeps what
customers wrote (the inbox) and what Desk delivered (the deliveries). Replies go through the same
outbox path as real channels. The remote records every send call as a delivery — a duplicate
would reach the "customer" twice — and can answer "was this key delivered?" the way email's Sent
folder can (ResendSafety.LOOKUP). Tests can switch a connector to the other resend-safety modes
to exercise each path of the outbox.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from desk_app.channels.base import (
    Capabilities,
    FetchResult,
    IncomingAuthor,
    IncomingItem,
    OutgoingReply,
    PermanentError,
    ResendSafety,
    SendReceipt,
    TransientError,
)
from desk_app.domain.enums import Channel
from desk_app.store.wal import use_wal

REMOTE_FILE = "simulated_remote.sqlite3"  # the simulated provider's file inside a profile

MAX_REPLY_CHARS: dict[Channel, int | None] = {
    Channel.EMAIL: None,
    Channel.GOOGLE_PLAY: 350,
    Channel.APP_STORE: 5970,
    Channel.TELEGRAM: 4096,
    Channel.FACEBOOK: 2000,
    Channel.YOUTUBE: 10000,
    Channel.X: 10000,
    Channel.VK: 9000,
}


@dataclass(frozen=True)
class Delivery:
    """One reply as the simulated provider received it."""

    seq: int
    send_key: str
    channel: Channel
    recipient: str
    body: str
    delivered_at: datetime


_SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    item TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    send_key TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    body TEXT NOT NULL,
    delivered_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS deliveries_key ON deliveries(send_key);
CREATE TABLE IF NOT EXISTS faults (
    channel TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    message TEXT NOT NULL
);
"""


class SimulatedRemote:
    """The provider side of the simulation, safe to open from several processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        use_wal(db)
        return db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction on the remote, for callers that change several things at once
        (the sandbox posts a customer's answer and advances the scenario together)."""
        with self._lock:
            db = self._connect()
            try:
                db.execute("BEGIN IMMEDIATE")
                yield db
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            finally:
                db.close()

    # customers writing in
    def post_incoming(
        self, channel: Channel, item: IncomingItem, db: sqlite3.Connection | None = None
    ) -> None:
        data = asdict(item)
        data["sent_at"] = item.sent_at.isoformat()
        row = (channel.value, json.dumps(data, ensure_ascii=False))
        if db is not None:
            db.execute("INSERT INTO inbox(channel, item) VALUES (?, ?)", row)
            return
        with self.transaction() as own:
            own.execute("INSERT INTO inbox(channel, item) VALUES (?, ?)", row)

    def incoming_since(
        self, channel: Channel, after_seq: int, limit: int
    ) -> list[tuple[int, IncomingItem]]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT seq, item FROM inbox WHERE channel = ? AND seq > ? ORDER BY seq LIMIT ?",
                (channel.value, after_seq, limit),
            ).fetchall()
        return [(seq, _item_from_json(raw)) for seq, raw in rows]

    # Desk replying
    def deliver(self, channel: Channel, reply: OutgoingReply, *, dedupe: bool = False) -> None:
        """Record a delivery. With ``dedupe`` a repeated send key is absorbed (like VK's
        ``random_id``); without it every call reaches the customer."""
        now = datetime.now(UTC).isoformat()
        with self._lock, self._connect() as db:
            fault = db.execute(
                "SELECT kind, message FROM faults WHERE channel = ?", (channel.value,)
            ).fetchone()
            if fault is not None:
                kind, message = fault
                if kind == "permanent":
                    raise PermanentError(message)
                raise TransientError(message)
            if dedupe and self._count(db, reply.send_key):
                return
            db.execute(
                "INSERT INTO deliveries(send_key, channel, recipient, body, delivered_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (reply.send_key, channel.value, reply.recipient_external_id, reply.body_text, now),
            )

    @staticmethod
    def _count(db: sqlite3.Connection, send_key: str) -> int:
        row = db.execute(
            "SELECT count(*) FROM deliveries WHERE send_key = ?", (send_key,)
        ).fetchone()
        return int(row[0])

    def delivery_count(self, send_key: str) -> int:
        with self._connect() as db:
            return self._count(db, send_key)

    def deliveries_since(self, after_seq: int) -> list[Delivery]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT seq, send_key, channel, recipient, body, delivered_at FROM deliveries"
                " WHERE seq > ? ORDER BY seq",
                (after_seq,),
            ).fetchall()
        return [
            Delivery(int(q), str(k), Channel(c), str(r), str(b), datetime.fromisoformat(t))
            for q, k, c, r, b, t in rows
        ]

    def deliveries(self) -> list[tuple[str, str, str]]:
        """(send_key, channel, body) of every delivery, duplicates included."""
        with self._connect() as db:
            rows = db.execute("SELECT send_key, channel, body FROM deliveries ORDER BY seq")
            return [(str(k), str(c), str(b)) for k, c, b in rows]

    def set_fault(self, channel: Channel, kind: str | None, message: str = "") -> None:
        """Make the provider fail (``transient``/``permanent``) or recover (None), for tests and
        for the sandbox's "the network is down" exercise."""
        with self._lock, self._connect() as db:
            if kind is None:
                db.execute("DELETE FROM faults WHERE channel = ?", (channel.value,))
            else:
                db.execute(
                    "INSERT OR REPLACE INTO faults(channel, kind, message) VALUES (?, ?, ?)",
                    (channel.value, kind, message),
                )


def _item_from_json(raw: str) -> IncomingItem:
    data = json.loads(raw)
    data["author"] = IncomingAuthor(**data["author"])
    data["sent_at"] = datetime.fromisoformat(data["sent_at"])
    data["in_reply_to"] = tuple(data.get("in_reply_to") or ())
    return IncomingItem(**data)


class SimulatedConnector:
    """A connector for one channel backed by :class:`SimulatedRemote`."""

    PAGE = 100

    def __init__(
        self,
        channel: Channel,
        remote: SimulatedRemote,
        resend_safety: ResendSafety = ResendSafety.LOOKUP,
    ) -> None:
        self.channel = channel
        self.remote = remote
        self.capabilities = Capabilities(
            max_reply_chars=MAX_REPLY_CHARS[channel],
            resend_safety=resend_safety,
            supports_subject=channel is Channel.EMAIL,
            can_reply_publicly_only=channel
            in (Channel.GOOGLE_PLAY, Channel.APP_STORE, Channel.YOUTUBE),
        )

    def fetch(self, cursor: str | None) -> FetchResult:
        after = int(cursor or 0)
        rows = self.remote.incoming_since(self.channel, after, self.PAGE)
        if not rows:
            return FetchResult(items=[], cursor=cursor)
        return FetchResult(
            items=[item for _, item in rows], cursor=str(rows[-1][0]), more=len(rows) == self.PAGE
        )

    def send(self, reply: OutgoingReply) -> SendReceipt:
        limit = self.capabilities.max_reply_chars
        if limit is not None and len(reply.body_text) > limit:
            raise PermanentError(
                f"reply is {len(reply.body_text)} characters; the limit is {limit}"
            )
        dedupe = self.capabilities.resend_safety is ResendSafety.IDEMPOTENT
        self.remote.deliver(self.channel, reply, dedupe=dedupe)
        return SendReceipt(external_id=f"sim-{reply.send_key}")

    def find_delivery(self, send_key: str) -> SendReceipt | None:
        if self.capabilities.resend_safety is not ResendSafety.LOOKUP:
            return None
        if self.remote.delivery_count(send_key) == 0:
            return None
        return SendReceipt(external_id=f"sim-{send_key}")

"""The sync worker: a push thread and a long-poll pull thread, and the connection state.

Pushing and pulling are separate threads so a local change goes out at once even while a
long-poll is waiting (a blocking HTTP call cannot be interrupted). Each thread has its own HTTP
session and its own database sessions; nothing ORM crosses threads. What they change is
reported as :class:`Touched` through ``on_touched``; the connection state as
:class:`SyncStatus` through ``on_status`` (plain data, for the UI's indicator).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desk_app.store.sync_models import SYNC_STATE_ID, SyncState
from desk_app.store.types import utcnow
from desk_app.sync.client import (
    LONG_POLL_SECONDS,
    CursorReset,
    Forbidden,
    NotSignedIn,
    SyncClient,
    SyncError,
)
from desk_app.sync.incoming import Applier, Rejection, Touched, apply_results
from desk_app.sync.outgoing import next_batch, pending_count

log = logging.getLogger(__name__)

ONLINE, OFFLINE, SYNCING, SIGNED_OUT = "online", "offline", "syncing", "signed_out"


@dataclass(frozen=True)
class SyncStatus:
    """What the connection indicator shows: state, changes waiting to go out, last error."""

    state: str
    pending: int = 0
    detail: str | None = None
    last_sync: datetime | None = None


TouchedListener = Callable[[Touched], None]
StatusListener = Callable[[SyncStatus], None]
RejectionListener = Callable[[Rejection], None]


def _nothing(_value: Any) -> None:
    return None


class SyncWorker:
    """Owns the two sync threads for one profile."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        client_factory: Callable[[], SyncClient],
        *,
        on_touched: TouchedListener = _nothing,
        on_status: StatusListener = _nothing,
        on_rejected: RejectionListener = _nothing,
        long_poll: float = LONG_POLL_SECONDS,
        max_backoff: float = 30.0,
    ) -> None:
        self.sessions = sessions
        self.client_factory = client_factory
        self.on_touched = on_touched
        self.on_status = on_status
        self.on_rejected = on_rejected
        self.long_poll = long_poll
        self.max_backoff = max_backoff
        self.batch_size = 200
        self._kick = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._push_ok = self._pull_ok = True
        self._detail: str | None = None
        self._signed_out = False
        self._last_sync: datetime | None = None
        self.status = SyncStatus(OFFLINE)
        self._threads = [
            threading.Thread(target=self._push_loop, name="sync-push", daemon=True),
            threading.Thread(target=self._pull_loop, name="sync-pull", daemon=True),
        ]

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop both threads. The pull thread may sit in a long-poll that cannot be interrupted:
        it is not waited for; when the poll returns it sees the stop and exits untouched."""
        self._stop.set()
        self._kick.set()
        push, pull = self._threads
        if push.is_alive():
            push.join(timeout)
        if pull.is_alive():
            pull.join(0.2)

    def kick(self) -> None:
        """A local change was recorded: push now."""
        self._kick.set()

    # -- state -----------------------------------------------------------------------------------
    def _report(self) -> None:
        with self.sessions() as session:
            pending = pending_count(session)
        with self._lock:
            if self._signed_out:
                state = SIGNED_OUT
            elif not (self._push_ok and self._pull_ok):
                state = OFFLINE
            else:
                state = SYNCING if pending else ONLINE
            status = SyncStatus(state, pending, self._detail, self._last_sync)
            changed = status != self.status
            self.status = status
        if changed:
            self.on_status(status)

    def _mark(
        self, *, push: bool | None = None, pull: bool | None = None, error: str | None = None
    ) -> None:
        with self._lock:
            if push is not None:
                self._push_ok = push
            if pull is not None:
                self._pull_ok = pull
            if push or pull:
                self._last_sync = utcnow()
                self._signed_out = False
            self._detail = error
        self._report()

    def _failed(self, error: SyncError, side: str) -> float:
        """Record a failure; returns how long to wait before the next try."""
        if isinstance(error, NotSignedIn | Forbidden):
            with self._lock:
                self._signed_out = True
            self._mark(error=str(error), **{side: False})
            return self.max_backoff
        self._mark(error=str(error), **{side: False})
        return 0.0

    # -- pushing ---------------------------------------------------------------------------------
    def push_once(self, client: SyncClient) -> int:
        """Push everything pending (batches in order). Returns how many were pushed."""
        pushed = 0
        while not self._stop.is_set():
            with self.sessions.begin() as session:
                batch = next_batch(session, self.batch_size)
            if not batch:
                return pushed
            results = client.push([m.wire() for m in batch])
            touched = Touched()
            with self.sessions.begin() as session:
                rejections = apply_results(session, results, touched)
            pushed += len(batch)
            if touched:
                self.on_touched(touched)
            for rejection in rejections:
                self.on_rejected(rejection)
            self._report()
        return pushed

    def _push_loop(self) -> None:
        client = self.client_factory()
        backoff = 0.5
        try:
            while not self._stop.is_set():
                self._kick.clear()
                try:
                    self.push_once(client)
                    self._mark(push=True)
                    backoff = 0.5
                    self._kick.wait(self.long_poll)
                except SyncError as error:
                    extra = self._failed(error, "push")
                    self._kick.wait(max(backoff, extra))
                    backoff = min(backoff * 2, self.max_backoff)
                except Exception:  # a bug must not stop syncing for the day
                    log.exception("sync push failed")
                    self._kick.wait(backoff)
                    backoff = min(backoff * 2, self.max_backoff)
        finally:
            client.close()

    # -- pulling ---------------------------------------------------------------------------------
    def _cursor(self) -> str:
        with self.sessions() as session:
            state = session.get(SyncState, SYNC_STATE_ID)
            return state.cursor if state is not None else ""

    def _save_cursor(self, cursor: str) -> None:
        with self.sessions.begin() as session:
            state = session.get(SyncState, SYNC_STATE_ID)
            if state is not None:
                state.cursor = cursor
                state.last_pull_at = utcnow()

    def pull_once(self, client: SyncClient, wait: float = 0.0) -> int:
        """Catch up from the saved cursor (all chunks); with ``wait`` the first request is a
        long-poll. Returns how many records were stored."""
        cursor = self._cursor()
        parked: list[dict[str, Any]] = []
        stored = 0
        while True:
            try:
                page = client.changes(cursor, wait=wait)
            except CursorReset:
                log.warning("server asked for a clean re-fetch")
                cursor, wait, parked = "", 0.0, []
                self._save_cursor("")
                continue
            if self._stop.is_set():
                return stored  # stopped while the long-poll waited: the profile may be closed
            wait = 0.0
            touched = Touched()
            todo, parked = [*parked, *page.changes], []
            with self.sessions.begin() as session:
                applier = Applier(session, touched)
                for record in todo:
                    if applier.apply(record["kind"], record["data"]):
                        stored += 1
                    else:
                        parked.append(record)
                parked = [r for r in parked if not applier.apply(r["kind"], r["data"])]
            cursor = page.cursor
            if not parked:  # everything up to the cursor is stored: safe to remember it
                self._save_cursor(cursor)
            if touched:
                self.on_touched(touched)
            if not page.more:
                if parked:
                    log.warning("%d records still wait for their parent", len(parked))
                    self._save_cursor(cursor)
                return stored

    def _pull_loop(self) -> None:
        client = self.client_factory()
        backoff = 0.5
        wait = 0.0
        try:
            while not self._stop.is_set():
                try:
                    self.pull_once(client, wait=wait)
                    self._mark(pull=True)
                    wait, backoff = self.long_poll, 0.5
                except SyncError as error:
                    extra = self._failed(error, "pull")
                    self._stop.wait(max(backoff, extra))
                    backoff = min(backoff * 2, self.max_backoff)
                    wait = 0.0
                except Exception:
                    log.exception("sync pull failed")
                    self._stop.wait(backoff)
                    backoff = min(backoff * 2, self.max_backoff)
        finally:
            client.close()


def sync_state(session: Session) -> SyncState | None:
    return session.scalars(select(SyncState).where(SyncState.id == SYNC_STATE_ID)).first()

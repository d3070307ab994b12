"""Fetching one channel account into the profile, off the UI thread. Works for any Connector.

Order of a round: fetch a page → sanitize → ``ingest_items`` (one transaction) → apply delivery
reports → persist the cursor. The cursor moves only after the items are stored, so a crash or a
dropped connection anywhere means the next round fetches the same page again, and ingest's
(channel, account, external id) dedupe makes that harmless. During a catch-up the next page is
already being fetched while one is stored (a bounded queue, pages stored in order).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol, runtime_checkable

from sqlalchemy import Engine

from desk_app.channels.base import (
    ChannelError,
    Connector,
    FetchResult,
    IncomingItem,
    PermanentError,
)
from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.services.delivery_reports import failures_in, record_delivery_failures
from desk_app.services.ingest import ingest_items
from desk_app.services.mail_html import safe_mail_html
from desk_app.store.models import ChannelAccount

log = logging.getLogger(__name__)


@runtime_checkable
class WaitsForNew(Protocol):
    """A connector that can block until the provider announces new items (IMAP IDLE)."""

    def wait_for_new(self, timeout: float, stop: threading.Event) -> bool: ...


@runtime_checkable
class SanitizesHtml(Protocol):
    """A connector that can sanitize HTML bodies itself, where it parses them (the email
    connector does it in its parse workers, off this process). Given a module-level function,
    it delivers items whose ``body_html`` is already safe."""

    def sanitize_html_with(self, sanitize: Callable[[str], str]) -> None: ...


@dataclass(frozen=True)
class SyncReport:
    stored: int = 0
    duplicates: int = 0
    rounds: int = 0
    seconds: float = 0.0


ProgressListener = Callable[[str, int], None]  # (account id, items stored so far)
# (account id, items stored): a sync() ended without an error (the account is current; an
# earlier error on it is cleared). Called after every round, also the idle ones.
FinishedListener = Callable[[str, int], None]


def _safe(item: IncomingItem) -> IncomingItem:
    """HTML from outside is stored only after sanitizing (the raw source stays in meta)."""
    if not item.body_html:
        return item
    return replace(item, body_html=safe_mail_html(item.body_html))


Page = tuple[FetchResult, list[IncomingItem]]
# Items per write transaction: a page of 500 mails is stored as two, so no transaction holds
# the profile's write lock for long (median ~55 ms, longest ~120 ms) while the UI may want to
# write (send a reply, mark read: on the ops pool, so the window never waits). Each costs
# ~5-10 ms of fixed overhead (look-ups, the FTS5 segment a commit writes); 250 instead of 125
# made a first sync ~10% faster. Readers never wait: WAL mode.
INGEST_CHUNK = 250


def _fetch_page(connector: Connector, cursor: str | None) -> Page:
    result = connector.fetch(cursor)
    if isinstance(connector, SanitizesHtml):  # told to at AccountFetcher's start
        return result, list(result.items)
    return result, [_safe(item) for item in result.items]


class _WalCheckpoints:
    """During a catch-up, copies the profile's WAL back into the database from a helper
    thread. SQLite otherwise does it inside whichever commit crosses 1,000 WAL pages, and on a
    first sync that checkpoint (with its fsyncs) was about half the time the storing thread
    spent. A PASSIVE checkpoint waits for no one and blocks no writer; with the WAL copied
    back, the next write starts it over, so the storing thread's commits stay small."""

    PAUSE = 0.05  # seconds between checkpoints

    def __init__(self, ctx: ServiceContext) -> None:
        bind = ctx.sessions.kw.get("bind")
        self._engine = bind if isinstance(bind, Engine) and bind.dialect.name == "sqlite" else None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        if self._engine is not None:
            self._thread = threading.Thread(target=self._run, name="wal-checkpoints", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        assert self._engine is not None
        try:
            with self._engine.connect() as connection:
                while not self._stopping.wait(self.PAUSE):
                    connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        except Exception:  # only an optimisation: SQLite checkpoints on its own anyway
            log.debug("WAL checkpoints from the helper thread stopped", exc_info=True)

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()


class _FetchAhead:
    """Fetches the following pages on a helper thread, at most ``DEPTH`` ahead of the store.

    Each page is fetched from the cursor of the page before it, which is not saved yet: that
    is only where to read on, and the cursor is saved when the page is stored. A failure ends
    the thread and is handed over as the next page, so everything before it is still stored."""

    DEPTH = 1  # pages waiting; with the one being fetched and the one being stored: three

    def __init__(self, connector: Connector, cursor: str | None, rounds: int) -> None:
        self._pages: queue.Queue[Page | BaseException | None] = queue.Queue(self.DEPTH)
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(connector, cursor, rounds), name="fetch-ahead", daemon=True
        )
        self._thread.start()

    def _run(self, connector: Connector, cursor: str | None, rounds: int) -> None:
        try:
            for _ in range(rounds):
                page = _fetch_page(connector, cursor)
                if not self._put(page) or not page[0].more:
                    break
                cursor = page[0].cursor
        except BaseException as error:  # handed to the storing thread, raised there
            self._put(error)

    def _put(self, page: Page | BaseException) -> bool:
        while not self._stopping.is_set():
            try:
                self._pages.put(page, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def next(self) -> Page:
        while True:
            try:
                page = self._pages.get(timeout=0.1)
            except queue.Empty:
                if not self._thread.is_alive() and self._pages.empty():
                    raise ChannelError("fetching stopped without a page") from None
                continue
            if isinstance(page, BaseException):
                raise page
            assert page is not None
            return page

    def stop(self) -> None:
        """Stop fetching ahead and wait for the thread: the connector is free again."""
        self._stopping.set()
        self._thread.join()


class AccountFetcher:
    """Brings one account up to date. Not thread-safe: one worker owns it."""

    def __init__(
        self,
        ctx: ServiceContext,
        account_id: str,
        connector: Connector,
        on_progress: ProgressListener | None = None,
        on_finished: FinishedListener | None = None,
    ) -> None:
        self.ctx = ctx
        self.account_id = account_id
        self.connector = connector
        self.on_progress = on_progress
        self.on_finished = on_finished
        if isinstance(connector, SanitizesHtml):
            connector.sanitize_html_with(safe_mail_html)

    def _state(self) -> tuple[str | None, bool]:
        """The saved cursor, and whether an earlier error is still shown on the account."""
        with self.ctx.read() as session:
            account = session.get(ChannelAccount, self.account_id)
            if account is None:
                raise LookupError(f"no channel account {self.account_id}")
            return account.cursor, account.last_error is not None

    def _save(self, cursor: str | None, error: str | None) -> None:
        with self.ctx.write() as session:
            account = session.get(ChannelAccount, self.account_id)
            if account is None:
                return
            if cursor is not None:
                account.cursor = cursor
            account.last_error = error

    def sync(self, max_rounds: int = 10_000) -> SyncReport:
        """Fetch until the connector has nothing more right now.

        The first page is fetched here; when the connector says more is ready, the following
        pages are fetched (and sanitized) by a helper thread while this thread stores the
        previous one, so network, parsing and SQLite (which release the GIL while they wait)
        overlap. Pages are still stored, and cursors saved, strictly in order."""
        started = time.perf_counter()
        stored = duplicates = rounds = 0
        cursor, error_shown = self._state()
        page = _fetch_page(self.connector, cursor)
        ahead: _FetchAhead | None = None
        checkpoints: _WalCheckpoints | None = None
        try:
            while True:
                result, items = page
                rounds += 1
                for start in range(0, len(items), INGEST_CHUNK):
                    outcome = ingest_items(
                        self.ctx, self.account_id, items[start : start + INGEST_CHUNK]
                    )
                    stored += outcome.stored
                    duplicates += outcome.duplicates
                if items:
                    record_delivery_failures(self.ctx, self.connector.channel, failures_in(items))
                # Write only when something changed: an idle poll (every few seconds per
                # account) must not turn into a write transaction.
                if result.cursor != cursor or error_shown:
                    self._save(result.cursor, None)
                    cursor, error_shown = result.cursor, False
                if items and self.on_progress is not None:
                    self.on_progress(self.account_id, stored)
                if not result.more or rounds >= max_rounds:
                    break
                if ahead is None:
                    ahead = _FetchAhead(self.connector, result.cursor, max_rounds - rounds)
                    checkpoints = _WalCheckpoints(self.ctx)
                page = ahead.next()  # an error fetching it is raised here, in order
        finally:
            if ahead is not None:
                ahead.stop()
            if checkpoints is not None:
                checkpoints.stop()
        if self.on_finished is not None:
            self.on_finished(self.account_id, stored)
        return SyncReport(stored, duplicates, rounds, time.perf_counter() - started)

    def record_error(self, error: Exception) -> None:
        self._save(None, str(error))
        self.ctx.bus.publish(Changes(settings=True))


class FetchWorker(threading.Thread):
    """Keeps one account current: sync, then wait for news (IDLE) or poll, until stopped.
    Errors are recorded on the account (shown in settings) and retried with backoff; a settings
    change (say, the operator entered the right password) retries at once."""

    def __init__(
        self,
        fetcher: AccountFetcher,
        poll_seconds: float = 60.0,
        max_backoff: float = 600.0,
    ) -> None:
        super().__init__(name=f"fetch-{fetcher.account_id[:8]}", daemon=True)
        self.fetcher = fetcher
        self.poll_seconds = poll_seconds
        self.max_backoff = max_backoff
        self.stopping = threading.Event()
        self._retry_now = threading.Event()
        self.last_report: SyncReport | None = None
        self._unsubscribe = fetcher.ctx.bus.subscribe(self._on_changes)

    def _on_changes(self, changes: Changes) -> None:
        if changes.settings and threading.current_thread() is not self:
            self._retry_now.set()

    def stop(self, timeout: float = 10.0) -> None:
        self.stopping.set()
        self._retry_now.set()
        self._unsubscribe()
        if self.is_alive():
            self.join(timeout)

    def run(self) -> None:
        failures = 0
        while not self.stopping.is_set():
            try:
                self.last_report = self.fetcher.sync()
                failures = 0
            except Exception as error:  # recorded and retried; never ends the worker
                failures += 1
                self._pause_after(error, failures)
                continue
            connector = self.fetcher.connector
            if isinstance(connector, WaitsForNew):
                connector.wait_for_new(self.poll_seconds, self.stopping)
            else:
                self.stopping.wait(self.poll_seconds)

    def _pause_after(self, error: Exception, failures: int) -> None:
        if isinstance(error, PermanentError):  # e.g. a wrong password: wait for the operator
            log.warning("fetch %s: %s", self.fetcher.account_id, error)
            delay = self.max_backoff
        else:
            if not isinstance(error, (ChannelError, OSError)):
                log.exception("fetch %s failed", self.fetcher.account_id)
            delay = min(5.0 * 2 ** (failures - 1), self.max_backoff)
        self._retry_now.clear()
        self.fetcher.record_error(error)
        self._retry_now.wait(delay)

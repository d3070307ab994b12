"""Fetching one channel account into the profile, off the UI thread. Works for any Connector.

Order of a round: fetch a page → sanitize → ``ingest_items`` (one transaction) → apply delivery
reports → persist the cursor. The cursor moves only after the items are stored, so a crash or a
dropped connection anywhere means the next round fetches the same page again, and ingest's
(channel, account, external id) dedupe makes that harmless.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol, runtime_checkable

from desk_app.channels.base import ChannelError, Connector, IncomingItem, PermanentError
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
        """Fetch until the connector has nothing more right now."""
        started = time.perf_counter()
        stored = duplicates = rounds = 0
        cursor, error_shown = self._state()
        while rounds < max_rounds:
            result = self.connector.fetch(cursor)
            rounds += 1
            items = [_safe(item) for item in result.items]
            if items:
                outcome = ingest_items(self.ctx, self.account_id, items)
                stored += outcome.stored
                duplicates += outcome.duplicates
                record_delivery_failures(self.ctx, self.connector.channel, failures_in(items))
            # Write only when something changed: an idle poll (every few seconds per account)
            # must not turn into a write transaction.
            if result.cursor != cursor or error_shown:
                self._save(result.cursor, None)
                cursor, error_shown = result.cursor, False
            if items and self.on_progress is not None:
                self.on_progress(self.account_id, stored)
            if not result.more:
                break
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

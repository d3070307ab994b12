"""How far each account's fetch has got, for the status bar: "Fetching support@…: 1,200 of
10,000 messages…", and which accounts are failing.

Fetch workers report from their own threads (``AccountFetcher.on_progress`` / ``on_finished``,
and a connector's optional backlog hint); :class:`FetchProgressBoard` turns those reports into
immutable :class:`FetchProgress` values and hands each to its listeners on the reporting thread.
A UI listener must hop to its own thread (the Qt side posts through a queued signal).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.store.models import ChannelAccount

BacklogListener = Callable[[int], None]  # items still waiting on the provider


@runtime_checkable
class ReportsBacklog(Protocol):
    """A connector that can cheaply tell how many items it has still to fetch (IMAP: the UIDs
    above the cursor, known from the SEARCH it runs anyway). Optional: without it progress
    shows a running count and no total."""

    def watch_backlog(self, listener: BacklogListener) -> None: ...


@dataclass(frozen=True)
class FetchProgress:
    account_id: str
    account_name: str
    stored: int  # new items stored in this catch-up
    total: int | None  # stored + what the provider still has, when the connector can tell
    finished: bool  # the catch-up is over (the account is current)


@dataclass(frozen=True)
class AccountError:
    account_id: str
    account_name: str
    error: str


ProgressSink = Callable[[FetchProgress], None]


class FetchProgressBoard:
    """Thread-safe: every fetch worker reports here; listeners get each change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._names: dict[str, str] = {}
        self._backlog: dict[str, int] = {}
        self._listeners: list[ProgressSink] = []

    def add_listener(self, listener: ProgressSink) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def remove() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return remove

    def register(self, account_id: str, name: str) -> None:
        with self._lock:
            self._names[account_id] = name

    def backlog_listener(self, account_id: str) -> BacklogListener:
        def remember(remaining: int) -> None:
            with self._lock:
                self._backlog[account_id] = max(0, remaining)

        return remember

    # AccountFetcher.on_progress
    def stored(self, account_id: str, stored: int) -> None:
        with self._lock:
            remaining = self._backlog.get(account_id)
        self._emit(account_id, stored, None if remaining is None else stored + remaining, False)

    # AccountFetcher.on_finished
    def finished(self, account_id: str, stored: int) -> None:
        with self._lock:
            self._backlog.pop(account_id, None)
        self._emit(account_id, stored, stored, True)

    def _emit(self, account_id: str, stored: int, total: int | None, finished: bool) -> None:
        with self._lock:
            name = self._names.get(account_id, account_id)
            listeners = list(self._listeners)
        progress = FetchProgress(account_id, name, stored, total, finished)
        for listener in listeners:
            listener(progress)


def account_errors(session: Session) -> list[AccountError]:
    """Enabled accounts whose last fetch (or start) failed, with the error as recorded."""
    rows = session.execute(
        select(ChannelAccount.id, ChannelAccount.name, ChannelAccount.last_error)
        .where(ChannelAccount.enabled.is_(True), ChannelAccount.last_error.is_not(None))
        .order_by(ChannelAccount.name)
    )
    return [AccountError(r.id, r.name, r.last_error) for r in rows]

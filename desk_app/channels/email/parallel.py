"""Fetching and parsing big batches in worker processes, overlapped with storing the previous
batch.

MIME parsing is pure Python, and so is imapclient's parsing of a FETCH response; a first sync
is thousands of messages. A pool of worker processes fetches and parses batch N+1 while the
fetch worker's thread stores batch N, so the slower of the two sets the pace, not their sum,
and the app's process (whose GIL the UI and the storing thread share) only receives parsed
items. The app's process still finds the UIDs (STATUS, SELECT, SEARCH: small answers) and
keeps the cursor; a worker gets a batch's UIDs, the folder's UIDVALIDITY and the login, and
fetches with a connection of its own. The password reaches a worker only in memory, inside the
task sent over the pool's pipe (never argv, environment, files or logs).

Small batches (the everyday "two new mails") are fetched and parsed in-process: a worker and its
login would cost more. Workers are started with ``spawn`` (never ``fork``: the app has threads)
and only on first need.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from multiprocessing import util
from pathlib import Path
from typing import TypeVar

from imapclient import IMAPClient

from desk_app.channels.base import IncomingItem
from desk_app.channels.email.blobs import BlobStore
from desk_app.channels.email.config import ServerConfig
from desk_app.channels.email.connection import close_quietly, open_imap
from desk_app.channels.email.items import to_item
from desk_app.channels.email.parse import parse_message
from desk_app.channels.email.uid_fetch import Raw, fetch_selected

log = logging.getLogger(__name__)

MIN_PARALLEL = 64  # fewer messages than this are fetched and parsed in-process
Sanitizer = Callable[[str], str]  # HTML from outside to what may be stored (module-level: pickled)
T = TypeVar("T")
IDLE_LOGIN_S = 30.0  # a worker's connection unused for longer is not trusted: log in afresh


@dataclass(frozen=True)
class Login:
    """What a worker needs to open its own IMAP connection. Lives only in memory; the password
    is left out of ``repr`` so no log or traceback shows it."""

    server: ServerConfig
    password: str = field(repr=False)
    timeout: float


@dataclass(frozen=True)
class Batch:
    """UIDs to fetch, found under ``uidvalidity``. ``keep``: more batches follow, so the
    worker keeps its connection; after the last one of a catch-up it logs out."""

    folder: str
    uidvalidity: int
    uids: list[int]
    keep: bool = True


_stores: dict[str, BlobStore] = {}  # per process: what a store learnt outlives one batch


def parse_batch(
    root: str, folder: str, raws: Sequence[Raw], sanitize: Sanitizer | None = None
) -> list[IncomingItem]:
    """Runs in a worker (or inline): raw mail to items; attachments and sources to ``root``.
    With ``sanitize``, HTML bodies are made safe here too, off the app's process."""
    blobs = _stores.get(root)
    if blobs is None:
        blobs = _stores[root] = BlobStore(Path(root))
    sources = blobs.put_sources([raw for raw, _ in raws])  # stored before any item exists
    items = [
        to_item(parse_message(raw, blobs, fallback_date=date, source_digest=digest), folder, date)
        for (raw, date), digest in zip(raws, sources, strict=True)
    ]
    if sanitize is None:
        return items
    return [
        replace(item, body_html=sanitize(item.body_html)) if item.body_html else item
        for item in items
    ]


_connections: dict[Login, tuple[IMAPClient, float]] = {}  # per worker process: client, last use
_log_out_at_exit: list[util.Finalize] = []


def fetch_and_parse(
    root: str, login: Login, batch: Batch, sanitize: Sanitizer | None
) -> list[IncomingItem]:
    """Runs in a worker: fetch ``batch`` with this process's own connection, then parse it.
    A failure drops the connection (it may be half-read) and goes back to the caller."""
    opened = _connections.pop(login, None)
    if opened is not None and time.monotonic() - opened[1] > IDLE_LOGIN_S:
        close_quietly(opened[0])  # the server may have timed it out meanwhile
        opened = None
    if not _log_out_at_exit:  # a polite LOGOUT when the worker process ends
        _log_out_at_exit.append(util.Finalize(None, _log_out, exitpriority=10))
    client = opened[0] if opened else open_imap(login.server, login.password, login.timeout)
    try:
        raws = fetch_selected(client, batch.folder, batch.uidvalidity, batch.uids)
    except BaseException:
        close_quietly(client)
        raise
    if batch.keep:
        _connections[login] = (client, time.monotonic())
    else:
        close_quietly(client)
    return parse_batch(root, batch.folder, raws, sanitize)


def _log_out() -> None:
    while _connections:
        close_quietly(_connections.popitem()[1][0])


class _Gathered(Future[list[IncomingItem]]):
    """One future over the chunks a batch was split into, in order."""

    def __init__(self, parts: list[Future[list[IncomingItem]]]) -> None:
        super().__init__()
        self.parts = parts

    def result(self, timeout: float | None = None) -> list[IncomingItem]:
        items: list[IncomingItem] = []
        for part in self.parts:
            items.extend(part.result(timeout))
        return items

    def cancel(self) -> bool:
        return all(part.cancel() for part in self.parts)


class ParsePool:
    def __init__(self, blobs: BlobStore, workers: int | None = None) -> None:
        self.root = str(blobs.root)
        # One core stays with the thread that stores (SQLite writes are serial anyway).
        self.workers = max((os.cpu_count() or 2) - 1, 1) if workers is None else workers
        self._pool: ProcessPoolExecutor | None = None
        self._ready: Future[None] = _done(None)
        self.sanitize: Sanitizer | None = None  # set by whoever stores what we parse

    def submit(
        self,
        batch: Batch,
        login: Callable[[], Login],
        fetch_here: Callable[[], list[Raw]],
        *,
        needed_now: bool = False,
    ) -> Future[list[IncomingItem]]:
        """Start fetching and parsing ``batch``; ``result()`` gives the items in order. A big
        batch goes to the workers, split evenly, each part fetched by its worker; a small one
        (or any, when no worker can be started) is fetched with ``fetch_here`` and parsed here.

        Workers take ~0.2 s to start. A batch ``needed_now`` (the caller stores it next) is
        done here until they run; a batch fetched ahead goes to them at once (starting them).
        ``ImapFetcher`` submits a catch-up's second batch before its first, so the workers
        start while the first is parsed here."""
        if len(batch.uids) < MIN_PARALLEL or self.workers < 1:
            return _done(self.parse_here(batch.folder, fetch_here()))
        try:
            pool = self._executor()
            if needed_now and not self._ready.done():
                return _done(self.parse_here(batch.folder, fetch_here()))
            size = -(-len(batch.uids) // self.workers)
            credentials = login()
            parts = [
                pool.submit(
                    fetch_and_parse,
                    self.root,
                    credentials,
                    Batch(batch.folder, batch.uidvalidity, batch.uids[i : i + size], batch.keep),
                    self.sanitize,
                )
                for i in range(0, len(batch.uids), size)
            ]
            return _Gathered(parts)
        except (BrokenProcessPool, OSError, RuntimeError) as error:
            log.warning("parse workers unavailable (%s); fetching in-process", error)
            self.close()
            return _done(self.parse_here(batch.folder, fetch_here()))

    def parse_here(self, folder: str, raws: Sequence[Raw]) -> list[IncomingItem]:
        return parse_batch(self.root, folder, raws, self.sanitize)

    def _executor(self) -> ProcessPoolExecutor:
        """The pool, started on first need; ``_ready`` completes once a worker runs."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_below_the_app,
            )
            self._ready = self._pool.submit(_started)
        return self._pool

    def close(self, wait: bool = False) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)


def _below_the_app() -> None:
    """A worker runs one step below the app's priority, so the app's own threads (the UI, the
    storing thread) get a core first when both want one; parsing runs in the gaps. Under a
    real-time policy (``chrt``) one priority lower, else one nice step."""
    if not hasattr(os, "sched_getscheduler"):
        return
    try:
        policy = os.sched_getscheduler(0)
        if policy in (os.SCHED_FIFO, os.SCHED_RR):
            priority = os.sched_getparam(0).sched_priority
            os.sched_setscheduler(0, policy, os.sched_param(max(priority - 1, 1)))
        else:
            os.nice(1)
    except OSError:  # only a courtesy: a worker that cannot lower itself still works
        log.debug("parse worker keeps the app's priority", exc_info=True)


def _started() -> None:
    """A first task, so the workers start (they are spawned on the first submit)."""


def _done(value: T) -> Future[T]:
    future: Future[T] = Future()
    future.set_result(value)
    return future

"""Parsing big batches on every core, overlapped with storing the previous batch.

MIME parsing is pure Python (~0.5k messages/s per core with all the decoding), and a first sync
is thousands of messages. A pool of worker processes parses batch N+1 while the fetch worker's
thread stores batch N, so the slower of the two sets the pace, not their sum. Small batches
(the everyday "two new mails") are parsed in-process: starting workers would cost more.
Workers are started with ``spawn`` (never ``fork``: the app has threads) and only on first need.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path

from desk_app.channels.base import IncomingItem
from desk_app.channels.email.blobs import BlobStore
from desk_app.channels.email.items import to_item
from desk_app.channels.email.parse import parse_message

log = logging.getLogger(__name__)

Raw = tuple[bytes, datetime | None]
MIN_PARALLEL = 64  # fewer messages than this are parsed in-process


_stores: dict[str, BlobStore] = {}  # per process: what a store learnt outlives one batch


def parse_batch(root: str, folder: str, raws: Sequence[Raw]) -> list[IncomingItem]:
    """Runs in a worker (or inline): raw mail to items; attachments and sources to ``root``."""
    blobs = _stores.get(root)
    if blobs is None:
        blobs = _stores[root] = BlobStore(Path(root))
    sources = blobs.put_sources([raw for raw, _ in raws])  # stored before any item exists
    return [
        to_item(parse_message(raw, blobs, fallback_date=date, source_digest=digest), folder, date)
        for (raw, date), digest in zip(raws, sources, strict=True)
    ]


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

    def submit(self, folder: str, raws: Sequence[Raw]) -> Future[list[IncomingItem]]:
        """Start parsing; ``result()`` gives the items in order."""
        if len(raws) < MIN_PARALLEL or self.workers < 1:
            return _done(parse_batch(self.root, folder, raws))
        try:
            pool = self._executor()
            size = -(-len(raws) // self.workers)
            parts = [
                pool.submit(parse_batch, self.root, folder, list(raws[i : i + size]))
                for i in range(0, len(raws), size)
            ]
            return _Gathered(parts)
        except (BrokenProcessPool, OSError, RuntimeError) as error:
            log.warning("parse workers unavailable (%s); parsing in-process", error)
            self.close()
            return _done(parse_batch(self.root, folder, raws))

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("spawn")
            )
        return self._pool

    def close(self, wait: bool = False) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)


def _done(items: list[IncomingItem]) -> Future[list[IncomingItem]]:
    future: Future[list[IncomingItem]] = Future()
    future.set_result(items)
    return future

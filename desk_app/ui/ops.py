"""One way to run every action off the UI thread (after Anki's CollectionOp).

``Ops.read(fn, on_done)`` runs ``fn`` on a small reader pool; ``Ops.write(fn, on_done)`` on a
single writer thread, so an operator's actions apply in the order they were pressed;
``Ops.slow(fn, on_done)`` on a thread of its own, for work that may block for seconds (stopping
a fetch worker waits for its round), so it never holds a reader the views wait on. Results and
errors come back through a signal of an object living on the UI thread, so callbacks always run
there. Work functions receive nothing Qt and must return plain data (never ORM objects).

The change bus is bridged the same way: :class:`ChangeBridge` re-emits every published
:class:`Changes` on the UI thread, coalescing bursts (a fetcher storing 100 items) into one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from desk_app.services.changes import ChangeBus, Changes

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Job(QRunnable):
    def __init__(self, ops: Ops, token: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.ops, self.token, self.fn = ops, token, fn
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result: Any = self.fn()
            error: BaseException | None = None
        except BaseException as exc:  # delivered to the UI, never swallowed
            result, error = None, exc
        self.ops._finished.emit(self.token, result, error)


class Ops(QObject):
    """Runs work off the UI thread; callbacks on the UI thread."""

    _finished = Signal(int, object, object)
    failed = Signal(str)  # an operation without its own error handler failed: show it
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, readers: int = 2) -> None:
        super().__init__(parent)
        self._readers = QThreadPool(self)
        self._readers.setMaxThreadCount(readers)
        self._writer = QThreadPool(self)
        self._writer.setMaxThreadCount(1)
        self._slow = QThreadPool(self)
        self._slow.setMaxThreadCount(1)
        self._callbacks: dict[int, tuple[Done | None, Failed | None]] = {}
        self._next = 0
        self._lock = threading.Lock()
        self._closed = False
        self._finished.connect(self._deliver)

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def read(
        self, fn: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        self._submit(self._readers, fn, on_done, on_error)

    def write(
        self, fn: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        self._submit(self._writer, fn, on_done, on_error)

    def slow(
        self, fn: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        """Work that may block for seconds, one at a time, in the order asked."""
        self._submit(self._slow, fn, on_done, on_error)

    def _submit(
        self,
        pool: QThreadPool,
        fn: Callable[[], Any],
        on_done: Done | None,
        on_error: Failed | None,
    ) -> None:
        if self._closed:
            return
        with self._lock:
            self._next += 1
            token = self._next
        self._callbacks[token] = (on_done, on_error)
        if len(self._callbacks) == 1:
            self.busy_changed.emit(True)
        pool.start(_Job(self, token, fn))

    @Slot(int, object, object)
    def _deliver(self, token: int, result: Any, error: BaseException | None) -> None:
        on_done, on_error = self._callbacks.pop(token, (None, None))
        if not self._callbacks:
            self.busy_changed.emit(False)
        if error is not None:
            if on_error is not None:
                on_error(error)
            else:
                log.error("operation failed", exc_info=error)
                self.failed.emit(str(error) or type(error).__name__)
            return
        if on_done is not None:
            on_done(result)

    def shutdown(self, msecs: int = 10000) -> None:
        """Refuse new work and let running work finish (the window is closing)."""
        self._closed = True
        self.wait_idle(msecs)

    def wait_idle(self, msecs: int = 10000) -> bool:
        """Block until every pool is idle (shutdown and tests only; never from a view)."""
        pools = (self._readers, self._writer, self._slow)
        return all(pool.waitForDone(msecs) for pool in pools)


class ChangeBridge(QObject):
    """Re-emits the bus's change sets on the UI thread, merged per event-loop turn."""

    changed = Signal(object)  # Changes
    _arrived = Signal(object)

    def __init__(self, bus: ChangeBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: Changes | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(15)
        self._timer.timeout.connect(self._flush)
        self._arrived.connect(self._collect)
        # Called on whatever thread published; the signal hops to this object's thread.
        self._unsubscribe = bus.subscribe(self._arrived.emit)

    def close(self) -> None:
        self._unsubscribe()

    @Slot(object)
    def _collect(self, changes: Changes) -> None:
        self._pending = changes if self._pending is None else self._pending | changes
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _flush(self) -> None:
        changes, self._pending = self._pending, None
        if changes is not None and not changes.empty:
            self.changed.emit(changes)

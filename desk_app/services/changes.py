"""Typed change sets (after Anki's OpChanges): every operation, fetch or sync says what it changed,
and each view decides from that alone whether to refresh. A view never cares where a change came
from."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    tickets: frozenset[str] = frozenset()  # ticket ids whose row or conversation changed
    customers: frozenset[str] = frozenset()
    outbox: bool = False  # a reply changed delivery state
    queues: bool = False  # membership/counts of queues may have changed
    settings: bool = False

    @classmethod
    def for_tickets(cls, ids: Iterable[str], *, queues: bool = True) -> Changes:
        return cls(tickets=frozenset(ids), queues=queues)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            tickets=self.tickets | other.tickets,
            customers=self.customers | other.customers,
            outbox=self.outbox or other.outbox,
            queues=self.queues or other.queues,
            settings=self.settings or other.settings,
        )

    @property
    def empty(self) -> bool:
        return not (self.tickets or self.customers or self.outbox or self.queues or self.settings)


Listener = Callable[[Changes], None]


@dataclass
class ChangeBus:
    """Fan-out of change sets to listeners. Listeners are called on the publishing thread; the UI
    bridges them onto its own thread with a queued Qt signal."""

    _listeners: list[Listener] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, changes: Changes) -> None:
        if changes.empty:
            return
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(changes)

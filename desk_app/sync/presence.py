"""Presence: tell the server which ticket this operator has open (viewing or replying), learn
who else is on it, and check for a colleague replying before a reply is sent.

A heartbeat goes out when the open ticket or the state changes and every ``HEARTBEAT`` seconds
(the server forgets a workstation ~20 s after its last one). Offline, the tracker just reports
nobody; sending a reply never waits for presence longer than ``CHECK_TIMEOUT``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from desk_app.sync.client import SyncClient, SyncError

log = logging.getLogger(__name__)
HEARTBEAT = 8.0
CHECK_TIMEOUT = 2.0


@dataclass(frozen=True)
class Colleague:
    user_id: str
    name: str
    state: str  # viewing | replying


PresenceListener = Callable[[str | None, tuple[Colleague, ...]], None]


def _colleagues(rows: list[dict[str, object]]) -> tuple[Colleague, ...]:
    return tuple(Colleague(str(r["user_id"]), str(r["name"]), str(r["state"])) for r in rows)


class PresenceTracker:
    def __init__(
        self,
        client_factory: Callable[[], SyncClient],
        on_presence: PresenceListener | None = None,
        heartbeat: float = HEARTBEAT,
    ) -> None:
        self.client_factory = client_factory
        self.on_presence = on_presence
        self.heartbeat = heartbeat
        self._ticket: str | None = None
        self._state = "viewing"
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self.others: tuple[Colleague, ...] = ()
        self._thread = threading.Thread(target=self._run, name="presence", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def set_ticket(self, ticket_id: str | None, *, replying: bool = False) -> None:
        """The UI says which ticket is open and whether the operator is typing a reply."""
        with self._lock:
            self._ticket = ticket_id
            self._state = "replying" if replying else "viewing"
        self._wake.set()

    def _beat(self, client: SyncClient) -> None:
        with self._lock:
            ticket, state = self._ticket, self._state
        if ticket is None:
            self.others = ()
        else:
            self.others = _colleagues(client.heartbeat(ticket, state))
        if self.on_presence is not None:
            self.on_presence(ticket, self.others)

    def _run(self) -> None:
        client = self.client_factory()
        try:
            while not self._stop.is_set():
                self._wake.clear()
                try:
                    self._beat(client)
                except SyncError as error:
                    log.debug("presence heartbeat failed: %s", error)
                    self.others = ()
                self._wake.wait(self.heartbeat)
        finally:
            client.close()

    def replying_elsewhere(self, ticket_id: str) -> tuple[Colleague, ...]:
        """Asked right before sending: colleagues replying to this ticket now (fresh from the
        server; the last known answer if it cannot be reached quickly)."""
        client = self.client_factory()
        client.timeout = CHECK_TIMEOUT
        try:
            rows = _colleagues(client.present(ticket_id))
        except SyncError:
            rows = self.others if self._ticket == ticket_id else ()
        finally:
            client.close()
        return tuple(c for c in rows if c.state == "replying")

"""A workstation's link to the team server, as the composition root starts it: the sync worker
(push/pull) and presence, wired to the profile's change bus. ``start_for`` returns None for a
standalone profile (never signed in), which keeps fetching and sending by itself."""

from __future__ import annotations

import logging
from collections.abc import Callable

from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.store.sync_models import SYNC_STATE_ID, SyncState
from desk_app.sync.incoming import Rejection, Touched
from desk_app.sync.presence import Colleague, PresenceTracker
from desk_app.sync.session import client_for, connection
from desk_app.sync.worker import SyncStatus, SyncWorker

log = logging.getLogger(__name__)


def changes_of(touched: Touched) -> Changes:
    """What sync stored, as the change set every view already understands."""
    return Changes(
        tickets=frozenset(touched.tickets),
        customers=frozenset(touched.customers),
        outbox=touched.outbox,
        queues=touched.queues,
        settings=touched.settings,
    )


class TeamSync:
    def __init__(self, ctx: ServiceContext) -> None:
        link = connection(ctx.sessions)
        assert link is not None
        self.ctx = ctx
        self.status_listeners: list[Callable[[SyncStatus], None]] = []
        self.presence_listeners: list[Callable[[str | None, tuple[Colleague, ...]], None]] = []
        self.rejection_listeners: list[Callable[[Rejection], None]] = []
        self.worker = SyncWorker(
            ctx.sessions,
            lambda: client_for(link),
            on_touched=self._touched,
            on_status=self._status,
            on_rejected=self._rejected,
        )
        self.presence = PresenceTracker(lambda: client_for(link), self._presence)
        self._unsubscribe = ctx.bus.subscribe(lambda _changes: self.worker.kick())

    @classmethod
    def start_for(cls, ctx: ServiceContext) -> TeamSync | None:
        with ctx.read() as session:
            state = session.get(SyncState, SYNC_STATE_ID)
            if state is None or not state.team_channels:
                return None
        team = cls(ctx)
        team.worker.start()
        team.presence.start()
        return team

    def _status(self, status: SyncStatus) -> None:
        for listener in list(self.status_listeners):
            listener(status)

    def _rejected(self, rejection: Rejection) -> None:
        for listener in list(self.rejection_listeners):
            listener(rejection)

    def _presence(self, ticket_id: str | None, colleagues: tuple[Colleague, ...]) -> None:
        for listener in list(self.presence_listeners):
            listener(ticket_id, colleagues)

    def _touched(self, touched: Touched) -> None:
        self.ctx.bus.publish(changes_of(touched))

    def stop(self) -> None:
        self._unsubscribe()
        self.presence.stop()
        self.worker.stop()

"""Composition root: builds one profile's services, connectors and workers.

Nothing here knows Qt. The UI receives a started :class:`DeskApp` and talks to it only through
its services (``actions``, ``customers``, read models with ``ctx.read()``) and its change bus.

Channel connectors are plugged in by channel name through :func:`register_connector`. Simulated
accounts (the demo profile, the training sandbox) always get a :class:`SimulatedConnector`, and
a sandbox profile (``real_channels=False``) can never build anything else, so a trainee's reply
can never leave the machine.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, exists, select

from desk_app.channels.base import Closeable, Connector
from desk_app.domain.enums import Channel
from desk_app.services.context import ServiceContext
from desk_app.services.customers import CustomerActions
from desk_app.services.fetch_progress import FetchProgressBoard, ReportsBacklog
from desk_app.services.queries import current_agent_id
from desk_app.services.tickets import TicketActions
from desk_app.store.db import open_database
from desk_app.store.models import ChannelAccount, Ticket

if TYPE_CHECKING:  # built on first use, imported then (see DeskApp's lazy services)
    from desk_app.channels.simulated import SimulatedRemote
    from desk_app.services.canned import CannedLibrary
    from desk_app.services.customers_merge import CustomerMerger
    from desk_app.services.fetcher import FetchWorker
    from desk_app.services.kb import KnowledgeBase
    from desk_app.services.outbox import OutboxSender, OutboxWorker
    from desk_app.services.sandbox import SandboxCustomersWorker
    from desk_app.services.team_sync import TeamSync
    from desk_app.services.tone_check import ToneService

log = logging.getLogger(__name__)

HOME_ENV = "DESK_APP_HOME"
DATABASE_FILE = "desk.sqlite3"


def default_profile_dir() -> Path:
    """``DESK_APP_HOME`` if set, else the platform's per-user data directory."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("Desk", appauthor=False))


@dataclass(frozen=True)
class AccountInfo:
    """What a connector factory gets to build a connector: plain data, no ORM object."""

    id: str
    channel: str
    name: str
    config: dict[str, Any]
    profile_dir: Path


ConnectorFactory = Callable[[AccountInfo], Connector]

# -- the registration point for real channel connectors ---------------------------------------
# channel name -> factory. Each factory imports its channel package only when first called, so
# start-up never pays for connectors it does not use. Add a channel here (or call
# register_connector from a plug-in) with a factory taking AccountInfo.


def _email_connector(account: AccountInfo) -> Connector:
    from desk_app.channels.email import build_connector

    return build_connector(account.id, account.config, account.profile_dir)


_CONNECTOR_FACTORIES: dict[str, ConnectorFactory] = {
    Channel.EMAIL.value: _email_connector,
}


def register_connector(channel: str, factory: ConnectorFactory) -> None:
    _CONNECTOR_FACTORIES[Channel(channel).value] = factory


def connector_factory(channel: str) -> ConnectorFactory | None:
    return _CONNECTOR_FACTORIES.get(channel)


class ConnectorUnavailable(LookupError):
    """Raised (and shown as the reply's error) when no connector can be built."""


Seeder = Callable[[ServiceContext], None]


def demo_seeder(ctx: ServiceContext) -> None:
    from desk_app.services.demo import seed_demo  # imported only for an empty profile

    seed_demo(ctx)


def _close(connector: Connector | None) -> None:
    if isinstance(connector, Closeable):
        try:
            connector.close()
        except Exception as error:  # closing is best effort: the server times the session out
            log.warning("closing a connector failed: %s", error)


class DeskApp:
    """One open profile: database, services, the outbox worker."""

    def __init__(
        self,
        profile_dir: Path | None = None,
        *,
        seed: Seeder | None = demo_seeder,
        real_channels: bool = True,
    ) -> None:
        self.profile_dir = profile_dir or default_profile_dir()
        self.profile_dir.mkdir(parents=True, exist_ok=True)
        self.engine: Engine
        self.engine, sessions = open_database(self.profile_dir / DATABASE_FILE)
        self.ctx = ServiceContext(sessions)
        self.real_channels = real_channels
        self._seed = seed
        self._remote: SimulatedRemote | None = None
        self._connectors: dict[str, Connector] = {}
        self._connectors_lock = threading.Lock()
        self.actions = TicketActions(self.ctx)
        self.customers = CustomerActions(self.ctx)
        self.worker: OutboxWorker | None = None
        self.team_sync: TeamSync | None = None  # set in start_workers when signed in
        self.fetchers: list[FetchWorker] = []
        self.fetch_progress = FetchProgressBoard()  # fetch workers report; the UI listens
        self._fetching = False  # fetch workers run (standalone profile, workers started)
        self._fetchers_lock = threading.RLock()  # start, restart and close come from any thread
        self.sandbox_worker: SandboxCustomersWorker | None = None
        self.simulated_poll_seconds = 2.0  # the simulated provider is a local file: cheap

    # -- services built on first use ---------------------------------------------------------
    # The operator tools (stemmer, tone rules, templates, transliteration) and the sending and
    # fetching machinery are not needed to paint the inbox; importing them lazily keeps them
    # out of the cold start (issue 3). cached_property locks on Python 3.11, so two threads
    # asking at once still get one instance.
    @cached_property
    def merger(self) -> CustomerMerger:
        """Duplicates and merge."""
        from desk_app.services.customers_merge import CustomerMerger

        return CustomerMerger(self.ctx)

    @cached_property
    def canned(self) -> CannedLibrary:
        from desk_app.services.canned import CannedLibrary

        return CannedLibrary(self.ctx)

    @cached_property
    def kb(self) -> KnowledgeBase:
        from desk_app.services.kb import KnowledgeBase

        return KnowledgeBase(self.ctx)

    @cached_property
    def tone(self) -> ToneService:
        from desk_app.services.tone_check import ToneService

        return ToneService()

    @cached_property
    def sender(self) -> OutboxSender:
        from desk_app.services.outbox import OutboxSender

        return OutboxSender(self.ctx, self.connector_for)

    @classmethod
    def sandbox(cls, profile_dir: Path | None = None) -> DeskApp:
        """A training profile: simulated channels only, scenario customers who answer back."""
        from desk_app.services.sandbox import seed_sandbox

        return cls(
            profile_dir or default_profile_dir() / "sandbox",
            seed=seed_sandbox,
            real_channels=False,
        )

    # -- lifecycle ---------------------------------------------------------------------------
    def prepare(self) -> None:
        """Seed an empty profile and find the operator. Safe to call from a worker thread.
        A profile seeded now gets the sample replies and articles at once; an existing one is
        topped up by :meth:`start_workers`, after the inbox is on screen."""
        if self._seed is not None and self.is_empty():
            self._seed(self.ctx)
            self._ensure_samples()
        with self.ctx.read() as session:
            self.ctx.agent_id = current_agent_id(session)

    def _ensure_samples(self) -> None:
        if self._seed is not None:
            from desk_app.services.operator_samples import ensure_operator_samples

            ensure_operator_samples(self.ctx)

    def is_empty(self) -> bool:
        with self.ctx.read() as session:
            return not session.scalar(select(exists().where(Ticket.id.is_not(None))))

    def start_workers(self) -> None:
        """Start syncing, sending and fetching. Reads the database and imports the workers'
        modules: the window calls it from a reader thread once the inbox is painted."""
        from desk_app.services.message_files import clear_opened
        from desk_app.services.outbox import OutboxWorker
        from desk_app.services.preferences import load_ui_preferences
        from desk_app.services.sandbox import (
            SandboxCustomersWorker,
            is_sandbox,
            sandbox_customers,
        )
        from desk_app.services.team_sync import TeamSync

        self._ensure_samples()
        clear_opened(self.profile_dir)
        # Team mode (signed in to a server): sync runs, and the team's fetcher process fetches
        # and sends for the shared accounts, so this desk does neither.
        if self.team_sync is None and self.real_channels:
            self.team_sync = TeamSync.start_for(self.ctx)
        if self.worker is None and self.team_sync is None:
            self.worker = OutboxWorker(self.sender, idle_poll=5.0)
            self.worker.start()
        if not self._fetching and self.team_sync is None:
            self._fetching = True
            self._start_fetchers()
        if self.sandbox_worker is None and not self.real_channels and is_sandbox(self.ctx):
            language = load_ui_preferences(self.ctx)["language"]
            customers = sandbox_customers(self.remote, language)
            self.sandbox_worker = SandboxCustomersWorker(customers)
            self.sandbox_worker.start()

    def _start_fetchers(self, only: str | None = None) -> None:
        """One fetch worker per enabled account; an account whose connector cannot be built
        (no password in the keyring, no connector yet) records why and is skipped."""
        from desk_app.services.fetcher import AccountFetcher, FetchWorker

        query = select(
            ChannelAccount.id, ChannelAccount.channel, ChannelAccount.simulated, ChannelAccount.name
        ).where(ChannelAccount.enabled.is_(True))
        if only is not None:
            query = query.where(ChannelAccount.id == only)
        with self.ctx.read() as session:
            accounts = session.execute(query).all()
        board = self.fetch_progress
        for account_id, channel, simulated, name in accounts:
            board.register(account_id, name)
            try:
                connector = self.connector_for(account_id, channel)
            except Exception as error:
                self._record_account_error(account_id, error)
                continue
            poll = self.simulated_poll_seconds if simulated or not self.real_channels else 60.0
            if isinstance(connector, ReportsBacklog):
                connector.watch_backlog(board.backlog_listener(account_id))
            fetcher = AccountFetcher(
                self.ctx,
                account_id,
                connector,
                on_progress=board.stored,
                on_finished=board.finished,
            )
            worker = FetchWorker(fetcher, poll)
            worker.start()
            with self._fetchers_lock:
                self.fetchers.append(worker)

    def restart_account(self, account_id: str) -> None:
        """Rebuild one account's connector and fetch worker from its saved settings, after the
        accounts dialog changed, enabled or disabled it (a cached connector would keep the old
        server and password). Call it off the UI thread and off the reader pool (the window uses
        ``Ops.slow``): stopping a worker waits for its round, up to seconds."""
        with self._fetchers_lock:
            stale = [w for w in self.fetchers if w.fetcher.account_id == account_id]
            for worker in stale:
                worker.stop()
                self.fetchers.remove(worker)
            with self._connectors_lock:
                connector = self._connectors.pop(account_id, None)
            _close(connector)
            if self._fetching and self.team_sync is None:
                self._start_fetchers(only=account_id)

    def _record_account_error(self, account_id: str, error: Exception) -> None:
        log.warning("account %s not started: %s", account_id, error)
        with self.ctx.write() as session:
            account = session.get(ChannelAccount, account_id)
            if account is not None:
                account.last_error = str(error)

    def close(self) -> None:
        if self.team_sync is not None:
            self.team_sync.stop()
            self.team_sync = None
        with self._fetchers_lock:
            self._fetching = False  # a restart_account still in flight starts nothing now
            fetchers, self.fetchers = self.fetchers, []
        for worker in fetchers:
            worker.stopping.set()
        if self.sandbox_worker is not None:
            self.sandbox_worker.stop()
            self.sandbox_worker = None
        for worker in fetchers:
            worker.stop()
        if self.worker is not None:
            self.worker.stop()
            self.worker = None
        with self._connectors_lock:
            connectors = list(self._connectors.values())
            self._connectors.clear()
        for connector in connectors:  # IMAP sessions are logged out, not left to time out
            _close(connector)
        self.engine.dispose()

    # -- connectors --------------------------------------------------------------------------
    @property
    def remote(self) -> SimulatedRemote:
        from desk_app.channels.simulated import REMOTE_FILE, SimulatedRemote

        if self._remote is None:
            self._remote = SimulatedRemote(self.profile_dir / REMOTE_FILE)
        return self._remote

    def connector_for(self, account_id: str | None, channel: str) -> Connector:
        """The connector for an account (cached); called by the outbox worker's thread."""
        key = account_id or f"channel:{channel}"
        with self._connectors_lock:
            connector = self._connectors.get(key)
            if connector is None:
                connector = self._build_connector(account_id, channel)
                self._connectors[key] = connector
            return connector

    def _build_connector(self, account_id: str | None, channel: str) -> Connector:
        with self.ctx.read() as session:
            account = session.get(ChannelAccount, account_id) if account_id else None
            info = (
                AccountInfo(
                    id=account.id,
                    channel=account.channel,
                    name=account.name,
                    config=dict(account.config or {}),
                    profile_dir=self.profile_dir,
                )
                if account is not None
                else None
            )
            simulated = account is None or account.simulated
        if simulated or not self.real_channels:
            from desk_app.channels.simulated import SimulatedConnector

            return SimulatedConnector(Channel(channel), self.remote)
        factory = connector_factory(channel)
        if factory is None or info is None:
            raise ConnectorUnavailable(f"no connector for channel {channel}")
        return factory(info)

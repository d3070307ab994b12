"""Team mode: one process runs the team's shared channel accounts and sends their replies.

Why a headless *profile* and not connectors inside the server: the same code path as a
standalone workstation — ``services.fetcher`` (fetch → sanitize → ``ingest_items``),
``services.outbox`` (exactly-once sending with each connector's ResendSafety) — runs unchanged
on a local SQLite cache, and that cache syncs with the server like any workstation. So the
server stays stateless (no mailbox passwords, no IMAP connections; it can be several processes),
the shared passwords sit only in this machine's keyring, and the (channel, account, external
id) rule keeps one message whichever process fetched it (the cache's unique index locally, the
server's ``dedupe_key`` across processes).

Replies written on workstations reach this process by sync as queued messages; it adopts those
on its accounts into its outbox, sends them, and pushes each delivery state back
(``message.delivery``), which workstations pull onto their copy of the reply.
"""

from __future__ import annotations

import importlib
import logging
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.channels.base import Connector
from desk_app.channels.keys import send_key_for
from desk_app.channels.simulated import REMOTE_FILE, SimulatedConnector, SimulatedRemote
from desk_app.domain.enums import AuthorKind, Channel, DeliveryState, MessageKind
from desk_app.services import mutations
from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.services.fetcher import AccountFetcher, FetchWorker
from desk_app.services.outbox import OutboxSender, OutboxWorker
from desk_app.services.team_sync import changes_of
from desk_app.store.db import open_database
from desk_app.store.models import ChannelAccount, Message, OutboxEntry
from desk_app.sync.incoming import Touched
from desk_app.sync.session import client_for, connection, sign_in
from desk_app.sync.worker import SyncWorker

log = logging.getLogger(__name__)
FINAL = (DeliveryState.SENT, DeliveryState.FAILED, DeliveryState.IN_DOUBT)
ConnectorBuilder = Callable[[str, str, dict[str, Any], bool], Connector]


def default_builder(profile_dir: Path) -> ConnectorBuilder:
    """Simulated accounts get the simulated provider; a real channel's package provides
    ``build_connector(account_id, config, profile_dir)`` (e.g. ``desk_app.channels.email``)."""
    remote: list[SimulatedRemote] = []

    def build(account_id: str, channel: str, config: dict[str, Any], simulated: bool) -> Connector:
        if simulated:
            if not remote:
                remote.append(SimulatedRemote(profile_dir / REMOTE_FILE))
            return SimulatedConnector(Channel(channel), remote[0])
        module = importlib.import_module(f"desk_app.channels.{Channel(channel).value}")
        connector: Connector = module.build_connector(account_id, config, profile_dir)
        return connector

    return build


def adopt_replies(session: Session, account_ids: set[str]) -> int:
    """Queued replies from workstations on the accounts this process runs get outbox entries."""
    rows = session.scalars(
        select(Message)
        .outerjoin(OutboxEntry, OutboxEntry.message_id == Message.id)
        .where(
            OutboxEntry.id.is_(None),
            Message.kind == MessageKind.MESSAGE,
            Message.author_kind == AuthorKind.AGENT,
            Message.delivery_state == DeliveryState.QUEUED,
            Message.account_id.in_(account_ids),
        )
    ).all()
    for message in rows:
        session.add(
            OutboxEntry(
                message_id=message.id,
                ticket_id=message.ticket_id,
                channel=message.channel,
                account_id=message.account_id,
                send_key=message.external_id or send_key_for(Channel(message.channel), message.id),
            )
        )
    return len(rows)


def report_deliveries(session: Session) -> int:
    """Delivery states not yet told to the server become ``message.delivery`` mutations."""
    reported = 0
    for entry, message in session.execute(
        select(OutboxEntry, Message)
        .join(Message, Message.id == OutboxEntry.message_id)
        .where(OutboxEntry.state.in_(FINAL))
    ):
        if message.meta.get("reported_state") == entry.state:
            continue
        mutations.record(
            session,
            "message.delivery",
            message.id,
            delivery_state=entry.state,
            delivery_error=entry.last_error,
            external_id=message.external_id,
        )
        message.meta = dict(message.meta) | {"reported_state": entry.state}
        reported += 1
    return reported


def publish_accounts(session: Session) -> None:
    """Tell the server which shared accounts exist (never their secrets)."""
    for account in session.scalars(select(ChannelAccount).where(ChannelAccount.enabled)):
        mutations.record(
            session,
            "account.upsert",
            account.id,
            account={
                "id": account.id,
                "channel": account.channel,
                "name": account.name,
                "config": account.config,
                "enabled": account.enabled,
                "simulated": account.simulated,
            },
        )


class TeamFetcher:
    def __init__(
        self, profile_dir: Path, builder: ConnectorBuilder | None = None, poll_seconds: float = 30
    ) -> None:
        self.profile_dir = profile_dir
        self.engine, sessions = open_database(profile_dir / "desk.sqlite3")
        self.ctx = ServiceContext(sessions)
        link = connection(sessions)
        if link is None:
            raise RuntimeError("this fetcher profile is not signed in to a server")
        self.link = link
        self.builder = builder or default_builder(profile_dir)
        self._connectors: dict[str, Connector] = {}
        self._lock = threading.Lock()
        with self.ctx.write() as session:
            accounts = session.scalars(select(ChannelAccount).where(ChannelAccount.enabled)).all()
            self.accounts = {a.id: (a.channel, dict(a.config), a.simulated) for a in accounts}
            publish_accounts(session)
        self.sender = OutboxSender(self.ctx, self.connector_for)
        self.outbox = OutboxWorker(self.sender, idle_poll=5.0)
        self.fetchers = [
            FetchWorker(
                AccountFetcher(self.ctx, account_id, self.connector_for(account_id, channel)),
                poll_seconds=poll_seconds,
            )
            for account_id, (channel, _, _) in self.accounts.items()
        ]
        self.sync = SyncWorker(sessions, lambda: client_for(self.link), on_touched=self._pulled)
        self.ctx.bus.subscribe(self._local_change)

    def connector_for(self, account_id: str | None, channel: str) -> Connector:
        key = account_id or channel
        with self._lock:
            if key not in self._connectors:
                _, config, simulated = self.accounts.get(account_id or "", (channel, {}, True))
                self._connectors[key] = self.builder(account_id or "", channel, config, simulated)
            return self._connectors[key]

    def _pulled(self, touched: Touched) -> None:
        with self.ctx.write() as session:
            adopted = adopt_replies(session, set(self.accounts))
        self.ctx.bus.publish(changes_of(touched) | Changes(outbox=adopted > 0))

    def _local_change(self, changes: Changes) -> None:
        if changes.outbox:
            with self.ctx.write() as session:
                report_deliveries(session)
        self.sync.kick()

    def start(self) -> None:
        self.sync.start()
        self.outbox.start()
        for worker in self.fetchers:
            worker.start()

    def stop(self) -> None:
        for worker in self.fetchers:
            worker.stop()
        self.outbox.stop()
        self.sync.stop()
        self.engine.dispose()


def run_fetcher(
    profile: str,
    server_url: str,
    username: str,
    password: str | None = None,
    poll_seconds: float = 30.0,
) -> int:
    profile_dir = Path(profile)
    if password is not None:
        engine, sessions = open_database(profile_dir / "desk.sqlite3")
        sign_in(sessions, server_url, username, password)
        engine.dispose()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    fetcher = TeamFetcher(profile_dir, poll_seconds=poll_seconds)
    stopping = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.set())
    fetcher.start()
    log.info("fetcher running %d account(s) for %s", len(fetcher.accounts), server_url)
    stopping.wait()
    fetcher.stop()
    return 0

"""A real workstation for sync scenarios: its own profile directory and SQLite cache, the real
services, signed in to the real server (token in the OS keyring), and the real sync worker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desk_app.channels.base import IncomingAuthor, IncomingItem
from desk_app.services.context import ServiceContext
from desk_app.services.ingest import ingest_items
from desk_app.services.tickets import TicketActions
from desk_app.store.db import open_database
from desk_app.store.models import ChannelAccount, Message, Mutation, Tag, Ticket, TicketTag
from desk_app.store.types import utcnow
from desk_app.sync.client import SyncClient
from desk_app.sync.incoming import Rejection, Touched
from desk_app.sync.session import client_for, sign_in
from desk_app.sync.worker import SyncStatus, SyncWorker


@dataclass(frozen=True)
class TicketView:
    number: int
    status: str
    priority: int
    assignee_id: str | None
    tags: tuple[str, ...]
    messages: tuple[tuple[str, str, str], ...]  # (id, kind, text), excluding local events


class Workstation:
    def __init__(self, root: Path, server_url: str, username: str, **worker: Any) -> None:
        self.username = username
        self.dir = root / username
        self.engine, self.sessions = open_database(self.dir / "desk.sqlite3")
        self.ctx = ServiceContext(self.sessions)
        self.link = sign_in(self.sessions, server_url, username, f"password-{username}")
        self.ctx.agent_id = self.link.user_id
        self.actions = TicketActions(self.ctx)
        self.touched: list[tuple[float, Touched]] = []
        self.rejections: list[Rejection] = []
        self.statuses: list[SyncStatus] = []
        self.worker = SyncWorker(
            self.sessions,
            lambda: client_for(self.link),
            on_touched=self._on_touched,
            on_rejected=self.rejections.append,
            on_status=self.statuses.append,
            **worker,
        )
        self.ctx.bus.subscribe(lambda _changes: self.worker.kick())
        self.client: SyncClient = client_for(self.link)

    def _on_touched(self, touched: Touched) -> None:
        import time

        self.touched.append((time.monotonic(), touched))

    def close(self) -> None:
        self.worker.stop()
        self.client.close()
        self.engine.dispose()

    # -- sync by hand (deterministic scenarios) ---------------------------------------------
    def push(self) -> int:
        return self.worker.push_once(self.client)

    def pull(self) -> int:
        return self.worker.pull_once(self.client)

    def sync(self) -> None:
        self.push()
        self.pull()

    # -- reading the cache -------------------------------------------------------------------
    def pending(self) -> int:
        with self.sessions() as session:
            return len(list(session.scalars(select(Mutation).where(Mutation.state == "pending"))))

    def mutation_states(self) -> dict[str, int]:
        with self.sessions() as session:
            states: dict[str, int] = {}
            for state in session.scalars(select(Mutation.state)):
                states[state] = states.get(state, 0) + 1
            return states

    def view(self, ticket_id: str) -> TicketView:
        with self.sessions() as session:
            ticket = session.get(Ticket, ticket_id)
            assert ticket is not None, f"{self.username} has no ticket {ticket_id}"
            tags = session.scalars(
                select(Tag.name)
                .join(TicketTag, TicketTag.tag_id == Tag.id)
                .where(TicketTag.ticket_id == ticket_id)
                .order_by(Tag.name)
            )
            messages = session.execute(
                select(Message.id, Message.kind, Message.body_text)
                .where(Message.ticket_id == ticket_id, Message.kind != "event")
                .order_by(Message.id)
            )
            return TicketView(
                ticket.number,
                ticket.status,
                ticket.priority,
                ticket.assignee_id,
                tuple(tags),
                tuple((m.id, m.kind, m.body_text) for m in messages),
            )

    def events(self, ticket_id: str) -> list[str]:
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(Message.body_text).where(
                        Message.ticket_id == ticket_id, Message.kind == "event"
                    )
                )
            )

    def ticket_ids(self) -> set[str]:
        with self.sessions() as session:
            return set(session.scalars(select(Ticket.id)))

    # -- a channel, for the workstation that fetches ---------------------------------------------
    def ingest(self, *texts: str) -> list[str]:
        """Customers write in (one new ticket each) through the real ingest path."""
        with self.ctx.write() as session:
            account = session.scalars(select(ChannelAccount)).first()
            if account is None:
                account = ChannelAccount(channel="telegram", name="Support bot", simulated=True)
                session.add(account)
                session.flush()
            account_id = account.id
        made = []
        for n, text in enumerate(texts):
            item = IncomingItem(
                external_id=f"upd-{self.username}-{len(self.ticket_ids())}-{n}",
                author=IncomingAuthor(external_id=f"user-{text}", display_name=f"Customer {text}"),
                sent_at=utcnow(),
                body_text=text,
                thread_key=f"chat-{text}",
            )
            result = ingest_items(self.ctx, account_id, [item])
            made += list(result.changes.tickets)
        return made

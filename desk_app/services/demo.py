"""Seeding the demo profile: the support team of a classifieds marketplace at work, in Russian and
English, on all eight channels.

The script (:mod:`desk_app.services.demo_script`) is played through the real services with the
clock turned back to when each step happened: what customers write goes through
:func:`ingest_items`, what operators do through :class:`TicketActions`. So the demo obeys the
same rules as real work — threading, reopening on a customer reply, SLA clocks in business
hours, sync mutations — and shows what they produce (overdue tickets, paused clocks). Replies
are delivered by a real :class:`OutboxSender` over the profile's :class:`SimulatedRemote`: each
reply ends ``sent`` (or ``failed`` with the provider's words, like the Google Play answer that is
over 350 characters) because the outbox decided so, not because a column was set by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, exists, select
from sqlalchemy.orm import Session, sessionmaker

from desk_app.channels.base import IncomingAuthor, IncomingItem
from desk_app.channels.simulated import REMOTE_FILE, SimulatedConnector, SimulatedRemote
from desk_app.domain.enums import Channel, Priority, TicketStatus
from desk_app.domain.sla import DEFAULT_TARGETS
from desk_app.services.changes import ChangeBus, Changes
from desk_app.services.context import ServiceContext
from desk_app.services.demo_script import DEMO_FILE, Conversation, DemoScript, Step, load_script
from desk_app.services.ingest import ingest_items
from desk_app.services.outbox import OutboxSender
from desk_app.services.queries import CURRENT_AGENT_SETTING
from desk_app.services.sla_policy import save_sla
from desk_app.services.tickets import TicketActions
from desk_app.store.models import (
    Agent,
    ChannelAccount,
    Customer,
    CustomerIdentity,
    CustomerNote,
    Setting,
    Ticket,
)

# Chats are one thread per person; reviews, comments and posts are one thread each.
_CHAT_CHANNELS = frozenset({Channel.TELEGRAM, Channel.VK, Channel.FACEBOOK})


def seed_demo(
    ctx: ServiceContext, remote: SimulatedRemote | None = None, *, script_path: Path = DEMO_FILE
) -> None:
    """Fill an empty profile with the demo team's work. Does nothing if it has any ticket.

    ``remote`` is the profile's simulated provider; by default the one next to the database file.
    """
    if _has_tickets(ctx.sessions):
        return
    script = load_script(ctx.now(), script_path)
    remote = remote or SimulatedRemote(_remote_path(ctx))
    with _one_transaction(ctx) as sessions:
        # Asked again under the write lock: two starts racing on one empty profile seed once.
        if _has_tickets(sessions):
            return
        changes = _Player(ctx, script, remote, sessions).play()
    ctx.bus.publish(changes)


def _has_tickets(sessions: sessionmaker[Session]) -> bool:
    with sessions() as session:
        return bool(session.scalar(select(exists().where(Ticket.id.is_not(None)))))


def _engine(ctx: ServiceContext) -> Engine:
    bind = ctx.sessions.kw.get("bind")
    if not isinstance(bind, Engine):
        raise ValueError("seed_demo needs a session factory bound to an engine")
    return bind


def _remote_path(ctx: ServiceContext) -> Path:
    database = _engine(ctx).url.database
    if not database or database == ":memory:":
        raise ValueError("an in-memory profile needs an explicit SimulatedRemote for the demo")
    return Path(database).parent / REMOTE_FILE


@contextmanager
def _one_transaction(ctx: ServiceContext) -> Iterator[sessionmaker[Session]]:
    """Sessions whose transactions are savepoints of one outer transaction, so the whole seed is
    committed at once: a crash while seeding leaves an empty profile that is seeded again at the
    next start, never half a demo that the "has tickets" check would keep forever."""
    with _engine(ctx).connect() as connection:
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # pysqlite would defer BEGIN past SAVEPOINTs
        try:
            yield sessionmaker(
                bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
            )
        except BaseException:
            connection.exec_driver_sql("ROLLBACK")
            raise
        connection.exec_driver_sql("COMMIT")


class _Clock:
    """The seeding clock: set to each step's moment before the step is played."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


class _Player:
    def __init__(
        self,
        ctx: ServiceContext,
        script: DemoScript,
        remote: SimulatedRemote,
        sessions: sessionmaker[Session],
    ) -> None:
        self.sessions = sessions
        self.script = script
        self.clock = _Clock(ctx.now())
        self.bus = ChangeBus()  # private: the UI hears one change set at the end, not hundreds
        self.agent_ids: dict[str, str] = {}
        self.account_ids: dict[Channel, str] = {}
        self.customer_ids: dict[str, str] = {}
        self.identities: dict[tuple[str, Channel], IncomingAuthor] = {}
        self.tickets: dict[str, str] = {}  # conversation id -> ticket id
        self.last_item: dict[str, str] = {}  # conversation id -> last customer external id
        self._actions: dict[str, TicketActions] = {}
        # The team lead triages new tickets and signs the notes on customer cards.
        self.lead = next(
            (a["key"] for a in script.agents if a.get("role") == "lead"), script.current_agent
        )
        connectors = {c: SimulatedConnector(c, remote) for c in Channel}
        self.sender = OutboxSender(
            self._context(None), lambda _account, channel: connectors[Channel(channel)]
        )
        self.handlers: dict[str, Callable[[Conversation, Step], None]] = {
            "customer": self._customer_writes,
            "auto": self._customer_writes,
            "setup": self._triage,
            "agent": self._reply,
            "note": self._note,
            "status": self._status,
            "draft": self._draft,
        }

    def _context(self, agent_id: str | None) -> ServiceContext:
        return ServiceContext(self.sessions, agent_id=agent_id, now=self.clock, bus=self.bus)

    def actions(self, agent_key: str | None) -> TicketActions:
        key = agent_key or self.script.current_agent
        if key not in self._actions:
            self._actions[key] = TicketActions(self._context(self.agent_ids[key]))
        return self._actions[key]

    def play(self) -> Changes:
        with self.sessions.begin() as session:
            self._create_team_and_customers(session)
        conversations = {c.id: c for c in self.script.conversations}
        for step in self.script.timeline():
            self.clock.moment = step.at
            self.handlers[step.kind](conversations[step.conversation], step)
        return Changes(
            tickets=frozenset(self.tickets.values()),
            customers=frozenset(self.customer_ids.values()),
            outbox=True,
            queues=True,
            settings=True,
        )

    # -- the profile: calendar, team, accounts, known customers --------------------------------
    def _create_team_and_customers(self, session: Session) -> None:
        save_sla(session, self.script.calendar, DEFAULT_TARGETS)
        for raw in self.script.agents:
            agent = Agent(name=raw["name"], email=raw.get("email"), role=raw.get("role", "agent"))
            session.add(agent)
            session.flush()
            self.agent_ids[raw["key"]] = agent.id
        session.merge(
            Setting(
                key=CURRENT_AGENT_SETTING,
                value={"id": self.agent_ids[self.script.current_agent]},
            )
        )
        for raw in self.script.accounts:
            account = ChannelAccount(
                channel=raw["channel"], name=raw["name"], config=raw["config"], simulated=True
            )
            session.add(account)
            session.flush()
            self.account_ids[Channel(raw["channel"])] = account.id
        first_contact = self._first_contacts()
        lead = self.agent_ids[self.lead]
        for raw in self.script.customers:
            self._add_customer(session, raw, first_contact.get(raw["key"]), lead)

    def _first_contacts(self) -> dict[str, datetime]:
        first: dict[str, datetime] = {}
        for conversation in self.script.conversations:
            if conversation.customer is not None:
                at = conversation.started_at
                first[conversation.customer] = min(at, first.get(conversation.customer, at))
        return first

    def _add_customer(
        self, session: Session, raw: Mapping[str, Any], first_contact: datetime | None, lead: str
    ) -> None:
        since = (
            datetime.combine(date.fromisoformat(raw["since"]), time(12), UTC)
            if "since" in raw
            else first_contact
        )
        favourite = raw.get("favourite_agent")
        customer = Customer(
            display_name=raw["name"],
            city=raw.get("city"),
            plan=raw.get("plan"),
            customer_since=since,
            platform=raw.get("platform"),
            app_version=raw.get("app_version"),
            language=raw.get("language"),
            favourite_agent_id=self.agent_ids[favourite] if favourite else None,
        )
        session.add(customer)
        session.flush()
        self.customer_ids[raw["key"]] = customer.id
        for ident in raw["identities"]:
            channel = Channel(ident["channel"])
            session.add(
                CustomerIdentity(
                    customer_id=customer.id,
                    channel=channel,
                    external_id=ident["id"],
                    display=ident.get("handle"),
                )
            )
            self.identities[(raw["key"], channel)] = IncomingAuthor(
                external_id=ident["id"], display_name=raw["name"], handle=ident.get("handle")
            )
        for body in raw.get("notes", ()):
            session.add(CustomerNote(customer_id=customer.id, author_id=lead, body=body))

    # -- customers writing in ------------------------------------------------------------------
    def _author(self, conversation: Conversation) -> IncomingAuthor:
        if conversation.author is not None:
            raw = conversation.author
            return IncomingAuthor(raw["id"], raw["name"], raw.get("handle"))
        assert conversation.customer is not None
        try:
            return self.identities[(conversation.customer, conversation.channel)]
        except KeyError:
            raise ValueError(
                f"demo conversation {conversation.id}: {conversation.customer} has no"
                f" {conversation.channel} identity"
            ) from None

    def _customer_writes(self, conversation: Conversation, step: Step) -> None:
        author = self._author(conversation)
        channel = conversation.channel
        if channel is Channel.EMAIL:
            domain = author.external_id.rpartition("@")[2]
            external_id = f"<demo.{conversation.id}.{step.index}@{domain}>"
            thread_key = f"<demo.{conversation.id}.0@{domain}>"
            subject: str | None = conversation.subject
            if step.index and subject:
                subject = f"Re: {subject}"
        else:
            external_id = f"{channel}:{conversation.id}:{step.index}"
            chat = channel in _CHAT_CHANNELS
            thread_key = f"{channel}:{author.external_id if chat else conversation.id}"
            subject = step.subject
        previous = self.last_item.get(conversation.id)
        item = IncomingItem(
            external_id=external_id,
            author=author,
            sent_at=step.at,
            body_text=step.text,
            subject=subject,
            thread_key=thread_key,
            in_reply_to=(previous,) if previous and channel is Channel.EMAIL else (),
            automated=step.kind == "auto",
            rating=step.rating,
            meta=dict(conversation.meta) | dict(step.meta),
        )
        result = ingest_items(self._context(None), self.account_ids[channel], [item])
        (ticket_id,) = result.changes.tickets
        # Threading is the real rule's business; the script must agree with it.
        expected = self.tickets.get(conversation.id)
        if expected is None and ticket_id in self.tickets.values():
            raise ValueError(f"demo conversation {conversation.id} joined another's ticket")
        if expected is not None and expected != ticket_id:
            raise ValueError(f"demo conversation {conversation.id} split into two tickets")
        self.tickets[conversation.id] = ticket_id
        for customer_id in result.changes.customers:
            self.customer_ids.setdefault(f"{channel}:{author.external_id}", customer_id)
        self.last_item[conversation.id] = external_id

    # -- the team at work ----------------------------------------------------------------------
    def _triage(self, conversation: Conversation, step: Step) -> None:
        """The lead tags, prioritises and assigns a new ticket."""
        actions = self.actions(self.lead)
        ticket_id = self.tickets[conversation.id]
        if conversation.tags:
            actions.set_tags(ticket_id, list(conversation.tags))
        if conversation.priority is not Priority.NORMAL:
            actions.set_priority(ticket_id, conversation.priority)
        if conversation.assignee:
            actions.assign(ticket_id, self.agent_ids[conversation.assignee])

    def _reply(self, conversation: Conversation, step: Step) -> None:
        actions = self.actions(step.by)
        ticket_id = self.tickets[conversation.id]
        actions.send_reply(ticket_id, step.text)
        self.sender.drain()  # delivered (or refused) by the simulated provider right away
        actions.mark_read(ticket_id)

    def _note(self, conversation: Conversation, step: Step) -> None:
        actions = self.actions(step.by)
        actions.add_note(self.tickets[conversation.id], step.text)
        actions.mark_read(self.tickets[conversation.id])

    def _status(self, conversation: Conversation, step: Step) -> None:
        actions = self.actions(step.by)
        actions.set_status(self.tickets[conversation.id], TicketStatus(step.text))
        actions.mark_read(self.tickets[conversation.id])

    def _draft(self, conversation: Conversation, step: Step) -> None:
        self.actions(step.by).save_draft(self.tickets[conversation.id], step.text)

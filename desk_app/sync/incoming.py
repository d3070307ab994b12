"""Storing what the server says: pulled records upserted into the cache, push outcomes applied.

Pulled records never create mutations (they are the server's truth, not local changes). A
record whose parent is not here yet gets a placeholder parent (agent, account, customer) that
the parent's own record fills in later in the same catch-up; a message whose ticket has not
arrived is parked until it has. A ticket with local changes still waiting to be pushed is not
overwritten: the push goes first and the server sends the result back.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import DeclarativeBase, Session

from desk_app.domain.enums import AuthorKind, MessageKind
from desk_app.store.models import (
    Agent,
    ChannelAccount,
    Customer,
    CustomerIdentity,
    CustomerNote,
    Message,
    Mutation,
    OutboxEntry,
    Setting,
    Tag,
    Ticket,
    TicketTag,
)
from desk_app.store.types import utcnow
from desk_app.sync.wire import LOCAL_TICKET_FIELDS, from_doc

log = logging.getLogger(__name__)


@dataclass
class Touched:
    """What a sync step changed, as plain ids: the app turns it into a ``Changes`` set."""

    tickets: set[str] = field(default_factory=set)
    customers: set[str] = field(default_factory=set)
    queues: bool = False
    settings: bool = False
    outbox: bool = False

    def __bool__(self) -> bool:
        return bool(self.tickets or self.customers or self.queues or self.settings or self.outbox)


@dataclass(frozen=True)
class Rejection:
    """A local change the server refused, with the reason to show the operator."""

    mutation_id: str
    kind: str
    ticket_id: str | None
    reason: str


# -- upserts ---------------------------------------------------------------------------------
def upsert(session: Session, model: type[DeclarativeBase], data: dict[str, Any]) -> Any:
    values = from_doc(model, data)
    row = session.get(model, values["id"])
    if row is None:
        row = model(**values)
        session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    return row


def ensure_agent(session: Session, agent_id: str | None) -> None:
    if agent_id and session.get(Agent, agent_id) is None:
        session.add(Agent(id=agent_id, name="…", active=True))
        session.flush()


def ensure_customer(session: Session, customer_id: str | None) -> None:
    if customer_id and session.get(Customer, customer_id) is None:
        session.add(Customer(id=customer_id, display_name=""))
        session.flush()


def _ensure_account(session: Session, account_id: str | None, channel: str) -> None:
    if account_id and session.get(ChannelAccount, account_id) is None:
        session.add(ChannelAccount(id=account_id, channel=channel, name="", enabled=False))
        session.flush()


def _free_number(session: Session, number: int, ticket_id: str) -> None:
    """Ticket numbers are the server's; a local ticket still holding a provisional number that the
    server gave to another ticket moves aside until its own number arrives."""
    holder = session.scalars(
        select(Ticket).where(Ticket.number == number, Ticket.id != ticket_id)
    ).first()
    if holder is not None:
        top = session.scalar(select(func.max(Ticket.number))) or 0
        holder.number = max(top, number) + 1
        session.flush()


def _set_tags(session: Session, ticket_id: str, names: list[str]) -> None:
    tags = {t.name: t for t in session.scalars(select(Tag).where(Tag.name.in_(names)))}
    for name in names:
        if name not in tags:
            tags[name] = Tag(name=name)
            session.add(tags[name])
    session.flush()
    session.execute(delete(TicketTag).where(TicketTag.ticket_id == ticket_id))
    for tag in tags.values():
        session.add(TicketTag(ticket_id=ticket_id, tag_id=tag.id))


def has_pending(session: Session, entity_id: str) -> bool:
    return (
        session.scalar(
            select(Mutation.seq)
            .where(Mutation.entity_id == entity_id, Mutation.state == "pending")
            .limit(1)
        )
        is not None
    )


class Applier:
    """Applies server records to the cache inside the caller's transaction."""

    def __init__(self, session: Session, touched: Touched) -> None:
        self.session = session
        self.touched = touched
        self.handlers: dict[str, Callable[[dict[str, Any]], bool]] = {
            "agent": self._agent,
            "account": self._account,
            "customer": self._customer,
            "identity": self._identity,
            "customer_note": self._note,
            "ticket": self._ticket,
            "message": self._message,
            "sla_policy": self._sla_policy,
        }
        # Imported here: the operator-tool handlers build on this module's upserts.
        from desk_app.sync.operator_incoming import OperatorRecords

        self.handlers |= OperatorRecords(session, touched).handlers()

    def apply(self, kind: str, data: dict[str, Any], *, force: bool = False) -> bool:
        """False when the record must wait (its parent has not arrived yet)."""
        handler = self.handlers.get(kind)
        if handler is None:
            return True  # a kind this workstation does not keep
        if kind == "ticket" and not force and has_pending(self.session, data["id"]):
            return True  # our own pending change goes first; the server will echo the result
        return handler(data)

    def _agent(self, data: dict[str, Any]) -> bool:
        upsert(self.session, Agent, data)
        self.touched.settings = True
        return True

    def _account(self, data: dict[str, Any]) -> bool:
        keys = ("id", "channel", "name", "config", "enabled")
        values: dict[str, Any] = {k: data[k] for k in keys if k in data}
        upsert(self.session, ChannelAccount, values)
        self.touched.settings = True
        return True

    def _customer(self, data: dict[str, Any]) -> bool:
        ensure_agent(self.session, data.get("favourite_agent_id"))
        ensure_customer(self.session, data.get("merged_into_id"))
        upsert(self.session, Customer, data)
        self.touched.customers.add(data["id"])
        return True

    def _identity(self, data: dict[str, Any]) -> bool:
        ensure_customer(self.session, data["customer_id"])
        # The server kept another identity for the same address: ours was a duplicate.
        self.session.execute(
            delete(CustomerIdentity).where(
                CustomerIdentity.channel == data["channel"],
                CustomerIdentity.external_id == data["external_id"],
                CustomerIdentity.id != data["id"],
            )
        )
        upsert(self.session, CustomerIdentity, data)
        self.touched.customers.add(data["customer_id"])
        return True

    def _note(self, data: dict[str, Any]) -> bool:
        ensure_customer(self.session, data["customer_id"])
        ensure_agent(self.session, data.get("author_id"))
        upsert(self.session, CustomerNote, data)
        self.touched.customers.add(data["customer_id"])
        return True

    def _ticket(self, data: dict[str, Any]) -> bool:
        ensure_customer(self.session, data["customer_id"])
        _ensure_account(self.session, data.get("account_id"), data["channel"])
        ensure_agent(self.session, data.get("assignee_id"))
        _free_number(self.session, int(data["number"]), data["id"])
        values = {k: v for k, v in data.items() if k not in LOCAL_TICKET_FIELDS}
        upsert(self.session, Ticket, values)
        self.session.flush()
        _set_tags(self.session, data["id"], list(data.get("tags", [])))
        self.touched.tickets.add(data["id"])
        self.touched.customers.add(data["customer_id"])
        self.touched.queues = True
        return True

    def _message(self, data: dict[str, Any]) -> bool:
        ticket = self.session.get(Ticket, data["ticket_id"])
        if ticket is None:
            return False
        ensure_agent(self.session, data.get("author_agent_id"))
        values = from_doc(Message, data)
        values.pop("seq", None)
        row = self.session.scalars(select(Message).where(Message.id == data["id"])).first()
        if row is None:
            self.session.add(Message(**values))
            if data.get("author_kind") == AuthorKind.CUSTOMER and not data.get("automated"):
                ticket.unread = True
        else:
            for key, value in values.items():
                setattr(row, key, value)
        self._follow_delivery(data)
        self.touched.tickets.add(data["ticket_id"])
        return True

    def _follow_delivery(self, data: dict[str, Any]) -> None:
        """A reply sent by the team's fetcher: our own copy of its outbox entry follows, so this
        workstation never sends it as well."""
        state = data.get("delivery_state")
        if state not in ("sent", "failed", "in_doubt"):
            return
        entry = self.session.scalars(
            select(OutboxEntry).where(OutboxEntry.message_id == data["id"])
        ).first()
        if entry is not None and entry.state != state:
            entry.state = state
            entry.last_error = data.get("delivery_error")
            self.touched.outbox = True

    def _sla_policy(self, data: dict[str, Any]) -> bool:
        value = {"calendar": data.get("calendar", {}), "targets": data.get("targets", {})}
        self.session.merge(Setting(key="sla", value=value))
        self.touched.settings = True
        return True


# -- push outcomes ---------------------------------------------------------------------------
def apply_results(
    session: Session, results: list[dict[str, Any]], touched: Touched
) -> list[Rejection]:
    """Marks each pushed mutation with its outcome; a rejection restores the server's version
    and leaves an event in the conversation saying why."""
    applier = Applier(session, touched)
    rejections: list[Rejection] = []
    for result in results:
        mutation = session.scalars(select(Mutation).where(Mutation.id == result["id"])).first()
        if mutation is None or mutation.state != "pending":
            continue
        outcome = result["outcome"]
        mutation.state = outcome
        mutation.outcome = result.get("reason") or (
            json.dumps(result.get("result")) if result.get("result") else None
        )
        session.flush()
        if outcome != "rejected":
            _follow_merge(session, mutation, result.get("result") or {}, touched)
        for record in result.get("current", []):
            applier.apply(record["kind"], record["data"], force=True)
        if outcome == "rejected":
            rejections.append(_reject(session, mutation, str(result.get("reason")), touched))
    return rejections


def _follow_merge(
    session: Session, mutation: Mutation, result: dict[str, Any], touched: Touched
) -> None:
    if mutation.kind == "ticket.create" and "number" in result:
        ticket = session.get(Ticket, mutation.entity_id)
        if ticket is not None and ticket.number != result["number"]:
            _free_number(session, int(result["number"]), ticket.id)
            ticket.number = int(result["number"])
            touched.tickets.add(ticket.id)
    elif mutation.kind == "message.add":
        canonical = result.get("canonical_id")
        if canonical and canonical != mutation.entity_id:
            # The server already had this incoming item (another fetcher stored it first).
            duplicate = session.scalars(
                select(Message).where(Message.id == mutation.entity_id)
            ).first()
            has_outbox = session.scalar(
                select(OutboxEntry.id).where(OutboxEntry.message_id == mutation.entity_id)
            )
            if duplicate is not None and has_outbox is None:
                touched.tickets.add(duplicate.ticket_id)
                session.delete(duplicate)


def _ticket_of(session: Session, mutation: Mutation) -> str | None:
    if mutation.kind.startswith("ticket."):
        return mutation.entity_id
    if mutation.kind.startswith("message."):
        return session.scalar(select(Message.ticket_id).where(Message.id == mutation.entity_id))
    return None


def _reject(session: Session, mutation: Mutation, reason: str, touched: Touched) -> Rejection:
    ticket_id = _ticket_of(session, mutation)
    ticket = session.get(Ticket, ticket_id) if ticket_id else None
    if ticket is not None:
        session.add(
            Message(
                ticket_id=ticket.id,
                kind=MessageKind.EVENT,
                author_kind=AuthorKind.SYSTEM,
                channel=ticket.channel,
                body_text=f"Not saved on the server: {reason}",
                sent_at=utcnow(),
                meta={"sync_rejected": mutation.kind, "reason": reason, "mutation": mutation.id},
            )
        )
        touched.tickets.add(ticket.id)
        touched.queues = True
    log.info("server rejected %s %s: %s", mutation.kind, mutation.entity_id, reason)
    return Rejection(mutation.id, mutation.kind, ticket_id, reason)

"""Turning what a channel delivered into customers, tickets and messages.

Used by every fetcher (email, stores, messengers, the sandbox) and by sync, so dedupe, threading
and reopening follow one set of rules whatever the source. A batch is one transaction. First
syncs ingest thousands of items, so a batch looks up everything its items may need (known ids,
identities, the tickets they answer, thread and customer tickets) in a few set-wise queries, places
each item in memory, and writes messages and sync mutations with bulk inserts.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from desk_app.channels.base import IncomingItem
from desk_app.domain.enums import AuthorKind, MessageKind, Priority, TicketStatus
from desk_app.domain.platform_facts import PlatformFacts, parse_platform_facts
from desk_app.domain.tickets import status_after_customer_message
from desk_app.services import ticket_sla
from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.services.tickets import snippet_of
from desk_app.store.models import (
    ChannelAccount,
    Customer,
    CustomerIdentity,
    Message,
    Mutation,
    Ticket,
)
from desk_app.store.types import utcnow


@dataclass(frozen=True)
class IngestResult:
    changes: Changes
    stored: int
    duplicates: int


def next_ticket_number(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.max(Ticket.number), 1000))) or 1000) + 1


def _ids() -> Iterator[str]:
    """Random (version 4) UUID strings like ``new_id``, from one ``urandom`` call per 256:
    a batch makes several ids per item, and a system call each showed in first-sync profiles."""
    while True:
        pool = os.urandom(16 * 256)
        for start in range(0, len(pool), 16):
            yield str(uuid.UUID(bytes=pool[start : start + 16], version=4))


def _surviving(session: Session, customer: Customer) -> Customer:
    """Follow merges to the customer that absorbed this one."""
    while customer.merged_into_id:
        merged = session.get(Customer, customer.merged_into_id)
        assert merged is not None
        customer = merged
    return customer


class _Batch:
    """One account's batch: what it looked up, and what it is about to write."""

    def __init__(self, session: Session, account: ChannelAccount) -> None:
        self.session = session
        self.account = account
        self._next_number: int | None = None
        self.customers: dict[str, Customer] = {}  # author external id -> customer
        self.ticket_of_external: dict[str, str] = {}  # message external id -> ticket id
        self.tickets: dict[str, Ticket] = {}
        self.by_thread: dict[str, Ticket] = {}
        self.active_by_customer: dict[str, Ticket] = {}
        self.messages: list[dict[str, Any]] = []
        self.mutations: list[dict[str, Any]] = []
        self.new_id = _ids().__next__

    # -- look-ups, set-wise -----------------------------------------------------------------
    def preload(self, items: Sequence[IncomingItem]) -> None:
        session, account = self.session, self.account
        for external_id, customer in session.execute(
            select(CustomerIdentity.external_id, Customer)
            .join(Customer, Customer.id == CustomerIdentity.customer_id)
            .where(
                CustomerIdentity.channel == account.channel,
                CustomerIdentity.external_id.in_({i.author.external_id for i in items}),
            )
        ):
            self.customers[external_id] = _surviving(session, customer)
        referenced = {ref for i in items for ref in i.in_reply_to}
        if referenced:
            for referenced_id, ticket_id in session.execute(
                select(Message.external_id, Message.ticket_id).where(
                    Message.channel == account.channel,
                    Message.account_id == account.id,  # the full unique index serves this
                    Message.external_id.in_(referenced),
                )
            ):
                if referenced_id is not None:
                    self.ticket_of_external[referenced_id] = ticket_id
        threads = {i.thread_key for i in items if i.thread_key}
        customer_ids = {c.id for c in self.customers.values()}
        candidates: list[Ticket] = []
        if threads:
            candidates += session.scalars(
                select(Ticket).where(
                    Ticket.account_id == account.id, Ticket.external_thread_key.in_(threads)
                )
            )
        if customer_ids:
            candidates += session.scalars(
                select(Ticket).where(
                    Ticket.account_id == account.id,
                    Ticket.active.is_(True),
                    Ticket.customer_id.in_(customer_ids),
                )
            )
        wanted = set(self.ticket_of_external.values()) - {t.id for t in candidates}
        if wanted:
            candidates += session.scalars(select(Ticket).where(Ticket.id.in_(wanted)))
        for ticket in sorted(candidates, key=lambda t: t.last_message_at):
            self._remember(ticket)

    def _remember(self, ticket: Ticket) -> None:
        """Later (newer) tickets win the thread and active-customer slots."""
        self.tickets[ticket.id] = ticket
        if ticket.external_thread_key:
            self.by_thread[ticket.external_thread_key] = ticket
        if ticket.active:
            self.active_by_customer[ticket.customer_id] = ticket

    # -- placing items ----------------------------------------------------------------------
    def ticket_number(self) -> int:
        if self._next_number is None:
            self._next_number = next_ticket_number(self.session)
        number = self._next_number
        self._next_number += 1
        return number

    def customer_for(self, item: IncomingItem) -> Customer:
        known = self.customers.get(item.author.external_id)
        if known is not None:
            return known
        customer = Customer(
            id=self.new_id(),
            display_name=item.author.display_name or item.author.external_id,
            customer_since=item.sent_at,
            platform=item.meta.get("platform"),
            app_version=item.meta.get("app_version"),
            language=item.meta.get("language"),
        )
        self.session.add(customer)
        self.session.add(
            CustomerIdentity(
                customer_id=customer.id,
                channel=self.account.channel,
                external_id=item.author.external_id,
                display=item.author.handle or item.author.display_name,
            )
        )
        self.customers[item.author.external_id] = customer
        return customer

    def thread_ticket(self, customer: Customer, item: IncomingItem) -> Ticket | None:
        """What the item answers, then its channel thread, then the customer's active ticket."""
        for ref in item.in_reply_to:
            ticket_id = self.ticket_of_external.get(ref)
            if ticket_id is not None and ticket_id in self.tickets:
                return self.tickets[ticket_id]
        if item.thread_key and item.thread_key in self.by_thread:
            return self.by_thread[item.thread_key]
        return self.active_by_customer.get(customer.id)

    def new_ticket(self, customer: Customer, item: IncomingItem) -> Ticket:
        ticket = Ticket(
            id=self.new_id(),
            number=self.ticket_number(),
            customer_id=customer.id,
            channel=self.account.channel,
            account_id=self.account.id,
            subject=item.subject or "",
            status=TicketStatus.NEW,
            active=True,
            priority=int(Priority.NORMAL),
            unread=True,
            external_thread_key=item.thread_key,
            created_at=item.sent_at,
            last_message_at=item.sent_at,
            rating=item.rating,
        )
        self.session.add(ticket)
        ticket_sla.start_clock(self.session, ticket, item.sent_at)
        self.mutation("ticket.create", ticket.id, customer_id=customer.id)
        self._remember(ticket)
        return ticket

    def mutation(self, mutation: str, entity_id: str, **payload: Any) -> None:
        """Same rows ``services.mutations.record`` writes, collected for one bulk insert."""
        self.mutations.append(
            {"id": self.new_id(), "kind": mutation, "entity_id": entity_id, "payload": payload}
        )

    def write(self) -> None:
        """Customers and tickets first (messages reference them), then the bulk rows — as Core
        executemany: the ORM's bulk path re-examines every row dict, which cost more than the
        insert itself (nothing ORM-side tracks these rows in this session)."""
        self.session.flush()
        connection = self.session.connection()
        if self.messages:
            connection.execute(insert(Message), self.messages)
        if self.mutations:
            connection.execute(insert(Mutation), self.mutations)


def ingest_items(
    ctx: ServiceContext, account_id: str, items: Sequence[IncomingItem]
) -> IngestResult:
    """Store new items in one transaction; already-known external ids are skipped."""
    touched: set[str] = set()
    customers: set[str] = set()
    with ctx.write() as session:
        account = session.get(ChannelAccount, account_id)
        if account is None:
            raise LookupError(f"no channel account {account_id}")
        fresh = _unknown(session, account, items)
        if fresh:
            batch = _Batch(session, account)
            with session.no_autoflush:
                batch.preload(fresh)
                for item in fresh:
                    ticket = _place(batch, item)
                    touched.add(ticket.id)
                    customers.add(ticket.customer_id)
            batch.write()
    changes = Changes(
        tickets=frozenset(touched), customers=frozenset(customers), queues=bool(touched)
    )
    ctx.bus.publish(changes)
    return IngestResult(changes=changes, stored=len(fresh), duplicates=len(items) - len(fresh))


def _unknown(
    session: Session, account: ChannelAccount, items: Iterable[IncomingItem]
) -> list[IncomingItem]:
    """Items not stored yet, first occurrence only (the same mail delivered twice is one)."""
    items = list(items)
    known = set(
        session.scalars(
            select(Message.external_id).where(
                Message.channel == account.channel,
                Message.account_id == account.id,
                Message.external_id.in_({i.external_id for i in items}),
            )
        )
    )
    fresh = []
    for item in items:
        if item.external_id not in known:
            known.add(item.external_id)
            fresh.append(item)
    return fresh


def _place(batch: _Batch, item: IncomingItem) -> Ticket:
    customer = batch.customer_for(item)
    _update_customer_facts(customer, item)
    ticket = batch.thread_ticket(customer, item)
    if ticket is None:
        ticket = batch.new_ticket(customer, item)
    else:
        if item.rating is not None:  # an edited store review carries its new rating
            ticket.rating = item.rating
        before = TicketStatus(ticket.status)
        after = status_after_customer_message(before, automated=item.automated)
        if after != before:
            ticket.status = after
            ticket.active = after.is_active
            ticket_sla.follow_status(batch.session, ticket, after, item.sent_at)
            batch._remember(ticket)
    message_id = batch.new_id()
    now = utcnow()
    batch.messages.append(
        {
            "id": message_id,
            "created_at": now,
            "updated_at": now,
            "ticket_id": ticket.id,
            "kind": MessageKind.MESSAGE.value,
            "author_kind": AuthorKind.CUSTOMER.value,
            "author_agent_id": None,
            "channel": batch.account.channel,
            "account_id": batch.account.id,
            "external_id": item.external_id,
            "sent_at": item.sent_at,
            "subject": item.subject,
            "body_text": item.body_text,
            "body_html": item.body_html,
            "delivery_state": None,
            "delivery_error": None,
            "automated": item.automated,
            "meta": dict(item.meta) | ({"rating": item.rating} if item.rating is not None else {}),
        }
    )
    batch.ticket_of_external[item.external_id] = ticket.id
    if not item.automated:
        ticket.unread = True
        if item.sent_at >= ticket.last_message_at:
            ticket.last_message_at = item.sent_at
            ticket.snippet = snippet_of(item.body_text)
    batch.mutation("message.add", message_id, ticket_id=ticket.id, kind="incoming")
    return ticket


def _update_customer_facts(customer: Customer, item: IncomingItem) -> None:
    """Platform and app version from store metadata or parsed text: newest wins."""
    parsed = parse_platform_facts(item.body_text) if not item.automated else PlatformFacts()
    for attr in ("platform", "app_version"):
        value = item.meta.get(attr) or getattr(parsed, attr)
        if value and getattr(customer, attr) != str(value):  # an unchanged set costs events
            setattr(customer, attr, str(value))

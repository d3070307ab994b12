"""Turning what a channel delivered into customers, tickets and messages.

Used by every fetcher (email, stores, messengers, the sandbox) and by sync, so dedupe, threading
and reopening follow one set of rules whatever the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.channels.base import IncomingItem
from desk_app.domain.enums import AuthorKind, MessageKind, Priority, TicketStatus
from desk_app.domain.tickets import status_after_customer_message
from desk_app.services import mutations, ticket_sla
from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.services.tickets import snippet_of
from desk_app.store.models import (
    ChannelAccount,
    Customer,
    CustomerIdentity,
    Message,
    Ticket,
)


@dataclass(frozen=True)
class IngestResult:
    changes: Changes
    stored: int
    duplicates: int


def next_ticket_number(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.max(Ticket.number), 1000))) or 1000) + 1


def find_or_create_customer(session: Session, channel: str, item: IncomingItem) -> Customer:
    identity = session.scalars(
        select(CustomerIdentity).where(
            CustomerIdentity.channel == channel,
            CustomerIdentity.external_id == item.author.external_id,
        )
    ).first()
    if identity is not None:
        customer = session.get(Customer, identity.customer_id)
        assert customer is not None
        while customer.merged_into_id:  # follow merges to the surviving customer
            merged = session.get(Customer, customer.merged_into_id)
            assert merged is not None
            customer = merged
        return customer
    customer = Customer(
        display_name=item.author.display_name or item.author.external_id,
        customer_since=item.sent_at,
        platform=item.meta.get("platform"),
        app_version=item.meta.get("app_version"),
        language=item.meta.get("language"),
    )
    session.add(customer)
    session.flush()
    session.add(
        CustomerIdentity(
            customer_id=customer.id,
            channel=channel,
            external_id=item.author.external_id,
            display=item.author.handle or item.author.display_name,
        )
    )
    return customer


def _thread_ticket(
    session: Session, account: ChannelAccount, customer: Customer, item: IncomingItem
) -> Ticket | None:
    """Which ticket a new item belongs to: what it answers, then its channel thread, then the
    customer's active ticket on that account."""
    if item.in_reply_to:
        ticket_id = session.scalar(
            select(Message.ticket_id)
            .where(Message.channel == account.channel, Message.external_id.in_(item.in_reply_to))
            .limit(1)
        )
        if ticket_id is not None:
            return session.get(Ticket, ticket_id)
    if item.thread_key:
        ticket = session.scalars(
            select(Ticket)
            .where(Ticket.external_thread_key == item.thread_key, Ticket.account_id == account.id)
            .order_by(Ticket.last_message_at.desc())
        ).first()
        if ticket is not None:
            return ticket
    return session.scalars(
        select(Ticket)
        .where(
            Ticket.customer_id == customer.id,
            Ticket.account_id == account.id,
            Ticket.active.is_(True),
        )
        .order_by(Ticket.last_message_at.desc())
    ).first()


def ingest_items(
    ctx: ServiceContext, account_id: str, items: Sequence[IncomingItem]
) -> IngestResult:
    """Store new items in one transaction; already-known external ids are skipped."""
    touched: set[str] = set()
    customers: set[str] = set()
    stored = duplicates = 0
    with ctx.write() as session:
        account = session.get(ChannelAccount, account_id)
        if account is None:
            raise LookupError(f"no channel account {account_id}")
        known = set(
            session.scalars(
                select(Message.external_id).where(
                    Message.channel == account.channel,
                    Message.account_id == account.id,
                    Message.external_id.in_([i.external_id for i in items]),
                )
            )
        )
        for item in items:
            if item.external_id in known:
                duplicates += 1
                continue
            known.add(item.external_id)
            ticket = ingest_one(session, account, item)
            touched.add(ticket.id)
            customers.add(ticket.customer_id)
            stored += 1
    changes = Changes(
        tickets=frozenset(touched), customers=frozenset(customers), queues=bool(touched)
    )
    ctx.bus.publish(changes)
    return IngestResult(changes=changes, stored=stored, duplicates=duplicates)


def ingest_one(session: Session, account: ChannelAccount, item: IncomingItem) -> Ticket:
    customer = find_or_create_customer(session, account.channel, item)
    _update_customer_facts(customer, item)
    ticket = _thread_ticket(session, account, customer, item)
    if ticket is None:
        ticket = Ticket(
            number=next_ticket_number(session),
            customer_id=customer.id,
            channel=account.channel,
            account_id=account.id,
            subject=item.subject or "",
            status=TicketStatus.NEW,
            priority=int(Priority.NORMAL),
            external_thread_key=item.thread_key,
            created_at=item.sent_at,
            last_message_at=item.sent_at,
            rating=item.rating,
        )
        session.add(ticket)
        session.flush()
        ticket_sla.start_clock(session, ticket, item.sent_at)
        mutations.record(session, "ticket.create", ticket.id, customer_id=customer.id)
    else:
        before = TicketStatus(ticket.status)
        after = status_after_customer_message(before, automated=item.automated)
        if after != before:
            ticket.status = after
            ticket.active = after.is_active
            ticket_sla.follow_status(session, ticket, after, item.sent_at)
    message = Message(
        ticket_id=ticket.id,
        kind=MessageKind.MESSAGE,
        author_kind=AuthorKind.CUSTOMER,
        channel=account.channel,
        account_id=account.id,
        external_id=item.external_id,
        sent_at=item.sent_at,
        subject=item.subject,
        body_text=item.body_text,
        body_html=item.body_html,
        automated=item.automated,
        meta=dict(item.meta) | ({"rating": item.rating} if item.rating is not None else {}),
    )
    session.add(message)
    if not item.automated:
        ticket.unread = True
        if item.sent_at >= ticket.last_message_at:
            ticket.last_message_at = item.sent_at
            ticket.snippet = snippet_of(item.body_text)
    session.flush()
    mutations.record(session, "message.add", message.id, ticket_id=ticket.id, kind="incoming")
    return ticket


def _update_customer_facts(customer: Customer, item: IncomingItem) -> None:
    """Platform and app version from store metadata or parsed text: newest wins."""
    for attr in ("platform", "app_version"):
        value = item.meta.get(attr)
        if value:
            setattr(customer, attr, str(value))

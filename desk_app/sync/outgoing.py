"""Reading pending mutations and giving each the data the server needs.

``services.mutations.record`` stores only what changed (``status``, ``assignee_id`` and
``previous``, a message id ...). At push time each is completed from the cache: a new ticket
travels with its customer and identities, a message with its text and the ticket fields the
message moved (status, last message, snippet, SLA clock). Rows are read in the worker's own
session; only plain dicts leave this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.store.models import (
    Customer,
    CustomerIdentity,
    CustomerNote,
    Message,
    Mutation,
    Tag,
    Ticket,
    TicketTag,
)
from desk_app.sync.operator_outgoing import OPERATOR_BUILDERS
from desk_app.sync.wire import LOCAL_TICKET_FIELDS, SLA_FIELDS, row_doc, to_json

PENDING = "pending"
SKIPPED = "skipped"  # the entity is gone locally: nothing to send


@dataclass(frozen=True)
class Outgoing:
    key: str
    kind: str
    entity_id: str
    payload: dict[str, Any]

    def wire(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "kind": self.kind,
            "entity_id": self.entity_id,
            "payload": self.payload,
        }


def pending_count(session: Session) -> int:
    return int(
        session.scalar(select(func.count()).select_from(Mutation).where(Mutation.state == PENDING))
        or 0
    )


def ticket_doc(session: Session, ticket: Ticket) -> dict[str, Any]:
    doc = row_doc(ticket, LOCAL_TICKET_FIELDS)
    doc["tags"] = sorted(
        session.scalars(
            select(Tag.name)
            .join(TicketTag, TicketTag.tag_id == Tag.id)
            .where(TicketTag.ticket_id == ticket.id)
        )
    )
    return doc


def _ticket_patch(ticket: Ticket, *extra: str) -> dict[str, Any]:
    return {name: to_json(getattr(ticket, name)) for name in (*SLA_FIELDS, "active", *extra)}


def _ticket_create(session: Session, m: Mutation) -> dict[str, Any] | None:
    ticket = session.get(Ticket, m.entity_id)
    if ticket is None:
        return None
    customer = session.get(Customer, ticket.customer_id)
    assert customer is not None
    identities = session.scalars(
        select(CustomerIdentity).where(CustomerIdentity.customer_id == customer.id)
    )
    return {
        "ticket": ticket_doc(session, ticket),
        "customer": row_doc(customer),
        "identities": [row_doc(i) for i in identities],
    }


def _scalar(field: str) -> Callable[[Session, Mutation], dict[str, Any] | None]:
    def build(session: Session, m: Mutation) -> dict[str, Any] | None:
        ticket = session.get(Ticket, m.entity_id)
        if ticket is None:
            return None
        return {field: m.payload[field], "ticket": _ticket_patch(ticket)}

    return build


def _message_add(session: Session, m: Mutation) -> dict[str, Any] | None:
    message = session.scalars(select(Message).where(Message.id == m.entity_id)).first()
    if message is None:
        return None
    ticket = session.get(Ticket, message.ticket_id)
    patch = _ticket_patch(ticket, "status", "last_message_at", "snippet") if ticket else {}
    return {"message": row_doc(message, frozenset({"seq"})), "ticket": patch}


def _customer_note(session: Session, m: Mutation) -> dict[str, Any] | None:
    note = session.get(CustomerNote, m.entity_id)
    return None if note is None else {"note": row_doc(note)}


BUILDERS: dict[str, Callable[[Session, Mutation], dict[str, Any] | None]] = {
    "ticket.create": _ticket_create,
    "ticket.status": _scalar("status"),
    "ticket.priority": _scalar("priority"),
    "message.add": _message_add,
    "customer.note": _customer_note,
    **OPERATOR_BUILDERS,
}


def next_batch(session: Session, limit: int = 200) -> list[Outgoing]:
    """The oldest pending mutations, completed for the wire (vanished entities are skipped)."""
    batch: list[Outgoing] = []
    for m in session.scalars(
        select(Mutation).where(Mutation.state == PENDING).order_by(Mutation.seq).limit(limit)
    ):
        builder = BUILDERS.get(m.kind)
        payload = dict(m.payload) if builder is None else builder(session, m)
        if payload is None:
            m.state = SKIPPED
            continue
        batch.append(Outgoing(m.id, m.kind, m.entity_id, payload))
    return batch

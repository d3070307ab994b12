"""Applying one pushed mutation to the feed: validation, authorization and the conflict rules.

Rules (docs/architecture.md, "Sync"):
* messages and notes are append-only: a second push of the same id, or an incoming item whose
  (channel, account, external id) the server already has, is **merged** into what exists;
* ticket scalars (status, priority, tags, SLA clock) are last-writer-wins in server arrival
  order — every workstation then pulls the same final value;
* assignment carries the assignee the workstation saw (``previous``); if the server's assignee
  differs the mutation is **rejected** ("already assigned to Anna"), never overwritten;
* ticket numbers are the server's: a new ticket gets the next one (outcome merged when it differs
  from the workstation's provisional number).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from desk_app.domain.enums import Role, TicketStatus
from desk_app.server.feed import Doc, Feed, bump_counter
from desk_app.server.models import Record, User
from desk_app.server.schemas import (
    AccountUpsert,
    AssignChange,
    DeliveryChange,
    MessageAdd,
    MutationIn,
    NoteAdd,
    PriorityChange,
    StatusChange,
    TagsChange,
    TicketCreate,
    TicketPatch,
)
from desk_app.sync.wire import SLA_FIELDS

MANAGERS = frozenset({Role.LEAD, Role.ADMIN})


@dataclass(frozen=True)
class Actor:
    id: str
    role: Role
    team_id: str | None
    name: str

    def sees(self, team_id: str | None) -> bool:
        """Agents see shared records and their own team's; leads and admins see every team."""
        return team_id is None or team_id == self.team_id or self.role in MANAGERS


class Rejected(Exception):
    def __init__(self, reason: str, current: Doc | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.current = current


@dataclass
class Outcome:
    outcome: str  # applied | merged | rejected
    reason: str | None = None
    result: dict[str, Any] = field(default_factory=dict)
    current: list[Doc] = field(default_factory=list)


def ticket_team(feed: Feed, account_id: str | None, actor: Actor) -> str | None:
    """A ticket belongs to its channel account's team, else to the team of whoever created it."""
    if account_id:
        account = feed.get("account", account_id)
        if account is not None:
            return account.team_id
    return actor.team_id


def dedupe_key_for_message(channel: str, account_id: str | None, external_id: str) -> str:
    return f"msg:{channel}:{account_id or ''}:{external_id}"


def dedupe_key_for_identity(channel: str, external_id: str) -> str:
    return f"ident:{channel}:{external_id}"


def _is_later(moment: datetime | None, stored: Any) -> bool:
    if moment is None:
        return False
    try:
        return stored is None or moment > datetime.fromisoformat(str(stored))
    except ValueError:
        return True


def _dump(model: BaseModel, **extra: Any) -> dict[str, Any]:
    return model.model_dump(mode="json") | extra


def _patch(data: dict[str, Any], patch: TicketPatch, keys: tuple[str, ...]) -> dict[str, Any]:
    given = patch.model_dump(mode="json", exclude_unset=True)
    return data | {k: given[k] for k in keys if k in given}


class Applier:
    """Applies mutations for one actor inside one transaction."""

    def __init__(self, feed: Feed, actor: Actor) -> None:
        self.feed = feed
        self.actor = actor
        self._handlers: dict[str, Callable[[str, dict[str, Any]], Outcome]] = {
            "ticket.create": self._ticket_create,
            "ticket.status": self._ticket_status,
            "ticket.priority": self._ticket_priority,
            "ticket.assign": self._ticket_assign,
            "ticket.tags": self._ticket_tags,
            "message.add": self._message_add,
            "message.delivery": self._message_delivery,
            "customer.note": self._note_add,
            "account.upsert": self._account_upsert,
        }
        # Imported here: the operator-tool handlers build on this module's Outcome/Rejected.
        from desk_app.server.operator_apply import OperatorApplier

        self._handlers |= OperatorApplier(feed, actor).handlers()

    def apply(self, mutation: MutationIn) -> Outcome:
        handler = self._handlers.get(mutation.kind)
        if handler is None:
            return Outcome("rejected", f"this server does not know changes of kind {mutation.kind}")
        try:
            return handler(str(mutation.entity_id), mutation.payload)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ()))
            return Outcome("rejected", f"invalid {mutation.kind}: {where}: {first.get('msg')}")
        except Rejected as rejected:
            current = [rejected.current] if rejected.current is not None else []
            return Outcome("rejected", rejected.reason, current=current)

    # -- helpers -----------------------------------------------------------------------------
    def _ticket(self, ticket_id: str) -> Doc:
        record = self.feed.get("ticket", ticket_id)
        if record is None:
            raise Rejected("the server does not know this ticket")
        if not self.actor.sees(record.team_id):
            raise Rejected("this ticket belongs to another team")
        return record

    def _put_ticket(self, record: Doc, data: dict[str, Any]) -> Outcome:
        self.feed.put("ticket", record.id, data)
        return Outcome("applied", current=[record])

    def _agent_name(self, agent_id: str) -> str:
        user = self.feed.session.get(User, agent_id)
        return user.display_name if user is not None else "another agent"

    # -- tickets -----------------------------------------------------------------------------
    def _ticket_create(self, entity_id: str, payload: dict[str, Any]) -> Outcome:
        body = TicketCreate.model_validate(payload)
        ticket = body.ticket
        if str(ticket.id) != entity_id or str(body.customer.id) != str(ticket.customer_id):
            raise Rejected("ticket.create ids do not match")
        existing = self.feed.get("ticket", entity_id)
        if existing is not None:
            return Outcome("merged", result={"number": existing.data["number"]}, current=[existing])
        customer_id = self._customer_for(body)
        account_id = str(ticket.account_id) if ticket.account_id else None
        number = bump_counter(self.feed.session, "ticket_number")
        tags = sorted({t.strip().lower() for t in ticket.tags if t.strip()})
        data = _dump(ticket, number=number, customer_id=customer_id, tags=tags)
        data["active"] = TicketStatus(data["status"] or "new").is_active
        record = self.feed.put(
            "ticket", entity_id, data, team_id=ticket_team(self.feed, account_id, self.actor)
        )
        merged = number != ticket.number or customer_id != str(ticket.customer_id)
        return Outcome(
            "merged" if merged else "applied",
            result={"number": number, "customer_id": customer_id},
            current=[record],
        )

    def _customer_for(self, body: TicketCreate) -> str:
        """The customer the ticket belongs to: an identity the server already knows wins (two
        fetchers met the same person), else the workstation's customer, stored or updated."""
        customer_id = str(body.customer.id)
        for identity in body.identities:
            key = dedupe_key_for_identity(identity.channel, identity.external_id)
            known = self.feed.by_dedupe_key(key)
            if known is not None and known.data["customer_id"] != customer_id:
                return str(known.data["customer_id"])
        self._upsert_customer(body.customer.model_dump(mode="json"))
        for identity in body.identities:
            key = dedupe_key_for_identity(identity.channel, identity.external_id)
            if self.feed.by_dedupe_key(key) is None:
                self.feed.put(
                    "identity",
                    str(identity.id),
                    _dump(identity, customer_id=customer_id),
                    dedupe_key=key,
                )
        return customer_id

    def _upsert_customer(self, data: dict[str, Any]) -> None:
        """Customer facts: newest non-empty value wins field by field."""
        existing = self.feed.get("customer", data["id"])
        if existing is None:
            self.feed.put("customer", data["id"], data)
            return
        merged = existing.data | {k: v for k, v in data.items() if v not in (None, "", {})}
        if merged != existing.data:
            self.feed.put("customer", data["id"], merged)

    def _ticket_status(self, entity_id: str, payload: dict[str, Any]) -> Outcome:
        body = StatusChange.model_validate(payload)
        record = self._ticket(entity_id)
        data = _patch(record.data, body.ticket, SLA_FIELDS)
        data |= {"status": body.status.value, "active": body.status.is_active}
        return self._put_ticket(record, data)

    def _ticket_priority(self, entity_id: str, payload: dict[str, Any]) -> Outcome:
        body = PriorityChange.model_validate(payload)
        record = self._ticket(entity_id)
        data = _patch(record.data, body.ticket, SLA_FIELDS) | {"priority": body.priority}
        return self._put_ticket(record, data)

    def _ticket_tags(self, entity_id: str, payload: dict[str, Any]) -> Outcome:
        body = TagsChange.model_validate(payload)
        record = self._ticket(entity_id)
        tags = sorted({t.strip().lower() for t in body.tags if t.strip()})
        return self._put_ticket(record, record.data | {"tags": tags})

    def _ticket_assign(self, entity_id: str, payload: dict[str, Any]) -> Outcome:
        body = AssignChange.model_validate(payload)
        record = self._ticket(entity_id)
        wanted = str(body.assignee_id) if body.assignee_id else None
        previous = str(body.previous) if body.previous else None
        current = record.data.get("assignee_id")
        if current == wanted:
            return Outcome("merged", current=[record])
        if current != previous:
            if current is None:
                raise Rejected("the ticket was unassigned meanwhile", record)
            raise Rejected(f"already assigned to {self._agent_name(current)}", record)
        if wanted is not None:
            user = self.feed.session.get(User, wanted)
            if user is None or not user.active or user.role == Role.TRAINEE:
                raise Rejected("no such agent to assign to", record)
        return self._put_ticket(record, record.data | {"assignee_id": wanted})

    # -- conversation ------------------------------------------------------------------------
    def _message_add(self, entity_id: str, payload: dict[str, Any]) -> Outcome:
        body = MessageAdd.model_validate(payload)
        message = body.message
        if str(message.id) != entity_id:
            raise Rejected("message.add ids do not match")
        existing = self.feed.get("message", entity_id)
        if existing is not None:
            return Outcome("merged", result={"canonical_id": entity_id}, current=[existing])
        ticket = self._ticket(str(message.ticket_id))
        dedupe_key = None
        if message.external_id:
            account_id = str(message.account_id) if message.account_id else None
            dedupe_key = dedupe_key_for_message(message.channel, account_id, message.external_id)
            known = self.feed.by_dedupe_key(dedupe_key)
            if known is not None:
                return Outcome("merged", result={"canonical_id": known.id}, current=[known])
        self.feed.put(
            "message", entity_id, _dump(message), team_id=ticket.team_id, dedupe_key=dedupe_key
        )
        data = _patch(ticket.data, body.ticket, (*SLA_FIELDS, "status"))
        data["active"] = TicketStatus(data["status"]).is_active
        if _is_later(body.ticket.last_message_at, ticket.data.get("last_message_at")):
            given = body.ticket.model_dump(mode="json", exclude_unset=True)
            data["last_message_at"] = given["last_message_at"]
            if "snippet" in given:
                data["snippet"] = given["snippet"]
        if data != ticket.data:  # a note that moves nothing leaves the ticket (and its seq) alone
            self.feed.put("ticket", ticket.id, data)
        return Outcome("applied")

    def _message_delivery(self, entity_id: str, payload: dict[str, Any]) -> Outcome:
        body = DeliveryChange.model_validate(payload)
        record = self.feed.get("message", entity_id)
        if record is None or not self.actor.sees(record.team_id):
            raise Rejected("the server does not know this message")
        data = record.data | body.model_dump(mode="json", exclude_none=True)
        self.feed.put("message", entity_id, data)
        return Outcome("applied")

    def _note_add(self, entity_id: str, payload: dict[str, Any]) -> Outcome:
        body = NoteAdd.model_validate(payload)
        if str(body.note.id) != entity_id:
            raise Rejected("customer.note ids do not match")
        if self.feed.get("customer_note", entity_id) is not None:
            return Outcome("merged")
        if self.feed.get("customer", str(body.note.customer_id)) is None:
            raise Rejected("the server does not know this customer")
        self.feed.put("customer_note", entity_id, _dump(body.note), team_id=self.actor.team_id)
        return Outcome("applied")

    def _account_upsert(self, entity_id: str, payload: dict[str, Any]) -> Outcome:
        body = AccountUpsert.model_validate(payload)
        if self.actor.role not in MANAGERS:
            raise Rejected("only a lead or an admin can configure channel accounts")
        if str(body.account.id) != entity_id:
            raise Rejected("account.upsert ids do not match")
        self.feed.put("account", entity_id, _dump(body.account), team_id=self.actor.team_id)
        return Outcome("applied")


def user_doc(user: User) -> dict[str, Any]:
    """What workstations learn about a user: an agent row (never the hash or the username)."""
    return {
        "id": user.id,
        "name": user.display_name,
        "email": user.email,
        "role": user.role,
        "active": user.active,
    }


def publish_user(feed: Feed, user: User) -> None:
    feed.put("agent", user.id, user_doc(user))


def visible_records(actor: Actor) -> Any:
    """A filter for queries on ``Record``: what this actor may read."""
    if actor.role in MANAGERS:
        return select(Record)
    return select(Record).where((Record.team_id.is_(None)) | (Record.team_id == actor.team_id))

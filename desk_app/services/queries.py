"""Read models for the main window: queues, ticket pages, a conversation, the customer card,
search.

Every function takes a session, runs a few LIMITed queries that the ``ix_tickets_*_due``,
``ix_messages_ticket`` and ``ix_tickets_customer`` indexes serve, and returns frozen dataclasses
(never ORM objects), so results can cross from a worker thread to the UI. No query runs per row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, exists, false, func, select, text, true
from sqlalchemy.orm import Session, aliased

from desk_app.domain.enums import Channel, MessageKind
from desk_app.domain.sla import BusinessCalendar, BusinessTimeline
from desk_app.services.sla_policy import load_sla
from desk_app.store.fts import match_expression
from desk_app.store.models import (
    Agent,
    ChannelAccount,
    Customer,
    CustomerIdentity,
    CustomerNote,
    Draft,
    Message,
    Setting,
    Tag,
    Ticket,
    TicketTag,
)

PAGE_SIZE = 100
MAX_CONVERSATION = 500  # newest messages shown in one conversation
MAX_PAST_TICKETS = 50
CURRENT_AGENT_SETTING = "current_agent"
# Beyond this distance a deadline is shown in wall-clock time: walking a business calendar over
# months of overdue tickets would cost more than the precision is worth.
_BUSINESS_SPAN_LIMIT = timedelta(days=21)


class QueueKind(StrEnum):
    MY = "my"
    UNASSIGNED = "unassigned"
    ACTIVE = "active"
    OVERDUE = "overdue"
    CHANNEL = "channel"
    TAG = "tag"
    DONE = "done"  # resolved and closed


@dataclass(frozen=True)
class QueueKey:
    kind: QueueKind
    value: str | None = None  # the channel, or the tag id


@dataclass(frozen=True)
class QueueInfo:
    key: QueueKey
    name: str  # tag name / channel value; fixed queues are named by the UI (translated)
    count: int


@dataclass(frozen=True)
class TicketRow:
    id: str
    number: int
    channel: str
    customer_name: str
    subject: str
    snippet: str
    status: str
    priority: int
    assignee_id: str | None
    assignee_name: str | None
    unread: bool
    last_message_at: datetime
    sla_due_at: datetime | None
    sla_seconds_left: float | None  # business seconds; negative when overdue
    paused: bool  # pending: the resolution clock waits on the customer


@dataclass(frozen=True)
class MessageView:
    id: str
    kind: str  # domain.enums.MessageKind
    author_kind: str
    author_name: str
    sent_at: datetime
    subject: str | None
    body_text: str
    body_html: str | None
    delivery_state: str | None
    delivery_error: str | None
    automated: bool
    meta: Mapping[str, Any]


@dataclass(frozen=True)
class TicketDetail:
    row: TicketRow
    customer_id: str
    tags: tuple[str, ...]
    messages: tuple[MessageView, ...]
    draft_body: str
    draft_is_note: bool
    truncated: bool  # older messages were left out


@dataclass(frozen=True)
class Identity:
    channel: str
    external_id: str
    display: str | None


@dataclass(frozen=True)
class NoteView:
    id: str
    author_name: str | None
    body: str
    created_at: datetime


@dataclass(frozen=True)
class PastTicket:
    id: str
    number: int
    channel: str
    subject: str
    snippet: str
    status: str
    last_message_at: datetime


@dataclass(frozen=True)
class CustomerCard:
    id: str
    name: str
    city: str | None
    plan: str | None
    customer_since: datetime | None
    platform: str | None
    app_version: str | None
    language: str | None
    identities: tuple[Identity, ...]
    notes: tuple[NoteView, ...]
    tickets: tuple[PastTicket, ...]


@dataclass(frozen=True)
class SearchHit:
    row: TicketRow
    excerpt: str  # the matching text with [brackets] around hits


@dataclass(frozen=True)
class AgentInfo:
    id: str
    name: str
    email: str | None


# -- who is working -----------------------------------------------------------------------------


def current_agent_id(session: Session) -> str | None:
    """The operator of this profile, from the ``current_agent`` setting ({"id": ...})."""
    row = session.get(Setting, CURRENT_AGENT_SETTING)
    if row is None:
        return None
    value = row.value
    agent_id = value.get("id") or value.get("agent_id") if isinstance(value, dict) else value
    return str(agent_id) if agent_id else None


def list_agents(session: Session) -> list[AgentInfo]:
    rows = session.execute(
        select(Agent.id, Agent.name, Agent.email).where(Agent.active == true()).order_by(Agent.name)
    )
    return [AgentInfo(id=r.id, name=r.name, email=r.email) for r in rows]


# -- queues -------------------------------------------------------------------------------------


def _queue_filters(key: QueueKey, agent_id: str | None, now: datetime) -> list[ColumnElement[Any]]:
    active = Ticket.active == true()
    match key.kind:
        case QueueKind.MY:
            return [Ticket.assignee_id == (agent_id or ""), active]
        case QueueKind.UNASSIGNED:
            return [Ticket.assignee_id.is_(None), active]
        case QueueKind.ACTIVE:
            return [active]
        case QueueKind.OVERDUE:
            return [active, Ticket.due_rank < now.timestamp()]
        case QueueKind.CHANNEL:
            return [Ticket.channel == (key.value or ""), active]
        case QueueKind.TAG:
            # EXISTS: walk the queue index in order, probe ticket_tags' primary key per row and
            # stop after a page (~10 ms on 200k tickets); IN would first read every ticket that
            # ever had the tag (40-85 ms). See bench/results/foundation.md.
            tagged = exists().where(
                TicketTag.ticket_id == Ticket.id, TicketTag.tag_id == (key.value or "")
            )
            return [active, tagged]
        case QueueKind.DONE:
            return [Ticket.active == false()]
    raise ValueError(key)


def _row_select() -> Any:  # a Select of the row columns
    assignee = aliased(Agent)
    statement = (
        select(
            Ticket.id,
            Ticket.number,
            Ticket.channel,
            Customer.display_name.label("customer_name"),
            Ticket.subject,
            Ticket.snippet,
            Ticket.status,
            Ticket.priority,
            Ticket.assignee_id,
            assignee.name.label("assignee_name"),
            Ticket.unread,
            Ticket.last_message_at,
            Ticket.sla_due_at,
            Ticket.sla_running_since,
            Ticket.sla_stopped,
        )
        .join(Customer, Customer.id == Ticket.customer_id)
        .outerjoin(assignee, assignee.id == Ticket.assignee_id)
    )
    return statement


def queue_page_statement(
    key: QueueKey, agent_id: str | None, now: datetime, offset: int, limit: int
) -> Any:
    """The page query, exposed so tests and the benchmark can EXPLAIN it."""
    statement = _row_select().where(*_queue_filters(key, agent_id, now))
    if key.kind is QueueKind.DONE:
        # Finished work: newest first (ties on due_rank, so the index still serves the order).
        statement = statement.order_by(Ticket.due_rank.desc(), Ticket.number.desc())
    else:
        statement = statement.order_by(Ticket.due_rank, Ticket.number)
    return statement.offset(offset).limit(limit)


class _SlaView:
    """Time left in business time, computed once per page off the UI thread."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.calendar: BusinessCalendar = load_sla(session)[0]
        self.now = now
        self._timeline: BusinessTimeline | None = None

    def seconds_left(self, due: datetime | None) -> float | None:
        if due is None:
            return None
        if self.calendar.always_open or abs(due - self.now) > _BUSINESS_SPAN_LIMIT:
            return (due - self.now).total_seconds()
        if self._timeline is None:  # built once per page, only when a deadline needs it
            self._timeline = BusinessTimeline(self.calendar, self.now, _BUSINESS_SPAN_LIMIT)
        return self._timeline.seconds_until(due)

    def row(self, r: Any) -> TicketRow:
        return TicketRow(
            id=r.id,
            number=r.number,
            channel=r.channel,
            customer_name=r.customer_name,
            subject=r.subject,
            snippet=r.snippet,
            status=r.status,
            priority=r.priority,
            assignee_id=r.assignee_id,
            assignee_name=r.assignee_name,
            unread=bool(r.unread),
            last_message_at=r.last_message_at,
            sla_due_at=r.sla_due_at,
            sla_seconds_left=self.seconds_left(r.sla_due_at),
            paused=r.sla_running_since is None and not r.sla_stopped,
        )


def queue_page(
    session: Session,
    key: QueueKey,
    *,
    agent_id: str | None,
    now: datetime,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> list[TicketRow]:
    """One page of a queue, most urgent first (ordered by ``due_rank, number``)."""
    sla = _SlaView(session, now)
    rows = session.execute(queue_page_statement(key, agent_id, now, offset, limit))
    return [sla.row(r) for r in rows]


def ticket_rows(session: Session, ticket_ids: Sequence[str], *, now: datetime) -> list[TicketRow]:
    """Fresh rows for a few tickets (after a change), in no particular order."""
    if not ticket_ids:
        return []
    sla = _SlaView(session, now)
    rows = session.execute(_row_select().where(Ticket.id.in_(list(ticket_ids))))
    return [sla.row(r) for r in rows]


def queue_infos(session: Session, *, agent_id: str | None, now: datetime) -> list[QueueInfo]:
    """Every queue with its count: fixed queues, then channels, then tags, then finished work.

    Each fixed and channel count is its own query with the page's own filter, so it is answered
    from the same covering ``ix_tickets_*_due`` index as the page (no table reads) and always
    agrees with what the queue shows. Tags need one join over the active tickets."""

    def count(key: QueueKey) -> int:
        filters = _queue_filters(key, agent_id, now)
        return int(session.scalar(select(func.count()).select_from(Ticket).where(*filters)) or 0)

    mine, unassigned, total, overdue = (
        count(QueueKey(kind))
        for kind in (QueueKind.MY, QueueKind.UNASSIGNED, QueueKind.ACTIVE, QueueKind.OVERDUE)
    )
    active = Ticket.active == true()
    per_channel = {c.value: count(QueueKey(QueueKind.CHANNEL, c.value)) for c in Channel}
    configured = set(session.scalars(select(ChannelAccount.channel).distinct()))
    per_tag = dict(
        session.execute(
            select(TicketTag.tag_id, func.count())
            .join(Ticket, Ticket.id == TicketTag.ticket_id)
            .where(active)
            .group_by(TicketTag.tag_id)
        ).all()
    )
    done = count(QueueKey(QueueKind.DONE))
    queues = [
        QueueInfo(QueueKey(QueueKind.MY), "", mine),
        QueueInfo(QueueKey(QueueKind.UNASSIGNED), "", unassigned),
        QueueInfo(QueueKey(QueueKind.ACTIVE), "", total),
        QueueInfo(QueueKey(QueueKind.OVERDUE), "", overdue),
    ]
    queues += [
        QueueInfo(QueueKey(QueueKind.CHANNEL, c.value), c.value, int(per_channel.get(c.value, 0)))
        for c in Channel
        if per_channel[c.value] or c.value in configured
    ]
    queues += [
        QueueInfo(QueueKey(QueueKind.TAG, tag_id), name, int(per_tag.get(tag_id, 0)))
        for tag_id, name in session.execute(select(Tag.id, Tag.name).order_by(Tag.name))
    ]
    queues.append(QueueInfo(QueueKey(QueueKind.DONE), "", done))
    return queues


# -- one conversation ---------------------------------------------------------------------------


def ticket_detail(session: Session, ticket_id: str, *, now: datetime) -> TicketDetail | None:
    """The ticket, its newest messages (replies, notes, events) in order, tags and draft."""
    rows = ticket_rows(session, [ticket_id], now=now)
    if not rows:
        return None
    customer_id = session.scalar(select(Ticket.customer_id).where(Ticket.id == ticket_id))
    assert customer_id is not None
    agent = aliased(Agent)
    customer_name = rows[0].customer_name
    newest = list(
        session.execute(
            select(
                Message.id,
                Message.kind,
                Message.author_kind,
                agent.name.label("agent_name"),
                Message.sent_at,
                Message.subject,
                Message.body_text,
                Message.body_html,
                Message.delivery_state,
                Message.delivery_error,
                Message.automated,
                Message.meta,
            )
            .outerjoin(agent, agent.id == Message.author_agent_id)
            .where(Message.ticket_id == ticket_id)
            .order_by(Message.seq.desc())
            .limit(MAX_CONVERSATION + 1)
        )
    )
    truncated = len(newest) > MAX_CONVERSATION
    messages = tuple(
        MessageView(
            id=m.id,
            kind=m.kind,
            author_kind=m.author_kind,
            author_name=(
                customer_name if m.author_kind == "customer" else (m.agent_name or "Desk")
            ),
            sent_at=m.sent_at,
            subject=m.subject,
            body_text=m.body_text,
            body_html=m.body_html,
            delivery_state=m.delivery_state,
            delivery_error=m.delivery_error,
            automated=bool(m.automated),
            meta=dict(m.meta or {}),
        )
        for m in reversed(newest[:MAX_CONVERSATION])
    )
    tags = tuple(
        session.scalars(
            select(Tag.name)
            .join(TicketTag, TicketTag.tag_id == Tag.id)
            .where(TicketTag.ticket_id == ticket_id)
            .order_by(Tag.name)
        )
    )
    draft = session.get(Draft, ticket_id)
    return TicketDetail(
        row=rows[0],
        customer_id=customer_id,
        tags=tags,
        messages=messages,
        draft_body=draft.body if draft else "",
        draft_is_note=bool(draft.is_note) if draft else False,
        truncated=truncated,
    )


def latest_reply_needing_attention(detail: TicketDetail) -> MessageView | None:
    """The newest failed or in-doubt reply: what Retry / Mark as sent act on from the keyboard."""
    for message in reversed(detail.messages):
        if message.kind == MessageKind.MESSAGE and message.delivery_state in ("failed", "in_doubt"):
            return message
    return None


# -- the customer card --------------------------------------------------------------------------


def customer_card(session: Session, customer_id: str) -> CustomerCard | None:
    """Who the customer is, how to reach them, private notes, and every past conversation
    (including those of customers merged into this one)."""
    customer = session.execute(
        select(
            Customer.id,
            Customer.display_name,
            Customer.city,
            Customer.plan,
            Customer.customer_since,
            Customer.platform,
            Customer.app_version,
            Customer.language,
        ).where(Customer.id == customer_id)
    ).one_or_none()
    if customer is None:
        return None
    ids = [
        customer_id,
        *session.scalars(select(Customer.id).where(Customer.merged_into_id == customer_id)),
    ]
    identities = tuple(
        Identity(channel=r.channel, external_id=r.external_id, display=r.display)
        for r in session.execute(
            select(CustomerIdentity.channel, CustomerIdentity.external_id, CustomerIdentity.display)
            .where(CustomerIdentity.customer_id.in_(ids))
            .order_by(CustomerIdentity.channel, CustomerIdentity.created_at)
        )
    )
    notes = tuple(
        NoteView(id=r.id, author_name=r.name, body=r.body, created_at=r.created_at)
        for r in session.execute(
            select(CustomerNote.id, Agent.name, CustomerNote.body, CustomerNote.created_at)
            .outerjoin(Agent, Agent.id == CustomerNote.author_id)
            .where(CustomerNote.customer_id.in_(ids))
            .order_by(CustomerNote.created_at.desc())
        )
    )
    past = select(
        Ticket.id,
        Ticket.number,
        Ticket.channel,
        Ticket.subject,
        Ticket.snippet,
        Ticket.status,
        Ticket.last_message_at,
    )
    tickets = tuple(
        PastTicket(**r._asdict())
        for r in session.execute(
            past.where(Ticket.customer_id.in_(ids))
            .order_by(Ticket.last_message_at.desc())
            .limit(MAX_PAST_TICKETS)
        )
    )
    return CustomerCard(
        id=customer.id,
        name=customer.display_name,
        city=customer.city,
        plan=customer.plan,
        customer_since=customer.customer_since,
        platform=customer.platform,
        app_version=customer.app_version,
        language=customer.language,
        identities=identities,
        notes=notes,
        tickets=tickets,
    )


# -- full-text search ---------------------------------------------------------------------------

_SEARCH_SQL = text(
    """
    SELECT m.ticket_id AS ticket_id,
           snippet(messages_fts, -1, '[', ']', '…', 12) AS excerpt
    FROM messages_fts JOIN messages AS m ON m.seq = messages_fts.rowid
    WHERE messages_fts MATCH :match
    ORDER BY messages_fts.rowid DESC
    LIMIT :limit
    """
)


def search(session: Session, user_query: str, *, now: datetime, limit: int = 50) -> list[SearchHit]:
    """Tickets whose messages match every word typed (the last as a prefix), newest match first.

    FTS5 walks its doclist newest-first and stops after ``limit * 4`` matching messages; several
    hits in one ticket collapse into one result."""
    expression = match_expression(user_query)
    if expression is None:
        return []
    excerpts: dict[str, str] = {}
    for ticket_id, excerpt in session.execute(
        _SEARCH_SQL, {"match": expression, "limit": limit * 4}
    ):
        excerpts.setdefault(ticket_id, " ".join(str(excerpt).split()))
        if len(excerpts) >= limit:
            break
    rows = {r.id: r for r in ticket_rows(session, list(excerpts), now=now)}
    return [SearchHit(rows[t], e) for t, e in excerpts.items() if t in rows]

"""What an operator does to a ticket: reply, note, status, priority, assignment, tags, drafts.

Each action is one transaction that also records the sync mutation, and returns the Changes it
made. Replies go to the outbox in the same transaction as the message, so a reply the operator
sent is either fully queued or not there at all (its draft is still there).
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desk_app import crashpoints
from desk_app.channels.keys import send_key_for
from desk_app.domain.enums import (
    AuthorKind,
    Channel,
    DeliveryState,
    MessageKind,
    Priority,
    TicketStatus,
)
from desk_app.domain.tickets import check_transition, status_after_agent_reply
from desk_app.services import mutations, ticket_sla
from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.store.models import (
    ChannelAccount,
    Draft,
    Message,
    OutboxEntry,
    Tag,
    Ticket,
    TicketTag,
)

SNIPPET_CHARS = 160


class TicketNotFound(LookupError):
    pass


def snippet_of(text: str) -> str:
    return " ".join(text.split())[:SNIPPET_CHARS]


class TicketActions:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- helpers -----------------------------------------------------------------------------
    @staticmethod
    def _ticket(session: Session, ticket_id: str) -> Ticket:
        ticket = session.get(Ticket, ticket_id)
        if ticket is None:
            raise TicketNotFound(ticket_id)
        return ticket

    def _event(self, session: Session, ticket: Ticket, text: str, **meta: object) -> None:
        session.add(
            Message(
                ticket_id=ticket.id,
                kind=MessageKind.EVENT,
                author_kind=AuthorKind.AGENT,
                author_agent_id=self.ctx.agent_id,
                channel=ticket.channel,
                body_text=text,
                sent_at=self.ctx.now(),
                meta=dict(meta),
            )
        )

    def _publish(self, changes: Changes) -> Changes:
        self.ctx.bus.publish(changes)
        return changes

    # -- reading state -----------------------------------------------------------------------
    def mark_read(self, ticket_id: str) -> Changes:
        with self.ctx.write() as session:
            ticket = self._ticket(session, ticket_id)
            if not ticket.unread:
                return Changes()
            ticket.unread = False
        return self._publish(Changes.for_tickets([ticket_id], queues=False))

    # -- composing ---------------------------------------------------------------------------
    def save_draft(self, ticket_id: str, body: str, *, is_note: bool = False) -> None:
        """Called as the operator types (debounced): what is typed survives a crash."""
        with self.ctx.write() as session:
            draft = session.get(Draft, ticket_id)
            if not body.strip():
                if draft is not None:
                    session.delete(draft)
                return
            if draft is None:
                session.add(Draft(ticket_id=ticket_id, body=body, is_note=is_note))
            else:
                draft.body, draft.is_note = body, is_note

    def send_reply(self, ticket_id: str, body: str, *, body_html: str | None = None) -> str:
        """Queue a reply: message + outbox entry + cleared draft + SLA, all in one transaction."""
        text = body.strip()
        if not text:
            raise ValueError("an empty reply cannot be sent")
        now = self.ctx.now()
        with self.ctx.write() as session:
            ticket = self._ticket(session, ticket_id)
            message = Message(
                ticket_id=ticket.id,
                kind=MessageKind.MESSAGE,
                author_kind=AuthorKind.AGENT,
                author_agent_id=self.ctx.agent_id,
                channel=ticket.channel,
                account_id=ticket.account_id,
                subject=_reply_subject(ticket.subject) if ticket.channel == Channel.EMAIL else None,
                body_text=text,
                body_html=body_html,
                sent_at=now,
                delivery_state=DeliveryState.QUEUED,
            )
            session.add(message)
            session.flush()
            account = session.get(ChannelAccount, ticket.account_id) if ticket.account_id else None
            domain = (account.config.get("mail_domain") if account else None) or "desk.invalid"
            send_key = send_key_for(Channel(ticket.channel), message.id, domain)
            if ticket.channel == Channel.EMAIL:
                message.external_id = send_key  # the Message-ID, fixed before any attempt
            session.add(
                OutboxEntry(
                    message_id=message.id,
                    ticket_id=ticket.id,
                    channel=ticket.channel,
                    account_id=ticket.account_id,
                    send_key=send_key,
                    next_attempt_at=now,
                )
            )
            session.execute(delete(Draft).where(Draft.ticket_id == ticket.id))
            ticket.status = status_after_agent_reply(TicketStatus(ticket.status))
            ticket.last_message_at = now
            ticket.snippet = snippet_of(text)
            ticket_sla.update_clock(session, ticket, lambda c, _cal: c.record_first_response(now))
            mutations.record(session, "message.add", message.id, ticket_id=ticket.id, kind="reply")
            message_id = message.id
            session.flush()
            crashpoints.reached("reply.before_commit")
        crashpoints.reached("reply.committed")
        self._publish(Changes(tickets=frozenset([ticket_id]), queues=True, outbox=True))
        return message_id

    def add_note(self, ticket_id: str, body: str) -> str:
        """A private note: stored in the conversation, visibly distinct, never sent."""
        text = body.strip()
        if not text:
            raise ValueError("an empty note cannot be saved")
        with self.ctx.write() as session:
            ticket = self._ticket(session, ticket_id)
            note = Message(
                ticket_id=ticket.id,
                kind=MessageKind.NOTE,
                author_kind=AuthorKind.AGENT,
                author_agent_id=self.ctx.agent_id,
                channel=ticket.channel,
                body_text=text,
                sent_at=self.ctx.now(),
            )
            session.add(note)
            session.execute(delete(Draft).where(Draft.ticket_id == ticket.id))
            session.flush()
            mutations.record(session, "message.add", note.id, ticket_id=ticket.id, kind="note")
            note_id = note.id
        self._publish(Changes.for_tickets([ticket_id], queues=False))
        return note_id

    # -- ticket fields -----------------------------------------------------------------------
    def set_status(self, ticket_id: str, status: TicketStatus) -> Changes:
        now = self.ctx.now()
        with self.ctx.write() as session:
            ticket = self._ticket(session, ticket_id)
            current = TicketStatus(ticket.status)
            if current == status:
                return Changes()
            check_transition(current, status)
            ticket.status = status
            ticket.active = status.is_active
            ticket_sla.follow_status(session, ticket, status, now)
            self._event(session, ticket, f"status:{status.value}", status=status.value)
            mutations.record(session, "ticket.status", ticket.id, status=status.value)
        return self._publish(Changes.for_tickets([ticket_id]))

    def set_priority(self, ticket_id: str, priority: Priority) -> Changes:
        with self.ctx.write() as session:
            ticket = self._ticket(session, ticket_id)
            if ticket.priority == int(priority):
                return Changes()
            ticket.priority = int(priority)
            ticket_sla.retarget(session, ticket, self.ctx.now())
            self._event(session, ticket, f"priority:{int(priority)}", priority=int(priority))
            mutations.record(session, "ticket.priority", ticket.id, priority=int(priority))
        return self._publish(Changes.for_tickets([ticket_id]))

    def assign(self, ticket_id: str, agent_id: str | None) -> Changes:
        with self.ctx.write() as session:
            ticket = self._ticket(session, ticket_id)
            if ticket.assignee_id == agent_id:
                return Changes()
            previous = ticket.assignee_id
            ticket.assignee_id = agent_id
            self._event(session, ticket, "assigned", assignee_id=agent_id, previous=previous)
            mutations.record(
                session, "ticket.assign", ticket.id, assignee_id=agent_id, previous=previous
            )
        return self._publish(Changes.for_tickets([ticket_id]))

    def set_tags(self, ticket_id: str, names: list[str]) -> Changes:
        wanted = sorted({n.strip().lower() for n in names if n.strip()})
        with self.ctx.write() as session:
            ticket = self._ticket(session, ticket_id)
            tags = {t.name: t for t in session.scalars(select(Tag).where(Tag.name.in_(wanted)))}
            for name in wanted:
                if name not in tags:
                    tags[name] = Tag(name=name)
                    session.add(tags[name])
            session.flush()
            session.execute(delete(TicketTag).where(TicketTag.ticket_id == ticket.id))
            for tag in tags.values():
                session.add(TicketTag(ticket_id=ticket.id, tag_id=tag.id))
            mutations.record(session, "ticket.tags", ticket.id, tags=wanted)
        return self._publish(Changes.for_tickets([ticket_id]))

    # -- delivery ----------------------------------------------------------------------------
    def retry_delivery(self, message_id: str) -> Changes:
        """Failed or in-doubt reply: the operator asks for another attempt."""
        with self.ctx.write() as session:
            entry = session.scalars(
                select(OutboxEntry).where(OutboxEntry.message_id == message_id)
            ).one()
            if entry.state not in (DeliveryState.FAILED, DeliveryState.IN_DOUBT):
                return Changes()
            entry.state = DeliveryState.QUEUED
            entry.next_attempt_at = self.ctx.now()
            entry.last_error = None
            message = session.scalars(select(Message).where(Message.id == message_id)).one()
            message.delivery_state = DeliveryState.QUEUED
            message.delivery_error = None
            ticket_id = entry.ticket_id
        return self._publish(Changes(tickets=frozenset([ticket_id]), outbox=True))

    def confirm_delivered(self, message_id: str) -> Changes:
        """In-doubt reply that the operator checked did arrive: mark it sent, never resend."""
        with self.ctx.write() as session:
            entry = session.scalars(
                select(OutboxEntry).where(OutboxEntry.message_id == message_id)
            ).one()
            entry.state = DeliveryState.SENT
            entry.sent_at = self.ctx.now()
            message = session.scalars(select(Message).where(Message.id == message_id)).one()
            message.delivery_state = DeliveryState.SENT
            ticket_id = entry.ticket_id
        return self._publish(Changes(tickets=frozenset([ticket_id]), outbox=True))


def _reply_subject(subject: str) -> str:
    if not subject:
        return ""
    return subject if subject.lower().startswith(("re:", "на:")) else f"Re: {subject}"

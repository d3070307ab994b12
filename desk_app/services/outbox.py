"""Delivering queued replies exactly once.

Each reply moves queued → sending → sent (or failed / in doubt). Every move is its own committed
transaction, so after a crash the outbox knows which step it reached:

* still ``queued``: nothing was attempted; send it.
* ``sending``: the provider may or may not have it. What happens next depends on the
  connector's :class:`ResendSafety`: IDEMPOTENT resends with the same key (the provider dedupes),
  LOOKUP asks the provider whether the key arrived (email: the Sent folder) and resends only if
  not, NONE marks the reply *in doubt* so an operator checks before anything is resent.
* ``sent``: done; never sent again.

The worker runs on its own thread with its own sessions; the UI hears about progress through the
change bus.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app import crashpoints
from desk_app.channels.base import (
    Connector,
    DeliveryInDoubt,
    OutgoingReply,
    PermanentError,
    ResendSafety,
    SendReceipt,
    TransientError,
)
from desk_app.domain.enums import AuthorKind, DeliveryState, MessageKind
from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.store.models import CustomerIdentity, Message, OutboxEntry, Ticket

log = logging.getLogger(__name__)

ConnectorFor = Callable[[str | None, str], Connector]  # (account_id, channel) -> connector
MAX_ATTEMPTS = 8


def backoff(attempts: int) -> timedelta:
    """15 s, 30 s, 1 min, ... capped at 30 min."""
    return timedelta(seconds=min(15 * 2 ** max(attempts - 1, 0), 1800))


@dataclass(frozen=True)
class Claim:
    entry_id: str
    message_id: str
    ticket_id: str
    account_id: str | None
    channel: str
    send_key: str
    resumed: bool  # a previous attempt may have reached the provider
    reply: OutgoingReply


class OutboxSender:
    def __init__(self, ctx: ServiceContext, connector_for: ConnectorFor) -> None:
        self.ctx = ctx
        self.connector_for = connector_for

    # -- one step at a time, each committed ---------------------------------------------------
    def _claim_next(self) -> Claim | None:
        now = self.ctx.now()
        with self.ctx.write() as session:
            entry = session.scalars(
                select(OutboxEntry)
                .where(
                    OutboxEntry.state.in_([DeliveryState.QUEUED, DeliveryState.SENDING]),
                    OutboxEntry.next_attempt_at <= now,
                )
                .order_by(OutboxEntry.next_attempt_at, OutboxEntry.created_at)
                .limit(1)
            ).first()
            if entry is None:
                return None
            # Still 'sending' here means an earlier attempt may have reached the provider.
            resumed = entry.state == DeliveryState.SENDING
            entry.state = DeliveryState.SENDING
            entry.attempts += 1
            message = session.scalars(select(Message).where(Message.id == entry.message_id)).one()
            message.delivery_state = DeliveryState.SENDING
            reply = _build_reply(session, entry, message)
            claim = Claim(
                entry.id,
                message.id,
                entry.ticket_id,
                entry.account_id,
                entry.channel,
                entry.send_key,
                resumed,
                reply,
            )
        crashpoints.reached("outbox.claimed")
        return claim

    def _finish(self, claim: Claim, receipt: SendReceipt) -> None:
        with self.ctx.write() as session:
            entry = session.get(OutboxEntry, claim.entry_id)
            assert entry is not None
            entry.state = DeliveryState.SENT
            entry.sent_at = self.ctx.now()
            entry.external_id = receipt.external_id
            entry.last_error = None
            message = session.scalars(select(Message).where(Message.id == claim.message_id)).one()
            message.delivery_state = DeliveryState.SENT
            message.delivery_error = None
            if message.external_id is None:
                message.external_id = receipt.external_id
        crashpoints.reached("outbox.marked")

    def _settle(
        self, claim: Claim, state: DeliveryState, error: str, retry_at: datetime | None
    ) -> None:
        with self.ctx.write() as session:
            entry = session.get(OutboxEntry, claim.entry_id)
            assert entry is not None
            retrying = state in (DeliveryState.QUEUED, DeliveryState.SENDING)
            if retrying and entry.attempts >= MAX_ATTEMPTS:
                state, error = (
                    DeliveryState.FAILED,
                    f"gave up after {entry.attempts} attempts: {error}",
                )
            entry.state = state
            entry.last_error = error
            if retry_at is not None:
                entry.next_attempt_at = retry_at
            message = session.scalars(select(Message).where(Message.id == claim.message_id)).one()
            message.delivery_state = state
            message.delivery_error = error

    # -- the algorithm ------------------------------------------------------------------------
    def process_one(self) -> bool:
        """Deliver (or settle) the next due reply. Returns False when nothing is due."""
        claim = self._claim_next()
        if claim is None:
            return False
        try:
            connector = self.connector_for(claim.account_id, claim.channel)
            safety = connector.capabilities.resend_safety
            if claim.resumed:
                if safety is ResendSafety.NONE:
                    self._settle(claim, DeliveryState.IN_DOUBT, IN_DOUBT_TEXT, None)
                    return self._published(claim)
                if safety is ResendSafety.LOOKUP:
                    found = connector.find_delivery(claim.send_key)
                    if found is not None:
                        self._finish(claim, found)
                        return self._published(claim)
            receipt = connector.send(claim.reply)
            crashpoints.reached("outbox.delivered")
            self._finish(claim, receipt)
        except DeliveryInDoubt as error:
            self._settle(claim, DeliveryState.IN_DOUBT, str(error), None)
        except PermanentError as error:
            self._settle(claim, DeliveryState.FAILED, str(error), None)
        except TransientError as error:
            delay = (
                timedelta(seconds=error.retry_after)
                if error.retry_after
                else backoff(self._attempts(claim))
            )
            # Maybe delivered: stay 'sending' so the next attempt checks before resending.
            state = DeliveryState.SENDING if error.maybe_delivered else DeliveryState.QUEUED
            self._settle(claim, state, str(error), self.ctx.now() + delay)
        except Exception as error:  # a connector bug must not kill the worker or lose the reply
            log.exception("outbox: unexpected error sending %s", claim.message_id)
            self._settle(claim, DeliveryState.FAILED, f"unexpected error: {error}", None)
        return self._published(claim)

    def _attempts(self, claim: Claim) -> int:
        with self.ctx.read() as session:
            entry = session.get(OutboxEntry, claim.entry_id)
            return entry.attempts if entry else 1

    def _published(self, claim: Claim) -> bool:
        self.ctx.bus.publish(Changes(tickets=frozenset([claim.ticket_id]), outbox=True))
        return True

    def drain(self, limit: int = 1000) -> int:
        """Process everything due now; returns how many replies were handled."""
        handled = 0
        while handled < limit and self.process_one():
            handled += 1
        return handled

    def next_due_in(self) -> float | None:
        """Seconds until the next queued reply is due (None: nothing queued)."""
        with self.ctx.read() as session:
            due = session.scalar(
                select(OutboxEntry.next_attempt_at)
                .where(OutboxEntry.state.in_([DeliveryState.QUEUED, DeliveryState.SENDING]))
                .order_by(OutboxEntry.next_attempt_at)
                .limit(1)
            )
        if due is None:
            return None
        return max((due - self.ctx.now()).total_seconds(), 0.0)


IN_DOUBT_TEXT = (
    "Desk stopped while sending and this channel cannot tell whether the reply arrived. "
    "Check the conversation on the channel, then Resend or Mark as sent."
)


def _build_reply(session: Session, entry: OutboxEntry, message: Message) -> OutgoingReply:
    ticket = session.get(Ticket, entry.ticket_id)
    assert ticket is not None
    recipient = session.scalar(
        select(CustomerIdentity.external_id).where(
            CustomerIdentity.customer_id == ticket.customer_id,
            CustomerIdentity.channel == ticket.channel,
        )
    )
    earlier = list(
        session.scalars(
            select(Message.external_id)
            .where(
                Message.ticket_id == ticket.id,
                Message.kind == MessageKind.MESSAGE,
                Message.external_id.is_not(None),
                Message.seq < message.seq,
            )
            .order_by(Message.seq)
        )
    )
    last_customer = session.scalar(
        select(Message.external_id)
        .where(
            Message.ticket_id == ticket.id,
            Message.author_kind == AuthorKind.CUSTOMER,
            Message.external_id.is_not(None),
        )
        .order_by(Message.seq.desc())
        .limit(1)
    )
    return OutgoingReply(
        send_key=entry.send_key,
        ticket_thread_key=ticket.external_thread_key,
        recipient_external_id=recipient or "",
        body_text=message.body_text,
        subject=message.subject,
        body_html=message.body_html,
        in_reply_to=tuple(e for e in earlier if e) if earlier else (),
        meta={"reply_to_external_id": last_customer} if last_customer else {},
    )


class OutboxWorker(threading.Thread):
    """Runs the sender off the UI thread: wakes when a reply is queued or a retry falls due."""

    def __init__(self, sender: OutboxSender, idle_poll: float = 30.0) -> None:
        super().__init__(name="outbox", daemon=True)
        self.sender = sender
        self.idle_poll = idle_poll
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._unsubscribe = sender.ctx.bus.subscribe(self._on_changes)

    def _on_changes(self, changes: Changes) -> None:
        if changes.outbox and threading.current_thread() is not self:
            self._wake.set()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        self._wake.set()
        self._unsubscribe()
        if self.is_alive():
            self.join(timeout)

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.sender.drain()
                wait = self.sender.next_due_in()
            except Exception:  # keep the worker alive; the next wake retries
                log.exception("outbox worker iteration failed")
                wait = self.idle_poll
            self._wake.wait(self.idle_poll if wait is None else min(wait, self.idle_poll))
            self._wake.clear()

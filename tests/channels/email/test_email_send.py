"""Replies through the outbox to a real SMTP server, with the Sent copy in a real Dovecot:
threading headers, transient and permanent failures, a connection lost after DATA, bounces."""

from __future__ import annotations

import email
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from email_servers import Dovecot, SmtpRecorder, corpus
from sqlalchemy import select

from desk_app.channels.email import EmailConnector
from desk_app.domain.enums import DeliveryState, TicketStatus
from desk_app.services.context import ServiceContext
from desk_app.services.fetcher import AccountFetcher
from desk_app.services.outbox import OutboxSender
from desk_app.services.tickets import TicketActions
from desk_app.store.models import Message, OutboxEntry, Ticket
from tests.conftest import FakeClock


@dataclass
class Desk:
    """Maria wrote in (fetched from Dovecot); the operator answers through the outbox."""

    fetcher: AccountFetcher
    sender: OutboxSender
    ticket_id: str
    ctx: ServiceContext
    smtp: SmtpRecorder
    dovecot: Dovecot
    clock: FakeClock

    def reply(self, text: str, smtp_mode: str = "ok") -> str:
        self.smtp.mode = smtp_mode
        reply_id = TicketActions(self.ctx).send_reply(self.ticket_id, text)
        self.sender.drain()
        return reply_id

    def retry_later(self, smtp_mode: str = "ok") -> None:
        self.smtp.mode = smtp_mode
        self.clock.advance(minutes=5)
        self.sender.drain()

    def state(self, message_id: str) -> tuple[str | None, str | None]:
        with self.ctx.read() as session:
            message = session.scalars(select(Message).where(Message.id == message_id)).one()
            return message.delivery_state, message.delivery_error

    def send_key(self) -> str:
        with self.ctx.read() as session:
            return session.scalars(select(OutboxEntry.send_key)).one()

    def ticket_status(self) -> str:
        with self.ctx.read() as session:
            ticket = session.get(Ticket, self.ticket_id)
            assert ticket is not None
            return ticket.status

    def sent_copies(self) -> dict[int, tuple[bytes, ...]]:
        client = self.dovecot.client()
        client.select_folder("Sent", readonly=True)
        flags = client.get_flags(client.search(["NOT", "DELETED"]))
        client.logout()
        return dict(flags)


@pytest.fixture
def desk(
    dovecot: Dovecot,
    smtp: SmtpRecorder,
    email_account: Callable[..., str],
    fetcher_for: Callable[[str], AccountFetcher],
    connector_for: Callable[[str], EmailConnector],
    ctx: ServiceContext,
    clock: FakeClock,
) -> Desk:
    account = email_account()
    fetcher = fetcher_for(account)
    dovecot.append("INBOX", [corpus("thread_start.eml")])
    fetcher.sync()
    connector = connector_for(account)
    sender = OutboxSender(ctx, lambda _a, _c: connector)
    with ctx.read() as session:
        ticket_id = session.scalars(select(Ticket.id)).one()
    return Desk(fetcher, sender, ticket_id, ctx, smtp, dovecot, clock)


@pytest.mark.timeout(60)
def test_reply_is_threaded_sent_once_and_filed_in_sent(desk: Desk) -> None:
    reply_id = desk.reply("Сбросили пароль, попробуйте снова.")
    assert desk.state(reply_id) == (DeliveryState.SENT, None)
    [(mail_from, rcpt, data)] = desk.smtp.deliveries
    sent = email.message_from_bytes(data, policy=email.policy.default)
    key = desk.send_key()
    assert sent["Message-ID"] == key and key.endswith("@desk.test>")
    assert sent["In-Reply-To"] == "<thread-start@example.com>"
    assert sent["References"] == "<thread-start@example.com>"
    assert sent["Subject"] == "Re: Cannot log in"
    assert sent["From"] == "Desk Support <support@desk.test>"
    assert (mail_from, rcpt) == ("support@desk.test", ["maria@example.com"])
    body = sent.get_body(("plain",))
    assert body is not None and body.get_content().strip() == "Сбросили пароль, попробуйте снова."
    # One finished copy in Sent, findable by its Message-ID.
    assert [b"\\Draft" in f for f in desk.sent_copies().values()] == [False]
    assert desk.sender.connector_for(None, "email").find_delivery(key) is not None
    # The customer answers our reply after the ticket was resolved: same ticket, reopened.
    answer = (
        "From: Maria <maria@example.com>\r\nTo: support@desk.test\r\n"
        "Subject: Re: Cannot log in\r\nDate: Tue, 17 Nov 2026 12:00:00 +0000\r\n"
        f"Message-ID: <answer@example.com>\r\nIn-Reply-To: {key}\r\n"
        f"References: <thread-start@example.com> {key}\r\n\r\nThanks, works!\r\n"
    ).encode()
    TicketActions(desk.ctx).set_status(desk.ticket_id, TicketStatus.RESOLVED)
    desk.dovecot.append("INBOX", [answer])
    desk.fetcher.sync()
    with desk.ctx.read() as session:
        where = Message.external_id == "<answer@example.com>"
        assert session.scalars(select(Message.ticket_id).where(where)).one() == desk.ticket_id
    assert desk.ticket_status() == TicketStatus.OPEN


@pytest.mark.timeout(60)
def test_temporary_smtp_failure_retries_and_then_delivers_once(desk: Desk) -> None:
    reply_id = desk.reply("Попробуйте ещё раз.", smtp_mode="tempfail")
    state, error = desk.state(reply_id)
    assert state == DeliveryState.QUEUED and error is not None and "451" in error
    assert desk.smtp.deliveries == [] and desk.sent_copies() == {}  # unsent copy removed
    desk.retry_later()
    assert desk.state(reply_id) == (DeliveryState.SENT, None)
    assert len(desk.smtp.deliveries) == 1


@pytest.mark.timeout(60)
def test_rejected_recipient_fails_visibly_with_the_servers_words(desk: Desk) -> None:
    state, error = desk.state(desk.reply("Ответ.", smtp_mode="reject"))
    assert state == DeliveryState.FAILED
    assert error is not None and "550" in error and "User unknown" in error
    assert desk.sent_copies() == {}


@pytest.mark.timeout(60)
def test_connection_lost_after_data_is_in_doubt_never_resent_blindly(desk: Desk) -> None:
    reply_id = desk.reply("Ответ.", smtp_mode="drop_after_data")
    state, error = desk.state(reply_id)
    assert state == DeliveryState.SENDING and "may have accepted" in (error or "")
    desk.retry_later()  # the retry looks in Sent first: DATA had started, so it asks a person
    assert desk.state(reply_id)[0] == DeliveryState.IN_DOUBT
    assert desk.smtp.deliveries == []
    TicketActions(desk.ctx).retry_delivery(reply_id)  # the operator checked: it did not arrive
    desk.sender.drain()
    assert desk.state(reply_id)[0] == DeliveryState.SENT
    assert len(desk.smtp.deliveries) == 1
    assert [b"\\Draft" in f for f in desk.sent_copies().values()] == [False]


@pytest.mark.timeout(60)
def test_bounce_is_attached_to_the_reply_and_marks_it_failed(desk: Desk) -> None:
    reply_id = desk.reply("Ответ.")
    TicketActions(desk.ctx).set_status(desk.ticket_id, TicketStatus.RESOLVED)
    bounce = corpus("dsn_bounce.eml").replace(b"{{ORIGINAL_ID}}", desk.send_key().encode())
    desk.dovecot.append("INBOX", [bounce])
    desk.fetcher.sync()
    state, error = desk.state(reply_id)
    assert state == DeliveryState.FAILED
    assert error is not None and "5.1.1" in error and "User unknown" in error
    with desk.ctx.read() as session:
        where = Message.external_id == "<bounce-1@mx.desk.test>"
        message = session.scalars(select(Message).where(where)).one()
        assert message.ticket_id == desk.ticket_id and message.automated
        assert message.meta["bounce"]["status"] == "5.1.1"
        assert session.scalars(select(OutboxEntry.state)).one() == DeliveryState.FAILED
    assert desk.ticket_status() == TicketStatus.RESOLVED  # a bounce never reopens

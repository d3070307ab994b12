"""The operator's email send path as its own process, for the kill-mid-send test.

For every ticket without a reply: type a reply (draft saved), press Send; then let the outbox
deliver through the real EmailConnector (password from the OS keyring, SMTP to the test's
server, record in Dovecot's Sent). Run again after a SIGKILL it continues as the operator would:
a draft gets Send pressed again; queued or in-flight replies are resumed by the outbox.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import exists, select

from desk_app.channels.email import EmailAccountConfig, EmailConnector
from desk_app.channels.email.blobs import BlobStore
from desk_app.channels.email.secrets import KeyringSecrets
from desk_app.domain.enums import AuthorKind, MessageKind
from desk_app.services.context import ServiceContext
from desk_app.services.outbox import OutboxSender
from desk_app.services.tickets import TicketActions
from desk_app.store.db import open_database
from desk_app.store.models import ChannelAccount, Draft, Message, Ticket


def reply_text(number: int) -> str:
    return f"Ответ на обращение #{number}: пароль сброшен, попробуйте войти."


def press_send_where_unanswered(ctx: ServiceContext) -> None:
    """Send (from the saved draft, if the first run got that far) on every unanswered ticket."""
    answered = exists().where(
        Message.ticket_id == Ticket.id,
        Message.author_kind == AuthorKind.AGENT,
        Message.kind == MessageKind.MESSAGE,
    )
    with ctx.read() as session:
        pending = session.execute(
            select(Ticket.id, Ticket.number, Draft.body)
            .outerjoin(Draft, Draft.ticket_id == Ticket.id)
            .where(~answered)
            .order_by(Ticket.number)
        ).all()
    actions = TicketActions(ctx)
    for ticket_id, number, draft in pending:
        if draft is None:
            draft = reply_text(number)
            actions.save_draft(ticket_id, draft)  # typing
        actions.send_reply(ticket_id, draft)


def main(profile: Path, account_id: str) -> int:
    engine, sessions = open_database(profile / "desk.sqlite3")
    ctx = ServiceContext(sessions)
    press_send_where_unanswered(ctx)
    with ctx.read() as session:
        account = session.get(ChannelAccount, account_id)
        assert account is not None
        config = EmailAccountConfig.from_dict(dict(account.config))
    connector = EmailConnector(config, KeyringSecrets(account_id), BlobStore.for_profile(profile))
    OutboxSender(ctx, lambda _account, _channel: connector).drain()
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2]))

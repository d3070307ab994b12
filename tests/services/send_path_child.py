"""The operator's send path as a separate process, for the kill-mid-send test.

For every ticket in the profile without a reply: type a reply (draft saved), press Send, and let
the outbox deliver. Run again after a crash, it continues like the operator would: a ticket whose
reply is still a draft gets Send pressed again; queued or in-flight replies are resumed by the
outbox. Exit code 0 when everything is delivered.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import select

from desk_app.channels.simulated import SimulatedConnector, SimulatedRemote
from desk_app.domain.enums import AuthorKind, Channel, MessageKind
from desk_app.services.context import ServiceContext
from desk_app.services.outbox import OutboxSender
from desk_app.services.tickets import TicketActions
from desk_app.store.db import open_database
from desk_app.store.models import Draft, Message, Ticket


def reply_text(number: int) -> str:
    return f"Ответ на обращение #{number}: всё исправили."


def main(profile: Path) -> int:
    engine, sessions = open_database(profile / "desk.sqlite3")
    ctx = ServiceContext(sessions)
    actions = TicketActions(ctx)
    with ctx.read() as session:
        tickets = session.execute(select(Ticket.id, Ticket.number).order_by(Ticket.number)).all()
        answered = set(
            session.scalars(
                select(Message.ticket_id).where(
                    Message.author_kind == AuthorKind.AGENT, Message.kind == MessageKind.MESSAGE
                )
            )
        )
        drafts = {d.ticket_id: d.body for d in session.scalars(select(Draft))}
    for ticket_id, number in tickets:
        if ticket_id in answered:
            continue
        body = drafts.get(ticket_id)
        if body is None:
            body = reply_text(number)
            actions.save_draft(ticket_id, body)
        actions.send_reply(ticket_id, body)
    remote = SimulatedRemote(profile / "simulated_remote.sqlite3")
    sender = OutboxSender(ctx, lambda _a, channel: SimulatedConnector(Channel(channel), remote))
    sender.drain()
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))

"""The sandbox's customers answer the trainee according to the scenario, and judge each reply."""

from pathlib import Path

import pytest
from sqlalchemy import select

from desk_app.channels.base import FetchResult
from desk_app.channels.sandbox_customers import SandboxCustomers, load_scenarios
from desk_app.channels.simulated import SimulatedConnector, SimulatedRemote
from desk_app.domain.enums import AuthorKind, Channel
from desk_app.domain.training import summary
from desk_app.resources import resource
from desk_app.services.context import ServiceContext
from desk_app.services.ingest import ingest_items
from desk_app.services.outbox import OutboxSender
from desk_app.services.tickets import TicketActions
from desk_app.store.models import ChannelAccount, Message, Ticket


@pytest.fixture
def world(ctx: ServiceContext, profile_dir: Path) -> tuple[SimulatedRemote, SandboxCustomers]:
    remote = SimulatedRemote(profile_dir / "simulated_remote.sqlite3")
    customers = SandboxCustomers(remote, load_scenarios(resource("sandbox", "scenarios.json")))
    with ctx.write() as session:
        for channel in Channel:
            session.add(ChannelAccount(channel=channel, name=str(channel), simulated=True))
    return remote, customers


def pull(ctx: ServiceContext, remote: SimulatedRemote) -> None:
    """What the fetch worker does for each simulated account."""
    with ctx.read() as session:
        accounts = [(a.id, a.channel, a.cursor) for a in session.scalars(select(ChannelAccount))]
    for account_id, channel, cursor in accounts:
        result: FetchResult = SimulatedConnector(Channel(channel), remote).fetch(cursor)
        ingest_items(ctx, account_id, result.items)
        with ctx.write() as session:
            account = session.get(ChannelAccount, account_id)
            assert account is not None
            account.cursor = result.cursor


def reply_and_deliver(
    ctx: ServiceContext, remote: SimulatedRemote, ticket_id: str, text: str
) -> None:
    TicketActions(ctx).send_reply(ticket_id, text)
    OutboxSender(ctx, lambda _a, c: SimulatedConnector(Channel(c), remote)).drain()


def conversation(ctx: ServiceContext, ticket_id: str) -> list[tuple[str, str]]:
    with ctx.read() as session:
        rows = session.execute(
            select(Message.author_kind, Message.body_text)
            .where(Message.ticket_id == ticket_id)
            .order_by(Message.seq)
        )
        return [(a, b) for a, b in rows]


def vk_ticket(ctx: ServiceContext) -> str:
    with ctx.read() as session:
        return session.scalars(select(Ticket.id).where(Ticket.channel == Channel.VK)).one()


def test_openings_arrive_once_as_tickets(
    ctx: ServiceContext, world: tuple[SimulatedRemote, SandboxCustomers]
) -> None:
    remote, customers = world
    assert customers.open_conversations() == 3
    assert customers.open_conversations() == 0
    pull(ctx, remote)
    with ctx.read() as session:
        assert sorted(session.scalars(select(Ticket.channel))) == ["email", "google_play", "vk"]


def test_customer_answers_a_vague_reply_then_a_good_one(
    ctx: ServiceContext, world: tuple[SimulatedRemote, SandboxCustomers]
) -> None:
    remote, customers = world
    customers.open_conversations()
    pull(ctx, remote)
    ticket_id = vk_ticket(ctx)

    reply_and_deliver(ctx, remote, ticket_id, "Что именно?")
    (miss,) = customers.answer_new_replies()
    assert (not miss.on_target and "платформ" in miss.lesson.lower()) or "platform" in miss.lesson
    pull(ctx, remote)
    assert conversation(ctx, ticket_id)[-1] == (
        AuthorKind.CUSTOMER,
        "Что значит «что именно»? Приложение не работает!",
    )

    reply_and_deliver(ctx, remote, ticket_id, "Подскажите платформу, версию приложения и ошибку?")
    (hit,) = customers.answer_new_replies()
    assert hit.on_target and hit.step == 0
    assert customers.answer_new_replies() == []  # nothing new: nobody answers twice
    pull(ctx, remote)
    assert conversation(ctx, ticket_id)[-1][1].startswith("Android, версия 134")

    reply_and_deliver(ctx, remote, ticket_id, "Фильтры есть в версии 135 — обновите приложение.")
    (last,) = customers.answer_new_replies()
    assert last.on_target and last.step == 1
    figures = summary(customers.feedback())
    assert figures["replies"] == 3
    assert figures["on_target_share"] == pytest.approx(2 / 3)


def test_replies_to_customers_outside_the_scenarios_are_ignored(
    ctx: ServiceContext, world: tuple[SimulatedRemote, SandboxCustomers], profile_dir: Path
) -> None:
    remote, customers = world
    from tests.conftest import incoming

    with ctx.read() as session:
        account = session.scalars(
            select(ChannelAccount.id).where(ChannelAccount.channel == Channel.TELEGRAM)
        ).one()
    (tid,) = ingest_items(ctx, account, [incoming("hi", author="stranger")]).changes.tickets
    reply_and_deliver(ctx, remote, tid, "Hello")
    assert customers.answer_new_replies() == []

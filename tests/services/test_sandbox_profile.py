"""A sandbox profile end to end: scenario customers write in, the trainee answers through the
normal outbox, the customer answers back — and nothing can reach a real channel."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, update

from desk_app.app import DeskApp
from desk_app.channels.simulated import SimulatedConnector
from desk_app.domain.enums import AuthorKind, Channel, Role
from desk_app.store.models import Agent, ChannelAccount, Message, Ticket


def wait_for(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def sandbox(tmp_path: Path) -> DeskApp:
    desk = DeskApp.sandbox(tmp_path / "sandbox")
    desk.simulated_poll_seconds = 0.1
    desk.prepare()
    yield desk
    desk.close()


def customer_messages(desk: DeskApp, ticket_id: str) -> list[str]:
    with desk.ctx.read() as session:
        return list(
            session.scalars(
                select(Message.body_text)
                .where(Message.ticket_id == ticket_id, Message.author_kind == AuthorKind.CUSTOMER)
                .order_by(Message.seq)
            )
        )


@pytest.mark.timeout(60)
def test_trainee_works_a_scenario_and_the_customer_answers_back(sandbox: DeskApp) -> None:
    with sandbox.ctx.read() as session:
        operator = session.get(Agent, sandbox.ctx.agent_id)
        assert operator is not None and operator.role == Role.TRAINEE
    sandbox.start_workers()

    def vk_ticket() -> str | None:
        with sandbox.ctx.read() as session:
            return session.scalar(select(Ticket.id).where(Ticket.channel == Channel.VK))

    wait_for(lambda: vk_ticket() is not None)
    ticket_id = vk_ticket()
    assert ticket_id is not None
    sandbox.actions.send_reply(ticket_id, "Какая у вас платформа и версия приложения?")
    wait_for(lambda: len(customer_messages(sandbox, ticket_id)) == 2)
    assert customer_messages(sandbox, ticket_id)[-1].startswith("Android, версия 134")
    (feedback,) = sandbox.sandbox_worker.customers.feedback()  # type: ignore[union-attr]
    assert feedback.on_target


def test_sandbox_never_builds_a_real_connector(sandbox: DeskApp) -> None:
    with sandbox.ctx.write() as session:
        session.execute(update(ChannelAccount).values(simulated=False))
        email = session.scalars(
            select(ChannelAccount.id).where(ChannelAccount.channel == Channel.EMAIL)
        ).one()
    assert isinstance(sandbox.connector_for(email, "email"), SimulatedConnector)

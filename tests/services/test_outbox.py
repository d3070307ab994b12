"""The outbox's paths: sent, retried, failed, and resumed after a crash for each resend safety."""

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, update

from desk_app.channels.base import OutgoingReply, ResendSafety
from desk_app.channels.simulated import SimulatedConnector, SimulatedRemote
from desk_app.domain.enums import Channel, DeliveryState
from desk_app.services.context import ServiceContext
from desk_app.services.ingest import ingest_items
from desk_app.services.outbox import MAX_ATTEMPTS, OutboxSender, OutboxWorker
from desk_app.services.tickets import TicketActions
from desk_app.store.models import Message, OutboxEntry
from tests.conftest import FakeClock, incoming


@pytest.fixture
def remote(profile_dir: Path) -> SimulatedRemote:
    return SimulatedRemote(profile_dir / "simulated_remote.sqlite3")


def sender_for(
    ctx: ServiceContext, remote: SimulatedRemote, safety: ResendSafety = ResendSafety.LOOKUP
) -> OutboxSender:
    return OutboxSender(
        ctx, lambda _account, channel: SimulatedConnector(Channel(channel), remote, safety)
    )


def queue_reply(
    ctx: ServiceContext, account_for: Callable[[Channel], str], text: str = "Готово!"
) -> str:
    (tid,) = ingest_items(
        ctx, account_for(Channel.TELEGRAM), [incoming("Помогите")]
    ).changes.tickets
    return TicketActions(ctx).send_reply(tid, text)


def state_of(ctx: ServiceContext, message_id: str) -> tuple[str | None, str | None]:
    with ctx.read() as session:
        message = session.scalars(select(Message).where(Message.id == message_id)).one()
        return message.delivery_state, message.delivery_error


def test_reply_is_delivered_once_and_marked_sent(
    ctx: ServiceContext, account_for: Callable[[Channel], str], remote: SimulatedRemote
) -> None:
    message_id = queue_reply(ctx, account_for)
    sender = sender_for(ctx, remote)
    assert sender.drain() == 1
    assert sender.drain() == 0
    assert state_of(ctx, message_id) == (DeliveryState.SENT, None)
    assert [d[0] for d in remote.deliveries()] == [message_id]


def test_transient_error_retries_with_backoff_then_sends(
    ctx: ServiceContext,
    account_for: Callable[[Channel], str],
    remote: SimulatedRemote,
    clock: FakeClock,
) -> None:
    message_id = queue_reply(ctx, account_for)
    remote.set_fault(Channel.TELEGRAM, "transient", "connection refused")
    sender = sender_for(ctx, remote)
    sender.drain()
    assert state_of(ctx, message_id) == (DeliveryState.QUEUED, "connection refused")
    assert sender.drain() == 0  # not due yet: backoff
    remote.set_fault(Channel.TELEGRAM, None)
    clock.advance(seconds=16)
    sender.drain()
    assert state_of(ctx, message_id)[0] == DeliveryState.SENT
    assert len(remote.deliveries()) == 1


def test_permanent_error_fails_visibly_and_retry_requeues(
    ctx: ServiceContext, account_for: Callable[[Channel], str], remote: SimulatedRemote
) -> None:
    message_id = queue_reply(ctx, account_for)
    remote.set_fault(Channel.TELEGRAM, "permanent", "403 Forbidden: bot was blocked by the user")
    sender = sender_for(ctx, remote)
    sender.drain()
    assert state_of(ctx, message_id) == (
        DeliveryState.FAILED,
        "403 Forbidden: bot was blocked by the user",
    )
    remote.set_fault(Channel.TELEGRAM, None)
    TicketActions(ctx).retry_delivery(message_id)
    sender.drain()
    assert state_of(ctx, message_id)[0] == DeliveryState.SENT


def test_gives_up_after_max_attempts(
    ctx: ServiceContext,
    account_for: Callable[[Channel], str],
    remote: SimulatedRemote,
    clock: FakeClock,
) -> None:
    message_id = queue_reply(ctx, account_for)
    remote.set_fault(Channel.TELEGRAM, "transient", "timeout")
    sender = sender_for(ctx, remote)
    for _ in range(MAX_ATTEMPTS):
        clock.advance(hours=1)
        sender.drain()
    state, error = state_of(ctx, message_id)
    assert state == DeliveryState.FAILED and error and "gave up" in error


def test_text_over_channel_limit_fails_with_reason(
    ctx: ServiceContext, account_for: Callable[[Channel], str], remote: SimulatedRemote
) -> None:
    message_id = queue_reply(ctx, account_for, "x" * 5000)
    sender_for(ctx, remote).drain()
    state, error = state_of(ctx, message_id)
    assert state == DeliveryState.FAILED and error and "4096" in error
    assert remote.deliveries() == []


def simulate_crash_after_provider_accepted(
    ctx: ServiceContext, remote: SimulatedRemote, message_id: str
) -> None:
    """What a SIGKILL between 'provider accepted' and 'marked sent' leaves behind."""
    with ctx.write() as session:
        entry = session.scalars(
            select(OutboxEntry).where(OutboxEntry.message_id == message_id)
        ).one()
        entry.state = DeliveryState.SENDING
        entry.attempts = 1
        reply_text = session.scalars(
            select(Message.body_text).where(Message.id == message_id)
        ).one()
    remote.deliver(
        Channel.TELEGRAM,
        OutgoingReply(
            send_key=message_id,
            ticket_thread_key=None,
            recipient_external_id="cust-1",
            body_text=reply_text,
        ),
    )


@pytest.mark.parametrize(
    ("safety", "final_state", "deliveries"),
    [
        (ResendSafety.LOOKUP, DeliveryState.SENT, 1),  # found at the provider: not resent
        (ResendSafety.IDEMPOTENT, DeliveryState.SENT, 1),  # resent, provider deduped
        (ResendSafety.NONE, DeliveryState.IN_DOUBT, 1),  # a person decides; never resent
    ],
)
def test_resume_after_crash_never_sends_twice(
    ctx: ServiceContext,
    account_for: Callable[[Channel], str],
    remote: SimulatedRemote,
    safety: ResendSafety,
    final_state: DeliveryState,
    deliveries: int,
) -> None:
    message_id = queue_reply(ctx, account_for)
    simulate_crash_after_provider_accepted(ctx, remote, message_id)
    sender_for(ctx, remote, safety).drain()
    assert state_of(ctx, message_id)[0] == final_state
    assert remote.delivery_count(message_id) == deliveries


def test_in_doubt_reply_can_be_confirmed_without_resending(
    ctx: ServiceContext, account_for: Callable[[Channel], str], remote: SimulatedRemote
) -> None:
    message_id = queue_reply(ctx, account_for)
    simulate_crash_after_provider_accepted(ctx, remote, message_id)
    sender = sender_for(ctx, remote, ResendSafety.NONE)
    sender.drain()
    TicketActions(ctx).confirm_delivered(message_id)
    sender.drain()
    assert state_of(ctx, message_id)[0] == DeliveryState.SENT
    assert remote.delivery_count(message_id) == 1


def test_lookup_resends_when_the_provider_never_got_it(
    ctx: ServiceContext, account_for: Callable[[Channel], str], remote: SimulatedRemote
) -> None:
    message_id = queue_reply(ctx, account_for)
    with ctx.write() as session:  # crashed right after claiming, before calling the provider
        session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.message_id == message_id)
            .values(state=DeliveryState.SENDING, attempts=1)
        )
    sender_for(ctx, remote).drain()
    assert state_of(ctx, message_id)[0] == DeliveryState.SENT
    assert remote.delivery_count(message_id) == 1


@pytest.mark.timeout(20)
def test_worker_thread_delivers_when_woken(
    ctx: ServiceContext, account_for: Callable[[Channel], str], remote: SimulatedRemote
) -> None:
    import time

    from desk_app.store.types import utcnow

    ctx.now = utcnow  # the worker waits on real time
    worker = OutboxWorker(sender_for(ctx, remote), idle_poll=5)
    worker.start()
    try:
        message_id = queue_reply(ctx, account_for)  # publishes outbox changes: wakes the worker
        deadline = time.monotonic() + 10
        while state_of(ctx, message_id)[0] != DeliveryState.SENT:
            assert time.monotonic() < deadline, "worker did not deliver"
            time.sleep(0.02)
    finally:
        worker.stop()
    assert not worker.is_alive()

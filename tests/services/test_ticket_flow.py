"""Ticket actions and ingest against a real profile database."""

from collections.abc import Callable
from dataclasses import replace

import pytest
from sqlalchemy import select

from desk_app.domain.enums import Channel, DeliveryState, MessageKind, Priority, TicketStatus
from desk_app.domain.platform_facts import PlatformFacts
from desk_app.domain.tickets import TransitionError
from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.services.ingest import ingest_items
from desk_app.services.tickets import TicketActions
from desk_app.store.models import (
    Customer,
    Draft,
    Message,
    Mutation,
    OutboxEntry,
    Tag,
    Ticket,
    TicketTag,
)
from tests.conftest import FakeClock, incoming


@pytest.fixture
def ticket_id(ctx: ServiceContext, account_for: Callable[[Channel], str]) -> str:
    result = ingest_items(ctx, account_for(Channel.VK), [incoming("Где мой заказ?")])
    (tid,) = result.changes.tickets
    return tid


def ticket(ctx: ServiceContext, tid: str) -> Ticket:
    with ctx.read() as session:
        found = session.get(Ticket, tid)
        assert found is not None
        return found


def test_same_item_twice_is_one_message(
    ctx: ServiceContext, account_for: Callable[[Channel], str]
) -> None:
    item = incoming("Hello", external_id="vk-77")
    first = ingest_items(ctx, account_for(Channel.VK), [item, item])
    again = ingest_items(ctx, account_for(Channel.VK), [item])
    assert (first.stored, first.duplicates, again.stored) == (1, 1, 0)
    with ctx.read() as session:
        assert session.query(Message).count() == 1


def test_reply_is_queued_with_outbox_entry_in_one_transaction(
    ctx: ServiceContext, ticket_id: str
) -> None:
    actions = TicketActions(ctx)
    actions.save_draft(ticket_id, "Здравствуйте! Проверяю заказ.")
    seen: list[Changes] = []
    ctx.bus.subscribe(seen.append)
    message_id = actions.send_reply(ticket_id, "Здравствуйте! Проверяю заказ.")
    with ctx.read() as session:
        message = session.scalars(select(Message).where(Message.id == message_id)).one()
        entry = session.scalars(
            select(OutboxEntry).where(OutboxEntry.message_id == message_id)
        ).one()
        assert message.delivery_state == DeliveryState.QUEUED
        assert entry.state == DeliveryState.QUEUED and entry.send_key == message_id
        assert session.get(Draft, ticket_id) is None
        assert session.query(Mutation).filter(Mutation.entity_id == message_id).count() == 1
    found = ticket(ctx, ticket_id)
    assert found.status == TicketStatus.OPEN
    assert found.sla_first_responded_at is not None and found.sla_first_response_due is None
    assert seen and seen[-1].outbox and ticket_id in seen[-1].tickets


def test_email_reply_gets_its_message_id_when_saved(
    ctx: ServiceContext, account_for: Callable[[Channel], str]
) -> None:
    result = ingest_items(ctx, account_for(Channel.EMAIL), [incoming("Invoice?", author="a@b.c")])
    (tid,) = result.changes.tickets
    message_id = TicketActions(ctx).send_reply(tid, "Attached.")
    with ctx.read() as session:
        message = session.scalars(select(Message).where(Message.id == message_id)).one()
        assert message.external_id == f"<{message_id}@desk.invalid>"


def test_empty_reply_is_refused(ctx: ServiceContext, ticket_id: str) -> None:
    with pytest.raises(ValueError):
        TicketActions(ctx).send_reply(ticket_id, "   ")


def test_note_is_private_and_never_queued(ctx: ServiceContext, ticket_id: str) -> None:
    note_id = TicketActions(ctx).add_note(ticket_id, "Клиент VIP, не закрывать без звонка")
    with ctx.read() as session:
        note = session.scalars(select(Message).where(Message.id == note_id)).one()
        assert note.kind == MessageKind.NOTE and note.delivery_state is None
        assert session.query(OutboxEntry).count() == 0


def test_pending_pauses_and_customer_reply_reopens(
    ctx: ServiceContext, ticket_id: str, clock: FakeClock, account_for: Callable[[Channel], str]
) -> None:
    actions = TicketActions(ctx)
    actions.send_reply(ticket_id, "Пришлите номер заказа")
    actions.set_status(ticket_id, TicketStatus.PENDING)
    paused = ticket(ctx, ticket_id)
    assert paused.sla_due_at is None and not paused.sla_stopped
    clock.advance(hours=5)
    reply = incoming("Номер 12345", at=clock())
    ingest_items(ctx, account_for(Channel.VK), [reply])
    reopened = ticket(ctx, ticket_id)
    assert reopened.status == TicketStatus.OPEN and reopened.unread
    assert reopened.sla_due_at is not None
    # Five hours pending did not count: 24h target (normal) minus ~0 consumed.
    assert (reopened.sla_due_at - clock()).total_seconds() == pytest.approx(24 * 3600, abs=5)


def test_auto_reply_does_not_reopen_resolved(
    ctx: ServiceContext, ticket_id: str, account_for: Callable[[Channel], str]
) -> None:
    TicketActions(ctx).set_status(ticket_id, TicketStatus.RESOLVED)
    ingest_items(ctx, account_for(Channel.VK), [incoming("I am on vacation", automated=True)])
    assert ticket(ctx, ticket_id).status == TicketStatus.RESOLVED


def test_priority_assign_tags_and_invalid_transition(ctx: ServiceContext, ticket_id: str) -> None:
    actions = TicketActions(ctx)
    before = ticket(ctx, ticket_id).sla_due_at
    actions.set_priority(ticket_id, Priority.URGENT)
    after = ticket(ctx, ticket_id)
    assert after.priority == 1 and after.sla_due_at is not None and before is not None
    assert after.sla_due_at < before  # urgent targets are tighter
    actions.assign(ticket_id, ctx.agent_id)
    assert ticket(ctx, ticket_id).assignee_id == ctx.agent_id
    actions.set_tags(ticket_id, ["Delivery", "delivery", " bug "])
    with ctx.read() as session:
        names = session.scalars(
            select(Tag.name).join(TicketTag).where(TicketTag.ticket_id == ticket_id)
        ).all()
        assert sorted(names) == ["bug", "delivery"]
    actions.set_status(ticket_id, TicketStatus.CLOSED)
    with pytest.raises(TransitionError):
        actions.set_status(ticket_id, TicketStatus.PENDING)


def test_reply_names_what_it_answers_for_threading(
    ctx: ServiceContext, account_for: Callable[[Channel], str]
) -> None:
    account = account_for(Channel.EMAIL)
    first = incoming("Question", author="x@y.z", external_id="<q1@y.z>", thread=None)
    (tid,) = ingest_items(ctx, account, [first]).changes.tickets
    follow_up = incoming(
        "More", author="x@y.z", external_id="<q2@y.z>", thread=None, in_reply_to=("<q1@y.z>",)
    )
    assert ingest_items(ctx, account, [follow_up]).changes.tickets == {tid}


def test_a_reply_to_mail_we_never_stored_threads_by_an_older_reference(
    ctx: ServiceContext, account_for: Callable[[Channel], str]
) -> None:
    """The parent (first reference) went to someone else; the next one is ours."""
    account = account_for(Channel.EMAIL)
    first = incoming("Question", author="x@y.z", external_id="<ours@y.z>", thread=None)
    (tid,) = ingest_items(ctx, account, [first]).changes.tickets
    other = incoming("Unrelated", author="w@y.z", external_id="<other@y.z>", thread=None)
    (other_tid,) = ingest_items(ctx, account, [other]).changes.tickets
    reply = incoming(
        "Forwarded answer",
        author="colleague@y.z",
        external_id="<fwd@y.z>",
        thread=None,
        in_reply_to=("<never-stored@y.z>", "<ours@y.z>", "<other@y.z>"),
    )
    assert ingest_items(ctx, account, [reply]).changes.tickets == {tid} != {other_tid}


def test_facts_a_connector_read_are_used_as_they_are(
    ctx: ServiceContext, account_for: Callable[[Channel], str]
) -> None:
    """The email channel reads platform facts in its parse workers; ingest takes them and
    does not read the text again."""
    account = account_for(Channel.EMAIL)
    item = replace(
        incoming("Android 14, версия 5.1.0", author="f@y.z", external_id="<f@y.z>", thread=None),
        facts=PlatformFacts(platform="iOS", app_version="9.9.9"),
    )
    (customer_id,) = ingest_items(ctx, account, [item]).changes.customers
    with ctx.read() as session:
        customer = session.get(Customer, customer_id)
        assert customer is not None
        assert (customer.platform, customer.app_version) == ("iOS", "9.9.9")


def test_one_batch_threads_items_that_answer_each_other(
    ctx: ServiceContext, account_for: Callable[[Channel], str]
) -> None:
    account = account_for(Channel.EMAIL)
    first = incoming("Order missing", author="k@m.n", external_id="<a@m.n>", thread=None)
    second = incoming(
        "Any news?",
        author="other@m.n",
        external_id="<b@m.n>",
        thread=None,
        in_reply_to=("<a@m.n>",),
    )
    third = incoming("Also, refund?", author="k@m.n", external_id="<c@m.n>", thread=None)
    result = ingest_items(ctx, account, [first, second, third])
    assert result.stored == 3 and len(result.changes.tickets) == 1
    with ctx.read() as session:
        assert session.query(Ticket).count() == 1
        numbers = session.scalars(select(Ticket.number)).all()
        assert numbers == [1001]


def test_messages_of_a_merged_customer_land_with_the_survivor(
    ctx: ServiceContext, account_for: Callable[[Channel], str]
) -> None:
    from desk_app.store.models import Customer, CustomerIdentity

    account = account_for(Channel.TELEGRAM)
    ingest_items(ctx, account, [incoming("hi", author="tg-1", thread="a")])
    with ctx.write() as session:
        survivor = Customer(display_name="Ivan Ivanov")
        session.add(survivor)
        session.flush()
        identity = session.query(CustomerIdentity).filter_by(external_id="tg-1").one()
        session.get(Customer, identity.customer_id).merged_into_id = survivor.id  # type: ignore[union-attr]
        survivor_id = survivor.id
    (tid,) = ingest_items(
        ctx, account, [incoming("again", author="tg-1", thread="b")]
    ).changes.tickets
    assert ticket(ctx, tid).customer_id == survivor_id


def test_edited_review_updates_the_ticket_rating(
    ctx: ServiceContext, account_for: Callable[[Channel], str]
) -> None:
    from dataclasses import replace

    account = account_for(Channel.GOOGLE_PLAY)
    review = replace(incoming("Crashes on start", thread="review-9"), rating=1)
    (tid,) = ingest_items(ctx, account, [review]).changes.tickets
    edited = replace(incoming("Fixed after update, thanks", thread="review-9"), rating=5)
    ingest_items(ctx, account, [edited])
    assert ticket(ctx, tid).rating == 5

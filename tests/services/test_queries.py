"""Read models of the main window against a real profile database built through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from desk_app.domain.enums import Channel, TicketStatus
from desk_app.services import queries
from desk_app.services.context import ServiceContext
from desk_app.services.customers import CustomerActions
from desk_app.services.ingest import ingest_items
from desk_app.services.queries import QueueKey, QueueKind
from desk_app.services.tickets import TicketActions
from tests.conftest import FakeClock
from tests.ui.inbox_data import Inbox, item, seed_inbox


@pytest.fixture
def inbox(ctx: ServiceContext) -> Inbox:
    return seed_inbox(ctx)


def page(ctx: ServiceContext, key: QueueKey, **kw: int) -> list[queries.TicketRow]:
    with ctx.read() as session:
        return queries.queue_page(session, key, agent_id=ctx.agent_id, now=ctx.now(), **kw)


def counts(ctx: ServiceContext) -> dict[QueueKey, int]:
    with ctx.read() as session:
        infos = queries.queue_infos(session, agent_id=ctx.agent_id, now=ctx.now())
    return {q.key: q.count for q in infos}


def test_current_agent_comes_from_settings(ctx: ServiceContext, inbox: Inbox) -> None:
    with ctx.read() as session:
        assert queries.current_agent_id(session) == inbox.me
        names = [a.name for a in queries.list_agents(session)]
    assert names == sorted(names) and {"Anna Operator", "Boris Colleague"} <= set(names)


def test_queue_counts(ctx: ServiceContext, inbox: Inbox) -> None:
    c = counts(ctx)
    assert c[QueueKey(QueueKind.ACTIVE)] == 4
    assert c[QueueKey(QueueKind.MY)] == 1
    assert c[QueueKey(QueueKind.UNASSIGNED)] == 3
    assert c[QueueKey(QueueKind.OVERDUE)] == 1  # the 3-hour-old Telegram ticket
    assert c[QueueKey(QueueKind.CHANNEL, "telegram")] == 2
    assert c[QueueKey(QueueKind.CHANNEL, "email")] == 1
    assert c[QueueKey(QueueKind.CHANNEL, "google_play")] == 1
    assert c[QueueKey(QueueKind.DONE)] == 1
    tags = {k.value: v for k, v in c.items() if k.kind is QueueKind.TAG}
    assert list(tags.values()) == [1]
    assert QueueKey(QueueKind.CHANNEL, "vk") not in c  # no account, no tickets: no queue


def test_pages_are_ordered_by_time_left(ctx: ServiceContext, inbox: Inbox) -> None:
    rows = page(ctx, QueueKey(QueueKind.ACTIVE))
    assert rows[0].id == inbox.tickets["code"]
    assert rows[0].sla_seconds_left is not None and rows[0].sla_seconds_left < 0
    dues = [r.sla_due_at for r in rows if r.sla_due_at is not None]
    assert dues == sorted(dues)
    assert page(ctx, QueueKey(QueueKind.ACTIVE), offset=1, limit=2) == rows[1:3]
    mine = page(ctx, QueueKey(QueueKind.MY))
    assert [(r.id, r.assignee_name) for r in mine] == [(inbox.tickets["code"], "Anna Operator")]
    assert [r.id for r in page(ctx, QueueKey(QueueKind.DONE))] == [inbox.tickets["old_mail"]]
    tag = next(k for k in counts(ctx) if k.kind is QueueKind.TAG)
    assert [r.id for r in page(ctx, tag)] == [inbox.tickets["refund"]]


def test_unread_and_paused_are_reported(ctx: ServiceContext, inbox: Inbox) -> None:
    actions = TicketActions(ctx)
    actions.mark_read(inbox.tickets["crash"])
    actions.set_status(inbox.tickets["crash"], TicketStatus.PENDING)
    with ctx.read() as session:
        (row,) = queries.ticket_rows(session, [inbox.tickets["crash"]], now=ctx.now())
    assert not row.unread and row.status == "pending"
    assert row.paused


@pytest.mark.parametrize(
    ("key", "index"),
    [
        (QueueKey(QueueKind.ACTIVE), "ix_tickets_active_due"),
        (QueueKey(QueueKind.OVERDUE), "ix_tickets_active_due"),
        (QueueKey(QueueKind.DONE), "ix_tickets_active_due"),
        (QueueKey(QueueKind.MY), "ix_tickets_assignee_due"),
        (QueueKey(QueueKind.UNASSIGNED), "ix_tickets_assignee_due"),
        (QueueKey(QueueKind.CHANNEL, "email"), "ix_tickets_channel_due"),
        (QueueKey(QueueKind.TAG, "some-tag"), "ix_tickets_active_due"),
    ],
)
def test_queue_pages_are_served_by_the_due_indexes(
    ctx: ServiceContext, inbox: Inbox, key: QueueKey, index: str
) -> None:
    """The order comes from the index: no full scan, no sort of the whole queue."""
    statement = queries.queue_page_statement(key, ctx.agent_id, ctx.now(), 200, 100)
    with ctx.read() as session:
        sql = str(statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
        plan = [r[3] for r in session.execute(text("EXPLAIN QUERY PLAN " + sql))]
    assert any(f"USING INDEX {index}" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan
    assert not any(step.startswith("SCAN tickets") for step in plan), plan


def test_ticket_detail_has_the_whole_conversation(ctx: ServiceContext, inbox: Inbox) -> None:
    with ctx.read() as session:
        detail = queries.ticket_detail(session, inbox.tickets["refund"], now=ctx.now())
        reply = queries.ticket_detail(session, inbox.tickets["filters"], now=ctx.now())
    assert detail is not None and reply is not None
    assert [m.kind for m in detail.messages] == ["message", "note"]
    assert detail.messages[0].author_name == "Mary Smith"
    assert detail.messages[0].body_html and "<script>" in detail.messages[0].body_html
    assert detail.messages[1].body_text == "Check the payment provider before answering"
    assert detail.tags == ("billing",)
    last = reply.messages[-1]
    assert (last.author_kind, last.delivery_state, last.author_name) == (
        "agent",
        "queued",
        "Anna Operator",
    )
    assert queries.latest_reply_needing_attention(reply) is None


def test_ticket_detail_shows_events_and_the_draft(ctx: ServiceContext, inbox: Inbox) -> None:
    TicketActions(ctx).save_draft(inbox.tickets["code"], "Пришлите, пожалуйста,", is_note=False)
    with ctx.read() as session:
        detail = queries.ticket_detail(session, inbox.tickets["code"], now=ctx.now())
        assert queries.ticket_detail(session, "no-such-ticket", now=ctx.now()) is None
    assert detail is not None
    events = [m.body_text for m in detail.messages if m.kind == "event"]
    assert events == ["assigned", "priority:2"]
    assert detail.draft_body == "Пришлите, пожалуйста,"


def test_customer_card(ctx: ServiceContext, inbox: Inbox) -> None:
    with ctx.read() as session:
        detail = queries.ticket_detail(session, inbox.tickets["refund"], now=ctx.now())
    assert detail is not None
    CustomerActions(ctx).add_note(detail.customer_id, "Prefers email, VIP since 2021")
    with ctx.read() as session:
        card = queries.customer_card(session, detail.customer_id)
        gp = queries.ticket_detail(session, inbox.tickets["crash"], now=ctx.now())
        assert gp is not None
        store_card = queries.customer_card(session, gp.customer_id)
    assert card is not None and store_card is not None
    assert card.name == "Mary Smith"
    assert {(i.channel, i.external_id) for i in card.identities} == {
        ("email", "mary@example.com"),
        ("telegram", "tg:300"),
    }
    assert [n.body for n in card.notes] == ["Prefers email, VIP since 2021"]
    assert card.notes[0].author_name == "Anna Operator"
    assert [t.id for t in card.tickets] == [inbox.tickets["refund"], inbox.tickets["old_mail"]]
    assert card.tickets[1].status == "resolved"
    assert (store_card.platform, store_card.app_version) == ("Android 14", "5.1.2")


def test_customer_note_must_have_text(ctx: ServiceContext, inbox: Inbox) -> None:
    with pytest.raises(ValueError):
        CustomerActions(ctx).add_note("whoever", "   ")
    with pytest.raises(LookupError):
        CustomerActions(ctx).add_note("no-such-customer", "hello")


def test_search_finds_tickets_by_any_message(ctx: ServiceContext, inbox: Inbox) -> None:
    with ctx.read() as session:
        hits = queries.search(session, "код подтвержд", now=ctx.now())
        assert [h.row.id for h in hits] == [inbox.tickets["code"]]
        assert "[код]" in hits[0].excerpt
        assert [h.row.id for h in queries.search(session, "payment provider", now=ctx.now())] == [
            inbox.tickets["refund"]
        ]  # private notes are searchable too
        assert queries.search(session, '"* OR NEAR(', now=ctx.now()) == []
        assert queries.search(session, "   ", now=ctx.now()) == []


def test_search_collapses_hits_of_one_ticket(
    ctx: ServiceContext, inbox: Inbox, clock: FakeClock
) -> None:
    items = [
        item(f"tg-more-{i}", "tg:100", "Иван Петров", f"код всё ещё не пришёл {i}",
             clock() + timedelta(minutes=i), thread="tg-1")
        for i in range(5)
    ]  # fmt: skip
    ingest_items(ctx, inbox.accounts[Channel.TELEGRAM], items)
    with ctx.read() as session:
        hits = queries.search(session, "код", now=ctx.now())
    assert [h.row.id for h in hits] == [inbox.tickets["code"]]

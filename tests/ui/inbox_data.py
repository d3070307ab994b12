"""A small inbox built through the real services (ingest_items, TicketActions): the fixture of
the read-model and main-window tests. Three channels, Russian and English, one overdue ticket,
an assigned one, a tagged one, a note, a reply, an HTML mail with a script and a remote image,
and a customer with a resolved conversation and a second contact on another channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from desk_app.app import DeskApp
from desk_app.channels.base import IncomingAuthor, IncomingItem
from desk_app.domain.enums import Channel, Priority, TicketStatus
from desk_app.services.context import ServiceContext
from desk_app.services.ingest import ingest_items
from desk_app.services.queries import CURRENT_AGENT_SETTING
from desk_app.services.tickets import TicketActions
from desk_app.store.models import Agent, ChannelAccount, CustomerIdentity, Setting

HOSTILE_HTML = (
    '<p onclick="steal()">I was <b>charged twice</b> for order 1042.</p>'
    '<script>alert("x")</script><img src="https://tracker.example/pixel.gif">'
)


class SeededDesk(DeskApp):
    """A DeskApp whose profile was filled by :func:`seed_inbox` (its ids kept for the tests)."""

    inbox: Inbox


@dataclass(frozen=True)
class Inbox:
    me: str
    colleague: str
    accounts: dict[Channel, str]
    tickets: dict[str, str]  # name -> ticket id


def item(ext: str, who: str, name: str, text: str, at: datetime, **extra: Any) -> IncomingItem:
    return IncomingItem(
        external_id=ext,
        author=IncomingAuthor(external_id=who, display_name=name),
        sent_at=at,
        body_text=text,
        thread_key=extra.pop("thread", ext),
        **extra,
    )


def seed_inbox(ctx: ServiceContext) -> Inbox:
    """Fill an empty profile; usable as ``DeskApp(seed=...)``."""
    now = ctx.now()
    with ctx.write() as session:
        me, colleague = Agent(name="Anna Operator"), Agent(name="Boris Colleague")
        session.add_all([me, colleague])
        accounts = {
            ch: ChannelAccount(channel=ch, name=f"Demo {ch.value}", simulated=True)
            for ch in (Channel.TELEGRAM, Channel.EMAIL, Channel.GOOGLE_PLAY)
        }
        session.add_all(accounts.values())
        session.flush()
        session.merge(Setting(key=CURRENT_AGENT_SETTING, value={"id": me.id}))
        ids = {ch: a.id for ch, a in accounts.items()}
        me_id, colleague_id = me.id, colleague.id
    ctx.agent_id = me_id
    t: dict[str, str] = {}

    def one(channel: Channel, incoming: IncomingItem) -> str:
        (ticket_id,) = ingest_items(ctx, ids[channel], [incoming]).changes.tickets
        return ticket_id

    mary = ("mary@example.com", "Mary Smith")
    t["old_mail"] = one(
        Channel.EMAIL,
        item("<a1@mail>", *mary, "Where is my invoice?", now - timedelta(days=30),
             subject="Invoice"),
    )  # fmt: skip
    actions = TicketActions(ctx)
    actions.set_status(t["old_mail"], TicketStatus.RESOLVED)  # before Mary writes again
    t["code"] = one(
        Channel.TELEGRAM,
        item("tg-1", "tg:100", "Иван Петров", "Не приходит код подтверждения на телефон",
             now - timedelta(hours=3)),
    )  # fmt: skip
    t["refund"] = one(
        Channel.EMAIL,
        item("<a2@mail>", *mary, "I was charged twice for order 1042.",
             now - timedelta(minutes=20), subject="Refund for order 1042",
             body_html=HOSTILE_HTML),
    )  # fmt: skip
    t["crash"] = one(
        Channel.GOOGLE_PLAY,
        item("gp-1", "gp:olga", "Olga K.", "App crashes on start after the update",
             now - timedelta(minutes=10), rating=2,
             meta={"platform": "Android 14", "app_version": "5.1.2"}),
    )  # fmt: skip
    t["filters"] = one(
        Channel.TELEGRAM,
        item("tg-2", "tg:200", "Пётр Сидоров", "Где фильтры по цене? У друга есть, у меня нет",
             now - timedelta(minutes=5)),
    )  # fmt: skip
    actions.assign(t["code"], me_id)
    actions.set_priority(t["code"], Priority.HIGH)
    actions.set_tags(t["refund"], ["billing"])
    actions.add_note(t["refund"], "Check the payment provider before answering")
    actions.send_reply(t["filters"], "Обновите приложение: фильтры есть в версии 135.")
    with ctx.write() as session:  # the same person on Telegram too: one customer, two contacts
        customer_id = session.scalar(
            select(CustomerIdentity.customer_id).where(
                CustomerIdentity.external_id == "mary@example.com"
            )
        )
        session.add(
            CustomerIdentity(
                customer_id=customer_id, channel="telegram", external_id="tg:300", display="@mary"
            )
        )
    return Inbox(me=me_id, colleague=colleague_id, accounts=ids, tickets=t)


def seed_only(ctx: ServiceContext) -> None:
    seed_inbox(ctx)

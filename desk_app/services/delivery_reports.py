"""A channel told us one of our replies did not arrive (an email bounce): mark that reply failed.

General on purpose: any channel whose incoming items can report a failed delivery sets
``IncomingItem.meta["delivery_failure"] = {"external_id": ..., "reason": ...}`` and the fetch
service calls :func:`record_delivery_failures`. Idempotent, so applying the same report again
(a refetch after a crash) changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from desk_app.channels.base import IncomingItem
from desk_app.domain.enums import AuthorKind, DeliveryState, MessageKind
from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.store.models import Message, OutboxEntry

META_KEY = "delivery_failure"


@dataclass(frozen=True)
class DeliveryFailure:
    external_id: str  # of our reply (email: its Message-ID)
    reason: str  # what the report said, shown next to the reply


def failures_in(items: Iterable[IncomingItem]) -> list[DeliveryFailure]:
    found = []
    for item in items:
        report = item.meta.get(META_KEY)
        if isinstance(report, dict) and report.get("external_id"):
            found.append(DeliveryFailure(str(report["external_id"]), str(report.get("reason", ""))))
    return found


def record_delivery_failures(
    ctx: ServiceContext, channel: str, failures: Sequence[DeliveryFailure]
) -> Changes:
    if not failures:
        return Changes()
    touched: set[str] = set()
    with ctx.write() as session:
        for failure in failures:
            message = session.scalars(
                select(Message).where(
                    Message.channel == channel,
                    Message.external_id == failure.external_id,
                    Message.author_kind == AuthorKind.AGENT,
                    Message.kind == MessageKind.MESSAGE,
                )
            ).first()
            if message is None or message.delivery_state == DeliveryState.FAILED:
                continue
            error = f"Not delivered: {failure.reason}" if failure.reason else "Not delivered"
            message.delivery_state = DeliveryState.FAILED
            message.delivery_error = error
            entry = session.scalars(
                select(OutboxEntry).where(OutboxEntry.message_id == message.id)
            ).first()
            if entry is not None:
                entry.state = DeliveryState.FAILED
                entry.last_error = error
            touched.add(message.ticket_id)
    changes = Changes(tickets=frozenset(touched), outbox=bool(touched))
    ctx.bus.publish(changes)
    return changes

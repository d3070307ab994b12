"""A parsed mail as the channel-neutral :class:`IncomingItem` that ingest stores."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from desk_app.channels.base import IncomingAuthor, IncomingItem
from desk_app.channels.email.parse import ParsedMail
from desk_app.domain.platform_facts import stated_facts

# IncomingItem.meta key any channel may set when a message reports that one of our replies was
# not delivered; the fetch service marks that reply failed (see services.delivery_reports).
DELIVERY_FAILURE = "delivery_failure"


def to_item(parsed: ParsedMail, folder: str, internaldate: datetime | None) -> IncomingItem:
    meta: dict[str, Any] = {
        "folder": folder,
        "to": parsed.to,
        "cc": parsed.cc,
        "raw_sha256": parsed.raw_sha256,
        "size": parsed.size,
    }
    if parsed.attachments:
        meta["attachments"] = [a.as_meta() for a in parsed.attachments]
    if parsed.warnings:
        meta["warnings"] = list(parsed.warnings)
    if parsed.synthetic_id:
        meta["synthetic_message_id"] = True
    if parsed.automation.automated:
        meta["automated_reason"] = parsed.automation.reason
    if parsed.bounce is not None:
        bounce = parsed.bounce
        meta["bounce"] = {
            "original_message_id": bounce.original_message_id,
            "action": bounce.action,
            "status": bounce.status,
            "recipient": bounce.recipient,
            "diagnostic": bounce.diagnostic,
        }
        if bounce.failed and bounce.original_message_id:
            meta[DELIVERY_FAILURE] = {
                "external_id": bounce.original_message_id,
                "reason": bounce.describe(),
            }
    return IncomingItem(
        external_id=parsed.message_id,
        author=IncomingAuthor(
            external_id=parsed.from_address,
            display_name=parsed.from_name or parsed.from_address,
            handle=parsed.from_address,
        ),
        sent_at=parsed.date or internaldate or datetime.now(UTC),
        body_text=parsed.body_text,
        subject=parsed.subject or None,
        body_html=parsed.body_html,
        thread_key=parsed.thread_key,
        in_reply_to=parsed.answers,
        automated=parsed.automation.automated,
        meta=meta,
        facts=stated_facts(parsed.body_text, automated=parsed.automation.automated),
    )

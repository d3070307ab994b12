"""The MIME message of an operator's reply, threaded so the customer's client shows it in place."""

from __future__ import annotations

import email.policy
from email.message import EmailMessage
from email.utils import formataddr, formatdate

from desk_app.channels.base import OutgoingReply
from desk_app.channels.email.config import EmailAccountConfig
from desk_app.domain.mail_threading import normalize_msgid, references_for_reply


def build_reply(config: EmailAccountConfig, reply: OutgoingReply) -> EmailMessage:
    """Message-ID is the reply's send key (fixed when it was saved), so the Sent folder can be
    searched for it after a crash and the customer's answer threads back to it."""
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = formataddr((config.from_name, config.from_address))
    msg["To"] = reply.recipient_external_id
    msg["Subject"] = reply.subject or ""
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = reply.send_key
    references = references_for_reply(reply.in_reply_to)
    parent = normalize_msgid(str(reply.meta.get("reply_to_external_id") or "")) or (
        references[-1] if references else None
    )
    if parent:
        msg["In-Reply-To"] = parent
        if parent not in references:
            references.append(parent)
    if references:
        msg["References"] = " ".join(references)
    msg.set_content(reply.body_text)
    if reply.body_html:
        msg.add_alternative(reply.body_html, subtype="html")
    return msg

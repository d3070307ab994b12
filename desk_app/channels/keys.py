"""Per-reply keys made when a reply is saved, before any attempt to send it."""

from __future__ import annotations

from desk_app.domain.enums import Channel


def send_key_for(channel: Channel, message_id: str, mail_domain: str = "desk.invalid") -> str:
    """The key a retry reuses: an email Message-ID, or the reply's UUID for other channels.

    Email needs it at save time so In-Reply-To/References of later mail can point at it and the
    outbox can find the reply in Sent after a crash.
    """
    if channel is Channel.EMAIL:
        return f"<{message_id}@{mail_domain}>"
    return message_id

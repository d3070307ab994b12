"""The vocabulary every layer shares: channels, ticket states, priorities, message kinds."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Channel(StrEnum):
    """Where a conversation happens. Values are stored in the database and sent over sync."""

    EMAIL = "email"
    GOOGLE_PLAY = "google_play"
    APP_STORE = "app_store"
    TELEGRAM = "telegram"
    FACEBOOK = "facebook"
    YOUTUBE = "youtube"
    X = "x"
    VK = "vk"


class TicketStatus(StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING = "pending"  # waiting on the customer: SLA clocks pause
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def is_active(self) -> bool:
        """Active tickets are the ones that sit in working queues and run SLA clocks."""
        return self in ACTIVE_STATUSES


ACTIVE_STATUSES = frozenset({TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.PENDING})


class Priority(IntEnum):
    """Four levels (the brief: 3–5 work best). Lower value sorts first."""

    URGENT = 1
    HIGH = 2
    NORMAL = 3
    LOW = 4


class AuthorKind(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    SYSTEM = "system"


class MessageKind(StrEnum):
    MESSAGE = "message"  # travels over a channel
    NOTE = "note"  # private: never leaves Desk
    EVENT = "event"  # status/assignment changes shown in the timeline


class DeliveryState(StrEnum):
    """Life of an outgoing reply, shown next to it in the conversation."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # The process died while the provider may have accepted the message, and the channel can
    # neither dedupe a resend nor tell us whether it arrived: a person decides (never send twice).
    IN_DOUBT = "in_doubt"


class Role(StrEnum):
    AGENT = "agent"
    LEAD = "lead"
    ADMIN = "admin"
    TRAINEE = "trainee"

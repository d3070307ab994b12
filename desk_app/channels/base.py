"""The connector interface every channel implements.

Eight channels differ in how they page (Play's page tokens, X's ``since_id``, VK's long-poll
``ts``, IMAP's UIDs) and in how a resend is made safe (VK's ``random_id``, store replies that
overwrite, email's Message-ID found in Sent, nothing at all for Telegram). So the interface
carries an **opaque cursor** the connector alone understands (persisted by the caller after the
items are stored) and a **send key** per reply, and each connector declares its
:class:`ResendSafety`. Connectors do blocking I/O and know nothing of the database or Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from desk_app.domain.enums import Channel

if TYPE_CHECKING:  # start-up does not need the patterns module
    from desk_app.domain.platform_facts import PlatformFacts


class ResendSafety(StrEnum):
    """What the outbox may do with a reply whose earlier attempt may have reached the provider."""

    IDEMPOTENT = "idempotent"  # the provider dedupes on the send key: just send again
    LOOKUP = "lookup"  # we can ask whether the key was delivered (email: search Sent)
    NONE = "none"  # neither: the reply is marked in doubt and a person decides


@dataclass(frozen=True)
class Capabilities:
    max_reply_chars: int | None
    resend_safety: ResendSafety
    supports_html: bool = False
    supports_subject: bool = False
    can_reply_publicly_only: bool = False  # store reviews, YouTube comments


@dataclass(frozen=True)
class IncomingAuthor:
    external_id: str  # stable id on the channel: address, user id, reviewer id
    display_name: str
    handle: str | None = None


@dataclass(frozen=True)
class IncomingItem:
    """One message as a channel delivered it, in plain data."""

    external_id: str  # Message-ID, reviewId, update id ...: the dedupe key
    author: IncomingAuthor
    sent_at: datetime
    body_text: str
    subject: str | None = None
    body_html: str | None = None
    thread_key: str | None = None  # channel's own conversation id (chat, review, mail thread)
    in_reply_to: tuple[str, ...] = ()  # external ids this answers (mail References)
    automated: bool = False  # auto-reply, bounce
    rating: int | None = None  # store reviews
    meta: dict[str, Any] = field(default_factory=dict)  # app version, device, language ...
    # Platform facts the text states, when the connector read them where it parsed the item
    # (the email channel does, in its parse workers, off the app's storing thread); None:
    # ingest reads them.
    facts: PlatformFacts | None = None


@dataclass(frozen=True)
class FetchResult:
    items: list[IncomingItem]
    cursor: str | None  # persist only after the items are stored
    more: bool = False  # another page is ready now


@dataclass(frozen=True)
class OutgoingReply:
    send_key: str  # stable across retries of the same reply
    ticket_thread_key: str | None
    recipient_external_id: str
    body_text: str
    subject: str | None = None
    body_html: str | None = None
    in_reply_to: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SendReceipt:
    external_id: str | None  # the provider's id of what we sent, when it tells us


class ChannelError(Exception):
    """Base of connector failures; the message is shown to the operator as it is."""


class TransientError(ChannelError):
    """Worth retrying later (network down, 5xx, timeout).

    ``maybe_delivered`` is True when the provider may have accepted the message before the
    failure (a timeout after the request was written): the outbox then treats the next attempt
    like a resume after a crash.
    """

    def __init__(
        self, message: str, retry_after: float | None = None, *, maybe_delivered: bool = False
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.maybe_delivered = maybe_delivered


class RateLimited(TransientError):
    """The provider asked us to slow down; ``retry_after`` seconds when it said so."""


class PermanentError(ChannelError):
    """Retrying will not help (rejected recipient, text too long, auth revoked)."""


class DeliveryInDoubt(ChannelError):
    """``find_delivery`` cannot tell whether the key reached the recipient (e.g. the process
    died between SMTP DATA and its reply). The outbox marks the reply in doubt: a person decides,
    because sending twice is worse than asking."""


@runtime_checkable
class Closeable(Protocol):
    """A connector that holds connections (IMAP): closed when its account is reconfigured or
    the profile closes."""

    def close(self) -> None: ...


class Connector(Protocol):
    channel: Channel
    capabilities: Capabilities

    def fetch(self, cursor: str | None) -> FetchResult:
        """New items since ``cursor`` (None: from the start of what the channel keeps)."""
        ...

    def send(self, reply: OutgoingReply) -> SendReceipt:
        """Deliver one reply. Raises TransientError/PermanentError."""
        ...

    def find_delivery(self, send_key: str) -> SendReceipt | None:
        """For ResendSafety.LOOKUP: was this key delivered already? Others return None.
        Raises DeliveryInDoubt when the provider's record cannot say."""
        ...

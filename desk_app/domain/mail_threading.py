"""Pure rules for mail: Message-ID lists, thread keys, stable keys for mail without an id, and
telling machine-written mail (auto-replies, bounces) from a person writing.

Kept apart from parsing so the rules read like the RFCs they follow (5322 for ids, 3834 for
Auto-Submitted, 3464 for delivery reports) and are tested without a mail server.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# "<local@domain>"; tolerant of the junk real mailers put between ids (commas, comments).
_MSGID = re.compile(r"<([^<>\s]+)>")
MAX_REFERENCES = 30  # the newest ones; enough to thread, bounded for headers we write


def normalize_msgid(raw: str | None) -> str | None:
    """``<id@host>`` exactly once, surrounding space removed; None for nothing usable.

    An id without angle brackets (seen from broken mailers) is bracketed rather than lost.
    """
    if not raw:
        return None
    found = _MSGID.search(raw)
    if found:
        return f"<{found.group(1)}>"
    bare = raw.strip().split()
    if bare and "@" in bare[0]:
        return f"<{bare[0].strip('<>')}>"
    return None


def msgid_list(raw: str | None) -> list[str]:
    """All ids in a References/In-Reply-To value, in order, without repeats."""
    if not raw:
        return []
    seen: dict[str, None] = {}
    for found in _MSGID.finditer(raw):
        seen.setdefault(f"<{found.group(1)}>", None)
    return list(seen)


def answered_ids(in_reply_to: str | None, references: str | None) -> tuple[str, ...]:
    """What a message answers, the most specific first: In-Reply-To, then References from the
    newest back. A reply that carries only References (some clients drop In-Reply-To) still
    names its parent first."""
    ordered: dict[str, None] = {}
    for mid in msgid_list(in_reply_to):
        ordered.setdefault(mid, None)
    for mid in reversed(msgid_list(references)):
        ordered.setdefault(mid, None)
    return tuple(ordered)


def thread_root(message_id: str, in_reply_to: str | None, references: str | None) -> str:
    """The conversation's first message as far as this mail knows: the oldest reference, else
    what it answers, else itself. Mail of one conversation shares it even when we never saw
    the mail in between."""
    refs = msgid_list(references)
    if refs:
        return refs[0]
    parents = msgid_list(in_reply_to)
    return parents[0] if parents else message_id


def references_for_reply(earlier: Iterable[str], limit: int = MAX_REFERENCES) -> list[str]:
    """References header of a reply: the conversation's ids, oldest first, keeping the root
    and the newest ones when there are too many (RFC 5322 §3.6.4 allows trimming)."""
    ids = list(dict.fromkeys(i for i in (normalize_msgid(e) for e in earlier) if i))
    if len(ids) <= limit:
        return ids
    return [ids[0], *ids[-(limit - 1) :]]


def synthetic_msgid(fields: Iterable[str], body: bytes, domain: str = "desk.invalid") -> str:
    """A stable key for mail without a Message-ID: the same mail fetched again (another
    folder, a new UIDVALIDITY) gets the same key, so it is still one message."""
    digest = hashlib.sha256()
    for value in fields:
        digest.update(value.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    digest.update(body)
    return f"<synthetic.{digest.hexdigest()[:40]}@{domain}>"


@dataclass(frozen=True)
class Automation:
    automated: bool
    reason: str | None = None  # "auto-reply", "bounce", "bulk"


HUMAN = Automation(False)
_BULK_PRECEDENCE = frozenset({"bulk", "junk", "auto_reply", "auto-reply"})
_DAEMON_LOCALPARTS = frozenset({"mailer-daemon", "postmaster"})


def classify_automation(
    headers: Mapping[str, str], content_type: str, sender_address: str
) -> Automation:
    """Is this mail written by a machine? Such mail is shown but never acknowledged
    automatically and never reopens a resolved ticket.

    ``headers`` maps lower-case header names to decoded values.
    """
    report_type = content_type.lower()
    if report_type.startswith("multipart/report") and "delivery-status" in report_type:
        return Automation(True, "bounce")
    local = sender_address.lower().partition("@")[0]
    if local in _DAEMON_LOCALPARTS:
        return Automation(True, "bounce")
    auto = headers.get("auto-submitted", "").strip().lower()
    if auto and not auto.startswith("no"):
        return Automation(True, "auto-reply")
    if any(h in headers for h in ("x-autoreply", "x-autorespond", "x-autoresponder")):
        return Automation(True, "auto-reply")
    precedence = headers.get("precedence", "").strip().lower()
    if precedence in _BULK_PRECEDENCE:
        return Automation(True, "auto-reply" if "auto" in precedence else "bulk")
    return HUMAN

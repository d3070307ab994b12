"""``UID FETCH`` of whole raw messages, the same in the fetch worker's process and in a parse
worker's (which fetches its own batches, so imapclient's response parsing leaves the app's
process: see :mod:`desk_app.channels.email.parallel`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from imapclient.response_parser import parse_fetch_response

FETCH_ITEMS = [b"BODY.PEEK[]", b"INTERNALDATE"]
_ITEMS = "(" + " ".join(item.decode() for item in FETCH_ITEMS) + ")"
# One message of the answer as imaplib hands it over: (b'7 (UID 12 INTERNALDATE "..." BODY[]
# {1834}', body) then the rest of the line, b')'. Anything else takes imapclient's parser.
_HEAD = re.compile(rb"\d+ \((?:UID (\d+) |INTERNALDATE \"([^\"]*)\" )*BODY\[\] \{\d+\}\Z")
_TAIL = re.compile(rb"(?: ?(?:UID (\d+)|INTERNALDATE \"([^\"]*)\"))*\)\Z")
_DATE = re.compile(rb" ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)\Z")
_MONTHS = {
    m: i for i, m in enumerate(b"Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)
}

Raw = tuple[bytes, datetime | None]


class FolderChanged(IMAPClientError):
    """The folder's UIDVALIDITY is not the one the UIDs were found under: fetch nothing (the
    next round's STATUS sees the change and reads the folder again)."""


def fetch_raw(client: IMAPClient, uids: list[int]) -> list[Raw]:
    """Bodies (``BODY.PEEK[]`` never sets ``\\Seen``) and INTERNALDATEs, in ``uids`` order;
    a UID expunged meanwhile is left out.

    Sent and read as ``IMAPClient.fetch`` does, but the usual answer (each message one
    literal with UID and INTERNALDATE around it) is read with two regular expressions:
    imapclient's general tokenizer was ~70% of the CPU a FETCH cost. Any other shape (and an
    unsolicited answer for other messages) goes through imapclient's own parser."""
    if not uids:
        return []
    imap = client._imap  # the same private calls ``IMAPClient.fetch`` makes
    tag = imap._command("UID", "FETCH", ",".join(map(str, uids)), _ITEMS)
    typ, data = imap._command_complete("FETCH", tag)
    client._checkok("fetch", typ, data)
    typ, data = imap._untagged_response(typ, data, "FETCH")
    found = _read_usual(data)
    if found is None:
        parsed = parse_fetch_response(data, normalise_times=False, uid_is_key=True)
        found = {
            uid: (bytes(item[b"BODY[]"]), _aware(item.get(b"INTERNALDATE")))
            for uid, item in parsed.items()
            if item.get(b"BODY[]") is not None
        }
    return [found[uid] for uid in uids if uid in found]  # a missing one was expunged


def _read_usual(data: list[object]) -> dict[int, Raw] | None:
    """The answer in its usual shape, or None when it has any other."""
    found: dict[int, Raw] = {}
    for at in range(0, len(data), 2):
        literal, tail = data[at], data[at + 1] if at + 1 < len(data) else None
        if not (isinstance(literal, tuple) and len(literal) == 2 and isinstance(tail, bytes)):
            return None
        head = _HEAD.match(literal[0])
        rest = _TAIL.match(tail)
        if head is None or rest is None:
            return None
        uid, date = head.group(1) or rest.group(1), head.group(2) or rest.group(2)
        if uid is None:
            return None
        found[int(uid)] = (bytes(literal[1]), _internaldate(date))
    return found


def _internaldate(value: bytes | None) -> datetime | None:
    """``18-Nov-2026 10:00:00 +0100`` as an aware UTC datetime (month names in English
    whatever the locale, which strptime's %b would follow)."""
    match = _DATE.match(value) if value is not None else None
    if match is None:
        return None
    day, month, year, hour, minute, second, sign, tzh, tzm = match.groups()
    if month.capitalize() not in _MONTHS:
        return None
    offset = timedelta(hours=int(tzh), minutes=int(tzm)) * (-1 if sign == b"-" else 1)
    numbers = (int(year), _MONTHS[month.capitalize()], int(day), int(hour), int(minute))
    try:
        local = datetime(*numbers, int(second), tzinfo=timezone(offset))
    except ValueError:  # no such day or time
        return None
    return local.astimezone(UTC)


def fetch_selected(client: IMAPClient, folder: str, uidvalidity: int, uids: list[int]) -> list[Raw]:
    """Select ``folder`` read-only on a connection of our own, check that UIDs still mean
    what they meant, then fetch."""
    selected = client.select_folder(folder, readonly=True)
    if int(selected.get(b"UIDVALIDITY", uidvalidity)) != uidvalidity:
        raise FolderChanged(f"{folder}: UIDVALIDITY changed while fetching")
    return fetch_raw(client, uids)


def _aware(value: object) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

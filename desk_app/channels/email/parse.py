"""From raw RFC 5322 bytes to what Desk stores: text, HTML, attachments, threading ids, flags.

Why compat32: on this machine the ``policy.default`` parser handles ~1,500 small messages/s per
core against ~18,000/s for compat32, and first syncs are thousands of messages. compat32 gives
raw header strings and raw payloads, so decoding is done here, deliberately: RFC 2047 words
(also split across lines), undeclared 8-bit headers, unknown charsets and RFC 2231 filenames all
go through :mod:`.charsets`, which guesses visibly instead of failing. Nothing in here may raise
for a bad message: whatever could be decoded is kept, with a warning per problem, and the raw
source is stored beside it.
"""

from __future__ import annotations

import email
import email.utils
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message as MimePart

from desk_app.channels.email.blobs import BlobStore
from desk_app.channels.email.charsets import decode_bytes, decode_header_value
from desk_app.channels.email.html_text import html_to_text
from desk_app.channels.email.mime_split import split_mime
from desk_app.domain.mail_threading import (
    Automation,
    answered_ids,
    classify_automation,
    normalize_msgid,
    synthetic_msgid,
    thread_root,
)

MAX_DEPTH = 30  # nesting of multiparts; deeper is hostile or broken


@dataclass(frozen=True)
class AttachmentInfo:
    name: str
    content_type: str
    size: int
    sha256: str
    content_id: str | None = None  # for cid: references from the HTML
    inline: bool = False

    def as_meta(self) -> dict[str, object]:
        return {
            "name": self.name,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
            "content_id": self.content_id,
            "inline": self.inline,
        }


@dataclass(frozen=True)
class Bounce:
    """An RFC 3464 delivery report about mail we sent."""

    original_message_id: str | None
    action: str  # failed, delayed, delivered, relayed, expanded
    status: str  # 5.1.1 ...
    recipient: str
    diagnostic: str

    @property
    def failed(self) -> bool:
        return self.action == "failed" or (not self.action and self.status.startswith("5"))

    def describe(self) -> str:
        parts = [f"{self.recipient}: {self.action or 'failed'} {self.status}".strip()]
        if self.diagnostic:
            parts.append(self.diagnostic)
        return " — ".join(parts)


@dataclass(frozen=True)
class ParsedMail:
    message_id: str
    synthetic_id: bool
    subject: str
    from_name: str
    from_address: str
    to: str
    cc: str
    date: datetime | None
    answers: tuple[str, ...]  # In-Reply-To then References, newest first
    thread_key: str
    body_text: str
    body_html: str | None  # as sent: the service layer sanitizes before storing
    attachments: tuple[AttachmentInfo, ...]
    automation: Automation
    bounce: Bounce | None
    raw_sha256: str
    size: int
    warnings: tuple[str, ...]


@dataclass
class _Collected:
    texts: list[str] = field(default_factory=list)
    htmls: list[str] = field(default_factory=list)
    attachments: list[AttachmentInfo] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dsn_fields: list[dict[str, str]] = field(default_factory=list)
    original_ids: list[str] = field(default_factory=list)

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)


def parse_message(
    raw: bytes,
    blobs: BlobStore,
    *,
    fallback_date: datetime | None = None,
    source_digest: str | None = None,
) -> ParsedMail:
    """Parse one message. Never raises for bad mail; stores attachments, and the raw source
    unless the caller stored it already (a batch stores its sources in one go) and passes
    its ``source_digest``."""
    raw_sha = source_digest or blobs.put_sources([raw])[0]
    collected = _Collected()
    try:  # well-formed mail is cut without the line-by-line feedparser (same tree)
        msg = split_mime(raw) or email.message_from_bytes(raw)
    except Exception as error:  # pragma: no cover - the feedparser is very lenient
        collected.warn(f"unparseable message: {error}")
        msg = email.message_from_bytes(b"\r\n\r\n" + raw)
    headers = _raw_headers(msg)
    for defect in msg.defects:
        collected.warn(f"MIME: {type(defect).__name__}")
    subject = _header(headers, "subject", collected)
    from_name, from_address = _address(headers.get("from", ""), collected)
    try:
        _walk(msg, blobs, collected, 0, in_report=False)
    except Exception as error:  # a bug or hostile structure must not lose the message
        collected.warn(f"body could not be fully decoded: {type(error).__name__}: {error}")
    body_html = "\n".join(collected.htmls) if collected.htmls else None
    body_text = "\n\n".join(t for t in collected.texts if t.strip())
    if not body_text.strip() and body_html:
        body_text = html_to_text(body_html)
    in_reply_to = headers.get("in-reply-to")
    references = headers.get("references")
    message_id = normalize_msgid(headers.get("message-id"))
    synthetic = message_id is None
    if message_id is None:
        body_start = raw.find(b"\r\n\r\n")
        body_start = raw.find(b"\n\n") if body_start < 0 else body_start
        message_id = synthetic_msgid(
            (headers.get(h, "") for h in ("from", "to", "date", "subject")),
            raw[body_start:] if body_start >= 0 else raw,
        )
    date = _date(headers.get("date"), collected) or fallback_date
    answers = answered_ids(in_reply_to, references)
    bounce = _bounce(collected, answers)
    if bounce is not None and bounce.original_message_id:
        answers = (bounce.original_message_id, *answers)
    decoded_headers = {"subject": subject, **{k: v for k, v in headers.items() if k != "subject"}}
    return ParsedMail(
        message_id=message_id,
        synthetic_id=synthetic,
        subject=subject,
        from_name=from_name,
        from_address=from_address,
        to=_header(headers, "to", collected),
        cc=_header(headers, "cc", collected),
        date=date,
        answers=answers,
        thread_key=thread_root(message_id, in_reply_to, references),
        body_text=body_text,
        body_html=body_html,
        attachments=tuple(collected.attachments),
        automation=classify_automation(decoded_headers, msg.get("content-type", ""), from_address),
        bounce=bounce,
        raw_sha256=raw_sha,
        size=len(raw),
        warnings=tuple(collected.warnings),
    )


# -- headers --------------------------------------------------------------------------------------
def _raw_headers(msg: MimePart) -> dict[str, str]:
    """First value of each header, as raw source text (compat32 keeps 8-bit as surrogates)."""
    out: dict[str, str] = {}
    for name, value in msg.raw_items():
        out.setdefault(name.lower(), str(value))
    return out


def _header(headers: dict[str, str], name: str, collected: _Collected) -> str:
    text, warning = decode_header_value(headers.get(name))
    if warning:
        collected.warn(f"{name}: {warning}")
    return text


# "Display Name <local@domain>" or a bare address: most From headers; parseaddr for the rest.
_SIMPLE_FROM = re.compile(
    r'^\s*(?:([^"<>,;()\\]*?)\s*<([^<>\s]+@[^<>\s]+)>|([^<>\s",;()]+@[^<>\s",;()]+))\s*$'
)


def _address(raw: str, collected: _Collected) -> tuple[str, str]:
    simple = _SIMPLE_FROM.match(raw.replace("\r", "").replace("\n", ""))
    if simple:
        name, address = (simple.group(1) or "", simple.group(2) or simple.group(3))
    else:
        name, address = email.utils.parseaddr(raw.replace("\r", "").replace("\n", ""))
    decoded_name, warning = decode_header_value(name)
    if warning:
        collected.warn(f"from: {warning}")
    address = address.strip().lower()
    if not address or "@" not in address:
        collected.warn("no usable sender address")
        address = address or "unknown-sender@invalid"
    try:
        address.encode("ascii")
    except UnicodeEncodeError:  # 8-bit in the address itself
        address, _ = decode_header_value(address)
    return decoded_name or "", address


def _date(raw: str | None, collected: _Collected) -> datetime | None:
    if not raw:
        collected.warn("no Date header")
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError):
        collected.warn(f"unreadable Date: {raw.strip()[:60]}")
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


# -- body -----------------------------------------------------------------------------------------
def _children(part: MimePart) -> Iterator[MimePart]:
    payload = part.get_payload()
    if isinstance(payload, list):
        yield from (p for p in payload if isinstance(p, MimePart))


def _walk(
    part: MimePart, blobs: BlobStore, out: _Collected, depth: int, *, in_report: bool
) -> None:
    if depth > MAX_DEPTH:
        out.warn("MIME nesting too deep; rest skipped")
        return
    for defect in part.defects if depth else ():
        out.warn(f"MIME: {type(defect).__name__}")
    ctype = part.get_content_type()
    if ctype == "message/delivery-status":  # before is_multipart: compat32 lists its blocks
        _delivery_status(part, out)
        return
    if part.is_multipart():
        if ctype == "message/rfc822":
            _enclosed_message(part, blobs, out, in_report=in_report)
            return
        report = in_report or (
            ctype == "multipart/report"
            and str(part.get_param("report-type") or "").lower() == "delivery-status"
        )
        for child in _children(part):
            _walk(child, blobs, out, depth + 1, in_report=report)
        return
    if ctype.startswith("multipart/"):  # no usable boundary: keep it as text
        out.warn("multipart without its boundary; shown as text")
        out.texts.append(_text_of(part, out, ctype))
        return
    if ctype == "text/rfc822-headers" and in_report:
        enclosed = email.message_from_bytes(_payload_bytes(part, out))
        mid = normalize_msgid(enclosed.get("message-id"))
        if mid:
            out.original_ids.append(mid)
        return
    if ctype in ("text/plain", "text/html") and _plain_body_part(part):
        text = _text_of(part, out, ctype)
        (out.texts if ctype == "text/plain" else out.htmls).append(text)
        return
    disposition = (part.get_content_disposition() or "").lower()
    filename = _filename(part, out)
    if disposition != "attachment" and not filename and ctype in ("text/plain", "text/html"):
        text = _text_of(part, out, ctype)
        (out.texts if ctype == "text/plain" else out.htmls).append(text)
        return
    _attachment(part, blobs, out, ctype, filename, disposition)


def _plain_body_part(part: MimePart) -> bool:
    """Fast path for the common case: a text part with no disposition and no name at all."""
    return part.get("content-disposition") is None and "name" not in str(
        part.get("content-type", "")
    )


def _payload_bytes(part: MimePart, out: _Collected) -> bytes:
    data = part.get_payload(decode=True)
    for defect in part.defects:
        out.warn(f"MIME: {type(defect).__name__}")
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("ascii", "surrogateescape") if isinstance(raw, str) else b""


# "type/subtype; charset=x", the usual text part: read without the general parameter parser.
_ONLY_CHARSET = re.compile(r'[^;"\\]*;\s*charset=("?)([A-Za-z0-9_.:+-]+)\1\s*', re.IGNORECASE)


def _charset(part: MimePart) -> str | None:
    """``part.get_content_charset()``, quicker for the common header shape."""
    header = part.get("content-type")
    if isinstance(header, str):
        simple = _ONLY_CHARSET.fullmatch(header)
        if simple:
            return simple.group(2).lower()
    return part.get_content_charset()


def _text_of(part: MimePart, out: _Collected, ctype: str) -> str:
    data = _payload_bytes(part, out)
    text, warning = decode_bytes(data, _charset(part))
    if warning:
        out.warn(f"{ctype}: {warning}")
    return text.replace("\r\n", "\n")


def _filename(part: MimePart, out: _Collected) -> str:
    try:
        name = part.get_filename()
    except (LookupError, UnicodeError):  # RFC 2231 with an unknown charset
        name = part.get_param("filename", header="content-disposition")  # type: ignore[assignment]
        name = name if isinstance(name, str) else None
        out.warn("attachment name in an unknown charset")
    if not name:
        return ""
    decoded, warning = decode_header_value(name)
    if warning:
        out.warn(f"attachment name: {warning}")
    # Never a path: the name is shown and used as a save-as suggestion only.
    return decoded.replace("/", "_").replace("\\", "_").strip() or "attachment"


def _attachment(
    part: MimePart, blobs: BlobStore, out: _Collected, ctype: str, filename: str, disposition: str
) -> None:
    data = _payload_bytes(part, out)
    content_id = normalize_msgid(part.get("content-id"))
    name = filename or _default_name(ctype, content_id)
    out.attachments.append(
        AttachmentInfo(
            name=name,
            content_type=ctype,
            size=len(data),
            sha256=blobs.put(data),
            content_id=content_id[1:-1] if content_id else None,
            inline=disposition == "inline"
            or (content_id is not None and disposition != "attachment"),
        )
    )


def _default_name(ctype: str, content_id: str | None) -> str:
    extension = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif"}.get(ctype, ".bin")
    stem = content_id[1:-1].split("@")[0] if content_id else "part"
    return f"{stem}{extension}"


def _enclosed_message(
    part: MimePart, blobs: BlobStore, out: _Collected, *, in_report: bool
) -> None:
    """A forwarded or bounced message: an .eml attachment; in a report, its id is the failed
    mail's."""
    inner = next(_children(part), None)
    if inner is None:
        return
    if in_report:
        mid = normalize_msgid(inner.get("message-id"))
        if mid:
            out.original_ids.append(mid)
    try:
        data = inner.as_bytes()
    except Exception:
        data = str(inner).encode("utf-8", "surrogateescape")
        out.warn("enclosed message re-encoded")
    subject, _ = decode_header_value(_raw_headers(inner).get("subject"))
    out.attachments.append(
        AttachmentInfo(
            name=f"{(subject or 'message')[:80].replace('/', '_')}.eml",
            content_type="message/rfc822",
            size=len(data),
            sha256=blobs.put(data),
        )
    )


def _delivery_status(part: MimePart, out: _Collected) -> None:
    """RFC 3464 §2: a per-message block, then a block per recipient."""
    blocks = list(_children(part))
    if not blocks:  # some MTAs send it unparsed
        text = _payload_bytes(part, out).decode("utf-8", "replace")
        blocks = [email.message_from_string(chunk) for chunk in text.split("\n\n") if chunk.strip()]
    for block in blocks[1:] or blocks:
        fields = {k.lower(): " ".join(str(v).split()) for k, v in block.items()}
        if "action" in fields or "status" in fields:
            out.dsn_fields.append(fields)


def _bounce(out: _Collected, answers: tuple[str, ...]) -> Bounce | None:
    if not out.dsn_fields:
        return None
    fields = next((f for f in out.dsn_fields if f.get("action", "").lower() == "failed"), None)
    fields = fields or out.dsn_fields[0]
    recipient = fields.get("final-recipient") or fields.get("original-recipient") or ""
    original = out.original_ids[0] if out.original_ids else (answers[0] if answers else None)
    return Bounce(
        original_message_id=original,
        action=fields.get("action", "").lower(),
        status=fields.get("status", ""),
        recipient=recipient.split(";", 1)[-1].strip(),
        diagnostic=fields.get("diagnostic-code", "").split(";", 1)[-1].strip(),
    )

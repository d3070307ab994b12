"""What a channel recorded beside a message's text, as lines on its bubble: the automatic-mail
flag and its reason (auto-reply, bounce with the failed recipient), decoding warnings, the
attachments with Open / Save links, and the link to the raw source.

Links use the conversation's ``desk:`` scheme (handled by :class:`ConversationView`):
``desk:source/<message id>``, ``desk:open-attachment/<message id>/<n>`` and
``desk:save-attachment/<message id>/<n>`` (``n`` indexes :func:`listed_attachments`).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QLocale

from desk_app.services.message_files import listed_attachments, source_digest, warnings_of
from desk_app.services.queries import MessageView
from desk_app.ui.theme import Colors
from desk_app.ui.tr import QT_TRANSLATE_NOOP, translate

REASONS = {
    "auto-reply": QT_TRANSLATE_NOOP("MailParts", "automatic reply"),
    "bounce": QT_TRANSLATE_NOOP("MailParts", "delivery failure report (bounce)"),
    "bulk": QT_TRANSLATE_NOOP("MailParts", "bulk or list mail"),
}
MAX_WARNINGS_SHOWN = 3


def file_size(size: int) -> str:
    """1 byte, 930 bytes, 12 KB, 3.4 MB: rounded for reading, in the UI language."""
    if size < 1024:
        return translate("MailParts", "{0} B").format(size)
    if size < 1024 * 1024:
        return translate("MailParts", "{0} KB").format(_number(size / 1024))
    if size < 1024**3:
        return translate("MailParts", "{0} MB").format(_number(size / 1024**2))
    return translate("MailParts", "{0} GB").format(_number(size / 1024**3))


def _number(value: float) -> str:
    return QLocale().toString(value, "f", 1 if value < 10 else 0)


def automation_text(meta: Mapping[str, Any]) -> str:
    """Why a message was flagged as automatic, e.g. "delivery failure report (bounce):
    nobody@example.org 5.1.1 — 550 User unknown"."""
    reason = str(meta.get("automated_reason") or "")
    text = (
        translate("MailParts", REASONS[reason])
        if reason in REASONS
        else reason or translate("MailParts", "automatic message")
    )
    bounce = meta.get("bounce")
    if isinstance(bounce, Mapping):
        details = " ".join(
            str(bounce.get(k) or "") for k in ("recipient", "status") if bounce.get(k)
        )
        if bounce.get("diagnostic"):
            details = (
                f"{details} — {bounce['diagnostic']}" if details else str(bounce["diagnostic"])
            )
        if details:
            text = f"{text}: {details}"
    return text


def _line(body: str, color: str | None = None) -> str:
    style = f' style="color:{color}"' if color else ""
    return f"<div{style}>{body}</div>"


def _link(href: str, text: str) -> str:
    return f'<a href="{href}">{html.escape(text)}</a>'


def extras_html(message: MessageView, c: Colors) -> str:
    """The lines under a customer message's text; empty when the channel recorded nothing."""
    meta = message.meta
    lines = []
    if message.automated:
        flag = translate(
            "MailParts", "Automatic message, never answered automatically: {0}"
        ).format(automation_text(meta))
        lines.append(_line(f"⚙ {html.escape(flag)}", c.muted))
    warnings = warnings_of(meta)
    if warnings:
        shown = "; ".join(warnings[:MAX_WARNINGS_SHOWN])
        if len(warnings) > MAX_WARNINGS_SHOWN:
            shown += " " + translate("MailParts", "(and {0} more)").format(
                len(warnings) - MAX_WARNINGS_SHOWN
            )
        text = translate(
            "MailParts", "Not everything in this message could be decoded: {0}"
        ).format(shown)
        source = _link(f"desk:source/{message.id}", translate("MailParts", "View source"))
        lines.append(_line(f"⚠ {html.escape(text)} {source}", c.warn))
    attachment_label = html.escape(translate("MailParts", "Attachment:"))
    for index, attachment in enumerate(listed_attachments(meta)):
        open_link = _link(
            f"desk:open-attachment/{message.id}/{index}", translate("MailParts", "Open")
        )
        save_link = _link(
            f"desk:save-attachment/{message.id}/{index}", translate("MailParts", "Save…")
        )
        size = html.escape(file_size(attachment.size))
        lines.append(
            _line(
                f'<span style="color:{c.muted}">{attachment_label}</span> '
                f'<b>{html.escape(attachment.name)}</b> <span style="color:{c.muted}">({size})'
                f"</span> &nbsp;{open_link} · {save_link}"
            )
        )
    if source_digest(meta) and not warnings:
        lines.append(
            _line(
                _link(f"desk:source/{message.id}", translate("MailParts", "View source")), c.muted
            )
        )
    return "".join(lines)

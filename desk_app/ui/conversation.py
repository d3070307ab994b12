"""The conversation: customer messages, agent replies with their delivery state, private notes
(yellow, labelled, never sent), and timeline events in grey.

Rendered as one rich-text document in a :class:`SafeBrowser`. Incoming HTML is sanitized first
(services.html_safety), and the browser's ``loadResource`` refuses every URL that is not
``cid:`` — so no remote image, stylesheet or tracker is ever fetched. A ``cid:`` image is drawn
from the profile's stored parts of the shown ticket's messages (services.message_files).
Customer mail also shows what the channel recorded beside its text (ui.mail_parts): the
automatic-mail flag, decoding warnings, attachments and the "View source" link.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from desk_app.domain.enums import MessageKind
from desk_app.services.html_safety import sanitize_html
from desk_app.services.message_files import MessageFiles, attachments_of
from desk_app.services.queries import MessageView, TicketDetail
from desk_app.ui import labels
from desk_app.ui.mail_parts import extras_html
from desk_app.ui.theme import Colors

translate = QCoreApplication.translate
MESSAGE_ANCHOR = "message:"  # <a name="message:<id>"> opens each bubble (see message_at_cursor)
CidResolver = Callable[[str], bytes | None]


class SafeBrowser(QTextBrowser):
    """A QTextBrowser that loads nothing from outside: only ``cid:`` parts of a message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cid_resolver: CidResolver | None = None
        self.refused: list[str] = []  # what a message tried to load (tests look at it)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        target = QUrl(url) if isinstance(url, str) else url
        if target.scheme() == "cid" and self.cid_resolver is not None:
            data = self.cid_resolver(target.path())
            if data is not None and kind == QTextDocument.ResourceType.ImageResource:
                image = QImage.fromData(data)
                return None if image.isNull() else image
            return data
        self.refused.append(target.toString())
        return None


class ConversationView(SafeBrowser):
    retry_requested = Signal(str)  # message id
    mark_sent_requested = Signal(str)
    source_requested = Signal(str)  # message id
    attachment_requested = Signal(str, int, bool)  # message id, attachment index, save (not open)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversation")
        self.anchorClicked.connect(self._on_anchor)
        self._detail: TicketDetail | None = None
        self._colors: Colors | None = None
        self._agents: Mapping[str, str] = {}
        self.files: MessageFiles | None = None  # set by whoever can read the profile's files

    def message(self, message_id: str) -> MessageView | None:
        if self._detail is None:
            return None
        return next((m for m in self._detail.messages if m.id == message_id), None)

    def last_customer_message(self, wanted: Callable[[MessageView], bool]) -> MessageView | None:
        """The newest shown customer message for which ``wanted`` holds."""
        if self._detail is None:
            return None
        return next(
            (
                m
                for m in reversed(self._detail.messages)
                if m.author_kind == "customer" and m.kind != MessageKind.EVENT and wanted(m)
            ),
            None,
        )

    def message_at_cursor(self) -> MessageView | None:
        """The message whose bubble holds the text cursor (where the operator clicked)."""
        position = self.textCursor().position()
        block = self.document().findBlock(position)
        while block.isValid():
            names = []
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                if fragment.position() <= position:
                    names.extend(fragment.charFormat().anchorNames())
                fragments += 1
            ids = [name[len(MESSAGE_ANCHOR) :] for name in names if name.startswith(MESSAGE_ANCHOR)]
            if ids:
                return self.message(ids[-1])
            block = block.previous()
        return None

    def chosen_customer_message(self, wanted: Callable[[MessageView], bool]) -> MessageView | None:
        """For keyboard actions on "this message": the customer message the operator clicked
        into while the conversation has focus, else the newest one for which ``wanted`` holds."""
        if self.hasFocus():
            here = self.message_at_cursor()
            if here is not None and here.author_kind == "customer" and wanted(here):
                return here
        return self.last_customer_message(wanted)

    def _resolver_for(self, detail: TicketDetail) -> CidResolver | None:
        """``cid:`` images: only parts of this ticket's own messages, read from the profile."""
        files = self.files
        parts = tuple(a for m in detail.messages for a in attachments_of(m.meta) if a.content_id)
        if files is None or not parts:
            return None
        return lambda content_id: files.inline_image(parts, content_id)

    def show_detail(
        self, detail: TicketDetail | None, colors: Colors, agent_names: Mapping[str, str]
    ) -> None:
        same_ticket = (
            detail is not None and self._detail is not None and self._detail.row.id == detail.row.id
        )
        bar = self.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 4
        self._detail, self._colors, self._agents = detail, colors, agent_names
        self.rerender()
        if not same_ticket or at_bottom:
            bar.setValue(bar.maximum())

    def rerender(self) -> None:
        if self._detail is None or self._colors is None:
            self.cid_resolver = None
            self.setHtml(self._empty())
            return
        self.cid_resolver = self._resolver_for(self._detail)
        self.setHtml(render_conversation(self._detail, self._colors, self._agents))

    def _empty(self) -> str:
        text = html.escape(translate("Conversation", "Select a ticket to see the conversation."))
        color = self._colors.muted if self._colors else "#888"
        return f'<p align="center" style="color:{color}; margin-top:40px">{text}</p>'

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == "desk":
            action, _, message_id = url.path().partition("/")
            if action == "retry":
                self.retry_requested.emit(message_id)
            elif action == "mark-sent":
                self.mark_sent_requested.emit(message_id)
            elif action == "source":
                self.source_requested.emit(message_id)
            elif action in ("open-attachment", "save-attachment"):
                message, _, index = message_id.partition("/")
                if index.isdigit():
                    self.attachment_requested.emit(message, int(index), action[0] == "s")
        elif url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)


def _text(body: str) -> str:
    return html.escape(body.rstrip()).replace("\n", "<br>")  # a trailing newline adds no line


def _body(message: MessageView) -> str:
    if message.body_html and message.author_kind == "customer":
        return sanitize_html(message.body_html)
    return _text(message.body_text)


def _badge(message: MessageView, c: Colors) -> str:
    state = message.delivery_state
    if not state:
        return ""
    color = {"sent": c.ok, "failed": c.failed, "in_doubt": c.warn}.get(state, c.muted)
    name = html.escape(labels.delivery_name(state))
    parts = [f'<span style="color:{color}; font-weight:bold">● {name}</span>']
    if state in ("failed", "in_doubt"):
        if message.delivery_error:
            parts.append(
                f'<span style="color:{color}">{html.escape(message.delivery_error)}</span>'
            )
        retry = (
            translate("Conversation", "Resend")
            if state == "in_doubt"
            else translate("Conversation", "Retry")
        )
        parts.append(f'<a href="desk:retry/{message.id}">{html.escape(retry)}</a>')
        if state == "in_doubt":
            mark = translate("Conversation", "Mark as sent")
            parts.append(f'<a href="desk:mark-sent/{message.id}">{html.escape(mark)}</a>')
    return " &nbsp; ".join(parts)


def _bubble(message: MessageView, c: Colors, background: str, label: str, extra: str = "") -> str:
    who = html.escape(message.author_name)
    stamp = html.escape(labels.when(message.sent_at))
    subject = (
        f'<div style="font-weight:bold">{html.escape(message.subject)}</div>'
        if message.subject and message.author_kind == "customer"
        else ""
    )
    rating = message.meta.get("rating")
    stars = (
        f' <span style="color:{c.warn}">{"★" * int(rating)}{"☆" * (5 - int(rating))}</span>'
        if isinstance(rating, int) and 0 < rating <= 5
        else ""
    )
    head = (
        f'<a name="{MESSAGE_ANCHOR}{message.id}"></a>'
        f'<span style="font-weight:bold">{who}</span>{stars} '
        f'<span style="color:{c.muted}">{label} · {stamp}</span>'
    )
    footer = f'<div style="margin-top:4px">{extra}</div>' if extra else ""
    return (
        f'<table width="100%" cellspacing="0" cellpadding="9" style="margin-top:8px; '
        f'background-color:{background}"><tr><td>'
        f'{head}{subject}<div style="margin-top:4px">{_body(message)}</div>{footer}'
        "</td></tr></table>"
    )


def render_message(
    message: MessageView, c: Colors, agent_names: Mapping[str, str], channel: str
) -> str:
    if message.kind == MessageKind.EVENT:
        text = html.escape(labels.event_text(message.body_text, message.meta, agent_names))
        who = html.escape(message.author_name)
        stamp = html.escape(labels.when(message.sent_at))
        return (
            f'<p align="center" style="color:{c.event}; margin-top:6px; margin-bottom:0; '
            f'font-size:small">{text} · {who} · {stamp}</p>'
        )
    if message.kind == MessageKind.NOTE:
        label = html.escape(translate("Conversation", "Private note — never sent"))
        return (
            f'<table width="100%" cellspacing="0" cellpadding="9" style="margin-top:8px; '
            f'background-color:{c.note_bg}; border: 1px solid {c.note_border}"><tr><td>'
            f'<span style="color:{c.note_label}; font-weight:bold">{label}</span> '
            f'<span style="color:{c.muted}">· {html.escape(message.author_name)} · '
            f"{html.escape(labels.when(message.sent_at))}</span>"
            f'<div style="margin-top:4px">{_text(message.body_text)}</div></td></tr></table>'
        )
    if message.author_kind == "customer":
        label = (
            translate("Conversation", "automatic message")
            if message.automated
            else labels.channel_name(channel)
        )
        return _bubble(message, c, c.customer_bg, html.escape(label), extras_html(message, c))
    label = html.escape(translate("Conversation", "reply"))
    return _bubble(message, c, c.agent_bg, label, _badge(message, c))


def render_conversation(detail: TicketDetail, c: Colors, agent_names: Mapping[str, str]) -> str:
    parts = [f'<body style="color:{c.text}">']
    if detail.truncated:
        note = translate("Conversation", "Older messages are not shown.")
        parts.append(f'<p align="center" style="color:{c.muted}">{html.escape(note)}</p>')
    parts.extend(render_message(m, c, agent_names, detail.row.channel) for m in detail.messages)
    parts.append("</body>")
    return "".join(parts)

"""The last look before Send: placeholders left in the reply block it; tone warnings
(bureaucratese, aggressive wording, promises of releases) can be sent anyway.

:func:`review_before_send` is the composer's entry point: it returns True when the reply may go.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.templates import Span, SpanKind, unresolved_spans
from desk_app.domain.tone import ToneCategory, ToneHit
from desk_app.services.tone_check import ToneService
from desk_app.ui.tr import QT_TRANSLATE_NOOP, translate

SPAN_MESSAGES = {
    SpanKind.PERSONALISE: QT_TRANSLATE_NOOP("SendCheck", "Make this part personal: %1"),
    SpanKind.UNKNOWN_VARIABLE: QT_TRANSLATE_NOOP(
        "SendCheck", "Unknown variable {%1}: replace it with text"
    ),
    SpanKind.EMPTY_VARIABLE: QT_TRANSLATE_NOOP(
        "SendCheck", "No value for {%1} on this ticket: type it in"
    ),
    SpanKind.RAW_SYNTAX: QT_TRANSLATE_NOOP(
        "SendCheck", "Template text [[%1]] is still in the reply"
    ),
    SpanKind.PLACEHOLDER: QT_TRANSLATE_NOOP("SendCheck", "Fill in {%1} before sending"),
}
CATEGORIES = {
    ToneCategory.BUREAUCRATESE: QT_TRANSLATE_NOOP("SendCheck", "Bureaucratese"),
    ToneCategory.AGGRESSIVE: QT_TRANSLATE_NOOP("SendCheck", "Sounds harsh"),
    ToneCategory.PROMISE: QT_TRANSLATE_NOOP("SendCheck", "Promises a release"),
}


def span_message(span: Span) -> str:
    """The operator-facing sentence for a placeholder that blocks Send."""
    return translate("SendCheck", SPAN_MESSAGES[span.kind]).replace("%1", span.name)


def category_name(category: ToneCategory) -> str:
    return translate("SendCheck", CATEGORIES[category])


class SendCheckDialog(QDialog):
    """Lists what is wrong. With ``blocking`` there is only "Back to the reply"; otherwise
    "Send anyway" (Ctrl+Enter) is offered — Enter alone keeps editing, so nothing goes by
    accident."""

    def __init__(
        self,
        text: str,
        *,
        spans: list[Span] | None = None,
        hits: list[ToneHit] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sendCheck")
        self.setModal(True)
        self.resize(520, 320)
        self.blocking = bool(spans)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setObjectName("sendCheckTitle")
        self.details = QTextBrowser(self)
        self.details.setOpenLinks(False)
        self.edit_button = QPushButton(self)
        self.edit_button.setDefault(True)
        self.edit_button.setAutoDefault(True)
        self.edit_button.clicked.connect(self.reject)
        self.send_button = QPushButton(self)
        self.send_button.setObjectName("sendAnyway")
        self.send_button.clicked.connect(self.accept)
        self.send_button.setAutoDefault(False)
        self.send_button.setVisible(not self.blocking)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.details, 1)
        layout.addLayout(buttons)
        self._fill(text, spans or [], hits or [])
        self.edit_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Ctrl+Enter is "send anyway" (not offered when placeholders block the reply)."""
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if ctrl and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not self.blocking:
                self.accept()
            return
        super().keyPressEvent(event)

    def _fill(self, text: str, spans: list[Span], hits: list[ToneHit]) -> None:
        self.setWindowTitle(self.tr("Before sending"))
        self.edit_button.setText(self.tr("Back to the reply"))
        self.send_button.setText(self.tr("Send anyway (Ctrl+Enter)"))
        rows: list[str] = []
        if self.blocking:
            self.title.setText(
                self.tr("Fill in the placeholders first: the customer must never see them.")
            )
            for span in spans:
                fragment = html.escape(text[span.start : span.end])
                rows.append(f"<li><code>{fragment}</code> — {html.escape(span_message(span))}</li>")
        else:
            self.title.setText(self.tr("Check the tone. You can still send the reply as it is."))
            try_label = html.escape(self.tr("Try"))
            for hit in hits:
                rows.append(
                    f"<li><b>{html.escape(category_name(hit.category))}</b>: "
                    f"«{html.escape(hit.fragment)}» — {html.escape(hit.reason)}"
                    + (
                        f"<br><i>{try_label}: {html.escape(hit.suggestion)}</i>"
                        if hit.suggestion
                        else ""
                    )
                    + "</li>"
                )
        self.details.setHtml("<ul>" + "".join(rows) + "</ul>")


def review_before_send(parent: QWidget | None, text: str, tone: ToneService | None) -> bool:
    """True when ``text`` may be sent: no placeholders left, and the tone is fine or the
    operator chose "Send anyway"."""
    spans = unresolved_spans(text)
    hits = [] if spans or tone is None else tone.check(text)
    if not spans and not hits:
        return True
    dialog = SendCheckDialog(text, spans=spans, hits=hits, parent=parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return accepted and not spans

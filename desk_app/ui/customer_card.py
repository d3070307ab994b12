"""The customer card: who the customer is (name, contacts per channel, customer since, city,
plan, platform and app version), private notes, and every past conversation on every channel."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desk_app.services.queries import CustomerCard
from desk_app.ui import labels
from desk_app.ui.icons import channel_icon
from desk_app.ui.theme import LIGHT, Colors


class CustomerCardView(QScrollArea):
    open_ticket = Signal(str)
    add_note = Signal(str, str)  # customer id, text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(220)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.card: CustomerCard | None = None
        self.colors: Colors = LIGHT
        body = QWidget()
        body.setObjectName("customerCard")
        body.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWidget(body)
        self.body = body
        self.name = QLabel(body)
        self.name.setObjectName("cardName")
        self.name.setWordWrap(True)
        self.facts = QFormLayout()
        self.facts.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.fact_labels: dict[str, tuple[QLabel, QLabel]] = {}
        for key in ("since", "city", "plan", "platform", "version", "language"):
            title, value = QLabel(body), QLabel(body)
            title.setEnabled(False)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts.addRow(title, value)
            self.fact_labels[key] = (title, value)
        self.contacts_title = self._section(body)
        self.contacts = QLabel(body)
        self.contacts.setWordWrap(True)
        self.contacts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_title = self._section(body)
        self.notes = QLabel(body)
        self.notes.setWordWrap(True)
        self.note_edit = QLineEdit(body)
        self.note_edit.setObjectName("customerNoteEdit")
        self.note_edit.returnPressed.connect(self._submit_note)
        self.history_title = self._section(body)
        self.history = QListWidget(body)
        self.history.setObjectName("customerHistory")
        self.history.setMinimumHeight(120)
        self.history.setWordWrap(True)
        self.history.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.itemActivated.connect(self._activated)
        self.history.itemClicked.connect(self._activated)

        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)
        layout.addWidget(self.name)
        layout.addLayout(self.facts)
        layout.addWidget(self.contacts_title)
        layout.addWidget(self.contacts)
        layout.addWidget(self.notes_title)
        layout.addWidget(self.notes)
        layout.addWidget(self.note_edit)
        layout.addWidget(self.history_title)
        layout.addWidget(self.history, 1)
        self.retranslate()
        self.show_card(None)

    @staticmethod
    def _section(parent: QWidget) -> QLabel:
        label = QLabel(parent)
        label.setObjectName("cardSection")
        return label

    def show_card(self, card: CustomerCard | None, current_ticket: str | None = None) -> None:
        self.card = card
        self.body.setVisible(card is not None)
        if card is None:
            return
        self.name.setText(card.name)
        values = {
            "since": labels.day(card.customer_since) if card.customer_since else None,
            "city": card.city,
            "plan": card.plan,
            "platform": card.platform,
            "version": card.app_version,
            "language": card.language,
        }
        for key, (title, value) in self.fact_labels.items():
            text = values[key]
            value.setText(text or "—")
            title.setVisible(bool(text))
            value.setVisible(bool(text))
        self.contacts.setText(
            "<br>".join(
                f"<b>{html.escape(labels.channel_name(i.channel))}</b>: "
                f"{html.escape(i.display or i.external_id)}"
                + (
                    f' <span style="color:{self.colors.muted}">'
                    f"({html.escape(i.external_id)})</span>"
                    if i.display and i.display != i.external_id
                    else ""
                )
                for i in card.identities
            )
            or "—"
        )
        c = self.colors
        self.notes.setText(
            "".join(
                f'<table width="100%" cellpadding="6" style="background-color:{c.note_bg}; '
                f'margin-bottom:4px"><tr><td>{html.escape(n.body)}<br>'
                f'<span style="color:{c.muted}">{html.escape(n.author_name or "")} · '
                f"{html.escape(labels.day(n.created_at))}</span></td></tr></table>"
                for n in card.notes
            )
        )
        self.notes.setVisible(bool(card.notes))
        self.history.clear()
        for past in card.tickets:
            text = (
                f"#{past.number} · {past.subject or past.snippet}\n"
                f"{labels.status_name(past.status)} · {labels.day(past.last_message_at)}"
            )
            item = QListWidgetItem(channel_icon(past.channel), text)
            item.setData(Qt.ItemDataRole.UserRole, past.id)
            item.setToolTip(labels.channel_name(past.channel))
            if past.id == current_ticket:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.history.addItem(item)
        self.retranslate()

    def focus_note(self) -> None:
        self.note_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _submit_note(self) -> None:
        text = self.note_edit.text().strip()
        if text and self.card is not None:
            self.add_note.emit(self.card.id, text)
            self.note_edit.clear()

    def _activated(self, item: QListWidgetItem) -> None:
        ticket_id = item.data(Qt.ItemDataRole.UserRole)
        if ticket_id:
            self.open_ticket.emit(str(ticket_id))

    def retranslate(self) -> None:
        titles = {
            "since": self.tr("Customer since"),
            "city": self.tr("City"),
            "plan": self.tr("Plan"),
            "platform": self.tr("Platform"),
            "version": self.tr("App version"),
            "language": self.tr("Language"),
        }
        for key, (title, _value) in self.fact_labels.items():
            title.setText(titles[key])
        self.contacts_title.setText(self.tr("Contacts"))
        self.notes_title.setText(self.tr("Private notes"))
        self.note_edit.setPlaceholderText(self.tr("Add a private note about this customer…"))
        count = self.history.count()
        self.history_title.setText(self.tr("Conversations ({0})").format(count))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if self.card is not None:
                self.show_card(self.card)
        super().changeEvent(event)

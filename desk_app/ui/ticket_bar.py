"""The line above the conversation: ticket number and subject, then status, priority, assignee
and tags, each changeable with the mouse (the keyboard has its own shortcuts)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desk_app.domain.enums import Priority, TicketStatus
from desk_app.services.queries import AgentInfo, TicketDetail
from desk_app.ui import labels


class TicketBar(QWidget):
    status_chosen = Signal(str)
    priority_chosen = Signal(int)
    assignee_chosen = Signal(str)  # "" = nobody
    tags_entered = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: TicketDetail | None = None
        self.agents: list[AgentInfo] = []
        self.header = QLabel(self)
        self.header.setObjectName("ticketHeader")
        self.header.setWordWrap(True)
        self.meta = QLabel(self)
        self.meta.setObjectName("ticketMeta")
        self.status = QComboBox(self)
        self.status.setObjectName("statusCombo")
        self.priority = QComboBox(self)
        self.priority.setObjectName("priorityCombo")
        self.assignee = QComboBox(self)
        self.assignee.setObjectName("assigneeCombo")
        self.tags = QLineEdit(self)
        self.tags.setObjectName("tagsEdit")
        self.tags.editingFinished.connect(self._tags_done)
        self.status.activated.connect(
            lambda _i: self.status_chosen.emit(str(self.status.currentData()))
        )
        self.priority.activated.connect(
            lambda _i: self.priority_chosen.emit(int(self.priority.currentData()))
        )
        self.assignee.activated.connect(
            lambda _i: self.assignee_chosen.emit(str(self.assignee.currentData()))
        )
        controls = QHBoxLayout()
        controls.setContentsMargins(10, 0, 10, 6)
        controls.setSpacing(6)
        for widget in (self.status, self.priority, self.assignee):
            widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            controls.addWidget(widget)
        controls.addWidget(self.tags, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.meta)
        layout.addLayout(controls)
        self.retranslate()
        self.show_detail(None)

    def set_agents(self, agents: list[AgentInfo]) -> None:
        self.agents = agents
        self._fill()

    def show_detail(self, detail: TicketDetail | None) -> None:
        self.detail = detail
        for widget in (self.status, self.priority, self.assignee, self.tags):
            widget.setEnabled(detail is not None)
        if detail is None:
            self.header.setText(self.tr("No ticket selected"))
            self.meta.setText("")
            self.tags.clear()
            return
        row = detail.row
        self.header.setText(f"#{row.number} · {row.subject or row.snippet}")
        sla = labels.time_left(row.sla_seconds_left, row.paused)
        parts = [labels.channel_name(row.channel), row.customer_name]
        if sla:
            parts.append(self.tr("SLA: {0}").format(sla))
        self.meta.setText(" · ".join(parts))
        if not self.tags.hasFocus():
            self.tags.setText(", ".join(detail.tags))
        self._fill()

    def _fill(self) -> None:
        detail = self.detail
        for combo in (self.status, self.priority, self.assignee):
            combo.blockSignals(True)
            combo.clear()
        for status in TicketStatus:
            self.status.addItem(labels.status_name(status), status.value)
        for priority in Priority:
            self.priority.addItem(labels.priority_name(priority), int(priority))
        self.assignee.addItem(self.tr("Unassigned"), "")
        for agent in self.agents:
            self.assignee.addItem(agent.name, agent.id)
        if detail is not None:
            self.status.setCurrentIndex(self.status.findData(detail.row.status))
            self.priority.setCurrentIndex(self.priority.findData(detail.row.priority))
            self.assignee.setCurrentIndex(
                max(0, self.assignee.findData(detail.row.assignee_id or ""))
            )
        for combo in (self.status, self.priority, self.assignee):
            combo.blockSignals(False)

    def focus_tags(self) -> None:
        self.tags.setFocus()
        self.tags.selectAll()

    def _tags_done(self) -> None:
        if self.detail is None:
            return
        names = [t.strip() for t in self.tags.text().split(",") if t.strip()]
        if sorted(n.lower() for n in names) != sorted(self.detail.tags):
            self.tags_entered.emit(names)

    def retranslate(self) -> None:
        self.status.setToolTip(self.tr("Status"))
        self.priority.setToolTip(self.tr("Priority (Alt+1…4)"))
        self.assignee.setToolTip(self.tr("Assignee (A: me, Shift+A: a colleague)"))
        self.tags.setPlaceholderText(self.tr("Tags, comma-separated (T)"))
        self.show_detail(self.detail)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

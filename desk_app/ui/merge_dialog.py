"""Duplicate customers: the review list, a preview of what a merge moves, merge and undo.

Keys: ↑/↓ choose a pair, S swaps which customer survives, Space ticks a conflicting value to
take from the other customer, Ctrl+Enter merges, Ctrl+D says "not the same person",
Ctrl+Z undoes the last merge made here. :class:`DuplicatesBadge` is the card's
"4 possible duplicates" button that opens the dialog for one customer.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.duplicates import Conflict, Evidence
from desk_app.services.customers_merge import (
    CustomerMerger,
    CustomerSummary,
    DuplicateCandidate,
    IdentityInfo,
    MergePreview,
)
from desk_app.ui import labels
from desk_app.ui.counts import counted
from desk_app.ui.ops import Ops
from desk_app.ui.tr import QT_TRANSLATE_NOOP, translate

EVIDENCE = {
    Evidence.SAME_IDENTITY: QT_TRANSLATE_NOOP("Merge", "same account"),
    Evidence.SAME_EMAIL: QT_TRANSLATE_NOOP("Merge", "same email"),
    Evidence.SAME_PHONE: QT_TRANSLATE_NOOP("Merge", "same phone"),
    Evidence.SAME_DEVICE: QT_TRANSLATE_NOOP("Merge", "same device"),
    Evidence.SAME_NAME: QT_TRANSLATE_NOOP("Merge", "same name"),
    Evidence.SIMILAR_NAME: QT_TRANSLATE_NOOP("Merge", "similar name"),
    Evidence.SAME_FIRST_NAME: QT_TRANSLATE_NOOP("Merge", "same first name"),
}
CONFLICTS = {
    Conflict.DIFFERENT_EMAILS: QT_TRANSLATE_NOOP("Merge", "different emails"),
    Conflict.DIFFERENT_PHONES: QT_TRANSLATE_NOOP("Merge", "different phones"),
    Conflict.DIFFERENT_DEVICES: QT_TRANSLATE_NOOP("Merge", "different devices"),
}
FIELDS = {
    "display_name": QT_TRANSLATE_NOOP("Merge", "Name"),
    "city": QT_TRANSLATE_NOOP("Merge", "City"),
    "plan": QT_TRANSLATE_NOOP("Merge", "Plan"),
    "platform": QT_TRANSLATE_NOOP("Merge", "Platform"),
    "app_version": QT_TRANSLATE_NOOP("Merge", "App version"),
    "language": QT_TRANSLATE_NOOP("Merge", "Language"),
    "favourite_agent_id": QT_TRANSLATE_NOOP("Merge", "Favourite operator"),
    "customer_since": QT_TRANSLATE_NOOP("Merge", "Customer since"),
}


def _t(table: dict[Any, str], key: Any) -> str:
    return translate("Merge", table[key]) if key in table else str(key)


def contact_text(identity: IdentityInfo) -> str:
    """An address is the contact itself; elsewhere the handle or name says more than an id."""
    if identity.channel == "email":
        return identity.external_id
    return identity.display or identity.external_id


def reasons(candidate: DuplicateCandidate) -> str:
    parts = [_t(EVIDENCE, e) for e in candidate.evidence]
    parts += [_t(CONFLICTS, c) for c in candidate.conflicts]
    return ", ".join(parts)


class MergeDialog(QDialog):
    """Candidates of one customer (``customer_id``) or of everyone (a full scan)."""

    loaded = Signal()
    merged = Signal(str)  # merge id
    changed = Signal()  # after merge, undo or dismiss

    def __init__(
        self,
        merger: CustomerMerger,
        ops: Ops,
        customer_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.merger, self.ops, self.customer_id = merger, ops, customer_id
        self.resize(900, 520)
        self.preview: MergePreview | None = None
        self.swapped = False
        self.last_merge: str | None = None
        self._outcome = ""
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.pairs = QListWidget(self)
        self.pairs.setObjectName("mergePairs")
        self.pairs.currentItemChanged.connect(lambda *_: self._load_preview())
        self.details = QTextBrowser(self)
        self.details.setObjectName("mergePreview")
        self.conflicts_title = QLabel(self)
        self.conflicts = QListWidget(self)
        self.conflicts.setObjectName("mergeConflicts")
        self.conflicts.setMaximumHeight(110)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.swap_button = QPushButton(self)
        self.swap_button.clicked.connect(self.swap)
        self.merge_button = QPushButton(self)
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.clicked.connect(self.merge)
        self.dismiss_button = QPushButton(self)
        self.dismiss_button.clicked.connect(self.dismiss)
        self.undo_button = QPushButton(self)
        self.undo_button.clicked.connect(self.undo)
        self.undo_button.setEnabled(False)
        for button in (self.swap_button, self.merge_button, self.dismiss_button, self.undo_button):
            button.setAutoDefault(False)
        for keys, slot in (
            ("Ctrl+Return", self.merge),
            ("Ctrl+Enter", self.merge),
            ("Ctrl+D", self.dismiss),
            ("Ctrl+Z", self.undo),
            ("S", self.swap),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.details, 1)
        right_layout.addWidget(self.conflicts_title)
        right_layout.addWidget(self.conflicts)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.pairs)
        splitter.addWidget(right)
        splitter.setSizes([330, 570])
        buttons = QHBoxLayout()
        buttons.addWidget(self.swap_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.merge_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.retranslate()
        self.reload()

    # -- loading -----------------------------------------------------------------------------
    def reload(self, outcome: str = "") -> None:
        """Re-read the candidates; ``outcome`` (what was just done) is shown once they are in."""
        self._outcome = outcome
        self.status.setText(self.tr("Looking for duplicates…"))
        customer_id = self.customer_id
        if customer_id is None:
            self.ops.read(self.merger.scan, self._listed)
        else:
            self.ops.read(lambda: self.merger.candidates_for(customer_id), self._listed)

    def _listed(self, found: list[DuplicateCandidate]) -> None:
        self.pairs.clear()
        self.heading.setText(
            counted(self.tr("%n possible duplicate(s)", "", len(found)), len(found))
        )
        for candidate in found:
            first, second = candidate.a_name, candidate.b_name
            if candidate.b_id == self.customer_id:
                first, second = second, first
            text = f"{first}  ↔  {second}\n{round(candidate.score * 100)}% · {reasons(candidate)}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, candidate)
            self.pairs.addItem(item)
        self.status.setText(self._outcome or ("" if found else self.tr("No duplicates to review")))
        if found:
            self.pairs.setCurrentRow(0)
            self.pairs.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._show_preview(None)
        self.loaded.emit()

    def current(self) -> DuplicateCandidate | None:
        item = self.pairs.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _ids(self, candidate: DuplicateCandidate) -> tuple[str, str]:
        """(survivor, merged): the one chosen for the card, else the first, unless swapped."""
        first, second = candidate.a_id, candidate.b_id
        if self.customer_id == second:
            first, second = second, first
        return (second, first) if self.swapped else (first, second)

    def _load_preview(self) -> None:
        candidate = self.current()
        if candidate is None:
            self._show_preview(None)
            return
        survivor, merged = self._ids(candidate)
        self.ops.read(lambda: self.merger.preview(survivor, merged), self._show_preview)

    # -- actions -----------------------------------------------------------------------------
    def swap(self) -> None:
        self.swapped = not self.swapped
        self._load_preview()

    def merge(self) -> None:
        candidate, preview = self.current(), self.preview
        if candidate is None or preview is None:
            return
        survivor, merged = preview.survivor.id, preview.merged.id
        take = [
            self.conflicts.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.conflicts.count())
            if self.conflicts.item(i).checkState() == Qt.CheckState.Checked
        ]
        self.ops.write(lambda: self.merger.merge(survivor, merged, take=take), self._merged)

    def _merged(self, merge_id: str) -> None:
        self.last_merge = merge_id
        self.undo_button.setEnabled(True)
        self.merged.emit(merge_id)
        self.changed.emit()
        self.reload(self.tr("Merged. Ctrl+Z undoes it."))

    def undo(self) -> None:
        merge_id = self.last_merge
        if merge_id is None:
            return
        self.ops.write(lambda: self.merger.undo(merge_id), lambda _c: self._undone())

    def _undone(self) -> None:
        self.last_merge = None
        self.undo_button.setEnabled(False)
        self.changed.emit()
        self.reload(self.tr("Merge undone: both customers are back as they were."))

    def dismiss(self) -> None:
        candidate = self.current()
        if candidate is None:
            return
        self.ops.write(
            lambda: self.merger.dismiss(candidate.a_id, candidate.b_id),
            lambda _c: self._dismissed(),
        )

    def _dismissed(self) -> None:
        self.changed.emit()
        self.reload()

    # -- view --------------------------------------------------------------------------------
    def _show_preview(self, preview: MergePreview | None) -> None:
        self.preview = preview
        self.merge_button.setEnabled(preview is not None)
        self.dismiss_button.setEnabled(preview is not None)
        self.swap_button.setEnabled(preview is not None)
        self.conflicts.clear()
        if preview is None:
            self.details.clear()
            self.conflicts_title.setText("")
            return
        self.details.setHtml(self._preview_html(preview))
        self.conflicts_title.setText(
            self.tr("Conflicting values (Space: take the other customer's value)")
            if preview.conflicts
            else self.tr("No conflicting values")
        )
        for conflict in preview.conflicts:
            field = _t(FIELDS, conflict.field)
            item = QListWidgetItem(
                f"{field}: {conflict.survivor_value}  ←  {conflict.merged_value}"
            )
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, conflict.field)
            self.conflicts.addItem(item)

    def _customer_html(self, customer: CustomerSummary) -> str:
        contacts = "<br>".join(
            html.escape(f"{labels.channel_name(i.channel)}: {contact_text(i)}")
            for i in customer.identities
        )
        facts = ", ".join(
            html.escape(v) for v in (customer.city, customer.platform, customer.app_version) if v
        )
        tickets = counted(
            self.tr("%n conversation(s)", "", customer.ticket_count), customer.ticket_count
        )
        return (
            f"<b>{html.escape(customer.display_name)}</b><br>{contacts}<br>"
            f"<span style='color:gray'>{facts}{' · ' if facts else ''}{html.escape(tickets)}</span>"
        )

    def _preview_html(self, preview: MergePreview) -> str:
        moves = [
            counted(self.tr("%n contact(s)", "", len(preview.identities)), len(preview.identities)),
            counted(self.tr("%n conversation(s)", "", len(preview.tickets)), len(preview.tickets)),
            counted(self.tr("%n private note(s)", "", preview.notes), preview.notes),
        ]
        tickets = ", ".join(f"#{n} {html.escape(s)}" for n, s in preview.tickets[:8])
        stays, merged_into = html.escape(self.tr("Stays")), html.escape(self.tr("Merged into it"))
        moves_title, fills = (
            html.escape(self.tr("Moves")),
            html.escape(self.tr("Fills empty fields")),
        )
        filled = "".join(
            f"<li>{html.escape(_t(FIELDS, f))}: {html.escape(v)}</li>" for f, v in preview.filled
        )
        return (
            "<table width='100%' cellpadding='4'><tr>"
            f"<td valign='top' width='50%'><i>{stays}</i><br>"
            f"{self._customer_html(preview.survivor)}</td>"
            f"<td valign='top'><i>{merged_into}</i><br>"
            f"{self._customer_html(preview.merged)}</td></tr></table>"
            f"<p><b>{moves_title}:</b> {html.escape(', '.join(moves))}"
            + (f"<br>{tickets}" if tickets else "")
            + "</p>"
            + (f"<p><b>{fills}:</b></p><ul>{filled}</ul>" if filled else "")
            + f"<p style='color:gray'>{html.escape(self._safety_note())}</p>"
        )

    def _safety_note(self) -> str:
        return self.tr("Nothing is deleted: losing values stay on the card; undo is possible.")

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Duplicate customers"))
        self.swap_button.setText(self.tr("Swap (S)"))
        self.merge_button.setText(self.tr("Merge (Ctrl+Enter)"))
        self.dismiss_button.setText(self.tr("Not the same person (Ctrl+D)"))
        self.undo_button.setText(self.tr("Undo merge (Ctrl+Z)"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class DuplicatesBadge(QPushButton):
    """ "4 possible duplicates" on the customer card; hidden when there are none."""

    open_requested = Signal(str)  # customer id

    def __init__(self, merger: CustomerMerger, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicatesBadge")
        self.merger, self.ops = merger, ops
        self.customer_id: str | None = None
        self.count = 0
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setVisible(False)
        self.clicked.connect(self._open)

    def set_customer(self, customer_id: str | None) -> None:
        self.customer_id = customer_id
        self.setVisible(False)
        if customer_id is not None:
            self.ops.read(
                lambda: self.merger.count_for(customer_id), lambda n: self._counted(customer_id, n)
            )

    def _counted(self, customer_id: str, count: int) -> None:
        if customer_id != self.customer_id:
            return
        self.count = count
        self.setText(counted(self.tr("%n possible duplicate(s)", "", count), count))
        self.setVisible(count > 0)

    def _open(self) -> None:
        if self.customer_id is not None:
            self.open_requested.emit(self.customer_id)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self.count:
            self.setText(counted(self.tr("%n possible duplicate(s)", "", self.count), self.count))
        super().changeEvent(event)

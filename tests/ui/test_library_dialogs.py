"""The lead's library dialogs by keyboard, on a real profile: the canned-reply library (folders,
replies, live preview, usage, archive; read-only for agents) and the knowledge-base drafts review
(edit, preview, publish, discard; read-only for agents), and both opened from the main window."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from desk_app.domain.enums import Role
from desk_app.services.canned import CannedLibrary, CannedPermissionError, ShortcutTakenError
from desk_app.services.context import ServiceContext
from desk_app.services.kb import ARCHIVED, PUBLISHED, KbPermissionError, KnowledgeBase
from desk_app.store.models import Agent, Ticket
from desk_app.ui.canned_library import CannedLibraryDialog
from desk_app.ui.canned_picker import UNRESOLVED_BG
from desk_app.ui.kb_drafts import KbDraftsDialog
from desk_app.ui.main_window import MainWindow
from desk_app.ui.ops import Ops
from tests.conftest import FakeClock
from tests.ui.operator_fixtures import (  # noqa: F401  (fixtures)
    Ivans,
    ivans_fixture,
    ops_fixture,
    samples_fixture,
    type_text,
)
from tests.ui.test_operator_tools_in_window import in_modal

pytestmark = pytest.mark.timeout(60)
Mod = Qt.KeyboardModifier


def make_lead(ctx: ServiceContext) -> None:
    with ctx.write() as session:
        session.execute(update(Agent).where(Agent.id == ctx.agent_id).values(role=Role.LEAD))


@pytest.fixture
def lead(samples: ServiceContext) -> ServiceContext:
    make_lead(samples)
    return samples


def opened(qtbot: QtBot, dialog: CannedLibraryDialog | KbDraftsDialog) -> None:
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)


@pytest.fixture
def library_dialog(
    qtbot: QtBot, lead: ServiceContext, ops: Ops, ivans: Ivans
) -> Iterator[CannedLibraryDialog]:
    dialog = CannedLibraryDialog(CannedLibrary(lead), ops, ivans.ticket, language="ru")
    opened(qtbot, dialog)
    yield dialog
    dialog.close()


def press(qtbot: QtBot, widget: QWidget, key: Qt.Key, modifier: Mod = Mod.ControlModifier) -> None:
    qtbot.keyClick(widget, key, modifier)


def confirm_next_question(qtbot: QtBot) -> None:
    """Answer the next confirmation (archive, discard) with Enter: its default is Yes."""
    in_modal(QMessageBox, lambda box: qtbot.keyClick(box, Qt.Key.Key_Return))


def titles(dialog: CannedLibraryDialog) -> list[str]:
    return dialog.table.texts("title")


def test_lead_creates_previews_edits_moves_and_archives_a_reply(
    qtbot: QtBot, library_dialog: CannedLibraryDialog, lead: ServiceContext
) -> None:
    dialog, library = library_dialog, CannedLibrary(lead)
    press(qtbot, dialog.table, Qt.Key.Key_N, Mod.ControlModifier | Mod.ShiftModifier)
    assert dialog.new_folder.hasFocus()
    type_text(dialog.new_folder, "Доставка")
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        qtbot.keyClick(dialog.new_folder, Qt.Key.Key_Return)
    folder = next(f for f in library.folders() if f.name == "Доставка")
    assert dialog.tree.currentItem().text(0) == "Доставка"  # type: ignore[union-attr]
    assert titles(dialog) == []  # the new folder is empty

    press(qtbot, dialog.table, Qt.Key.Key_N)
    assert dialog.title.hasFocus() and dialog.folder.currentData() == folder.id
    type_text(dialog.title, "Где мой заказ")
    dialog.body.setFocus()
    type_text(dialog.body, "{customer.first_name}, заказ в пути. {order.track}")
    preview = dialog.preview.toPlainText()
    assert preview == "Иван, заказ в пути. {order.track}"  # filled for Ivan's ticket
    (marked,) = dialog.preview.extraSelections()  # the composer's highlight
    assert marked.format.background().color().name() == UNRESOLVED_BG
    assert "{order.track}" in dialog.problems.text()
    with qtbot.waitSignal(dialog.failed, timeout=5000):
        press(qtbot, dialog.body, Qt.Key.Key_S)
    assert "{order.track}" in dialog.status.text()
    assert all(r.title != "Где мой заказ" for r in library.replies())  # refused, not saved

    for _ in range(len("{order.track}")):
        qtbot.keyClick(dialog.body, Qt.Key.Key_Backspace)
    press(qtbot, dialog.body, Qt.Key.Key_I)  # insert a variable from the list
    assert dialog.variable.view().isVisible()  # the list of variables is open
    dialog.variable.hidePopup()  # (offscreen: choosing in the popup is not simulated)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    names = [dialog.variable.itemData(i) for i in range(dialog.variable.count())]
    dialog.variable.activated.emit(names.index("ticket.number"))
    assert dialog.body.toPlainText().endswith("{ticket.number}")
    assert dialog.preview.extraSelections() == [] and dialog.problems.text() == ""
    type_text(dialog.shortcut, "/track")
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        press(qtbot, dialog.body, Qt.Key.Key_S)
    (saved,) = [r for r in library.replies() if r.title == "Где мой заказ"]
    assert (saved.folder_id, saved.shortcut, saved.language) == (folder.id, "track", "ru")
    assert titles(dialog) == ["Где мой заказ"]

    # Edit: a new title, and move it out of the folder (Ctrl+M: the folder field).
    dialog.title.selectAll()
    type_text(dialog.title, "Где мой заказ?")
    press(qtbot, dialog.body, Qt.Key.Key_M)
    assert dialog.folder.hasFocus()
    qtbot.keyClick(dialog.folder, Qt.Key.Key_Home)  # "(no folder)"
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        press(qtbot, dialog.folder, Qt.Key.Key_S)
    (edited,) = [r for r in library.replies() if r.id == saved.id]
    assert (edited.title, edited.folder_id) == ("Где мой заказ?", None)

    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))  # all replies
    assert dialog._select(saved.id)
    confirm_next_question(qtbot)
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        press(qtbot, dialog.table, Qt.Key.Key_Delete)
    assert all(r.id != saved.id for r in library.replies())
    assert "Где мой заказ?" not in titles(dialog)


def test_usage_counts_all_time_and_last_30_days_sort_the_list(
    qtbot: QtBot, lead: ServiceContext, ops: Ops, ivans: Ivans, clock: FakeClock
) -> None:
    library = CannedLibrary(lead)
    old, new = library.by_shortcut("sms", language="ru"), library.by_shortcut("hi", language="en")
    assert old is not None and new is not None
    for _ in range(3):
        library.record_use(old.id, ivans.ticket)
    clock.advance(days=40)
    library.record_use(new.id, ivans.ticket)
    library.record_use(new.id, None)
    dialog = CannedLibraryDialog(library, ops, ivans.ticket)
    opened(qtbot, dialog)

    def row_of(reply_id: str) -> tuple[int, int]:
        assert dialog._select(reply_id)
        row = dialog.table.currentRow()
        return int(dialog.table.texts("uses")[row]), int(dialog.table.texts("recent")[row])

    assert row_of(old.id) == (3, 0)
    assert row_of(new.id) == (2, 2)
    dialog.sort.setCurrentIndex(dialog.sort.findData("uses"))
    assert titles(dialog)[:2] == [old.title, new.title]
    dialog.sort.setCurrentIndex(dialog.sort.findData("recent"))
    assert titles(dialog)[0] == new.title
    dialog.close()


def test_agent_browses_the_library_read_only(
    qtbot: QtBot, samples: ServiceContext, ops: Ops, ivans: Ivans
) -> None:
    library = CannedLibrary(samples)  # the fixture's operator is an agent
    with pytest.raises(CannedPermissionError):
        library.save_reply(title="Mine", body="Hi", language="en")
    with pytest.raises(CannedPermissionError):
        library.save_folder("Mine")
    some = library.replies()[0]
    with pytest.raises(CannedPermissionError):
        library.archive(some.id)
    dialog = CannedLibraryDialog(library, ops, ivans.ticket)
    opened(qtbot, dialog)
    assert dialog.notice.isVisible() and "Read-only" in dialog.notice.text()
    assert dialog.body.isReadOnly() and dialog.title.isReadOnly()
    assert not dialog.save_button.isVisible() and not dialog.new_folder.isVisible()
    assert dialog.table.rowCount() == len(library.replies())  # browsing works
    assert dialog.preview.toPlainText()  # and so does the preview
    press(qtbot, dialog.table, Qt.Key.Key_S)
    assert "team lead" in dialog.status.text()
    press(qtbot, dialog.table, Qt.Key.Key_Delete)  # no question, nothing archived
    assert len(library.replies()) == dialog.table.rowCount()
    dialog.close()


def test_lead_edits_and_publishes_a_draft_from_a_ticket(
    qtbot: QtBot, lead: ServiceContext, ops: Ops, ivans: Ivans
) -> None:
    kb = KnowledgeBase(lead)
    draft_id = kb.draft_from_ticket(ivans.ticket)
    dialog = KbDraftsDialog(kb, ops)
    opened(qtbot, dialog)
    assert dialog.table.rowCount() == 1
    row = [dialog.table.texts(c)[0] for c in ("title", "author", "language", "ticket")]
    with lead.read() as session:
        ticket = session.get(Ticket, ivans.ticket)
        assert ticket is not None
        number = ticket.number
    assert row[1:4] == ["Anna Operator", "ru", f"#{number}"]
    assert dialog.preview.toPlainText().startswith("Вопрос")  # "## Вопрос" rendered

    dialog.title.selectAll()
    type_text(dialog.title, "Фильтры после обновления")
    dialog.body.selectAll()
    for n, line in enumerate(["## Фильтры", "", "Обновите приложение до версии 135: они там."]):
        if n:
            qtbot.keyClick(dialog.body, Qt.Key.Key_Return)
        type_text(dialog.body, line)
    assert dialog.preview.toPlainText().startswith("Фильтры\nОбновите")
    heading = dialog.preview.document().firstBlock().blockFormat().headingLevel()
    assert heading == 2
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        press(qtbot, dialog.body, Qt.Key.Key_S)
    assert kb.get(draft_id).title == "Фильтры после обновления"
    assert kb.get(draft_id).status != PUBLISHED

    with qtbot.waitSignal(dialog.published, timeout=5000):
        press(qtbot, dialog.body, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=5000)
    assert dialog.empty.isVisible()
    published = kb.get(draft_id)
    assert published.status == PUBLISHED and published.source_ticket_id == ivans.ticket
    hits = kb.search("фильтры обновление", language="ru").results
    assert draft_id in [h.article.id for h in hits]  # found as a published article
    dialog.close()


def test_lead_discards_a_draft(qtbot: QtBot, lead: ServiceContext, ops: Ops, ivans: Ivans) -> None:
    kb = KnowledgeBase(lead)
    kept = kb.save_article(title="Keep me", body="Later.", language="en")
    draft_id = kb.draft_from_ticket(ivans.ticket)  # the newest: listed first
    dialog = KbDraftsDialog(kb, ops)
    opened(qtbot, dialog)
    assert dialog.current() is not None and dialog.current().article.id == draft_id  # type: ignore[union-attr]
    confirm_next_question(qtbot)
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        press(qtbot, dialog.table, Qt.Key.Key_Delete)
    assert [d.article.id for d in kb.drafts()] == [kept]
    assert dialog.table.rowCount() == 1 and dialog.title.text() == "Keep me"  # the editor follows
    assert kb.get(draft_id).status == ARCHIVED
    found = kb.search("фильтры друга", include_drafts=True).results
    assert draft_id not in [h.article.id for h in found]
    dialog.close()


def test_agent_sees_drafts_read_only_and_cannot_publish(
    qtbot: QtBot, samples: ServiceContext, ops: Ops, ivans: Ivans
) -> None:
    kb = KnowledgeBase(samples)
    draft_id = kb.draft_from_ticket(ivans.ticket)  # agents write drafts...
    with pytest.raises(KbPermissionError):
        kb.publish(draft_id)  # ...but do not publish them
    with pytest.raises(KbPermissionError):
        kb.discard(draft_id)
    dialog = KbDraftsDialog(kb, ops)
    opened(qtbot, dialog)
    assert dialog.table.rowCount() == 1 and "Read-only" in dialog.notice.text()
    assert dialog.body.isReadOnly() and not dialog.publish_button.isVisible()
    press(qtbot, dialog.body, Qt.Key.Key_Return)
    assert "team lead" in dialog.status.text()
    assert kb.get(draft_id).status != PUBLISHED
    dialog.close()


def test_main_window_opens_both_by_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    seen: list[str] = []

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, CannedLibraryDialog | KbDraftsDialog)
        seen.append(type(dialog).__name__)
        if isinstance(dialog, CannedLibraryDialog):
            qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=5000)
            assert dialog.ticket_id == window.current_ticket
            assert dialog.notice.isVisible()  # the seeded operator is an agent
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    in_modal(CannedLibraryDialog, look)
    qtbot.keyClick(window.table, Qt.Key.Key_C, Mod.ControlModifier | Mod.ShiftModifier)
    window.activateWindow()  # the closed dialog's window hands activation back
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    in_modal(KbDraftsDialog, look)
    qtbot.keyClick(window.table, Qt.Key.Key_B, Mod.ControlModifier | Mod.ShiftModifier)
    assert seen == ["CannedLibraryDialog", "KbDraftsDialog"]
    texts = [a.text() for a in window.registry.actions.values()]
    assert "Canned replies library…" in texts and "Knowledge-base drafts to review…" in texts


def test_a_taken_shortcut_is_named_not_an_integrity_error(lead: ServiceContext) -> None:
    library = CannedLibrary(lead)
    with pytest.raises(ShortcutTakenError, match="SMS-код"):
        library.save_reply(title="Another", body="Hi", language="ru", shortcut="/SMS")
    library.save_reply(title="Another", body="Hi", language="ru", shortcut="/sms2")


def test_filtering_keeps_unsaved_edits(qtbot: QtBot, library_dialog: CannedLibraryDialog) -> None:
    dialog = library_dialog
    dialog.table.setFocus()
    for _ in range(5):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    first = dialog.current()
    assert first is not None and dialog.table.currentRow() == 5
    dialog.body.selectAll()
    type_text(dialog.body, "Draft text")
    press(qtbot, dialog.table, Qt.Key.Key_F)
    type_text(dialog.filter, first.title)
    assert dialog.table.currentRow() == 0  # it moved up the list
    assert dialog.current() is not None and dialog.current().id == first.id  # type: ignore[union-attr]
    assert dialog.body.toPlainText() == "Draft text"
    # Esc asks before unsaved text is lost: Esc in the question keeps the dialog, Enter closes.
    in_modal(QMessageBox, lambda box: qtbot.keyClick(box, Qt.Key.Key_Escape))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.body.toPlainText() == "Draft text"
    confirm_next_question(qtbot)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()

"""Canned replies from the composer by keyboard: search, other wording, insert, highlight."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from desk_app.domain.templates import MARK_OPEN
from desk_app.services.canned import CannedLibrary
from desk_app.services.context import ServiceContext
from desk_app.ui.canned_picker import CannedPicker, highlight_unresolved, insert_reply
from desk_app.ui.ops import Ops
from tests.ui.operator_fixtures import (  # noqa: F401  (fixtures)
    Ivans,
    ivans_fixture,
    ops_fixture,
    samples_fixture,
    type_text,
)


def open_picker(qtbot: QtBot, ctx: ServiceContext, ops: Ops, ticket: str) -> CannedPicker:
    picker = CannedPicker(CannedLibrary(ctx), ops, ticket, language="ru")
    qtbot.addWidget(picker)
    with qtbot.waitSignal(picker.loaded, timeout=5000):
        picker.show()
    picker.search.setFocus()
    return picker


def test_find_by_keyword_vary_wording_and_insert(
    qtbot: QtBot, samples: ServiceContext, ops: Ops, ivans: Ivans
) -> None:
    picker = open_picker(qtbot, samples, ops, ivans.ticket)
    type_text(picker.search, "отзыв спасиб")
    current = picker.current()
    assert current is not None and current.title == "Спасибо за положительный отзыв"
    first = picker.preview.toPlainText()
    assert first.startswith(("Спасибо, Иван!", "Огромное спасибо, Иван!", "Большое спасибо, Иван!"))
    qtbot.keyClick(picker.search, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert picker.preview.toPlainText() != first  # other wording, same reply
    assert "1 place to fill in before sending" in picker.hint.text()
    with qtbot.waitSignal(picker.accepted, timeout=2000):
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.chosen is not None
    reply, rendered = picker.chosen
    composer = QPlainTextEdit()
    qtbot.addWidget(composer)
    insert_reply(composer, rendered.text)
    assert composer.toPlainText() == rendered.text
    assert len(composer.extraSelections()) == 1  # the "make it personal" spot is highlighted
    start = composer.toPlainText().index(MARK_OPEN)
    end = composer.toPlainText().index("⟧") + 1
    cursor = composer.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
    composer.setTextCursor(cursor)
    type_text(composer, "Рады, что фильтры пригодились.")
    assert highlight_unresolved(composer) == 0
    library = CannedLibrary(samples)
    qtbot.waitUntil(
        lambda: dict((r.id, n) for r, n in library.usage())[reply.id] == 1, timeout=5000
    )


def test_shortcut_and_arrow_keys(
    qtbot: QtBot, samples: ServiceContext, ops: Ops, ivans: Ivans
) -> None:
    picker = open_picker(qtbot, samples, ops, ivans.ticket)
    qtbot.keyClicks(picker.search, "/update")
    current = picker.current()
    assert current is not None and current.shortcut == "update" and current.language == "ru"
    assert "134" in picker.preview.toPlainText() and "Android" in picker.preview.toPlainText()
    picker.search.clear()
    type_text(picker.search, "мошен")
    assert picker.current() is not None
    assert picker.current().title == "Похоже на мошенника"  # type: ignore[union-attr]
    picker.search.clear()
    row = picker.results.currentRow()
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    assert picker.results.currentRow() == row + 1
    qtbot.keyClick(picker.search, Qt.Key.Key_Escape)
    assert not picker.isVisible() and picker.chosen is None

"""The knowledge-base panel by keyboard: suggestions for the ticket, search with typos,
insert link and excerpt, new article from the ticket."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desk_app.services.context import ServiceContext
from desk_app.services.kb import DRAFT, KnowledgeBase
from desk_app.ui.kb_panel import KbPanel
from desk_app.ui.ops import Ops
from tests.ui.operator_fixtures import (  # noqa: F401  (fixtures)
    Ivans,
    ivans_fixture,
    ops_fixture,
    samples_fixture,
    type_text,
)

CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def titles(panel: KbPanel) -> list[str]:
    return [panel.results.item(i).text().split("\n")[0] for i in range(panel.results.count())]


def open_panel(qtbot: QtBot, kb: KnowledgeBase, ops: Ops, ticket_id: str) -> KbPanel:
    """The panel beside an open ticket, its suggestions shown."""
    panel = KbPanel(kb, ops)
    qtbot.addWidget(panel)
    panel.show()
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        panel.set_ticket(ticket_id)
    return panel


def test_suggests_search_and_inserts(
    qtbot: QtBot, samples: ServiceContext, ops: Ops, ivans: Ivans
) -> None:
    kb = KnowledgeBase(samples)
    panel = open_panel(qtbot, kb, ops, ivans.ticket)
    assert panel.section.text() == "Suggested for this ticket"
    assert titles(panel)[0] == "Нет фильтров в поиске"

    panel.search.setFocus()
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        type_text(panel.search, "обнавление")
    assert titles(panel)[0] == "Как обновить приложение"
    assert "similar words" in panel.status.text()
    assert "<b>" in panel.snippet.toHtml() or "font-weight" in panel.snippet.toHtml()

    qtbot.keyClick(panel.search, Qt.Key.Key_Down)
    assert panel.results.hasFocus()
    with qtbot.waitSignal(panel.insert_text) as link:
        qtbot.keyClick(panel.results, Qt.Key.Key_L, CTRL_ALT)
    assert link.args == ["Как обновить приложение: https://help.bazaar.example/ru/update-app"]
    with qtbot.waitSignal(panel.insert_text) as excerpt:
        qtbot.keyClick(panel.results, Qt.Key.Key_E, CTRL_ALT)
    assert excerpt.args[0].startswith("Новые функции и исправления")
    with qtbot.waitSignal(panel.insert_text) as entered:
        qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    assert entered.args == link.args


def test_new_article_from_ticket_is_a_draft(
    qtbot: QtBot, samples: ServiceContext, ops: Ops, ivans: Ivans
) -> None:
    kb = KnowledgeBase(samples)
    panel = open_panel(qtbot, kb, ops, ivans.ticket)
    panel.search.setFocus()
    with qtbot.waitSignal(panel.article_created, timeout=5000) as created:
        qtbot.keyClick(panel.search, Qt.Key.Key_N, CTRL_ALT)
    article = kb.get(created.args[0])
    assert article.status == DRAFT and article.source_ticket_id == ivans.ticket
    assert "A team lead can publish it" in panel.status.text()

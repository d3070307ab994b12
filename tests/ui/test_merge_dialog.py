"""Duplicate review driven by the keyboard: choose, swap, merge, undo, dismiss."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desk_app.services.context import ServiceContext
from desk_app.services.customers_merge import CustomerMerger
from desk_app.store.models import Customer, CustomerIdentity
from desk_app.ui.merge_dialog import DuplicatesBadge, MergeDialog
from desk_app.ui.ops import Ops
from tests.ui.operator_fixtures import Ivans, ivans_fixture, ops_fixture  # noqa: F401

CTRL = Qt.KeyboardModifier.ControlModifier


def owner_of(ctx: ServiceContext, external_id: str) -> str:
    with ctx.read() as session:
        return session.scalars(
            select(CustomerIdentity.customer_id).where(CustomerIdentity.external_id == external_id)
        ).one()


def open_dialog(qtbot: QtBot, ctx: ServiceContext, ops: Ops, customer: str | None) -> MergeDialog:
    dialog = MergeDialog(CustomerMerger(ctx), ops, customer)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.show()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=5000)
    return dialog


def test_card_badge_counts_the_possible_duplicates(
    qtbot: QtBot, ctx: ServiceContext, ops: Ops, ivans: Ivans
) -> None:
    badge = DuplicatesBadge(CustomerMerger(ctx), ops)
    qtbot.addWidget(badge)
    badge.set_customer(ivans.telegram)
    qtbot.waitUntil(lambda: badge.count == 3, timeout=5000)
    assert badge.text() == "3 possible duplicates"
    with qtbot.waitSignal(badge.open_requested) as opened:
        badge.setFocus()
        qtbot.keyClick(badge, Qt.Key.Key_Space)
    assert opened.args == [ivans.telegram]


def test_review_merge_and_undo_by_keyboard(
    qtbot: QtBot, ctx: ServiceContext, ops: Ops, ivans: Ivans
) -> None:
    dialog = open_dialog(qtbot, ctx, ops, ivans.telegram)
    assert dialog.pairs.count() == 3  # the namesake with his own email is among them only
    names = {dialog.pairs.item(i).text().split("\n")[0] for i in range(3)}
    assert all("Иван Иванов" in n for n in names)
    preview = dialog.preview
    assert preview is not None and preview.survivor.id == ivans.telegram  # the card's customer
    qtbot.keyClick(dialog.pairs, Qt.Key.Key_S)  # swap who survives
    qtbot.waitUntil(
        lambda: dialog.preview is not None and dialog.preview.merged.id == ivans.telegram,
        timeout=5000,
    )
    qtbot.keyClick(dialog.pairs, Qt.Key.Key_S)  # and back
    qtbot.waitUntil(
        lambda: dialog.preview is not None and dialog.preview.survivor.id == ivans.telegram,
        timeout=5000,
    )
    merged_id = dialog.preview.merged.id
    merged_contact = dialog.preview.identities[0].external_id
    assert "Moves" in dialog.details.toPlainText()
    with qtbot.waitSignal(dialog.merged, timeout=5000):
        qtbot.keyClick(dialog.pairs, Qt.Key.Key_Return, CTRL)
    assert owner_of(ctx, merged_contact) == ivans.telegram
    with ctx.read() as session:
        gone = session.get(Customer, merged_id)
        assert gone is not None and gone.merged_into_id == ivans.telegram
    qtbot.waitUntil(lambda: "Ctrl+Z" in dialog.status.text(), timeout=5000)
    with qtbot.waitSignal(dialog.changed, timeout=5000):
        qtbot.keyClick(dialog.pairs, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: "undone" in dialog.status.text(), timeout=5000)
    assert owner_of(ctx, merged_contact) == merged_id


def test_not_the_same_person_removes_the_pair(
    qtbot: QtBot, ctx: ServiceContext, ops: Ops, ivans: Ivans
) -> None:
    dialog = open_dialog(qtbot, ctx, ops, None)  # the review list of everyone
    before = dialog.pairs.count()
    assert before == 5  # 4 Ivans: every pair except the two with different emails
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        qtbot.keyClick(dialog.pairs, Qt.Key.Key_D, CTRL)
    assert dialog.pairs.count() == before - 1


def test_conflicting_value_can_be_taken_with_space(
    qtbot: QtBot, ctx: ServiceContext, ops: Ops, ivans: Ivans
) -> None:
    dialog = open_dialog(qtbot, ctx, ops, ivans.telegram)
    dialog.pairs.setFocus()
    for _ in range(dialog.pairs.count()):
        current = dialog.current()
        if current is not None and ivans.play in (current.a_id, current.b_id):
            break
        qtbot.keyClick(dialog.pairs, Qt.Key.Key_Down)
    qtbot.waitUntil(
        lambda: dialog.preview is not None and dialog.preview.merged.id == ivans.play, timeout=5000
    )
    assert dialog.conflicts.count() == 1  # display name: "Иван Иванов" vs "Ivan Ivanov"
    dialog.conflicts.setFocus()
    dialog.conflicts.setCurrentRow(0)
    qtbot.keyClick(dialog.conflicts, Qt.Key.Key_Space)
    assert dialog.conflicts.item(0).checkState() == Qt.CheckState.Checked
    with qtbot.waitSignal(dialog.merged, timeout=5000):
        qtbot.keyClick(dialog.conflicts, Qt.Key.Key_Return, CTRL)
    with ctx.read() as session:
        survivor = session.get(Customer, ivans.telegram)
        assert survivor is not None
        assert survivor.display_name == "Ivan Ivanov"
        assert survivor.attributes["merged_values"]["display_name"] == ["Иван Иванов"]

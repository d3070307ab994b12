"""The connection indicator and the presence/collision banner, fed from worker threads as the
sync worker and the presence tracker feed them, in English and in Russian."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desk_app.store.types import utcnow
from desk_app.sync.presence import Colleague
from desk_app.sync.worker import SyncStatus
from desk_app.ui.i18n import Translations
from desk_app.ui.presence_banner import PresenceBanner, confirm_send_despite
from desk_app.ui.sync_status import SyncStatusIndicator


@pytest.fixture
def translations(qapp: QApplication) -> Iterator[Translations]:
    translations = Translations(qapp)
    yield translations
    translations.apply("en")


def _from_thread(action: object) -> None:
    thread = threading.Thread(target=action)  # type: ignore[arg-type]
    thread.start()
    thread.join()


def test_indicator_follows_the_worker(qtbot: QtBot, translations: Translations) -> None:
    translations.apply("en")
    indicator = SyncStatusIndicator()
    qtbot.addWidget(indicator)
    assert indicator.text() == "Offline"
    _from_thread(lambda: indicator.post(SyncStatus("syncing", pending=3, last_sync=utcnow())))
    qtbot.waitUntil(lambda: indicator.text() == "Syncing 3 change(s)", timeout=2000)
    assert indicator.property("state") == "syncing"
    assert "Last synced" in indicator.toolTip()
    _from_thread(lambda: indicator.post(SyncStatus("offline", pending=2, detail="refused")))
    qtbot.waitUntil(lambda: "kept on this computer" in indicator.text(), timeout=2000)
    assert "refused" in indicator.toolTip()
    indicator.post(SyncStatus("online"))
    qtbot.waitUntil(lambda: indicator.text() == "Online", timeout=2000)

    translations.apply("ru")
    qtbot.waitUntil(lambda: indicator.text() == "В сети", timeout=2000)
    indicator.post(SyncStatus("offline", pending=5))
    qtbot.waitUntil(
        lambda: indicator.text() == "Нет связи — 5 изменений сохранено на этом компьютере",
        timeout=2000,
    )
    indicator.post(SyncStatus("signed_out"))
    qtbot.waitUntil(lambda: indicator.text().startswith("Сеанс завершён"), timeout=2000)


def test_banner_shows_colleagues_on_the_open_ticket_only(
    qtbot: QtBot, translations: Translations
) -> None:
    translations.apply("en")
    banner = PresenceBanner()
    qtbot.addWidget(banner)
    banner.show()
    banner.show_ticket("t1")
    assert banner.isHidden()
    boris = Colleague("u2", "Boris", "replying")
    lena = Colleague("u3", "Lena", "viewing")
    _from_thread(lambda: banner.post("t2", (boris,)))  # another ticket: ignored
    _from_thread(lambda: banner.post("t1", (boris, lena)))
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=2000)
    assert banner.label.text() == "1 colleague(s) replying: Boris · 1 colleague(s) viewing: Lena"
    assert banner.property("collision") is True
    assert banner.replying == ["Boris"]

    translations.apply("ru")
    qtbot.waitUntil(lambda: "Отвечает 1 коллега: Boris" in banner.label.text(), timeout=2000)

    banner.show_ticket("t3")  # switching tickets clears it until news about t3 arrives
    assert banner.isHidden() and banner.colleagues == ()


def test_sending_while_a_colleague_replies_asks_first(
    qtbot: QtBot, translations: Translations
) -> None:
    translations.apply("en")
    banner = PresenceBanner()
    qtbot.addWidget(banner)
    assert confirm_send_despite(banner, []) is True  # nobody else: no question

    answers: list[bool] = []

    def answer(choice: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        assert "Boris is replying to this ticket right now" in box.text()
        target = next(b for b in box.buttons() if b.text() == choice)
        target.click()

    from PySide6.QtCore import QTimer

    QTimer.singleShot(100, lambda: answer("Don't send"))
    answers.append(confirm_send_despite(banner, ["Boris"]))
    QTimer.singleShot(100, lambda: answer("Send anyway"))
    answers.append(confirm_send_despite(banner, ["Boris"]))
    assert answers == [False, True]

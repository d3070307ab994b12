"""Helpers for the email UI tests: a real main window over a profile that a real fetch filled,
clicking a link inside the conversation document, and screenshots.

Screenshots go to the test's tmp dir, and also to ``$DESK_SCREENSHOT_DIR`` when it is set
(that is how docs/screenshots/ is refreshed: run the tests with it pointing there)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from email_servers import PASSWORD, Dovecot, SmtpRecorder
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QTextBrowser, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desk_app.app import DeskApp
from desk_app.services.context import ServiceContext
from desk_app.store.models import Message
from desk_app.ui.email_account_dialog import EmailAccountDialog
from desk_app.ui.launcher import build_window
from desk_app.ui.main_window import MainWindow


@contextmanager
def open_window(
    qtbot: QtBot, desk: DeskApp, *, language: str = "en", wait_first_ticket: bool = True
) -> Iterator[MainWindow]:
    window = build_window(desk, language=language, theme="light")
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    with qtbot.waitSignal(window.inbox_ready, timeout=15_000):
        window.start()
    if wait_first_ticket:
        qtbot.waitUntil(lambda: window.detail is not None, timeout=10_000)
    try:
        yield window
    finally:
        window.translations.apply("en")  # the translator is application-wide
        window.close()


def ticket_of(ctx: ServiceContext, external_id: str) -> tuple[str, str]:
    """(ticket id, message id) of the stored mail with this Message-ID."""
    with ctx.read() as session:
        row = session.execute(
            select(Message.ticket_id, Message.id).where(Message.external_id == external_id)
        ).one()
    return row.ticket_id, row.id


def show_mail(qtbot: QtBot, window: MainWindow, ctx: ServiceContext, external_id: str) -> str:
    """Open the ticket of the mail with this Message-ID; returns the stored message's id."""
    ticket_id, message_id = ticket_of(ctx, external_id)
    with qtbot.waitSignal(window.ticket_shown, timeout=10_000):
        window.open_ticket(ticket_id)
    return message_id


def link_point(view: QTextBrowser, href: str) -> QPoint:
    """Where the link to ``href`` is drawn in the view's viewport (scrolled into view)."""
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(view.document())
                cursor.setPosition(fragment.position() + max(fragment.length() // 2, 0))
                view.setTextCursor(cursor)
                view.ensureCursorVisible()
                return view.cursorRect(cursor).center()
            it += 1
        block = block.next()
    raise AssertionError(f"no link to {href} in the conversation")


def click_link(qtbot: QtBot, view: QTextBrowser, href: str) -> None:
    point = link_point(view, href)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def screenshot(widget: QWidget, tmp_path: Path, name: str) -> Path:
    image = widget.grab()
    target = tmp_path / name
    assert image.save(str(target)), f"could not write {target}"
    shared = os.environ.get("DESK_SCREENSHOT_DIR")
    if shared:
        image.save(str(Path(shared) / name))
    return target


def fill_account_dialog(
    dialog: EmailAccountDialog,
    dovecot: Dovecot,
    smtp: SmtpRecorder,
    *,
    name: str = "Поддержка",
    folders: str = "INBOX, Support",
) -> None:
    """The account dialog filled for the test Dovecot and SMTP recorder (plain, loopback)."""
    dialog.name.setText(name)
    dialog.address.setText("support@desk.test")
    dialog.sender_name.setText("Desk Support")
    dialog.password.setText(PASSWORD)
    for box, port in ((dialog.imap, dovecot.imap_port), (dialog.smtp, smtp.port)):
        box.security.setCurrentIndex(box.security.findData("plain"))
        box.host.setText("127.0.0.1")
        box.port.setValue(port)
    dialog.imap.username.setText("desk")
    dialog.folders.setText(folders)

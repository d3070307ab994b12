"""Email in the real main window (offscreen): mail fetched from a real Dovecot through the real
path, then shown. A broken message carries its warning and its attachment on the bubble; the
raw source opens from the link and from Ctrl+U; attachments open and save; inline cid: images
come from the profile's stored parts; auto-replies and bounces say why they are automatic."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from email_servers import Dovecot, corpus
from mail_ui_kit import click_link, link_point, open_window, screenshot, show_mail
from PySide6.QtCore import QBuffer, QIODevice, QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFontInfo,
    QGuiApplication,
    QImage,
    QPainter,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QMenu, QPlainTextEdit
from pytestqt.qtbot import QtBot

from desk_app.app import DeskApp
from desk_app.channels.email.blobs import BlobStore
from desk_app.services.context import ServiceContext
from desk_app.services.fetcher import AccountFetcher
from desk_app.services.message_files import OPENED_DIR, clear_opened, decode_source
from desk_app.ui.cheatsheet import CheatSheet
from desk_app.ui.main_window import MainWindow
from desk_app.ui.ops import Ops
from desk_app.ui.palette import CommandPalette
from desk_app.ui.source_dialog import LOAD_IN_BACKGROUND, MAX_SHOWN, SourceDialog

BOUNCE = corpus("dsn_bounce.eml").replace(b"{{ORIGINAL_ID}}", b"<reply-1@desk.test>")
AUTO_REPLY = corpus("auto_reply.eml").replace(b"{{ORIGINAL_ID}}", b"<reply-2@desk.test>")


def big_mail(size: int) -> bytes:
    """A customer mail whose attachment makes the source ``size`` bytes or more."""
    line = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2"
    lines = b"\r\n".join([line] * (size // len(line) + 1))
    return (
        b"From: Big Sender <big@example.com>\r\nTo: support@desk.test\r\n"
        b"Subject: Logs attached\r\nDate: Mon, 16 Nov 2026 17:00:00 +0000\r\n"
        b"Message-ID: <big-1@example.com>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nThe logs.\r\n--b\r\n"
        b'Content-Type: application/octet-stream; name="logs.bin"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + lines + b"\r\n--b--\r\n"
    )


BIG = big_mail(2 * LOAD_IN_BACKGROUND)
FOLLOW_UP = (  # the same customer again, threaded under the broken mail: same ticket
    b"From: Half <half@example.com>\r\nTo: support@desk.test\r\n"
    b"Subject: Re: Truncated attachment\r\nDate: Mon, 16 Nov 2026 16:45:00 +0000\r\n"
    b"Message-ID: <broken-3@example.com>\r\nIn-Reply-To: <broken-2@example.com>\r\n"
    b"References: <broken-2@example.com>\r\n\r\nDid the file arrive?\r\n"
)


def png(width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#3f6fd8"))
    painter = QPainter(image)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, "Error 0x80070005")
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def inline_image_mail(image: bytes) -> bytes:
    """multipart/related: HTML that shows its own image part by cid:, and a remote tracker."""
    encoded = base64.encodebytes(image).replace(b"\n", b"\r\n")
    return (
        b"From: Olga <olga@example.com>\r\nTo: support@desk.test\r\n"
        b"Subject: Error on start\r\nDate: Mon, 16 Nov 2026 18:00:00 +0000\r\n"
        b"Message-ID: <inline-2@example.com>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related; boundary="r"\r\n\r\n--r\r\n'
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b'<p>This is what I see:</p><p><img src="cid:err@example.com" alt="error"></p>'
        b'<img src="https://tracker.example/open.gif">\r\n--r\r\n'
        b"Content-Type: image/png\r\nContent-ID: <err@example.com>\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + encoded + b"--r--\r\n"
    )


@pytest.fixture
def desk(
    qapp: QApplication,
    dovecot: Dovecot,
    email_account: Callable[..., str],
    fetcher_for: Callable[[str], AccountFetcher],
    ctx: ServiceContext,
    profile_dir: Path,
) -> Iterator[DeskApp]:
    dovecot.append(
        "INBOX",
        [
            corpus("broken_base64.eml"),
            corpus("cid_images.eml"),
            corpus("hostile_html.eml"),
            AUTO_REPLY,
            BOUNCE,
            BIG,
            inline_image_mail(png(240, 90)),
            FOLLOW_UP,
        ],
    )
    report = fetcher_for(email_account()).sync()
    assert report.stored == 8
    app = DeskApp(profile_dir, seed=None)  # its fetch worker finds nothing new in Dovecot
    yield app
    app.close()


@pytest.fixture
def window(qtbot: QtBot, desk: DeskApp) -> Iterator[MainWindow]:
    with open_window(qtbot, desk) as win:
        yield win


class UrlCatcher(QObject):
    """Receives what the window hands to the desktop (QDesktopServices' own hook)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def take(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def desktop() -> Iterator[UrlCatcher]:
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "take")
    yield catcher
    QDesktopServices.unsetUrlHandler("file")


def source_dialog(qtbot: QtBot, window: MainWindow) -> SourceDialog:
    qtbot.waitUntil(lambda: window.mail_files.source_dialog is not None, timeout=5_000)
    dialog = window.mail_files.source_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    return dialog


@pytest.mark.timeout(90)
def test_broken_mail_shows_warning_attachment_and_its_raw_source(
    qtbot: QtBot, window: MainWindow, ctx: ServiceContext, tmp_path: Path
) -> None:
    message_id = show_mail(qtbot, window, ctx, "<broken-2@example.com>")
    text = window.conversation.toPlainText()
    assert "Not everything in this message could be decoded" in text
    assert "CloseBoundaryNotFoundDefect" in text
    assert "data.bin" in text and "(26 B)" in text
    screenshot(window.conversation, tmp_path, "email-bubble-warning-attachment-en.png")

    click_link(qtbot, window.conversation, f"desk:source/{message_id}")
    dialog = source_dialog(qtbot, window)
    raw = corpus("broken_base64.eml")
    assert dialog.view.toPlainText() == raw.decode("utf-8").replace("\r\n", "\n")
    assert dialog.view.isReadOnly()
    assert isinstance(dialog.view, QPlainTextEdit)  # plain text: nothing in it is rendered
    assert QFontInfo(dialog.view.font()).fixedPitch()
    assert "shown as UTF-8" in dialog.info.text()
    dialog.copy_all()
    assert QGuiApplication.clipboard().text() == raw.decode("utf-8")
    saved = tmp_path / "message.eml"
    window.mail_files.save_path = lambda _parent, _name: str(saved)
    qtbot.keyClick(dialog.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saved.read_bytes() == raw  # the bytes as they arrived, not the decoded text
    screenshot(dialog, tmp_path, "email-source-dialog-en.png")
    dialog.close()


@pytest.mark.timeout(90)
def test_ctrl_u_opens_the_source_of_the_newest_customer_mail_off_the_ui_thread_when_big(
    qtbot: QtBot, window: MainWindow, ctx: ServiceContext
) -> None:
    show_mail(qtbot, window, ctx, "<big-1@example.com>")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    opened = window.mail_files.source_dialog
    assert opened is not None  # shown at once, before the source is read:
    assert opened.loading  # the read runs on the reader pool; the window stays responsive
    assert opened.info.text() == "Loading…"
    dialog = source_dialog(qtbot, window)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10_000)
    assert dialog.error is None and dialog.loaded is not None
    assert dialog.loaded.raw == BIG
    assert dialog.view.toPlainText().startswith("From: Big Sender <big@example.com>")
    dialog.close()


@pytest.mark.timeout(90)
def test_ctrl_u_takes_the_message_clicked_into_else_the_newest(
    qtbot: QtBot, window: MainWindow, ctx: ServiceContext
) -> None:
    first = show_mail(qtbot, window, ctx, "<broken-2@example.com>")
    view = window.conversation
    newest = view.last_customer_message(lambda _m: True)
    assert newest is not None and newest.subject == "Re: Truncated attachment"
    qtbot.keyClick(window.table, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    dialog = source_dialog(qtbot, window)
    assert "Message-ID: <broken-3@example.com>" in dialog.view.toPlainText()
    dialog.close()

    # A click into the first mail's text, then Ctrl+U: that mail's source.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    point = link_point(view, f"desk:source/{first}")  # a spot inside the first bubble
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point - QPoint(40, 0))
    qtbot.waitUntil(view.hasFocus, timeout=5_000)
    assert view.message_at_cursor() is not None and view.message_at_cursor().id == first  # type: ignore[union-attr]
    qtbot.keyClick(view, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    dialog = source_dialog(qtbot, window)
    assert "Message-ID: <broken-2@example.com>" in dialog.view.toPlainText()
    dialog.close()


@pytest.mark.timeout(60)
def test_a_huge_source_shows_its_beginning_and_saves_whole(qtbot: QtBot, tmp_path: Path) -> None:
    raw = big_mail(MAX_SHOWN + 300_000)
    ops = Ops()
    saved = tmp_path / "huge.eml"
    dialog = SourceDialog(
        lambda: raw, len(raw), ops, "Logs", save_path=lambda _parent, _name: str(saved)
    )
    qtbot.addWidget(dialog)
    assert dialog.loading
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10_000)
    assert dialog.loaded is not None and dialog.loaded.truncated
    assert len(dialog.view.toPlainText()) <= MAX_SHOWN
    assert "only the beginning is shown" in dialog.info.text()
    dialog.save_as()
    assert saved.read_bytes() == raw
    ops.shutdown()


@pytest.mark.timeout(60)
def test_missing_source_says_so(qtbot: QtBot) -> None:
    def gone() -> bytes:
        raise FileNotFoundError("no such blob")

    dialog = SourceDialog(gone, 100, Ops(), "Gone")
    qtbot.addWidget(dialog)
    assert dialog.info.text() == "The source of this message is not stored on this computer."
    assert not dialog.copy_button.isEnabled() and not dialog.save_button.isEnabled()


def test_source_that_is_not_utf8_is_shown_byte_for_byte_as_latin1() -> None:
    raw = b"Subject: \xcf\xf0\xe8\xe2\xe5\xf2\r\n\r\n\x00body\r\n"  # cp1251, not UTF-8; a NUL
    text, encoding = decode_source(raw)
    assert encoding == "Latin-1"
    assert text == "Subject: Ïðèâåò\r\n\r\n\ufffdbody\r\n"  # every byte one character
    assert decode_source("Привет".encode())[0] == "Привет"


@pytest.mark.timeout(90)
def test_attachment_opens_in_the_system_viewer_and_saves_elsewhere(
    qtbot: QtBot,
    window: MainWindow,
    ctx: ServiceContext,
    tmp_path: Path,
    profile_dir: Path,
    desktop: UrlCatcher,
) -> None:
    message_id = show_mail(qtbot, window, ctx, "<broken-2@example.com>")
    meta = window.conversation.message(message_id).meta  # type: ignore[union-attr]
    stored = BlobStore.for_profile(profile_dir).get(meta["attachments"][0]["sha256"])
    assert hashlib.sha256(stored).hexdigest() == meta["attachments"][0]["sha256"]

    click_link(qtbot, window.conversation, f"desk:open-attachment/{message_id}/0")
    qtbot.waitUntil(lambda: len(desktop.urls) == 1, timeout=5_000)
    opened = Path(desktop.urls[0].toLocalFile())
    assert opened.name == "data.bin" and opened.read_bytes() == stored
    assert opened.parent != BlobStore.for_profile(profile_dir).root  # a copy, never the store
    assert opened.is_relative_to(profile_dir / OPENED_DIR)  # not left behind in /tmp
    clear_opened(profile_dir)  # what the next start does
    assert not opened.exists()

    target = tmp_path / "saved" / "data.bin"
    target.parent.mkdir()
    window.mail_files.save_path = lambda _parent, name: str(target.with_name(f"my-{name}"))
    click_link(qtbot, window.conversation, f"desk:save-attachment/{message_id}/0")
    saved = target.with_name("my-data.bin")
    qtbot.waitUntil(saved.exists, timeout=5_000)
    assert saved.read_bytes() == stored

    # The keyboard way: Ctrl+Shift+A lists Open/Save for each attachment of the newest mail.
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    menu = window.mail_files.menu
    assert isinstance(menu, QMenu)
    qtbot.waitUntil(menu.isVisible, timeout=5_000)
    titles = [a.text() for a in menu.actions()]
    assert titles == ["Open data.bin (26 B)", "Save data.bin (26 B)…"]
    qtbot.keyClick(menu, Qt.Key.Key_Down)
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(desktop.urls) == 2, timeout=5_000)
    assert Path(desktop.urls[1].toLocalFile()).read_bytes() == stored


@pytest.mark.timeout(90)
def test_inline_cid_image_comes_from_the_profile_and_nothing_remote_loads(
    qtbot: QtBot, window: MainWindow, ctx: ServiceContext, profile_dir: Path, tmp_path: Path
) -> None:
    view = window.conversation
    for message_id, cid, size in (
        ("<cid-1@example.com>", "shot1@example.com", (1, 1)),
        ("<inline-2@example.com>", "err@example.com", (240, 90)),
    ):
        stored_id = show_mail(qtbot, window, ctx, message_id)
        image = view.document().resource(
            QTextDocument.ResourceType.ImageResource, QUrl(f"cid:{cid}")
        )
        assert isinstance(image, QImage) and (image.width(), image.height()) == size
        part = view.message(stored_id).meta["attachments"][0]  # type: ignore[union-attr]
        assert image == QImage.fromData(BlobStore.for_profile(profile_dir).get(part["sha256"]))
        assert part["name"] not in view.toPlainText()  # shown inline, not listed as a file
    screenshot(view, tmp_path, "email-cid-image-en.png")
    # Every other scheme stays refused, also for an address a message might carry.
    for url in ("https://tracker.example/pixel.png", "file:///etc/passwd", "data:image/png,xx"):
        assert view.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl(url)) is None
        assert url in view.refused
    assert (
        view.loadResource(
            QTextDocument.ResourceType.ImageResource.value, QUrl("cid:not-in-this-ticket@x")
        )
        is None
    )

    show_mail(qtbot, window, ctx, "<hostile-1@evil.example>")
    assert not [u for u in view.refused if u.startswith("cid:")]


@pytest.mark.timeout(90)
def test_auto_reply_and_bounce_say_why_they_are_automatic(
    qtbot: QtBot, window: MainWindow, ctx: ServiceContext, tmp_path: Path
) -> None:
    show_mail(qtbot, window, ctx, "<ooo-1@example.ru>")
    assert "Automatic message, never answered automatically: automatic reply" in (
        window.conversation.toPlainText()
    )
    show_mail(qtbot, window, ctx, "<bounce-1@mx.desk.test>")
    text = window.conversation.toPlainText()
    assert "delivery failure report (bounce): nobody@example.org 5.1.1 — 550 5.1.1" in text
    screenshot(window.conversation, tmp_path, "email-bounce-en.png")


@pytest.mark.timeout(90)
def test_new_actions_are_in_the_cheat_sheet_and_translated(
    qtbot: QtBot, window: MainWindow, ctx: ServiceContext, tmp_path: Path
) -> None:
    sheet = CheatSheet(window.registry, window).view.toPlainText()
    assert "View message source" in sheet and "Ctrl+U" in sheet
    assert "Open or save an attachment…" in sheet and "Ctrl+Shift+A" in sheet
    palette = CommandPalette(window.registry, window)
    palette.query.setText("source")
    assert palette.list.item(0).text() == "View message source    Ctrl+U"
    palette.deleteLater()

    show_mail(qtbot, window, ctx, "<broken-2@example.com>")
    window.set_language("ru")
    view = window.conversation
    qtbot.waitUntil(lambda: "Вложение:" in view.toPlainText(), timeout=5_000)
    text = view.toPlainText()
    assert "Не всё в этом письме удалось декодировать" in text
    assert "data.bin" in text and "(26 Б)" in text
    assert window.registry.actions["view_source"].text() == "Исходный текст письма"
    screenshot(window.conversation, tmp_path, "email-bubble-warning-attachment-ru.png")
    qtbot.keyClick(window.table, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    dialog = source_dialog(qtbot, window)
    assert dialog.windowTitle() == "Исходный текст письма — Re: Truncated attachment"
    screenshot(dialog, tmp_path, "email-source-dialog-ru.png")
    dialog.close()

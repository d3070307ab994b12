"""Fixtures for the operator-tool widgets (import the ``*_fixture`` functions; tests ask for them
by their names ``ops``, ``samples``, ``ivans``): a real profile with the shipped samples, four
"Ivan Ivanovs" from different channels, and an Ops runner (imported by the widget tests)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desk_app.domain.enums import Channel
from desk_app.services.context import ServiceContext
from desk_app.services.ingest import ingest_items
from desk_app.services.operator_samples import ensure_operator_samples
from desk_app.ui.ops import Ops
from tests.conftest import incoming


@pytest.fixture(name="ops")
def ops_fixture(qtbot: QtBot) -> Iterator[Ops]:
    runner = Ops()
    yield runner
    runner.shutdown()


@pytest.fixture(name="samples")
def samples_fixture(ctx: ServiceContext) -> ServiceContext:
    replies, articles = ensure_operator_samples(ctx)
    assert replies >= 20 and articles >= 30
    return ctx


@dataclass
class Ivans:
    telegram: str  # customer ids
    play: str
    mail: str
    namesake: str  # a different Ivan, with his own address
    ticket: str  # the Telegram conversation


def ticket_customer(ctx: ServiceContext, ticket_ids: frozenset[str]) -> tuple[str, str]:
    from sqlalchemy import select

    from desk_app.store.models import Ticket

    with ctx.read() as session:
        (ticket,) = session.scalars(select(Ticket).where(Ticket.id.in_(ticket_ids)))
        return ticket.id, ticket.customer_id


@pytest.fixture(name="ivans")
def ivans_fixture(ctx: ServiceContext, account_for: Callable[[Channel], str]) -> Ivans:
    def arrive(channel: Channel, text: str, author: str, name: str) -> tuple[str, str]:
        result = ingest_items(
            ctx, account_for(channel), [incoming(text, author=author, name=name, thread=author)]
        )
        return ticket_customer(ctx, result.changes.tickets)

    ticket, telegram = arrive(
        Channel.TELEGRAM,
        "Android, версия 134. У друга есть фильтры, а у меня нет",
        "tg-1",
        "Иван Иванов",
    )
    _, play = arrive(Channel.GOOGLE_PLAY, "Great app, 5 stars", "gp-1", "Ivan Ivanov")
    _, mail = arrive(Channel.EMAIL, "Filters are gone", "ivan@mail.ru", "ivanov ivan")
    _, namesake = arrive(Channel.EMAIL, "Где мой заказ?", "i.ivanov@yandex.ru", "Иван Иванов")
    return Ivans(telegram, play, mail, namesake, ticket)


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` key by key. (QTest.keyClicks aborts on characters outside Latin-1, so
    Cyrillic is sent as key events carrying the character, as a keyboard layout does.)"""
    for char in text:
        code = ord(char.upper()) if char.isascii() else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, code, Qt.KeyboardModifier.NoModifier, char)
            )
        QApplication.processEvents()

"""Renders the operator-tool widgets offscreen, in English and Russian, to docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_operator_tools.py

Builds a throwaway profile with the shipped samples and four "Ivan Ivanovs" from different
channels, opens each widget on real data, waits for its data to load, and grabs it to PNG.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desk_app.channels.base import IncomingAuthor, IncomingItem  # noqa: E402
from desk_app.domain.enums import Channel  # noqa: E402
from desk_app.services.canned import CannedLibrary  # noqa: E402
from desk_app.services.context import ServiceContext  # noqa: E402
from desk_app.services.customers_merge import CustomerMerger  # noqa: E402
from desk_app.services.ingest import ingest_items  # noqa: E402
from desk_app.services.kb import KnowledgeBase  # noqa: E402
from desk_app.services.operator_samples import ensure_operator_samples  # noqa: E402
from desk_app.services.tone_check import ToneService  # noqa: E402
from desk_app.store.db import open_database  # noqa: E402
from desk_app.store.models import Agent, ChannelAccount, Ticket  # noqa: E402
from desk_app.ui import theme  # noqa: E402
from desk_app.ui.canned_picker import CannedPicker  # noqa: E402
from desk_app.ui.i18n import Translations  # noqa: E402
from desk_app.ui.kb_panel import KbPanel  # noqa: E402
from desk_app.ui.merge_dialog import MergeDialog  # noqa: E402
from desk_app.ui.ops import Ops  # noqa: E402
from desk_app.ui.tone_warnings import SendCheckDialog  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CUSTOMERS = [
    (
        Channel.TELEGRAM,
        "tg-1",
        "Иван Иванов",
        "Android, версия 134. У друга есть фильтры, а у меня нет",
    ),
    (Channel.GOOGLE_PLAY, "gp-1", "Ivan Ivanov", "Great app, 5 stars, love the new search"),
    (Channel.EMAIL, "ivan@mail.ru", "ivanov ivan", "Filters are gone after the update"),
    (Channel.EMAIL, "i.ivanov@yandex.ru", "Иван Иванов", "Где мой заказ? Трек-номер не меняется"),
]


def build_profile(directory: Path) -> tuple[ServiceContext, str]:
    _engine, sessions = open_database(directory / "desk.sqlite3")
    ctx = ServiceContext(sessions)
    with ctx.write() as session:
        agent = Agent(name="Анна Смирнова", role="lead")
        session.add(agent)
        session.flush()
        ctx.agent_id = agent.id
    ensure_operator_samples(ctx)
    accounts: dict[Channel, str] = {}
    first_ticket = ""
    for n, (channel, author, name, text) in enumerate(CUSTOMERS):
        if channel not in accounts:
            with ctx.write() as session:
                account = ChannelAccount(channel=channel, name=str(channel), simulated=True)
                session.add(account)
                session.flush()
                accounts[channel] = account.id
        item = IncomingItem(
            external_id=f"shot-{n}",
            author=IncomingAuthor(author, name),
            sent_at=datetime(2026, 11, 20, 9, n, tzinfo=UTC),
            body_text=text,
            thread_key=author,
        )
        result = ingest_items(ctx, accounts[channel], [item])
        if not first_ticket:
            (first_ticket,) = result.changes.tickets
    return ctx, first_ticket


def settle(ops: Ops, msecs: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(msecs, loop.quit)
    loop.exec()
    ops.wait_idle()
    QApplication.processEvents()


def grab(widget: QWidget, name: str, ops: Ops) -> None:
    widget.show()
    settle(ops)
    widget.grab().save(str(OUT / name))
    print(OUT / name)


def start_app() -> Translations:
    """The application in the light theme, output folder ready; switch languages with the
    returned translations."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    theme.apply_theme(app, "light")
    OUT.mkdir(parents=True, exist_ok=True)
    return Translations(app)


def main() -> int:
    translations = start_app()
    with tempfile.TemporaryDirectory() as tmp:
        ctx, ticket = build_profile(Path(tmp))
        with ctx.read() as session:
            customer = session.get(Ticket, ticket).customer_id  # type: ignore[union-attr]
        ops = Ops()
        for language in ("en", "ru"):
            translations.apply(language)
            merge = MergeDialog(CustomerMerger(ctx), ops, customer)
            merge.resize(980, 560)
            grab(merge, f"operator-merge-{language}.png", ops)
            picker = CannedPicker(CannedLibrary(ctx), ops, ticket, language="ru")
            settle(ops)
            picker.search.setText("отзыв")
            grab(picker, f"operator-canned-{language}.png", ops)
            panel = KbPanel(KnowledgeBase(ctx), ops)
            panel.resize(380, 640)
            panel.set_ticket(ticket)
            grab(panel, f"operator-kb-suggest-{language}.png", ops)
            panel.search.setText("обнавление")
            panel.refresh()
            grab(panel, f"operator-kb-search-{language}.png", ops)
            text = "Доводим до вашего сведения, что мы знаем о проблеме и скоро исправим!!!"
            check = SendCheckDialog(text, hits=ToneService().check(text))
            grab(check, f"operator-tone-{language}.png", ops)
            for widget in (merge, picker, panel, check):
                widget.close()
        ops.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

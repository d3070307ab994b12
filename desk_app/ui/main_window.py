"""The main window: queues | ticket list | conversation + composer | customer card.

It renders and reacts only. Every read and write goes through :class:`Ops` (off the UI thread);
what to refresh is decided from the :class:`Changes` the bus publishes, whoever made them (this
window, the outbox worker, a fetcher, sync).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.app import DeskApp
from desk_app.domain.enums import Priority, TicketStatus
from desk_app.services import preferences, queries
from desk_app.services.changes import Changes
from desk_app.services.message_files import MessageFiles
from desk_app.services.queries import (
    AgentInfo,
    CustomerCard,
    QueueInfo,
    QueueKey,
    QueueKind,
    TicketDetail,
    TicketRow,
)
from desk_app.ui import theme
from desk_app.ui.actions import GROUPS, ActionRegistry
from desk_app.ui.attachments import MailFileActions
from desk_app.ui.composer import Composer
from desk_app.ui.conversation import ConversationView
from desk_app.ui.customer_card import CustomerCardView
from desk_app.ui.fetch_status import FetchStatusIndicator
from desk_app.ui.i18n import Translations
from desk_app.ui.icons import icon
from desk_app.ui.ops import ChangeBridge, Ops
from desk_app.ui.presence_banner import PresenceBanner, confirm_send_despite

if TYPE_CHECKING:  # imported when first needed, after the inbox is painted (cold start)
    from desk_app.ui.kb_panel import KbPanel
    from desk_app.ui.merge_dialog import DuplicatesBadge
    from desk_app.ui.sync_status import SyncStatusIndicator
from desk_app.ui.queue_list import KEY_ROLE, QueueDelegate, QueueListModel
from desk_app.ui.ticket_bar import TicketBar
from desk_app.ui.ticket_model import COL, TicketListModel

SEARCH_DELAY_MS = 250
COUNTS_DELAY_MS = 300
SLA_TICK_MS = 60_000
DEFAULT_QUEUE = QueueKey(QueueKind.ACTIVE)
# Queues, ticket list, conversation and side pane share the window's width in this proportion
# (at 1440 px: ~180, ~615, ~415, ~220), so a laptop-sized window still shows whole subjects.
SPLIT_SHARES = (125, 430, 290, 155)
NAME_WIDTH = 84  # customer and assignee names ("Anna Petrova"); longer ones elide


class MainWindow(QMainWindow):
    inbox_ready = Signal()  # the first page of the first queue has been painted
    ticket_shown = Signal(str)  # a conversation was rendered (ticket id)
    queue_shown = Signal(object)  # a queue's first page arrived (QueueKey)

    def __init__(self, desk: DeskApp, translations: Translations, prefs: dict[str, str]) -> None:
        super().__init__()
        self.desk = desk
        self.translations = translations
        self.prefs = dict(prefs)
        self.colors = theme.resolve(self.prefs["theme"])
        self.ops = Ops(self)
        self.bridge = ChangeBridge(desk.ctx.bus, self)
        self.bridge.changed.connect(self._on_changes)
        self.ops.failed.connect(self._show_error)
        self.agents: list[AgentInfo] = []
        self.queue: QueueKey = DEFAULT_QUEUE
        self.searching = False
        self.detail: TicketDetail | None = None
        self.card: CustomerCard | None = None
        self.current_ticket: str | None = None
        self._current_row = -1
        self._first_paint_pending = True
        self._starting = False
        self._syncing_queue = False
        self._ready = False
        self.setObjectName("mainWindow")
        self.setWindowIcon(icon("desk"))
        self.resize(1440, 900)
        self._build()
        self.registry = ActionRegistry(self)
        self._bind_actions()
        self._build_menus()
        self.retranslate()
        self._apply_colors()

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.queue_model = QueueListModel(self)
        self.queue_list = QListView(self)
        self.queue_list.setObjectName("queueList")
        self.queue_list.setModel(self.queue_model)
        self.queue_list.setItemDelegate(QueueDelegate(self.queue_model))
        self.queue_list.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.queue_list.setIconSize(QSize(16, 16))
        self.queue_list.setUniformItemSizes(True)
        self.queue_list.selectionModel().currentChanged.connect(self._queue_clicked)
        self.queues_title = QLabel(self)
        self.queues_title.setObjectName("paneTitle")
        left = self._column(self.queues_title, self.queue_list)

        self.ticket_model = TicketListModel(self.ops, self)
        self.ticket_model.page_loaded.connect(self._page_loaded)
        self.ticket_model.load_failed.connect(self._show_error)
        self.table = QTableView(self)
        self.table.setObjectName("ticketTable")
        self.table.setModel(self.ticket_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL["subject"], QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(COL["channel"], 28)  # the other columns: see _fit_columns
        self.table.selectionModel().currentRowChanged.connect(self._ticket_row_changed)
        self.table.viewport().installEventFilter(self)
        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("searchBox")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(self._search_typed)
        self._search_timer = self._timer(SEARCH_DELAY_MS, self._run_search)
        self.list_title = QLabel(self)
        self.list_title.setObjectName("paneTitle")
        middle = self._column(self.search_box, self.list_title, self.table)

        self.ticket_bar = TicketBar(self)
        self.ticket_bar.status_chosen.connect(lambda s: self._set_status(TicketStatus(s)))
        self.ticket_bar.priority_chosen.connect(lambda p: self._set_priority(Priority(p)))
        self.ticket_bar.assignee_chosen.connect(lambda a: self._assign(a or None))
        self.ticket_bar.tags_entered.connect(self._set_tags)
        self.conversation = ConversationView(self)
        self.conversation.retry_requested.connect(self._retry)
        self.conversation.mark_sent_requested.connect(self._mark_sent)
        self.mail_files = MailFileActions(  # source, attachments, cid: images of mail
            MessageFiles(self.desk.profile_dir), self.ops, self.conversation, self.statusBar, self
        )
        self.composer = Composer(self)
        self.composer.send_requested.connect(self._send)
        self.composer.draft_changed.connect(self._save_draft)
        right = QSplitter(Qt.Orientation.Vertical, self)
        self.presence_banner = PresenceBanner(self)  # team mode: who else is on this ticket
        top = self._column(self.ticket_bar, self.presence_banner, self.conversation)
        right.addWidget(top)
        right.addWidget(self.composer)
        right.setStretchFactor(0, 4)
        right.setStretchFactor(1, 1)
        right.setChildrenCollapsible(False)

        self.card_view = CustomerCardView(self)
        self.card_view.open_ticket.connect(self._open_from_card)
        self.card_view.add_note.connect(self._add_customer_note)
        # The knowledge base goes here once the inbox is painted (see _operator_tools).
        self.kb_slot = self._column()
        self.kb_panel: KbPanel | None = None
        self.duplicates_badge: DuplicatesBadge | None = None
        side = QSplitter(Qt.Orientation.Vertical, self)
        side.addWidget(self.card_view)
        side.addWidget(self.kb_slot)
        side.setStretchFactor(0, 3)
        side.setStretchFactor(1, 2)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        for widget in (left, middle, right, side):
            self.splitter.addWidget(widget)
        for i, share in enumerate(SPLIT_SHARES):  # the window's width, shared out in proportion
            self.splitter.setStretchFactor(i, share)
        total = sum(SPLIT_SHARES)
        self.splitter.setSizes([self.width() * share // total for share in SPLIT_SHARES])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.status_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.status_label)
        self.sync_status: SyncStatusIndicator | None = None  # built once team sync runs
        self.fetch_status = FetchStatusIndicator(self.desk.ctx, self.ops, self)  # shown when busy
        self.statusBar().addPermanentWidget(self.fetch_status)
        self.bridge.changed.connect(self.fetch_status.on_changes)
        self._counts_timer = self._timer(COUNTS_DELAY_MS, self._load_queues)
        self._sla_timer = QTimer(self)
        self._sla_timer.setInterval(SLA_TICK_MS)
        self._sla_timer.timeout.connect(self._sla_tick)

    def _operator_tools(self) -> tuple[KbPanel, DuplicatesBadge]:
        """The knowledge-base panel, the duplicates badge on the card and placeholder
        highlighting in the composer (issue 6), built on first use: their modules (stemmer,
        transliteration, templates) are not needed to paint the inbox, so the window builds
        them right after the first paint instead of during the cold start."""
        if self.kb_panel is None or self.duplicates_badge is None:
            from desk_app.ui.canned_picker import highlight_unresolved
            from desk_app.ui.kb_panel import KbPanel
            from desk_app.ui.merge_dialog import DuplicatesBadge

            self.duplicates_badge = DuplicatesBadge(self.desk.merger, self.ops, self.card_view.body)
            self.duplicates_badge.open_requested.connect(self.show_duplicates)
            card_layout = self.card_view.body.layout()
            assert isinstance(card_layout, QVBoxLayout)
            card_layout.insertWidget(1, self.duplicates_badge)
            self.kb_panel = KbPanel(self.desk.kb, self.ops, self)
            self.kb_panel.insert_text.connect(self._insert_into_reply)
            slot_layout = self.kb_slot.layout()
            assert slot_layout is not None
            slot_layout.addWidget(self.kb_panel)
            edit = self.composer.edit
            edit.textChanged.connect(lambda: highlight_unresolved(edit))
        return self.kb_panel, self.duplicates_badge

    def focus_knowledge_base(self) -> None:
        self._operator_tools()[0].search.setFocus()

    def _column(self, *widgets: QWidget) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for i, widget in enumerate(widgets):
            layout.addWidget(widget, 1 if i == len(widgets) - 1 else 0)
        return box

    def _timer(self, msecs: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(msecs)
        timer.timeout.connect(slot)
        return timer

    def _build_menus(self) -> None:
        self.menus = {}
        for group in GROUPS:
            menu = self.menuBar().addMenu("")
            for spec in self.registry.in_group(group):
                menu.addAction(self.registry.actions[spec.id])
            self.menus[group] = menu

    def _bind_actions(self) -> None:
        bind = self.registry.bind
        bind("next_ticket", lambda: self.move_ticket(1))
        bind("prev_ticket", lambda: self.move_ticket(-1))
        bind("next_queue", lambda: self.move_queue(1))
        bind("prev_queue", lambda: self.move_queue(-1))
        bind("search", self.focus_search)
        bind("focus_list", self.focus_list)
        bind("reply", lambda: self._compose(note=False))
        bind("note", lambda: self._compose(note=True))
        bind("send", self.composer.send)
        bind("customer_note", self.card_view.focus_note)
        bind("canned", self.show_canned)
        bind("knowledge_base", self.focus_knowledge_base)
        bind("duplicates", lambda: self.show_duplicates(None))
        bind("resolve", lambda: self._set_status(TicketStatus.RESOLVED))
        bind("pending", lambda: self._set_status(TicketStatus.PENDING))
        bind("reopen", lambda: self._set_status(TicketStatus.OPEN))
        bind("close", lambda: self._set_status(TicketStatus.CLOSED))
        bind("assign_me", lambda: self._assign(self.desk.ctx.agent_id))
        bind("assign_other", self.choose_assignee)
        for priority in Priority:
            bind(f"priority_{int(priority)}", self._priority_setter(priority))
        bind("tags", self.ticket_bar.focus_tags)
        bind("retry", lambda: self._attention(self._retry))
        bind("mark_sent", lambda: self._attention(self._mark_sent, in_doubt_only=True))
        bind("view_source", self.mail_files.show_last_source)
        bind("attachments", self.mail_files.choose_last_attachment)
        bind("canned_library", self.show_canned_library)
        bind("kb_drafts", self.show_kb_drafts)
        bind("palette", self.show_palette)
        bind("cheatsheet", self.show_cheatsheet)
        bind("settings", self.show_settings)
        bind("accounts", self.show_accounts)
        bind("toggle_theme", self.toggle_theme)
        bind("toggle_language", self.toggle_language)
        bind("quit", self.quit)

    def quit(self) -> None:
        self.close()

    def _priority_setter(self, priority: Priority) -> Callable[[], None]:
        return lambda: self._set_priority(priority)

    # -- start -------------------------------------------------------------------------------
    def start(self) -> None:
        """Show the inbox as soon as possible: first page first, counts and agents after."""
        self.ops.read(self.desk.prepare, self._prepared)

    def _prepared(self, _result: Any) -> None:
        self._starting = True
        self.select_queue(DEFAULT_QUEUE)  # alone first: nothing competes with the first page

    def _after_first_page(self) -> None:
        self._operator_tools()
        self._page_loaded(self.ticket_model.rowCount())  # select and open the first ticket
        self._load_queues()
        self.ops.read(self._read(queries.list_agents), self._agents_loaded)
        self.fetch_status.attach(self.desk.fetch_progress)  # before any worker reports
        # Starting workers reads accounts and builds connectors: a reader thread does it.
        self.ops.read(self.desk.start_workers, self._workers_started)
        self._sla_timer.start()

    def _workers_started(self, _result: Any) -> None:
        team = self.desk.team_sync
        if team is None:
            return
        from desk_app.ui.sync_status import SyncStatusIndicator

        if self.sync_status is None:
            self.sync_status = SyncStatusIndicator(self)
            self.statusBar().addPermanentWidget(self.sync_status)
        team.status_listeners.append(self.sync_status.post)
        team.presence_listeners.append(self.presence_banner.post)
        self.sync_status.post(team.worker.status)
        self.sync_status.show()

    def _tell_presence(self, ticket_id: str | None, *, replying: bool = False) -> None:
        if self.desk.team_sync is not None:
            self.presence_banner.show_ticket(ticket_id)
            self.desk.team_sync.presence.set_ticket(ticket_id, replying=replying)

    def _read(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[], Any]:
        """A function for the reader pool: one short session, plain data out."""

        def run() -> Any:
            with self.desk.ctx.read() as session:
                return fn(session, *args, **kwargs)

        return run

    def _agents_loaded(self, agents: list[AgentInfo]) -> None:
        self.agents = agents
        self.ticket_bar.set_agents(agents)
        me = next((a.name for a in agents if a.id == self.desk.ctx.agent_id), None)
        self.status_label.setText(self.tr("Operator: {0}").format(me) if me else "")

    # -- queues ------------------------------------------------------------------------------
    def _load_queues(self) -> None:
        self.ops.read(
            self._read(
                queries.queue_infos, agent_id=self.desk.ctx.agent_id, now=self.desk.ctx.now()
            ),
            self._queues_loaded,
        )

    def _queues_loaded(self, queues: list[QueueInfo]) -> None:
        self.queue_model.set_queues(queues)
        self._highlight_queue()

    def _highlight_queue(self) -> None:
        row = self.queue_model.row_of(self.queue)
        selection = self.queue_list.selectionModel()
        self._syncing_queue = True  # the view repaints just the two rows that changed
        try:
            if row is None or self.searching:
                selection.clear()
            else:
                selection.setCurrentIndex(
                    self.queue_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
        finally:
            self._syncing_queue = False

    def _queue_clicked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing_queue:
            return
        key = current.data(KEY_ROLE)
        if isinstance(key, QueueKey):
            self.select_queue(key)

    def select_queue(self, key: QueueKey) -> None:
        self.queue = key
        self.searching = False
        if self.search_box.text():
            self.search_box.blockSignals(True)
            self.search_box.clear()
            self.search_box.blockSignals(False)
        self._highlight_queue()
        self._update_list_title()
        ctx = self.desk.ctx
        self._current_row = -1

        def page(offset: int, limit: int) -> list[TicketRow]:
            with ctx.read() as session:
                return queries.queue_page(
                    session, key, agent_id=ctx.agent_id, now=ctx.now(), offset=offset, limit=limit
                )

        self.ticket_model.set_source(page)

    def move_queue(self, step: int) -> None:
        count = self.queue_model.rowCount()
        if not count:
            return
        row = self.queue_model.row_of(self.queue)
        row = 0 if row is None else (row + step) % count
        self.select_queue(self.queue_model.queues[row].key)

    def _update_list_title(self) -> None:
        if self.searching:
            self.list_title.setText(self.tr("Search: {0}").format(self.search_box.text()))
            return
        row = self.queue_model.row_of(self.queue)
        if row is None:
            self.list_title.setText("")
            return
        from desk_app.ui.labels import queue_name

        info = self.queue_model.queues[row]
        self.list_title.setText(f"{queue_name(info)} · {info.count}")

    # -- the list ----------------------------------------------------------------------------
    def _page_loaded(self, _count: int) -> None:
        self._ready = True
        if self._starting:
            # Cold start: nothing else (counts, agents, workers, opening the first ticket) may
            # compete with painting the first page; all of it starts once it is on screen, as
            # its own event (queued), so whoever waits for inbox_ready is not held up by it.
            self._starting = False
            self.inbox_ready.connect(
                lambda: QTimer.singleShot(0, self._after_first_page),
                Qt.ConnectionType.SingleShotConnection,
            )
            self.table.viewport().update()
            return
        if not self.searching:
            self.queue_shown.emit(self.queue)
        if self.current_ticket is not None:
            row = self.ticket_model.row_of(self.current_ticket)
            if row is not None:  # the open ticket is still here: keep it selected
                self._select_row(row, open_ticket=False)
                return
        # Nothing open yet, or the open ticket left this list (resolved, reassigned): open the
        # ticket now at the same position, so E, E, E works through a queue.
        count = self.ticket_model.rowCount()
        if count:
            self._select_row(min(max(self._current_row, 0), count - 1))
        else:
            self._show_ticket(None)
        self.table.viewport().update()

    def _select_row(self, row: int, *, open_ticket: bool = True) -> None:
        selection = self.table.selectionModel()
        if not open_ticket:
            selection.blockSignals(True)
        selection.setCurrentIndex(
            self.ticket_model.index(row, COL["subject"]),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        if not open_ticket:
            selection.blockSignals(False)
            self._current_row = row
            self.table.viewport().update()
        self.table.scrollTo(self.ticket_model.index(row, 0))

    def _ticket_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.ticket_model.ticket_at(current.row()) if current.isValid() else None
        if row is None:
            return
        self._current_row = current.row()
        if row.id != self.current_ticket:
            self.open_ticket(row.id)

    def move_ticket(self, step: int) -> None:
        count = self.ticket_model.rowCount()
        if not count:
            return
        row = max(0, min(count - 1, self._current_row + step))
        if step > 0 and row >= count - 3 and self.ticket_model.canFetchMore():
            self.ticket_model.fetchMore()
        self._select_row(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self._first_paint_pending
            and watched is self.table.viewport()
            and event.type() == QEvent.Type.Paint
            and self._ready
        ):
            self._first_paint_pending = False
            QTimer.singleShot(0, self.inbox_ready.emit)
        return super().eventFilter(watched, event)

    # -- search ------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _search_typed(self, _text: str) -> None:
        self._search_timer.start()

    def _run_search(self) -> None:
        text = self.search_box.text().strip()
        if not text:
            if self.searching:
                self.select_queue(self.queue)
            return
        self.searching = True
        self._current_row = -1
        self._highlight_queue()
        self._update_list_title()
        ctx = self.desk.ctx

        def hits(_offset: int, limit: int) -> list[TicketRow]:
            with ctx.read() as session:
                found = queries.search(session, text, now=ctx.now(), limit=limit)
            return [hit.row for hit in found]

        self.ticket_model.set_source(hits, paged=False)

    def focus_list(self) -> None:
        if self.search_box.hasFocus() and self.search_box.text():
            self.search_box.clear()
            self._search_timer.stop()
            self._run_search()
        elif self.composer.edit.hasFocus():
            self.composer.flush_draft()
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- one ticket --------------------------------------------------------------------------
    def open_ticket(self, ticket_id: str) -> None:
        self.current_ticket = ticket_id
        self._load_ticket(ticket_id, with_card=True)

    def _load_ticket(self, ticket_id: str, *, with_card: bool) -> None:
        ctx = self.desk.ctx

        def load() -> tuple[TicketDetail | None, CustomerCard | None]:
            with ctx.read() as session:
                detail = queries.ticket_detail(session, ticket_id, now=ctx.now())
                card = (
                    queries.customer_card(session, detail.customer_id)
                    if detail is not None and with_card
                    else None
                )
            return detail, card

        self.ops.read(load, lambda result: self._ticket_loaded(ticket_id, with_card, *result))

    def _ticket_loaded(
        self,
        ticket_id: str,
        with_card: bool,
        detail: TicketDetail | None,
        card: CustomerCard | None,
    ) -> None:
        if ticket_id != self.current_ticket:
            return  # the operator has moved on
        previous = self.detail.row.id if self.detail else None
        self._show_ticket(detail)
        if with_card:
            self.card = card
            self.card_view.show_card(card, ticket_id)
            kb_panel, duplicates_badge = self._operator_tools()
            duplicates_badge.set_customer(card.id if card else None)
            kb_panel.set_ticket(ticket_id if detail is not None else None)
        if detail is not None and previous != detail.row.id:
            self.composer.set_ticket(
                detail.row.id, detail.row.channel, detail.draft_body, detail.draft_is_note
            )
        if detail is not None and detail.row.unread:
            self.ops.write(lambda: self.desk.actions.mark_read(ticket_id))
        if detail is not None and previous != detail.row.id:
            self._tell_presence(detail.row.id)
        self.ticket_shown.emit(ticket_id)

    def _show_ticket(self, detail: TicketDetail | None) -> None:
        self.detail = detail
        if detail is None:
            self.current_ticket = None
            self.composer.set_ticket(None, None, "", False)
            self.card_view.show_card(None)
            if self.kb_panel is not None and self.duplicates_badge is not None:
                self.duplicates_badge.set_customer(None)
                self.kb_panel.set_ticket(None)
        self.ticket_bar.show_detail(detail)
        self.conversation.show_detail(detail, self.colors, self._agent_names())

    def _agent_names(self) -> dict[str, str]:
        return {a.id: a.name for a in self.agents}

    def _open_from_card(self, ticket_id: str) -> None:
        row = self.ticket_model.row_of(ticket_id)
        if row is not None:
            self._select_row(row)
        else:
            self.open_ticket(ticket_id)

    # -- writes (all through TicketActions, on the writer thread) -----------------------------
    def _on_ticket(
        self, fn: Callable[[str], Any], done: Callable[[Any], None] | None = None
    ) -> None:
        ticket_id = self.current_ticket
        if ticket_id is None:
            self.statusBar().showMessage(self.tr("Select a ticket first"), 3000)
            return
        self.ops.write(lambda: fn(ticket_id), done)

    def _compose(self, *, note: bool) -> None:
        if self.current_ticket is not None:
            self.composer.start(note)

    def _send(self, ticket_id: str, text: str, is_note: bool) -> None:
        # Placeholders left in a reply block it; tone warnings may be sent anyway. Notes never
        # reach the customer, so they are not checked.
        from desk_app.ui.tone_warnings import review_before_send

        if not is_note and not review_before_send(self, text, self.desk.tone):
            self.composer.send_failed()
            self._back_to_composer()
            return
        if not is_note and not confirm_send_despite(self, self.presence_banner.replying):
            self.composer.send_failed()  # a colleague is replying to the same ticket
            self._back_to_composer()
            return
        actions = self.desk.actions

        def write() -> str:
            if is_note:
                return actions.add_note(ticket_id, text)
            return actions.send_reply(ticket_id, text)

        def done(_message_id: Any) -> None:
            self.composer.sent(ticket_id)
            self.statusBar().showMessage(
                self.tr("Note added") if is_note else self.tr("Reply queued"), 3000
            )
            self.table.setFocus()

        def failed(error: BaseException) -> None:
            self.composer.send_failed()
            self._show_error(str(error))

        self.ops.write(write, done, failed)

    # -- operator tools ----------------------------------------------------------------------
    def show_canned(self) -> None:
        """Ctrl+/: pick a canned reply, filled for this ticket, inserted at the cursor."""
        if self.current_ticket is None:
            self.statusBar().showMessage(self.tr("Select a ticket first"), 3000)
            return
        from desk_app.ui.canned_picker import CannedPicker

        language = (self.card.language if self.card else None) or self.translations.language
        picker = CannedPicker(
            self.desk.canned, self.ops, self.current_ticket, language=language, parent=self
        )
        if self._run_dialog(picker) and picker.chosen is not None:
            self._insert_into_reply(picker.chosen[1].text)
        self._back_to_composer()

    def _back_to_composer(self) -> None:
        """After a modal check or picker: this window active again, typing in the reply (once
        the closed dialog's own activation events are through)."""

        def refocus() -> None:
            self.activateWindow()
            if self.current_ticket is not None:
                self.composer.edit.setFocus(Qt.FocusReason.OtherFocusReason)

        QTimer.singleShot(0, refocus)

    def _insert_into_reply(self, text: str) -> None:
        if self.current_ticket is None:
            return
        from desk_app.ui.canned_picker import insert_reply

        self.composer.edit.setFocus(Qt.FocusReason.OtherFocusReason)  # the cursor stays put
        insert_reply(self.composer.edit, text)

    def show_canned_library(self) -> None:
        """Ctrl+Shift+C: the library (leads edit, others browse), previewed for this ticket."""
        from desk_app.ui.canned_library import CannedLibraryDialog  # lazy: fast start-up

        language, ticket = self.translations.language, self.current_ticket
        dialog = CannedLibraryDialog(self.desk.canned, self.ops, ticket, self, language=language)
        self._run_dialog(dialog)

    def show_kb_drafts(self) -> None:
        """Ctrl+Shift+B: drafts written from tickets, for a lead to edit and publish."""
        from desk_app.ui.kb_drafts import KbDraftsDialog  # lazy: fast start-up

        self._run_dialog(KbDraftsDialog(self.desk.kb, self.ops, self))

    def show_duplicates(self, customer_id: str | None) -> None:
        """The review list: one customer's possible duplicates (card badge) or everyone's."""
        from desk_app.ui.merge_dialog import MergeDialog

        self._run_dialog(MergeDialog(self.desk.merger, self.ops, customer_id, self))

    def _save_draft(self, ticket_id: str, text: str, is_note: bool) -> None:
        self._tell_presence(ticket_id, replying=bool(text.strip()) and not is_note)
        self.ops.write(lambda: self.desk.actions.save_draft(ticket_id, text, is_note=is_note))

    def _set_status(self, status: TicketStatus) -> None:
        def done(_changes: Any) -> None:
            self.statusBar().showMessage(self.tr("Status changed"), 2000)

        self._on_ticket(lambda t: self.desk.actions.set_status(t, status), done)

    def _set_priority(self, priority: Priority) -> None:
        self._on_ticket(lambda t: self.desk.actions.set_priority(t, priority))

    def _assign(self, agent_id: str | None) -> None:
        self._on_ticket(lambda t: self.desk.actions.assign(t, agent_id))

    def _set_tags(self, names: list[str]) -> None:
        self._on_ticket(lambda t: self.desk.actions.set_tags(t, names))

    def choose_assignee(self) -> None:
        if self.current_ticket is None:
            return
        from desk_app.ui.assign_dialog import NOBODY, AssignDialog

        dialog = AssignDialog(self.agents, self)
        chosen = dialog.chosen if self._run_dialog(dialog) else None
        if chosen is not None:
            self._assign(None if chosen == NOBODY else chosen)

    def _retry(self, message_id: str) -> None:
        self.ops.write(lambda: self.desk.actions.retry_delivery(message_id))

    def _mark_sent(self, message_id: str) -> None:
        self.ops.write(lambda: self.desk.actions.confirm_delivered(message_id))

    def _attention(self, fn: Callable[[str], None], *, in_doubt_only: bool = False) -> None:
        message = queries.latest_reply_needing_attention(self.detail) if self.detail else None
        if message is None or (in_doubt_only and message.delivery_state != "in_doubt"):
            self.statusBar().showMessage(self.tr("No failed reply in this ticket"), 3000)
            return
        fn(message.id)

    def _add_customer_note(self, customer_id: str, text: str) -> None:
        self.ops.write(lambda: self.desk.customers.add_note(customer_id, text))

    # -- changes -----------------------------------------------------------------------------
    def _on_changes(self, changes: Changes) -> None:
        if self.current_ticket is not None and self.current_ticket in changes.tickets:
            card = self.card is not None and self.card.id in changes.customers
            self._load_ticket(self.current_ticket, with_card=card)
        elif self.card is not None and self.card.id in changes.customers and self.current_ticket:
            self._load_ticket(self.current_ticket, with_card=True)
        shown = set(self.ticket_model.ticket_ids())
        if changes.queues and not self.searching:
            self.ticket_model.reload()
        elif changes.tickets & shown:
            self.ticket_model.refresh_rows(self._rows_loader, changes.tickets)
        if changes.queues or changes.tickets:
            self._counts_timer.start()

    def _rows_loader(self, ids: list[str]) -> list[TicketRow]:
        ctx = self.desk.ctx
        with ctx.read() as session:
            return queries.ticket_rows(session, ids, now=ctx.now())

    def _sla_tick(self) -> None:
        """Time left changes with the clock: re-read what is shown."""
        if not self.searching:
            self.ticket_model.reload()

    def _show_error(self, text: str) -> None:
        self.statusBar().showMessage(self.tr("Error: {0}").format(text), 8000)

    # -- palette, cheat-sheet, settings --------------------------------------------------------
    @staticmethod
    def _run_dialog(dialog: QDialog) -> bool:
        """Modal, then gone: a dialog never lingers as a hidden child of the window."""
        accepted = bool(dialog.exec())
        dialog.deleteLater()
        return accepted

    def show_palette(self) -> None:
        from desk_app.ui.palette import CommandPalette

        self._run_dialog(CommandPalette(self.registry, self))

    def show_cheatsheet(self) -> None:
        from desk_app.ui.cheatsheet import CheatSheet

        self._run_dialog(CheatSheet(self.registry, self))

    def show_settings(self) -> None:
        from desk_app.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.prefs["language"], self.prefs["theme"], self)
        dialog.language_chosen.connect(self.set_language)
        dialog.theme_chosen.connect(self.set_theme)
        self._run_dialog(dialog)

    def show_accounts(self) -> None:
        from desk_app.ui.accounts_dialog import AccountsDialog

        reason = None
        if not self.desk.real_channels:
            reason = self.tr(
                "Training sandbox: simulated customers only, nothing is sent to real providers."
            )
        elif self.desk.team_sync is not None:
            reason = self.tr(
                "Signed in to a team server: the team's accounts are fetched by the server, "
                "not by this desk."
            )
        dialog = AccountsDialog(
            self.desk.ctx, self.ops, self.desk.restart_account, self, read_only_reason=reason
        )
        self._run_dialog(dialog)

    def set_language(self, choice: str) -> None:
        self.prefs["language"] = choice
        self.translations.apply(choice)
        self.ops.write(lambda: preferences.save_ui_preference(self.desk.ctx, "language", choice))

    def toggle_language(self) -> None:
        self.set_language("en" if self.translations.language == "ru" else "ru")

    def set_theme(self, choice: str) -> None:
        self.prefs["theme"] = choice
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.colors = theme.apply_theme(app, choice)
        self._apply_colors()
        self.ops.write(lambda: preferences.save_ui_preference(self.desk.ctx, "theme", choice))

    def toggle_theme(self) -> None:
        self.set_theme("light" if self.colors.name == "dark" else "dark")

    def _apply_colors(self) -> None:
        self.ticket_model.colors = self.colors
        self.queue_model.colors = self.colors
        self.card_view.colors = self.colors
        self.ticket_model.retranslate()
        self.conversation.show_detail(self.detail, self.colors, self._agent_names())
        if self.card is not None:
            self.card_view.show_card(self.card, self.current_ticket)

    # -- language ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Desk — support inbox"))
        titles = {
            "go": self.tr("&Go"),
            "ticket": self.tr("&Ticket"),
            "compose": self.tr("&Compose"),
            "app": self.tr("&Desk"),
        }
        for group, menu in self.menus.items():
            menu.setTitle(titles[group])
        self.registry.retranslate()
        self.queues_title.setText(self.tr("Queues"))
        self.search_box.setPlaceholderText(self.tr("Search all messages (Ctrl+F or /)"))
        self.ticket_model.retranslate()
        self._fit_columns()
        self.queue_model.refresh_titles()
        self._update_list_title()
        self.conversation.rerender()
        if self.agents:
            self._agents_loaded(self.agents)

    def _fit_columns(self) -> None:
        """Priority and SLA are as wide as their widest text in this language (bold, as on
        unread rows; "overdue 23h 59m") and their titles, and no wider; customer and assignee
        names get a fixed width and may elide: the stretched subject column keeps the rest."""
        header = self.table.horizontalHeader()
        metric = self.table.style().pixelMetric
        cell_margin = metric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table) + 1
        mark = metric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)  # no sort arrows here
        model = self.ticket_model
        for key, text in (
            ("customer", NAME_WIDTH),
            ("priority", model.text_width("priority")),
            ("sla", model.text_width("sla")),
            ("assignee", NAME_WIDTH),
        ):
            title = header.sectionSizeHint(COL[key]) - mark + 2 * cell_margin  # the title whole
            width = max(text + 2 * cell_margin, title)
            self.table.setColumnWidth(COL[key], width)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: Any) -> None:
        self.composer.flush_draft()
        for timer in self.findChildren(QTimer):
            timer.stop()
        self.bridge.close()
        self.fetch_status.detach()
        self.ops.shutdown()
        super().closeEvent(event)

"""The real main window on a profile, timed from the inside; run by bench_foundation.py in its own
process (offscreen Qt) so that cold start means a cold process.

It starts Desk exactly as ``desk_app.ui.launcher.run`` does (DeskApp, build_window, show, start),
waits for the window's ``inbox_ready`` signal (first page of the first queue painted), reads the
process's resident memory, then drives the window: switching queues (until ``queue_shown`` and
the list repainted) and opening tickets (until ``ticket_shown``: conversation and customer card
rendered). Prints one ``PROBE {json}`` line and exits.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_probe.py PROFILE_DIR [REPEATS [SEARCHES]]
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import rss_mb
from bench.searches import FIXED_SEARCHES

START = time.perf_counter()


def _wait(app: Any, signal: Any, timeout_s: float = 60.0) -> list[Any]:
    """Run the event loop until ``signal`` fires; returns its arguments."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    got: list[Any] = []

    def fired(*args: Any) -> None:
        got.extend(args or [None])
        loop.quit()

    signal.connect(fired)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    signal.disconnect(fired)
    if not got:
        raise TimeoutError(f"no signal within {timeout_s} s")
    app.processEvents()  # let the view paint what just arrived
    return got


def _settle(app: Any, window: Any) -> None:
    """Let background work started by the last step finish (the auto-opened ticket)."""
    deadline = time.perf_counter() + 30
    while window.ops.pending and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.002)
    app.processEvents()


def main(argv: list[str]) -> int:
    profile = Path(argv[1])
    repeats = int(argv[2]) if len(argv) > 2 else 3
    searches = int(argv[3]) if len(argv) > 3 else len(FIXED_SEARCHES)
    from desk_app.startup import pause_gc, resume_gc

    pause_gc()  # as ``desk`` does from its first line (desk_app/__main__.py)
    from sqlalchemy import text

    from desk_app.app import DeskApp
    from desk_app.services.queries import QueueKey, QueueKind
    from desk_app.ui.launcher import application, build_window

    phases = {"imports": time.perf_counter() - START}
    app = application()
    desk = DeskApp(profile)
    window = build_window(desk)
    window.inbox_ready.connect(resume_gc)
    window.show()
    phases["window shown"] = time.perf_counter() - START
    window.start()
    _wait(app, window.inbox_ready)
    ready_s = phases["inbox painted"] = time.perf_counter() - START
    print("READY", flush=True)  # the parent times spawn → this line
    rss_ready = rss_mb()
    _settle(app, window)  # counts, agents and the first ticket (opened by itself) load now

    with desk.ctx.read() as session:
        tag_id = session.execute(text("SELECT id FROM tags ORDER BY name LIMIT 1")).scalar()
    queues = [
        QueueKey(QueueKind.MY),
        QueueKey(QueueKind.UNASSIGNED),
        QueueKey(QueueKind.OVERDUE),
        QueueKey(QueueKind.CHANNEL, "email"),
        QueueKey(QueueKind.CHANNEL, "vk"),
        QueueKey(QueueKind.TAG, tag_id),
        QueueKey(QueueKind.DONE),
        QueueKey(QueueKind.ACTIVE),
    ]
    switch: dict[str, list[float]] = {}
    for _ in range(repeats):
        for key in queues:
            started = time.perf_counter()
            window.select_queue(key)
            _wait(app, window.queue_shown)
            switch.setdefault(f"{key.kind}:{key.value or ''}", []).append(
                time.perf_counter() - started
            )
            _settle(app, window)

    opened: list[float] = []
    ids = window.ticket_model.ticket_ids()[: max(10, repeats * 5)]
    for ticket_id in ids:
        window.current_ticket = None
        started = time.perf_counter()
        window.open_ticket(ticket_id)
        _wait(app, window.ticket_shown)
        opened.append(time.perf_counter() - started)
        _settle(app, window)

    rss_after_switching = rss_mb()
    # A working session: search as an operator types (debounce included) and open what it
    # finds, so SQLite's page caches and Qt's views fill the way a day's work fills them.
    for term in FIXED_SEARCHES[:searches]:
        window.search_box.setText(term)
        _wait(app, window.ticket_model.page_loaded)
        _settle(app, window)
        for ticket_id in window.ticket_model.ticket_ids()[:5]:
            window.open_ticket(ticket_id)
            _settle(app, window)

    result = {
        "ready_s": ready_s,
        "phases_s": phases,
        "rss_ready_mb": rss_ready,
        "rss_switching_mb": rss_after_switching,
        "rss_end_mb": rss_mb(),
        "switch_s": switch,
        "open_s": opened,
    }
    print("PROBE " + json.dumps(result), flush=True)
    window.close()
    desk.close()
    return 0


if __name__ == "__main__":
    code = main(sys.argv)
    sys.stdout.flush()
    # Skip interpreter finalization: tearing down PySide6 objects at exit can crash
    # ("none_dealloc"), which would turn a finished measurement into a failed run.
    os._exit(code)

"""How the UI would feel while a background job runs in the same process.

Two probes run on their own threads beside the job, as the window's threads would:

* a **tick**: sleeps 10 ms and records how late it wakes. Desk's UI thread runs Python for
  every event, so this lateness is what the GIL (held by ingest, parsing results, SQLAlchemy)
  adds to every keystroke and repaint;
* a **list read**: every 250 ms the first page of the Active queue, through the same
  ``queries.queue_page`` the window's reader pool runs, so it also feels SQLite's write lock
  and the page cache churn of a bulk write.

    with Responsiveness(ctx) as probe:
        run_the_job()
    probe.rows()  # p50/p95/max of both
"""

from __future__ import annotations

import statistics
import threading
import time
from types import TracebackType

from desk_app.services import queries
from desk_app.services.context import ServiceContext

TICK_S = 0.010
READ_EVERY_S = 0.250  # an operator clicking through queues fast
TICK_GOAL_MS = 50.0
READ_GOAL_MS = 100.0


class Responsiveness:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.lateness_ms: list[float] = []
        self.reads_ms: list[float] = []
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._tick, name="probe-tick", daemon=True),
            threading.Thread(target=self._read, name="probe-read", daemon=True),
        ]

    def __enter__(self) -> Responsiveness:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(10)

    def _tick(self) -> None:
        while not self._stop.is_set():
            started = time.perf_counter()
            time.sleep(TICK_S)
            self.lateness_ms.append((time.perf_counter() - started - TICK_S) * 1000)

    def _read(self) -> None:
        key = queries.QueueKey(queries.QueueKind.ACTIVE)
        while not self._stop.wait(READ_EVERY_S):
            started = time.perf_counter()
            with self.ctx.read() as session:
                queries.queue_page(
                    session, key, agent_id=self.ctx.agent_id, now=self.ctx.now(), offset=0
                )
            self.reads_ms.append((time.perf_counter() - started) * 1000)

    @classmethod
    def merged(cls, probes: list[Responsiveness]) -> Responsiveness:
        """The samples of several runs together (a job run more than once)."""
        merged = cls(probes[0].ctx)
        for probe in probes:
            merged.lateness_ms += probe.lateness_ms
            merged.reads_ms += probe.reads_ms
        return merged

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(measure, value, notes, verdict) rows for a results table. Goals: a tick p95 within
        50 ms (a delay an operator does not notice while typing), a list read p95 within the
        100 ms of a queue switch (issue 3)."""
        return [
            _row("UI stand-in: lateness of a 10 ms tick", self.lateness_ms, TICK_GOAL_MS),
            _row("first page of a queue, read meanwhile", self.reads_ms, READ_GOAL_MS),
        ]

    def responsive(self) -> bool:
        return _p95(self.lateness_ms) <= TICK_GOAL_MS and _p95(self.reads_ms) <= READ_GOAL_MS


def _p95(samples: list[float]) -> float:
    if not samples:
        return float("inf")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def _row(name: str, samples: list[float], goal_ms: float) -> tuple[str, str, str, str]:
    if not samples:
        return (name, "no samples", "", "✗")
    p95 = _p95(samples)
    median, worst = statistics.median(samples), max(samples)
    notes = f"p50 {median:.1f} ms, max {worst:.1f} ms, {len(samples)} samples"
    return (
        name,
        f"p95 {p95:.1f} ms",
        notes,
        f"goal ≤ {goal_ms:.0f} ms {'✓' if p95 <= goal_ms else '✗'}",
    )

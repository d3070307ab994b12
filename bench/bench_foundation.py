"""Foundation benchmarks (issue 3): each figure beside the bare SQL that returns the same rows.

    .venv/bin/python bench/make_profile.py /tmp/desk-big
    .venv/bin/python bench/bench_foundation.py /tmp/desk-big

On a machine shared with other work, wall-clock figures swing by 2×; ``chrt -f 10`` in front
(root) keeps the benchmark's processes from being preempted and approximates an idle machine.

Measured, on a profile made by make_profile.py:

* cold start to first painted inbox — a fresh process starts the real main window
  (bench/ui_probe.py, offscreen Qt) until its ``inbox_ready`` signal; bare: a fresh Python
  process that opens the file with sqlite3 and fetches the same first page;
* switching queue — the window's ``select_queue`` until ``queue_shown`` (query on the reader
  pool, model reset, repaint), and ``queries.queue_page`` in-process; bare: the same compiled
  statement on a plain sqlite3 connection;
* opening a ticket — the window's ``open_ticket`` until ``ticket_shown`` (conversation and
  customer card rendered), and ``queries.ticket_detail`` + ``queries.customer_card``; bare: the
  hand-written SELECTs returning the same rows;
* full-text search — ``queries.search`` over many queries (common, rare, prefix, several words,
  identifiers, no hit), p95; bare: the FTS5 MATCH alone;
* resident memory with the profile open — RSS of the app process once the inbox shows (and at
  the end of the probe); bare: the bare cold-start process.

Prints a table and writes it to bench/results/foundation.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.measure import percentile, timed  # noqa: E402
from bench.searches import FIXED_SEARCHES  # noqa: E402
from desk_app.services import queries  # noqa: E402
from desk_app.services.context import ServiceContext  # noqa: E402
from desk_app.services.queries import QueueKey, QueueKind  # noqa: E402
from desk_app.store.db import open_database  # noqa: E402
from desk_app.store.fts import match_expression  # noqa: E402

DATABASE_FILE = "desk.sqlite3"
RESULTS = ROOT / "bench" / "results" / "foundation.md"

# Bare cold start: a new interpreter, sqlite3, the first page. Prints its RSS in MiB.
BARE_START = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute(sys.argv[2]).fetchall()
rss = [l for l in open('/proc/self/status') if l.startswith('VmRSS:')][0].split()[1]
print(len(rows), int(rss) / 1024)
"""

# The bare rows of one opened ticket: the same rows ticket_detail + customer_card return.
BARE_TICKET = """SELECT t.id, t.number, t.channel, c.display_name, t.subject, t.snippet, t.status,
    t.priority, t.assignee_id, a.name, t.unread, t.last_message_at, t.sla_due_at,
    t.sla_running_since, t.sla_stopped, t.customer_id
    FROM tickets t JOIN customers c ON c.id = t.customer_id
    LEFT JOIN agents a ON a.id = t.assignee_id WHERE t.id = :t"""
BARE_MESSAGES = """SELECT m.id, m.kind, m.author_kind, a.name, m.sent_at, m.subject, m.body_text,
    m.body_html, m.delivery_state, m.delivery_error, m.automated, m.meta
    FROM messages m LEFT JOIN agents a ON a.id = m.author_agent_id
    WHERE m.ticket_id = :t ORDER BY m.seq DESC LIMIT 501"""
BARE_TAGS = """SELECT g.name FROM tags g JOIN ticket_tags tt ON tt.tag_id = g.id
    WHERE tt.ticket_id = :t ORDER BY g.name"""
BARE_DRAFT = "SELECT body, is_note FROM drafts WHERE ticket_id = :t"
BARE_CUSTOMER = """SELECT id, display_name, city, plan, customer_since, platform, app_version,
    language FROM customers WHERE id = :c"""
BARE_MERGED = "SELECT id FROM customers WHERE merged_into_id = :c"
BARE_IDENTITIES = """SELECT channel, external_id, display FROM customer_identities
    WHERE customer_id = :c ORDER BY channel, created_at"""
BARE_NOTES = """SELECT n.id, a.name, n.body, n.created_at FROM customer_notes n
    LEFT JOIN agents a ON a.id = n.author_id WHERE n.customer_id = :c ORDER BY n.created_at DESC"""
BARE_PAST = """SELECT id, number, channel, subject, snippet, status, last_message_at FROM tickets
    WHERE customer_id = :c ORDER BY last_message_at DESC LIMIT 50"""


@dataclass
class Row:
    name: str
    desk: str
    bare: str
    ratio: str
    target: str
    verdict: str


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}×" if b > 0 else "—"


def verdict(value: float, limit: float) -> str:
    return "ok" if value <= limit else "MISSED"


def p95_row(name: str, desk: Sequence[float], bare: Sequence[float], limit_s: float) -> Row:
    """A timing row judged on its 95th percentile, beside the bare SQL's."""
    d, b = percentile(desk, 95), percentile(bare, 95)
    return Row(name, ms(d), ms(b), ratio(d, b), f"≤ {limit_s * 1000:.0f} ms", verdict(d, limit_s))


# -- the app process --------------------------------------------------------------------------


def run_probe(profile: Path, repeats: int, searches: int) -> dict[str, Any]:
    """One cold start of the real window; the wall time from spawn to its READY line."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "ui_probe.py"),
            str(profile),
            str(repeats),
            str(searches),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    result: dict[str, Any] = {}
    for line in proc.stdout:
        if line.startswith("READY"):
            result["spawn_to_ready_s"] = time.perf_counter() - started
        elif line.startswith("PROBE "):
            result.update(json.loads(line[len("PROBE ") :]))
    _, errors = proc.communicate(timeout=120)
    if proc.returncode != 0 or "ready_s" not in result:
        raise RuntimeError(f"ui probe failed ({proc.returncode}):\n{errors[-3000:]}")
    return result


def run_bare_start(db_path: Path, sql: str) -> tuple[float, float, int]:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", BARE_START, str(db_path), sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return time.perf_counter() - started, float(out[1]), int(out[0])


# -- in-process: the services the UI calls, and bare sqlite3 -----------------------------------


class Bench:
    def __init__(self, profile: Path) -> None:
        self.db_path = profile / DATABASE_FILE
        self.engine, sessions = open_database(self.db_path)
        self.ctx = ServiceContext(sessions)
        with self.ctx.read() as session:
            self.agent_id = queries.current_agent_id(session)
        self.bare = sqlite3.connect(self.db_path)
        self.now = datetime.now(UTC)

    def close(self) -> None:
        self.bare.close()
        self.engine.dispose()

    def compiled(self, key: QueueKey, offset: int = 0, limit: int = queries.PAGE_SIZE) -> str:
        statement = queries.queue_page_statement(key, self.agent_id, self.now, offset, limit)
        return str(
            statement.compile(dialect=self.engine.dialect, compile_kwargs={"literal_binds": True})
        )

    def queue_keys(self) -> list[QueueKey]:
        tags = [r[0] for r in self.bare.execute("SELECT id FROM tags ORDER BY name LIMIT 3")]
        return [
            QueueKey(QueueKind.ACTIVE),
            QueueKey(QueueKind.MY),
            QueueKey(QueueKind.UNASSIGNED),
            QueueKey(QueueKind.OVERDUE),
            QueueKey(QueueKind.CHANNEL, "email"),
            QueueKey(QueueKind.CHANNEL, "youtube"),
            *(QueueKey(QueueKind.TAG, t) for t in tags),
            QueueKey(QueueKind.DONE),
        ]

    def queue_page(self, key: QueueKey) -> list[str]:
        with self.ctx.read() as session:
            rows = queries.queue_page(session, key, agent_id=self.agent_id, now=self.now)
        return [r.id for r in rows]

    def queue_page_bare(self, sql: str) -> list[str]:
        return [r[0] for r in self.bare.execute(sql)]

    def open_ticket(self, ticket_id: str) -> tuple[int, ...]:
        with self.ctx.read() as session:
            detail = queries.ticket_detail(session, ticket_id, now=self.now)
            assert detail is not None
            card = queries.customer_card(session, detail.customer_id)
            assert card is not None
        return len(detail.messages), len(detail.tags), len(card.identities), len(card.tickets)

    def open_ticket_bare(self, ticket_id: str) -> tuple[int, ...]:
        run = self.bare.execute
        ticket = {"t": ticket_id}
        customer = {"c": run(BARE_TICKET, ticket).fetchone()[-1]}
        messages = run(BARE_MESSAGES, ticket).fetchall()
        tags = run(BARE_TAGS, ticket).fetchall()
        run(BARE_DRAFT, ticket).fetchall()
        run(BARE_CUSTOMER, customer).fetchone()
        run(BARE_MERGED, customer).fetchall()
        identities = run(BARE_IDENTITIES, customer).fetchall()
        run(BARE_NOTES, customer).fetchall()
        past = run(BARE_PAST, customer).fetchall()
        shown = min(len(messages), queries.MAX_CONVERSATION)
        return shown, len(tags), len(identities), len(past)

    def sample_tickets(self, count: int, rng: random.Random) -> list[str]:
        ids = [
            r[0] for r in self.bare.execute("SELECT id FROM tickets WHERE active = 1 LIMIT 5000")
        ]
        longest = self.bare.execute(
            "SELECT ticket_id FROM messages GROUP BY ticket_id ORDER BY count(*) DESC LIMIT 3"
        ).fetchall()
        return rng.sample(ids, min(count, len(ids))) + [r[0] for r in longest]

    def search(self, text: str) -> int:
        with self.ctx.read() as session:
            return len(queries.search(session, text, now=self.now))

    def search_bare(self, text: str) -> int:
        expression = match_expression(text)
        if expression is None:
            return 0
        rows = self.bare.execute(
            """SELECT m.ticket_id, snippet(messages_fts, -1, '[', ']', '…', 12)
               FROM messages_fts JOIN messages AS m ON m.seq = messages_fts.rowid
               WHERE messages_fts MATCH ? ORDER BY messages_fts.rowid DESC LIMIT 200""",
            (expression,),
        ).fetchall()
        return len({r[0] for r in rows})

    def search_terms(self, rng: random.Random) -> list[str]:
        """The fixed list plus words and identifiers taken from random messages."""
        top = self.bare.execute("SELECT max(seq) FROM messages").fetchone()[0] or 1
        picked = []
        for _ in range(12):
            row = self.bare.execute(
                "SELECT body_text FROM messages WHERE seq >= ? LIMIT 1", (rng.randint(1, top),)
            ).fetchone()
            words = [w for w in (row[0] if row else "").split() if len(w) > 3]
            if words:
                picked.append(rng.choice(words).strip(".,!?«»"))
        return [*FIXED_SEARCHES, *picked]


def repeat(fn: Callable[[], Any], times: int) -> list[float]:
    return [timed(fn)[0] for _ in range(times)]


def profile_counts(db: sqlite3.Connection) -> str:
    counts = {
        t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("tickets", "messages", "customers", "customer_identities")
    }
    active = db.execute("SELECT count(*) FROM tickets WHERE active = 1").fetchone()[0]
    return ", ".join(f"{v:,} {k}" for k, v in counts.items()) + f" ({active:,} active tickets)"


def measure(profile: Path, repeats: int, probes: int, searches: int) -> tuple[list[Row], list[str]]:
    rng = random.Random(7)
    bench = Bench(profile)
    notes = [f"profile: {profile_counts(bench.bare)}"]
    rows: list[Row] = []
    try:
        # -- cold start and memory: separate processes ------------------------------------
        # Byte-compiled sources, as an installed Desk has them (pip compiles a wheel at
        # install; ./run compiles the editable checkout): otherwise a PYTHONDONTWRITEBYTECODE
        # environment would measure compiling every module on every start.
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(ROOT / "desk_app")], check=True
        )
        first_page = bench.compiled(QueueKey(QueueKind.ACTIVE))
        bare_starts = [run_bare_start(bench.db_path, first_page) for _ in range(probes)]
        probe_runs = [run_probe(profile, repeats, searches) for _ in range(probes)]
        cold = statistics.median(p["spawn_to_ready_s"] for p in probe_runs)
        phases = {
            name: statistics.median(p["phases_s"][name] for p in probe_runs)
            for name in probe_runs[0]["phases_s"]
        }
        notes.append(
            "cold start, inside the app process (median): "
            + ", ".join(f"{name} at {ms(t)}" for name, t in phases.items())
        )
        bare_cold = statistics.median(b[0] for b in bare_starts)
        rows.append(
            Row(
                f"cold start → first painted inbox (median of {probes})",
                ms(cold),
                ms(bare_cold),
                ratio(cold, bare_cold),
                "≤ 1000 ms",
                verdict(cold, 1.0),
            )
        )
        # -- switching queue ---------------------------------------------------------------
        ui_switch = [t for p in probe_runs for ts in p["switch_s"].values() for t in ts]
        service_switch: list[float] = []
        bare_switch: list[float] = []
        slowest: tuple[float, str] = (0.0, "")
        for key in bench.queue_keys():
            sql = bench.compiled(key)
            app_ids = bench.queue_page(key)
            if app_ids != bench.queue_page_bare(sql):
                raise AssertionError(f"queue {key}: bare SQL returned other rows")
            times = repeat(partial(bench.queue_page, key), repeats)
            service_switch += times
            bare_switch += repeat(partial(bench.queue_page_bare, sql), repeats)
            slowest = max(slowest, (percentile(times, 95), f"{key.kind}:{key.value or ''}"))
        rows.append(
            p95_row(
                f"switching queue, window (p95; median {ms(statistics.median(ui_switch))})",
                ui_switch,
                bare_switch,
                0.1,
            )
        )
        rows.append(
            p95_row("switching queue, queries.queue_page (p95)", service_switch, bare_switch, 0.1)
        )
        notes.append(f"slowest queue (service p95): {slowest[1]} {ms(slowest[0])}")
        # -- opening a ticket --------------------------------------------------------------
        ui_open = [t for p in probe_runs for t in p["open_s"]]
        service_open: list[float] = []
        bare_open: list[float] = []
        for ticket_id in bench.sample_tickets(30, rng):
            if bench.open_ticket(ticket_id) != bench.open_ticket_bare(ticket_id):
                raise AssertionError(f"ticket {ticket_id}: bare SQL returned other rows")
            service_open += repeat(partial(bench.open_ticket, ticket_id), repeats)
            bare_open += repeat(partial(bench.open_ticket_bare, ticket_id), repeats)
        rows.append(
            p95_row(
                f"opening a ticket, window (p95; median {ms(statistics.median(ui_open))})",
                ui_open,
                bare_open,
                0.05,
            )
        )
        rows.append(
            p95_row(
                "opening a ticket, ticket_detail + customer_card (p95)",
                service_open,
                bare_open,
                0.05,
            )
        )
        # -- full-text search --------------------------------------------------------------
        app_search: list[float] = []
        bare_search: list[float] = []
        slowest = (0.0, "")
        for term in bench.search_terms(rng):
            times = repeat(partial(bench.search, term), repeats)
            app_search += times
            bare_search += repeat(partial(bench.search_bare, term), repeats)
            slowest = max(slowest, (max(times), term))
        rows.append(
            p95_row(
                f"full-text search, queries.search (p95 of {len(app_search)})",
                app_search,
                bare_search,
                0.1,
            )
        )
        notes.append(f"slowest search: {slowest[1]!r} {ms(slowest[0])}")
        # -- memory ------------------------------------------------------------------------
        bare_rss = statistics.median(b[1] for b in bare_starts)
        for label, field in (
            ("resident memory, inbox shown", "rss_ready_mb"),
            ("resident memory after switching, opening, searching", "rss_end_mb"),
        ):
            rss = max(p[field] for p in probe_runs)
            rows.append(
                Row(
                    label,
                    f"{rss:.0f} MiB",
                    f"{bare_rss:.0f} MiB",
                    ratio(rss, bare_rss),
                    "≤ 400 MB",
                    verdict(rss * 1.048576, 400),  # MiB → MB
                )
            )
    finally:
        bench.close()
    return rows, notes


def table(rows: Sequence[Row]) -> str:
    header = ("measurement", "Desk", "bare SQL", "ratio", "target", "")
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    for r in rows:
        lines.append(f"| {r.name} | {r.desk} | {r.bare} | {r.ratio} | {r.target} | {r.verdict} |")
    return "\n".join(lines)


def environment() -> str:
    load = os.getloadavg()
    policy = os.sched_getscheduler(0)
    sched = {os.SCHED_FIFO: "SCHED_FIFO (chrt -f)", os.SCHED_RR: "SCHED_RR"}.get(policy, "normal")
    return (
        f"{platform.node()}: {os.cpu_count()} CPUs, load {load[0]:.1f}/{load[1]:.1f}, "
        f"scheduling {sched}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


ANALYSIS_MARK = "<!-- analysis: kept when the benchmark rewrites the figures above -->"


def write_results(out: Path, text: str, notes: Sequence[str]) -> None:
    """Rewrite the figures; keep the hand-written analysis below ANALYSIS_MARK."""
    kept = ""
    if out.exists():
        old = out.read_text(encoding="utf-8")
        if ANALYSIS_MARK in old:
            kept = "\n" + ANALYSIS_MARK + old.split(ANALYSIS_MARK, 1)[1]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        "# Foundation benchmarks\n\n"
        "Made by `bench/bench_foundation.py` (see its docstring for what each line measures).\n\n"
        f"{text}\n\n" + "".join(f"- {n}\n" for n in notes) + kept,
        encoding="utf-8",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile", type=Path, help="a profile made by bench/make_profile.py")
    parser.add_argument("--repeats", type=int, default=5, help="timings per measured item")
    parser.add_argument("--probes", type=int, default=3, help="cold starts of the app")
    parser.add_argument(
        "--searches",
        type=int,
        default=len(FIXED_SEARCHES),
        help="searches (each opening 5 hits) in the app's working session before memory is read",
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="markdown results file")
    args = parser.parse_args(argv)
    if not (args.profile / DATABASE_FILE).exists():
        parser.error(f"no profile at {args.profile} (make one with bench/make_profile.py)")
    rows, notes = measure(args.profile, args.repeats, args.probes, args.searches)
    text = table(rows)
    print(text)
    for note in notes:
        print(f"- {note}")
    env = environment()
    print(f"- {env}")
    write_results(args.out, text, [*notes, env])
    missed = [r.name for r in rows if r.verdict != "ok"]
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Sync benchmark (issue 5): 50 workstations against one desk-server on PostgreSQL, this machine.

    .venv/bin/python bench/bench_sync.py                 # 50 workstations, 20 s
    .venv/bin/python bench/bench_sync.py --rate 12 --seconds 20 --server-workers 2

A workstation is the real protocol client (``desk_app.sync.client.SyncClient``, keep-alive) in
two threads, like the sync worker: one pushes whatever is pending as one batch (new changes are
made at ``--rate`` per second each: 70% notes, 30% priority changes; nine in ten on the
workstation's own 8 tickets, one in ten on anyone's), one
long-polls ``/sync/changes`` and notes when each other workstation's note arrives. Workstations
run in ``--processes`` client processes. The server runs ``--server-workers`` uvicorn processes
sharing one PostgreSQL 15 (durable settings: fsync and synchronous_commit on), so wake-ups cross
processes through LISTEN/NOTIFY.

Measured: mutations applied per second (outcomes "applied" during the timed window), and the
time from a change being made on one workstation to its arrival on each other workstation
(p50/p95/p99 over every (change, receiver) pair), with the push round trip (p50/p95) and the
rate of long-poll answers, which show where that time goes. Beside it, in the same run and on
the same cluster: a bare psycopg INSERT rate, one row per committed transaction and 100 rows
per transaction. Goals: >= 500 mutations/s, p95 <= 300 ms. Writes bench/results/sync.md.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import random
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.measure import percentile  # noqa: E402
from desk_app.sync.client import SyncClient  # noqa: E402
from tests.serverkit import DeskServer, init_server_db, start_postgres  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "sync.md"
TICKETS_PER_WORKSTATION = 8  # an agent works their own queue; 1 change in 10 hits anyone's
GOAL_RATE = 500.0
GOAL_P95_MS = 300.0


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _ticket_create() -> tuple[str, dict[str, Any]]:
    ticket_id, customer_id = str(uuid.uuid4()), str(uuid.uuid4())
    payload = {
        "ticket": {
            "id": ticket_id,
            "number": 1,
            "customer_id": customer_id,
            "channel": "telegram",
            "subject": "bench",
            "status": "open",
            "priority": 3,
            "created_at": _now(),
            "last_message_at": _now(),
        },
        "customer": {"id": customer_id, "display_name": "Bench customer"},
        "identities": [],
    }
    return ticket_id, {
        "id": str(uuid.uuid4()),
        "kind": "ticket.create",
        "entity_id": ticket_id,
        "payload": payload,
    }


def _note(ticket_id: str, origin: int) -> dict[str, Any]:
    message_id = str(uuid.uuid4())
    return {
        "id": str(uuid.uuid4()),
        "kind": "message.add",
        "entity_id": message_id,
        "payload": {
            "message": {
                "id": message_id,
                "ticket_id": ticket_id,
                "kind": "note",
                "author_kind": "agent",
                "channel": "telegram",
                "sent_at": _now(),
                "body_text": f"bench {origin} {time.time():.6f}",
            },
        },
    }


def _priority(ticket_id: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "kind": "ticket.priority",
        "entity_id": ticket_id,
        "payload": {"priority": random.randint(1, 4)},
    }


# -- one client process: several workstations ----------------------------------------------------
def _workstation(
    index: int,
    token: str,
    url: str,
    tickets: list[str],
    rate: float,
    start_at: float,
    stop_at: float,
    out: dict[str, Any],
) -> None:
    pusher = SyncClient(url, token)
    poller = SyncClient(url, token, timeout=30)
    cursor = poller.changes("", limit=2000).cursor
    while True:  # catch up to the present before the clock starts
        page = poller.changes(cursor, limit=2000)
        cursor = page.cursor
        if not page.more:
            break
    pending: list[dict[str, Any]] = []
    lock = threading.Condition()
    latencies: list[float] = []
    push_times: list[float] = []
    stats = {"made": 0, "applied": 0, "other": 0, "pushes": 0, "polls": 0}

    def poll() -> None:
        nonlocal cursor
        while time.time() < stop_at + 2:
            page = poller.changes(cursor, wait=2.0, limit=2000)
            arrived = time.time()
            if start_at <= arrived <= stop_at:
                stats["polls"] += 1
            cursor = page.cursor
            for change in page.changes:
                if change["kind"] != "message":
                    continue
                _, origin, made = change["data"]["body_text"].split()
                if int(origin) != index and float(made) >= start_at:
                    latencies.append(arrived - float(made))

    def push() -> None:
        while time.time() < stop_at + 1:
            with lock:
                while not pending and time.time() < stop_at + 1:
                    lock.wait(0.2)
                batch, pending[:] = list(pending), []
            if not batch:
                continue
            sent = time.time()
            results = pusher.push(batch)
            stats["pushes"] += 1
            now = time.time()
            if start_at <= sent <= stop_at:
                push_times.append(now - sent)
            if start_at <= now <= stop_at + 0.5:
                for result in results:
                    key = "applied" if result["outcome"] == "applied" else "other"
                    stats[key] += 1

    threads = [threading.Thread(target=poll), threading.Thread(target=push)]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, start_at - time.time() - 1.0))  # warm-up second included
    rng = random.Random(index)
    next_at = time.time()
    while time.time() < stop_at:
        mine = tickets[index * TICKETS_PER_WORKSTATION : (index + 1) * TICKETS_PER_WORKSTATION]
        ticket = rng.choice(tickets if rng.random() < 0.1 else mine)
        change = _note(ticket, index) if rng.random() < 0.7 else _priority(ticket)
        with lock:
            pending.append(change)
            lock.notify()
        if time.time() >= start_at:
            stats["made"] += 1
        next_at += rng.expovariate(rate)
        time.sleep(max(0.0, next_at - time.time()))
    for thread in threads:
        thread.join()
    out[str(index)] = {"latencies": latencies, "push_times": push_times, **stats}


def _client_process(
    indexes: list[int],
    tokens: dict[int, str],
    url: str,
    tickets: list[str],
    rate: float,
    start_at: float,
    stop_at: float,
    queue: Any,
) -> None:
    out: dict[str, Any] = {}
    threads = [
        threading.Thread(
            target=_workstation,
            args=(i, tokens[i], url, tickets, rate, start_at, stop_at, out),
        )
        for i in indexes
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(out)


# -- bare psycopg ----------------------------------------------------------------------------------
def bare_insert_rates(dsn: str, seconds: float = 3.0) -> tuple[float, float]:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as db:
        db.execute("CREATE TABLE bare (id uuid PRIMARY KEY, seq bigint, data json)")
        one = 0
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            db.execute("INSERT INTO bare VALUES (%s, %s, %s)", (uuid.uuid4(), one, '{"k": "note"}'))
            one += 1
        batched = 0
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            with db.transaction(), db.cursor() as cur:
                cur.executemany(
                    "INSERT INTO bare VALUES (%s, %s, %s)",
                    [(uuid.uuid4(), batched + n, '{"k": "note"}') for n in range(100)],
                )
            batched += 100
    return one / seconds, batched / seconds


# -- the run ---------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workstations", type=int, default=50)
    parser.add_argument("--rate", type=float, default=12.0, help="changes/s per workstation")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--server-workers", type=int, default=1)
    args = parser.parse_args()

    pg = start_postgres(durable=True)
    server: DeskServer | None = None
    try:
        url = pg.create_database("desk_bench")
        users = {f"ws{i}": ("agent", "support") for i in range(args.workstations)}
        print(f"creating {len(users)} users (argon2) ...", flush=True)
        init_server_db(url, users)
        bare_one, bare_batch = bare_insert_rates(pg.url("desk_bench").replace("+psycopg", ""))
        server = DeskServer(url, workers=args.server_workers).start()
        setup = SyncClient(server.url)
        setup.login("ws0", "password-ws0")
        tickets = []
        creates = [_ticket_create() for _ in range(TICKETS_PER_WORKSTATION * args.workstations)]
        setup.push([m for _, m in creates])
        tickets = [t for t, _ in creates]

        print("signing in (argon2 verify per workstation, once) ...", flush=True)
        tokens = {
            i: SyncClient(server.url).login(f"ws{i}", f"password-ws{i}")["token"]
            for i in range(args.workstations)
        }
        start_at = time.time() + 5.0  # connections and catch-up first
        stop_at = start_at + args.seconds
        queue: Any = mp.get_context("fork").Queue()
        groups = [
            list(range(args.workstations))[p :: args.processes] for p in range(args.processes)
        ]
        procs = [
            mp.get_context("fork").Process(
                target=_client_process,
                args=(g, tokens, server.url, tickets, args.rate, start_at, stop_at, queue),
            )
            for g in groups
        ]
        for proc in procs:
            proc.start()
        merged: dict[str, Any] = {}
        for _ in procs:
            merged.update(queue.get(timeout=args.seconds + 120))
        for proc in procs:
            proc.join(30)
    finally:
        if server is not None:
            server.stop()
        pg.stop()

    latencies = [x for ws in merged.values() for x in ws["latencies"]]
    applied = sum(ws["applied"] for ws in merged.values())
    made = sum(ws["made"] for ws in merged.values())
    pushes = sum(ws["pushes"] for ws in merged.values())
    other = sum(ws["other"] for ws in merged.values())
    polls = sum(ws["polls"] for ws in merged.values())
    push_times = [x for ws in merged.values() for x in ws["push_times"]]
    push_p50, push_p95 = (percentile(push_times, q) * 1000 for q in (50, 95))
    rate = applied / args.seconds
    p50, p95, p99 = (percentile(latencies, q) * 1000 for q in (50, 95, 99))
    rows = [
        ("workstations (client processes)", f"{args.workstations} ({args.processes})"),
        ("server processes / database", f"{args.server_workers} uvicorn / PostgreSQL 15"),
        ("changes made (offered)", f"{made / args.seconds:.0f}/s"),
        ("mutations applied", f"{rate:.0f}/s (goal >= {GOAL_RATE:.0f})"),
        ("other outcomes", str(other)),
        ("push requests", f"{pushes / args.seconds:.0f}/s, {made / max(pushes, 1):.1f} per batch"),
        ("push round trip, p50 / p95", f"{push_p50:.0f} / {push_p95:.0f} ms"),
        ("long-poll answers", f"{polls / args.seconds:.0f}/s"),
        ("change -> arrival, p50", f"{p50:.0f} ms"),
        ("change -> arrival, p95", f"{p95:.0f} ms (goal <= {GOAL_P95_MS:.0f})"),
        ("change -> arrival, p99", f"{p99:.0f} ms"),
        ("arrivals measured", str(len(latencies))),
        ("bare psycopg INSERT, 1 row/commit", f"{bare_one:.0f}/s"),
        ("bare psycopg INSERT, 100 rows/commit", f"{bare_batch:.0f} rows/s"),
    ]
    width = max(len(k) for k, _ in rows)
    table = "\n".join(f"| {k.ljust(width)} | {v} |" for k, v in rows)
    verdict = "met" if rate >= GOAL_RATE and p95 <= GOAL_P95_MS else "NOT met"
    print(table)
    print(f"goals {verdict}")
    machine = f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        "# Sync benchmark\n\n"
        f"`bench/bench_sync.py --workstations {args.workstations} --rate {args.rate} "
        f"--seconds {args.seconds} --processes {args.processes} "
        f"--server-workers {args.server_workers}` on {machine}; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Clients, server and PostgreSQL share the "
        "machine.\n\n"
        f"| measure | value |\n|---|---|\n{table}\n\nGoals (>= {GOAL_RATE:.0f}/s, p95 <= "
        f"{GOAL_P95_MS:.0f} ms): **{verdict}**.\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

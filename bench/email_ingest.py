"""The email benchmark's body: see ``bench/bench_email.py``, which runs it."""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "channels" / "email"))

from email_servers import PASSWORD, Dovecot  # noqa: E402
from imapclient import IMAPClient  # noqa: E402
from sqlalchemy import Connection, Engine, event, func, select  # noqa: E402

from bench.mail_corpus import make_corpus  # noqa: E402
from bench.responsiveness import Responsiveness  # noqa: E402
from desk_app.channels.email import EmailAccountConfig, EmailConnector  # noqa: E402
from desk_app.channels.email.blobs import BlobStore  # noqa: E402
from desk_app.channels.email.secrets import SecretKind  # noqa: E402
from desk_app.services.context import ServiceContext  # noqa: E402
from desk_app.services.fetcher import AccountFetcher  # noqa: E402
from desk_app.store.db import open_database  # noqa: E402
from desk_app.store.models import ChannelAccount, Message, Ticket  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "email.md"
BATCH = 500
GOAL_RATIO = 0.2
ROUNDS = int(os.environ.get("DESK_BENCH_ROUNDS", "3"))
GOAL_INCREMENTAL_MS = 200.0


class StaticSecret:
    """The benchmark's own server password (a test account, not a user's secret)."""

    def password(self, kind: SecretKind) -> str:
        return PASSWORD


def bare_fetch(dovecot: Dovecot) -> tuple[float, int, int]:
    """Seconds, messages and bytes for a plain IMAPClient FETCH of everything."""
    started = time.perf_counter()
    client = IMAPClient("127.0.0.1", port=dovecot.imap_port, ssl=False)
    client.login("desk", PASSWORD)
    client.select_folder("INBOX", readonly=True)
    uids = client.search(["ALL"])
    count = size = 0
    for start in range(0, len(uids), BATCH):
        for data in client.fetch(
            uids[start : start + BATCH], [b"BODY.PEEK[]", b"INTERNALDATE"]
        ).values():
            count += 1
            size += len(data[b"BODY[]"])
    client.logout()
    return time.perf_counter() - started, count, size


class _Transactions:
    """How long each transaction on the profile stays open: a write transaction holds the write
    lock, and the UI's own writes (a reply, mark as read) wait that long."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.seconds: list[float] = []
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._end)

    def _begin(self, connection: Connection) -> None:
        connection.info["bench.began"] = time.perf_counter()

    def _end(self, connection: Connection) -> None:
        began = connection.info.pop("bench.began", None)
        if began is not None:
            self.seconds.append(time.perf_counter() - began)

    def stop(self) -> None:
        event.remove(self.engine, "begin", self._begin)
        event.remove(self.engine, "commit", self._end)


def _watch_transactions(engine: Engine) -> _Transactions:
    return _Transactions(engine)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _load() -> str:
    """1-minute load average: the machine may be shared, and the figures depend on it."""
    return f"{os.getloadavg()[0]:.1f}"


@dataclass
class FirstSync:
    """One first sync of the whole mailbox into a new profile, and what it cost."""

    seconds: float
    stored: int
    tickets: int
    indexed: int  # FTS hits for a word every message has
    cpu_main: float
    cpu_workers: float
    transactions: list[float]
    responsiveness: Responsiveness
    profile: Path
    engine: Engine
    ctx: ServiceContext
    account_id: str
    fetcher: AccountFetcher


def first_sync(dovecot: Dovecot, config: EmailAccountConfig) -> FirstSync:
    profile = Path(tempfile.mkdtemp(prefix="desk-bench-email-"))
    engine, sessions = open_database(profile / "desk.sqlite3")
    ctx = ServiceContext(sessions)
    with ctx.write() as session:
        account = ChannelAccount(channel="email", name="bench", config=config.to_dict())
        session.add(account)
        session.flush()
        account_id = account.id
    connector = EmailConnector(config, StaticSecret(), BlobStore.for_profile(profile))
    fetcher = AccountFetcher(ctx, account_id, connector)
    transactions = _watch_transactions(engine)
    cpu_main, cpu_workers = time.process_time(), _children_cpu()
    with Responsiveness(ctx) as responsiveness:  # the UI's threads, as the app has them
        report = fetcher.sync()
    cpu_main = time.process_time() - cpu_main
    transactions.stop()
    connector.fetcher.pool.close(wait=True)  # reap the parse workers to count their CPU
    cpu_workers = _children_cpu() - cpu_workers
    with ctx.read() as session:
        stored = session.scalar(select(func.count()).select_from(Message)) or 0
        tickets = session.scalar(select(func.count()).select_from(Ticket)) or 0
        indexed = (
            session.connection()
            .exec_driver_sql("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'заказ'")
            .scalar()
        )
    return FirstSync(
        report.seconds,
        stored,
        tickets,
        int(indexed or 0),
        cpu_main,
        cpu_workers,
        transactions.seconds,
        responsiveness,
        profile,
        engine,
        ctx,
        account_id,
        fetcher,
    )


def nothing_new(run: FirstSync, config: EmailAccountConfig) -> tuple[list[float], list[float]]:
    """Milliseconds of syncs with nothing new: warm (the open connection), cold (a new
    connector: connect, login, STATUS)."""
    warm = [run.fetcher.sync().seconds * 1000 for _ in range(7)]
    cold = []
    for _ in range(5):
        connector = EmailConnector(config, StaticSecret(), BlobStore.for_profile(run.profile))
        cold.append(AccountFetcher(run.ctx, run.account_id, connector).sync().seconds * 1000)
        connector.close()
    return warm, cold


def close(run: FirstSync) -> None:
    run.fetcher.connector.close()  # type: ignore[attr-defined]
    run.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    load_before = _load()
    dovecot = Dovecot().start()
    try:
        corpus = make_corpus(args.count)
        t = time.perf_counter()
        dovecot.append("INBOX", corpus)
        append_s = time.perf_counter() - t
        config = EmailAccountConfig.from_dict(dovecot.account_config(batch_size=BATCH))
        # Each side ROUNDS times, alternating, and the fastest of each taken (as timeit does): a
        # shared machine only ever slows a run down (here by up to a third, for seconds at a
        # time), and the first FETCH also warms Dovecot's own caches.
        bares: list[tuple[float, int, int]] = []
        bare_cpu: list[float] = []
        syncs: list[FirstSync] = []
        for _ in range(ROUNDS):
            cpu = time.process_time()
            bares.append(bare_fetch(dovecot))
            bare_cpu.append(time.process_time() - cpu)
            syncs.append(first_sync(dovecot, config))
        run = min(syncs, key=lambda r: r.seconds)
        warm, cold = nothing_new(run, config)
        for each in syncs:
            close(each)
    finally:
        dovecot.stop()

    bare_s, bare_n, bare_bytes = min(bares)
    cpu_bare = bare_cpu[bares.index(min(bares))]
    stored, tickets, indexed, e2e_s = run.stored, run.tickets, run.indexed, run.seconds
    cpu_main, cpu_children, transactions = run.cpu_main, run.cpu_workers, run.transactions
    all_transactions = [t for each in syncs for t in each.transactions]
    responsiveness = Responsiveness.merged([each.responsiveness for each in syncs])
    other = [f"{each.stored / each.seconds:,.0f}" for each in syncs]
    others = [f"{n / s:,.0f}" for s, n, _ in bares]

    bare_rate = bare_n / bare_s
    e2e_rate = stored / e2e_s
    ratio = e2e_rate / bare_rate

    def verdict(ok: bool, goal: str) -> str:
        return f"goal {goal} {'✓' if ok else '✗'}"

    incremental = f"≤ {GOAL_INCREMENTAL_MS:.0f} ms"
    rows = [
        ("messages APPENDed to Dovecot", f"{args.count:,}", f"{append_s:.1f} s", ""),
        (f"bare imapclient FETCH (best of {ROUNDS})", f"{bare_rate:,.0f} msg/s",
         f"{bare_s:.2f} s", f"{bare_bytes / 1e6:.1f} MB; runs {', '.join(others)} msg/s"),
        (f"end to end into the profile (best of {ROUNDS})", f"{e2e_rate:,.0f} msg/s",
         f"{e2e_s:.2f} s",
         f"{stored:,} messages, {tickets:,} tickets, FTS hits {indexed:,}; "
         f"runs {', '.join(other)} msg/s"),
        ("ratio end-to-end / bare", f"{ratio:.2f}", "",
         verdict(ratio >= GOAL_RATIO, f"≥ {GOAL_RATIO}")),
        ("CPU per message, this process", f"bare {cpu_bare / bare_n * 1000:.2f} ms",
         f"end to end {cpu_main / stored * 1000:.2f} ms",
         f"+ {cpu_children / stored * 1000:.2f} ms in parse workers"),
        ("longest transaction during ingest", f"{max(all_transactions) * 1000:.0f} ms",
         f"median {statistics.median(all_transactions) * 1000:.0f} ms, "
         f"95th percentile {statistics.quantiles(all_transactions, n=20)[-1] * 1000:.0f} ms",
         f"{len(transactions)} commits a run, all runs; WAL: readers never wait"),
        *responsiveness.rows(),
        ("incremental, nothing new (warm)", f"{statistics.median(warm):.1f} ms",
         f"max {max(warm):.1f} ms", verdict(max(warm) <= GOAL_INCREMENTAL_MS, incremental)),
        ("incremental, nothing new (cold: connect+login)", f"{statistics.median(cold):.1f} ms",
         f"max {max(cold):.1f} ms", verdict(max(cold) <= GOAL_INCREMENTAL_MS, incremental)),
    ]  # fmt: skip
    assert stored == args.count, f"stored {stored} of {args.count}"
    lines = [
        "# Email benchmark",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · Python {platform.python_version()} · "
        f"{os.cpu_count()} cores · load average {load_before} before, {_load()} after · "
        f"`bench/bench_email.py --count {args.count}`",
        "",
        "| measure | value | time | notes |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)

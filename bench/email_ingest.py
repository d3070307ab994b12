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
GOAL_INCREMENTAL_MS = 200.0


class StaticSecret:
    """The benchmark's own server password (a test account, not a user's secret)."""

    def password(self, kind: SecretKind) -> str:
        return PASSWORD


def bare_fetch(dovecot: Dovecot) -> tuple[float, int, int]:
    """Seconds, messages and bytes for a plain IMAPClient FETCH of everything. Run twice and
    the faster taken, so Dovecot's own first-read cost never flatters the ratio."""
    return min(_bare_fetch_once(dovecot), _bare_fetch_once(dovecot))


def _bare_fetch_once(dovecot: Dovecot) -> tuple[float, int, int]:
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
        cpu_bare = time.process_time()
        bare_s, bare_n, bare_bytes = bare_fetch(dovecot)
        cpu_bare = (time.process_time() - cpu_bare) / 2  # two runs

        profile = Path(tempfile.mkdtemp(prefix="desk-bench-email-"))
        engine, sessions = open_database(profile / "desk.sqlite3")
        ctx = ServiceContext(sessions)
        config = EmailAccountConfig.from_dict(dovecot.account_config(batch_size=BATCH))
        with ctx.write() as session:
            account = ChannelAccount(channel="email", name="bench", config=config.to_dict())
            session.add(account)
            session.flush()
            account_id = account.id
        connector = EmailConnector(config, StaticSecret(), BlobStore.for_profile(profile))
        fetcher = AccountFetcher(ctx, account_id, connector)
        transactions = _watch_transactions(engine)
        cpu_main, cpu_children = time.process_time(), _children_cpu()
        with Responsiveness(ctx) as responsiveness:  # the UI's threads, as the app has them
            report = fetcher.sync()
        e2e_s = report.seconds
        cpu_main = time.process_time() - cpu_main
        transactions.stop()
        connector.fetcher.pool.close(wait=True)  # reap the parse workers to count their CPU
        cpu_children = _children_cpu() - cpu_children
        with ctx.read() as session:
            stored = session.scalar(select(func.count()).select_from(Message)) or 0
            tickets = session.scalar(select(func.count()).select_from(Ticket)) or 0
            indexed = (
                session.connection()
                .exec_driver_sql(
                    "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'заказ'"
                )
                .scalar()
            )
        warm = []
        for _ in range(7):
            warm.append(fetcher.sync().seconds * 1000)
        cold = []
        for _ in range(5):
            fresh = AccountFetcher(
                ctx,
                account_id,
                EmailConnector(config, StaticSecret(), BlobStore.for_profile(profile)),
            )
            cold.append(fresh.sync().seconds * 1000)
            fresh.connector.close()  # type: ignore[attr-defined]
        connector.close()
        engine.dispose()
    finally:
        dovecot.stop()

    bare_rate = bare_n / bare_s
    e2e_rate = stored / e2e_s
    ratio = e2e_rate / bare_rate

    def verdict(ok: bool, goal: str) -> str:
        return f"goal {goal} {'✓' if ok else '✗'}"

    incremental = f"≤ {GOAL_INCREMENTAL_MS:.0f} ms"
    rows = [
        ("messages APPENDed to Dovecot", f"{args.count:,}", f"{append_s:.1f} s", ""),
        ("bare imapclient FETCH (best of 2)", f"{bare_rate:,.0f} msg/s", f"{bare_s:.2f} s",
         f"{bare_bytes / 1e6:.1f} MB"),
        ("end to end into the profile", f"{e2e_rate:,.0f} msg/s", f"{e2e_s:.2f} s",
         f"{stored:,} messages, {tickets:,} tickets, FTS hits {indexed:,}"),
        ("ratio end-to-end / bare", f"{ratio:.2f}", "",
         verdict(ratio >= GOAL_RATIO, f"≥ {GOAL_RATIO}")),
        ("CPU per message, this process", f"bare {cpu_bare / bare_n * 1000:.2f} ms",
         f"end to end {cpu_main / stored * 1000:.2f} ms",
         f"+ {cpu_children / stored * 1000:.2f} ms in parse workers"),
        ("longest transaction during ingest", f"{max(transactions.seconds) * 1000:.0f} ms",
         f"median {statistics.median(transactions.seconds) * 1000:.0f} ms, "
         f"95th percentile {statistics.quantiles(transactions.seconds, n=20)[-1] * 1000:.0f} ms",
         f"{len(transactions.seconds)} commits; WAL: readers never wait"),
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

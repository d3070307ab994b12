"""Email benchmark (issue 4): ingest 10,000 messages from a real Dovecot into a profile, beside a
bare imapclient FETCH of the same messages in the same run.

    .venv/bin/python bench/bench_email.py            # 10,000 messages
    .venv/bin/python bench/bench_email.py --count 2000

End to end = what the fetch worker does: IMAP FETCH (BODY.PEEK[], batches of 500) → parse
(in a worker process: compat32 tree, cut directly for well-formed mail, + charset handling;
attachments into the content-addressed store, the batch's raw sources into sources.sqlite3) →
sanitize HTML → ingest (customers, threading, tickets, messages, FTS5 index via triggers; write
transactions of 250 items) → cursor saved; the next page is fetched while one is stored.
Bare = IMAPClient FETCH of the same UIDs in the same batch size, bytes discarded.
Then an incremental sync with nothing new: warm (the worker's open connection) and cold (a new
connector: connect, login, STATUS).

Needs root (it starts Debian's dovecot with its own config, as the tests do). Prints a table and
writes bench/results/email.md.
"""

from __future__ import annotations

import argparse
import base64
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "channels" / "email"))

from email_servers import PASSWORD, Dovecot  # noqa: E402
from imapclient import IMAPClient  # noqa: E402
from sqlalchemy import Connection, Engine, event, func, select  # noqa: E402

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

FIRST = ["Иван", "Ольга", "Сергей", "Anna", "John", "Мария", "Дмитрий", "Elena", "Пётр", "Kate"]
LAST = ["Петров", "Smith", "Иванова", "Сидоров", "Brown", "Кузнецова", "Lee", "Орлов"]
TOPICS = [
    "Не приходит код подтверждения",
    "Возврат денег за заказ",
    "App crashes after update",
    "Не работает оплата картой",
    "Cannot log in",
    "Где мой заказ?",
    "Фильтры пропали после обновления",
    "Refund request",
]
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


class StaticSecret:
    """The benchmark's own server password (a test account, not a user's secret)."""

    def password(self, kind: SecretKind) -> str:
        return PASSWORD


def make_corpus(count: int, seed: int = 7) -> list[bytes]:
    """Realistic support mail: ~1,500 customers, threads with References, Russian and
    English, koi8-r/cp1251/utf-8, HTML alternatives, a few attachments."""
    rng = random.Random(seed)
    start = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
    threads: dict[int, list[str]] = {}
    out = []
    for n in range(count):
        customer = rng.randrange(1500)
        name = f"{FIRST[customer % len(FIRST)]} {LAST[customer % len(LAST)]}"
        address = f"customer{customer}@example.com"
        topic = TOPICS[rng.randrange(len(TOPICS))]
        mid = f"<m{n}.{customer}@example.com>"
        refs = threads.get(customer)
        headers = [
            f"From: =?utf-8?B?{base64.b64encode(name.encode()).decode()}?= <{address}>",
            "To: support@desk.test",
            f"Date: {(start + timedelta(minutes=7 * n)).strftime('%a, %d %b %Y %H:%M:%S +0000')}",
            f"Message-ID: {mid}",
        ]
        subject = topic if refs is None else f"Re: {topic}"
        if refs is not None and rng.random() < 0.7:
            headers.append(f"In-Reply-To: {refs[-1]}")
            headers.append(f"References: {' '.join(refs[-5:])}")
        threads.setdefault(customer, []).append(mid)
        text = (
            f"Здравствуйте! {topic}. Заказ N {rng.randrange(10**6)}, "
            f"Android {rng.randrange(9, 15)}, "
            f"версия приложения 4.{rng.randrange(10)}.{rng.randrange(10)}.\n"
            + "Подробности: после обновления всё перестало работать, помогите пожалуйста.\n"
            * rng.randrange(1, 8)
        )
        kind = rng.random()
        if kind < 0.15:
            charset = "koi8-r" if kind < 0.07 else "windows-1251"
            subject_word = base64.b64encode(subject.encode(charset, "replace")).decode()
            headers += [
                f"Subject: =?{charset}?B?{subject_word}?=",
                "MIME-Version: 1.0",
                f"Content-Type: text/plain; charset={charset}",
                "Content-Transfer-Encoding: 8bit",
            ]
            body = text.encode(charset, "replace")
        elif kind < 0.55:
            html = "".join(f"<p>{line}</p>" for line in text.splitlines())
            html += '<img src="https://tracker.example/p.gif">'
            headers += [
                f"Subject: =?utf-8?B?{base64.b64encode(subject.encode()).decode()}?=",
                "MIME-Version: 1.0",
                'Content-Type: multipart/alternative; boundary="alt"',
            ]
            body = (
                "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\n"
                + base64.encodebytes(text.encode()).decode()
                + "--alt\r\nContent-Type: text/html; charset=utf-8\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\n"
                + base64.encodebytes(html.encode()).decode()
                + "--alt--\r\n"
            ).encode()
        elif kind < 0.62:
            headers += [
                f"Subject: =?utf-8?B?{base64.b64encode(subject.encode()).decode()}?=",
                "MIME-Version: 1.0",
                'Content-Type: multipart/mixed; boundary="mix"',
            ]
            body = (
                "--mix\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + text
                + "--mix\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
                "Content-Disposition: attachment; "
                "filename*=utf-8''%D1%81%D0%BA%D1%80%D0%B8%D0%BD.png"
                "\r\n\r\n"
                + base64.encodebytes(PNG + bytes([n % 256]) * 64).decode()
                + "--mix--\r\n"
            ).encode()
        else:
            headers += [
                f"Subject: =?utf-8?B?{base64.b64encode(subject.encode()).decode()}?=",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: 8bit",
            ]
            body = text.encode()
        out.append(
            ("\r\n".join(headers) + "\r\n\r\n").encode()
            + body.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        )
    return out


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


if __name__ == "__main__":
    main()

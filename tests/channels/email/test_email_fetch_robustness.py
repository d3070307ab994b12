"""Fetching through trouble: a connection cut mid-FETCH, renumbered folders (UIDVALIDITY),
first sync in batches with progress, the cheap "nothing new" round, IDLE wake-ups, TLS."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from email_servers import PASSWORD, CuttingProxy, Dovecot
from sqlalchemy import func, select

from desk_app.channels.base import TransientError
from desk_app.channels.email import EmailAccountConfig, EmailConnector
from desk_app.channels.email.blobs import BlobStore
from desk_app.channels.email.imap_fetch import FetchProgress, ImapFetcher
from desk_app.services.context import ServiceContext
from desk_app.services.fetcher import AccountFetcher, FetchWorker
from desk_app.store.models import Message


def numbered(n: int, size: int = 0) -> bytes:
    filler = ("x" * 70 + "\r\n") * (size // 72)
    return (
        f"From: Client {n % 7} <client{n % 7}@example.com>\r\nTo: support@desk.test\r\n"
        f"Subject: Question {n}\r\nDate: Wed, 18 Nov 2026 10:00:00 +0000\r\n"
        f"Message-ID: <q{n}@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"Вопрос номер {n}.\r\n{filler}"
    ).encode()


def through(proxy: CuttingProxy) -> dict[str, object]:
    return {"host": "127.0.0.1", "port": proxy.port, "security": "plain", "username": "desk"}


def fetch_all(
    fetcher: ImapFetcher, after_page: Callable[[list[str]], None] | None = None
) -> list[str]:
    """External ids of every item fetched until nothing more is ready, in order; closes."""
    cursor, seen = None, []
    try:
        while True:
            result = fetcher.fetch(cursor)
            seen += [item.external_id for item in result.items]
            cursor = result.cursor
            if after_page is not None:
                after_page(seen)
            if not result.more:
                return seen
    finally:
        fetcher.close()


def stored_ids(ctx: ServiceContext) -> list[str]:
    with ctx.read() as session:
        return sorted(session.scalars(select(Message.external_id)).all())  # type: ignore[arg-type]


@pytest.mark.timeout(90)
@pytest.mark.parametrize(
    ("size", "cut_after", "batch"),
    [
        (4000, 40_000, 500),  # one batch of ~120 kB, cut a third of the way in
        (2000, 60_000, 10),  # batches of 10, cut after a few have been stored
    ],
)
def test_connection_cut_mid_fetch_then_next_sync_has_everything_once(
    dovecot: Dovecot,
    proxy_to: Callable[[int | None], CuttingProxy],
    email_account: Callable[..., str],
    fetcher_for: Callable[[str], AccountFetcher],
    ctx: ServiceContext,
    size: int,
    cut_after: int,
    batch: int,
) -> None:
    total = 40
    dovecot.append("INBOX", [numbered(n, size=size) for n in range(total)])
    proxy = proxy_to(cut_after)
    fetcher = fetcher_for(email_account(imap=through(proxy), batch_size=batch))
    with pytest.raises(TransientError):
        fetcher.sync()
    assert proxy.cuts == 1
    first = len(stored_ids(ctx))
    assert first < total and first % batch == 0  # whole batches only, cursor never ahead
    proxy.cut_after = None
    report = fetcher.sync()
    assert report.stored == total - first and report.duplicates == 0
    assert stored_ids(ctx) == sorted(f"<q{n}@example.com>" for n in range(total))


@pytest.mark.timeout(120)
def test_connection_cut_in_the_parse_worker_then_next_sync_has_everything_once(
    dovecot: Dovecot,
    proxy_to: Callable[[int | None], CuttingProxy],
    email_account: Callable[..., str],
    fetcher_for: Callable[[str], AccountFetcher],
    ctx: ServiceContext,
) -> None:
    """Big batches are fetched by the parse worker on its own connection. The first batch is
    fetched here (the worker is starting), the next two by the worker, whose connection is cut
    in the third: the two batches before it are stored, the cursor is not ahead, and the next
    sync (the worker logs in again) brings the rest exactly once."""
    total, batch = 400, 100
    dovecot.append("INBOX", [numbered(n, size=2000) for n in range(total)])
    proxy = proxy_to(300_000)  # per connection: ~1.5 batches of ~200 kB
    fetcher = fetcher_for(email_account(imap=through(proxy), batch_size=batch))
    with pytest.raises(TransientError):
        fetcher.sync()
    assert proxy.cuts == 1
    first = len(stored_ids(ctx))
    assert first == 2 * batch  # the batch fetched here, and the worker's first
    proxy.cut_after = None
    report = fetcher.sync()
    assert report.stored == total - first and report.duplicates == 0
    assert stored_ids(ctx) == sorted(f"<q{n}@example.com>" for n in range(total))


@pytest.mark.timeout(90)
def test_uidvalidity_change_refetches_without_duplicates(
    dovecot: Dovecot,
    email_account: Callable[..., str],
    fetcher_for: Callable[[str], AccountFetcher],
    ctx: ServiceContext,
) -> None:
    dovecot.append("INBOX", [numbered(n) for n in range(5)])
    fetcher = fetcher_for(email_account())
    assert fetcher.sync().stored == 5
    fetcher.connector.close()  # type: ignore[attr-defined]
    dovecot.set_uidvalidity("INBOX", 4242)
    dovecot.append("INBOX", [numbered(5)])
    report = fetcher.sync()
    assert (report.stored, report.duplicates) == (1, 5)
    with ctx.read() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 6


@pytest.mark.timeout(90)
def test_first_sync_in_batches_reports_progress_then_nothing_new_is_cheap(
    dovecot: Dovecot, tmp_path: Path
) -> None:
    dovecot.append("INBOX", [numbered(n) for n in range(25)])
    config = EmailAccountConfig.from_dict(dovecot.account_config(batch_size=10))
    seen: list[FetchProgress] = []
    fetcher = ImapFetcher(config, lambda: PASSWORD, BlobStore(tmp_path), on_progress=seen.append)
    cursor = None
    batches = 0
    while True:
        result = fetcher.fetch(cursor)
        cursor = result.cursor
        batches += bool(result.items)
        if not result.more:
            break
    assert batches == 3
    assert [(p.done, p.total) for p in seen] == [(10, 25), (20, 25), (25, 25)]
    started = time.perf_counter()
    again = fetcher.fetch(cursor)
    elapsed = time.perf_counter() - started
    assert again.items == [] and not again.more and again.cursor == cursor
    assert elapsed < 0.2
    fetcher.close()


@pytest.mark.timeout(90)
@pytest.mark.parametrize(
    ("dovecot", "poll_seconds"),
    [
        (None, 60.0),  # IDLE: wakes at once although polling would take a minute
        ("IMAP4rev1 UIDPLUS CONDSTORE UNSELECT MULTIAPPEND", 1.0),  # no IDLE: polls instead
    ],
    indirect=["dovecot"],
    ids=["idle", "polling"],
)
def test_worker_picks_up_new_mail_by_idle_or_polling(
    dovecot: Dovecot,
    email_account: Callable[..., str],
    fetcher_for: Callable[[str], AccountFetcher],
    ctx: ServiceContext,
    poll_seconds: float,
) -> None:
    fetcher = fetcher_for(email_account())
    client = dovecot.client()
    offers_idle = client.has_capability("IDLE")
    client.logout()
    assert offers_idle == (poll_seconds > 30)
    arrived = threading.Event()
    ctx.bus.subscribe(lambda changes: arrived.set() if changes.tickets else None)
    worker = FetchWorker(fetcher, poll_seconds=poll_seconds)
    worker.start()
    try:
        time.sleep(1.0)  # first (empty) sync done, now waiting
        dovecot.append("INBOX", [numbered(1)])
        assert arrived.wait(10), "new mail was not picked up"
        assert stored_ids(ctx) == ["<q1@example.com>"]
    finally:
        worker.stop()
    assert not worker.is_alive()


@pytest.mark.timeout(90)
@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_fetch_over_implicit_tls_and_starttls(
    dovecot_tls: Dovecot, security: str, keyring_account: str, tmp_path: Path
) -> None:
    from desk_app.channels.email.secrets import KeyringSecrets

    dovecot_tls.append("INBOX", [numbered(1)])
    config = EmailAccountConfig.from_dict(dovecot_tls.account_config(imap_security=security))
    connector = EmailConnector(config, KeyringSecrets(keyring_account), BlobStore(tmp_path))
    result = connector.fetch(None)
    connector.close()
    assert [i.external_id for i in result.items] == ["<q1@example.com>"]


@pytest.mark.timeout(120)
def test_parallel_parsing_with_prefetch_stores_everything_once_in_order(
    dovecot: Dovecot, tmp_path: Path
) -> None:
    dovecot.append("INBOX", [numbered(n) for n in range(250)])
    config = EmailAccountConfig.from_dict(dovecot.account_config(batch_size=100))
    fetcher = ImapFetcher(config, lambda: PASSWORD, BlobStore(tmp_path), workers=2)
    assert fetch_all(fetcher) == [f"<q{n}@example.com>" for n in range(250)]


@pytest.mark.timeout(90)
def test_mail_arriving_during_a_catch_up_is_fetched_and_the_folder_searched_twice(
    dovecot: Dovecot, tmp_path: Path
) -> None:
    """The catch-up's first SEARCH lists what to fetch; the server is asked again only when
    that list is used up, and what arrived meanwhile is fetched then (not skipped)."""
    dovecot.append("INBOX", [numbered(n) for n in range(250)])
    config = EmailAccountConfig.from_dict(dovecot.account_config(batch_size=50))
    fetcher = ImapFetcher(config, lambda: PASSWORD, BlobStore(tmp_path), workers=0)
    searches: list[object] = []
    client = fetcher.client()
    real_search = client.search
    client.search = lambda *a, **k: searches.append(a) or real_search(*a, **k)  # type: ignore[method-assign]

    def more_mail(seen: list[str]) -> None:
        if len(seen) == 100:
            dovecot.append("INBOX", [numbered(n) for n in range(250, 260)])

    assert fetch_all(fetcher, more_mail) == [f"<q{n}@example.com>" for n in range(260)]
    assert len(searches) == 3  # the start, the end of the list, the end of the newcomers


@pytest.mark.timeout(60)
def test_wrong_settings_are_shown_and_fixing_them_retries_at_once(
    dovecot: Dovecot, ctx: ServiceContext, tmp_path: Path
) -> None:
    from desk_app.channels.email.secrets import KeyringSecrets, delete_passwords
    from desk_app.services.email_accounts import save_email_account
    from desk_app.store.models import ChannelAccount

    config = EmailAccountConfig.from_dict(dovecot.account_config())
    account_id = save_email_account(ctx, "Support", config, imap_password="not-the-password")
    try:
        connector = EmailConnector(config, KeyringSecrets(account_id, ttl=0), BlobStore(tmp_path))
        worker = FetchWorker(AccountFetcher(ctx, account_id, connector), poll_seconds=60)
        worker.start()

        def last_error() -> str | None:
            with ctx.read() as session:
                account = session.get(ChannelAccount, account_id)
                return account.last_error if account else None

        deadline = time.monotonic() + 15
        while not last_error() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "rejected the user name or password" in (last_error() or "")
        dovecot.append("INBOX", [numbered(7)])
        save_email_account(ctx, "Support", config, PASSWORD, account_id=account_id)  # fixed
        deadline = time.monotonic() + 15
        while not stored_ids(ctx) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert stored_ids(ctx) == ["<q7@example.com>"]  # long before the 10-minute backoff
        assert last_error() is None
        worker.stop()
        connector.close()
    finally:
        delete_passwords(account_id)


@pytest.mark.timeout(120)
def test_a_parse_worker_killed_mid_sync_loses_nothing(dovecot: Dovecot, tmp_path: Path) -> None:
    """The batch the dead worker had is fetched again and parsed in-process (the folder is
    selected again for it), and the sync goes on in order."""
    import multiprocessing

    dovecot.append("INBOX", [numbered(n) for n in range(250)])
    config = EmailAccountConfig.from_dict(dovecot.account_config(batch_size=100))
    fetcher = ImapFetcher(config, lambda: PASSWORD, BlobStore(tmp_path), workers=1)
    try:
        first = fetcher.fetch(None)  # the next batch is now with the worker
        for worker in multiprocessing.active_children():
            worker.kill()
            worker.join()
        seen, cursor = [item.external_id for item in first.items], first.cursor
        while True:
            result = fetcher.fetch(cursor)
            seen += [item.external_id for item in result.items]
            cursor = result.cursor
            if not result.more:
                break
    finally:
        fetcher.close()
    assert seen == [f"<q{n}@example.com>" for n in range(250)]

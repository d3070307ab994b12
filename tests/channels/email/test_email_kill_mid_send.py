"""SIGKILL a real sending process at every step of the email send path — the outbox's points
and the connector's own (Sent copy saved, SMTP DATA started, SMTP accepted) — restart it, and
count what the real SMTP server received: exactly one delivery per reply, every run.

Where the process died inside the SMTP transaction the reply comes back *in doubt* (the only
honest answer); the test then does what the operator would — looks at what the customer got
and presses Mark as sent or Resend — and the count must still be exactly one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from email_servers import Dovecot, SmtpRecorder
from sqlalchemy import select

from desk_app import crashpoints
from desk_app.channels.email import sending
from desk_app.domain.enums import AuthorKind, DeliveryState, MessageKind
from desk_app.services.context import ServiceContext
from desk_app.services.fetcher import AccountFetcher
from desk_app.services.tickets import TicketActions
from desk_app.store.models import Message

ROOT = Path(__file__).resolve().parents[3]
CHILD = Path(__file__).with_name("email_send_child.py")
CUSTOMERS = 3


def customer_mail(n: int, tag: str) -> bytes:
    return (
        f"From: Customer {n} <customer{n}@example.com>\r\nTo: support@desk.test\r\n"
        f"Subject: Cannot log in ({n})\r\nDate: Tue, 17 Nov 2026 09:0{n}:00 +0000\r\n"
        f"Message-ID: <ask-{n}-{tag}@example.com>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"Help me please, #{n}.\r\n"
    ).encode()


def run_child(profile: Path, account_id: str, crash_at: str | None) -> int:
    env = {k: v for k, v in os.environ.items() if k != crashpoints.ENV}
    if crash_at:
        env[crashpoints.ENV] = crash_at
    child = subprocess.run(
        [sys.executable, str(CHILD), str(profile), account_id],
        cwd=ROOT,
        env=env,
        timeout=60,
        capture_output=True,
        text=True,
    )
    assert child.returncode in (0, -signal.SIGKILL), child.stderr
    return child.returncode


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    """One server for the whole module (each test checks only its own replies): the runs are
    many, and starting Dovecot each time would double the cost."""
    server = Dovecot().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpRecorder]:
    server = SmtpRecorder().start()
    yield server
    server.stop()


def replies(ctx: ServiceContext) -> list[Message]:
    with ctx.read() as session:
        found = session.scalars(
            select(Message).where(
                Message.author_kind == AuthorKind.AGENT, Message.kind == MessageKind.MESSAGE
            )
        ).all()
        for message in found:
            session.expunge(message)
        return list(found)


@pytest.mark.timeout(240)
@pytest.mark.parametrize("nth", [1, 3])
@pytest.mark.parametrize("point", crashpoints.POINTS + sending.POINTS)
def test_killed_anywhere_each_reply_reaches_the_smtp_server_exactly_once(
    dovecot: Dovecot,
    smtp: SmtpRecorder,
    email_account: Callable[..., str],
    fetcher_for: Callable[[str], AccountFetcher],
    ctx: ServiceContext,
    profile_dir: Path,
    point: str,
    nth: int,
) -> None:
    account = email_account()
    tag = f"{point}-{nth}"
    client = dovecot.client()  # the shared server: start this test's folder afresh
    client.select_folder("INBOX")
    client.delete_messages(client.search(["ALL"]))
    client.expunge()
    client.logout()
    dovecot.append("INBOX", [customer_mail(n, tag) for n in range(1, CUSTOMERS + 1)])
    assert fetcher_for(account).sync().stored == CUSTOMERS

    assert run_child(profile_dir, account, f"{point}:{nth}") == -signal.SIGKILL
    assert run_child(profile_dir, account, None) == 0

    # The operator settles replies the program could not (never guessing).
    actions = TicketActions(ctx)
    doubtful = [r for r in replies(ctx) if r.delivery_state == DeliveryState.IN_DOUBT]
    assert len(doubtful) == (1 if point in ("email.data_started", "email.smtp_accepted") else 0)
    for reply in doubtful:
        if smtp.count(reply.external_id or "") == 1:
            actions.confirm_delivered(reply.id)
        else:
            actions.retry_delivery(reply.id)
            assert run_child(profile_dir, account, None) == 0

    sent = replies(ctx)
    assert len(sent) == CUSTOMERS
    assert {r.delivery_state for r in sent} == {DeliveryState.SENT}
    for reply in sent:
        assert smtp.count(reply.external_id or "") == 1, (point, nth, reply.external_id)
    # Sent holds one copy per reply: no duplicates, no leftovers.
    client = dovecot.client()
    client.select_folder("Sent", readonly=True)
    flags: dict[int, tuple[bytes, ...]] = {}
    for reply in sent:
        uids = client.search(["NOT", "DELETED", "HEADER", "Message-ID", reply.external_id or ""])
        assert len(uids) == 1
        flags.update(client.get_flags(uids))
    client.logout()
    drafts = sum(1 for f in flags.values() if b"\\Draft" in f)
    # Only a reply the operator confirmed by hand keeps its copy marked unfinished.
    assert drafts == (1 if point == "email.smtp_accepted" else 0)

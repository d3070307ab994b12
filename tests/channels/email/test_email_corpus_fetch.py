"""The tricky-mail corpus, APPENDed to a real Dovecot and fetched through the real path
(IMAP → parse → sanitize → ingest → SQLite): every case decoded, threaded and flagged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from email_servers import CORPUS, Dovecot, corpus
from sqlalchemy import func, select

from desk_app.channels.email.blobs import BlobStore
from desk_app.domain.enums import TicketStatus
from desk_app.services.context import ServiceContext
from desk_app.services.fetcher import AccountFetcher
from desk_app.store.models import Customer, Message, Ticket

PLAIN_CASES = [
    p.name for p in sorted(CORPUS.glob("*.eml")) if b"{{ORIGINAL_ID}}" not in p.read_bytes()
]


def by_id(ctx: ServiceContext, message_id: str) -> Message:
    with ctx.read() as session:
        message = session.scalars(select(Message).where(Message.external_id == message_id)).one()
        session.expunge(message)
        return message


@pytest.fixture
def synced(
    dovecot: Dovecot,
    email_account: Callable[..., str],
    fetcher_for: Callable[[str], AccountFetcher],
    ctx: ServiceContext,
) -> ServiceContext:
    dovecot.append("INBOX", [corpus(name) for name in PLAIN_CASES])
    fetcher = fetcher_for(email_account())
    report = fetcher.sync()
    assert report.stored == len(PLAIN_CASES)
    return ctx


@pytest.mark.timeout(60)
def test_cyrillic_charsets_and_encoded_words_are_decoded(synced: ServiceContext) -> None:
    koi8 = by_id(synced, "<koi8r-1@example.ru>")
    assert koi8.subject == "Приложение не запускается"
    assert "После обновления приложение не запускается" in koi8.body_text
    cp1251 = by_id(synced, "<cp1251-1@example.ru>")
    assert cp1251.subject == "Код не приходит"
    assert cp1251.body_text.startswith("Добрый день! Не приходит код подтверждения")
    split = by_id(synced, "<split-1@example.com>")
    assert split.subject == "Возврат денег за заказ №12345 — срочно"
    undeclared = by_id(synced, "<undeclared-1@example.ru>")
    assert undeclared.subject == "Не работает оплата картой"
    assert undeclared.body_text.startswith("Оплата картой не проходит")
    assert any("8-bit" in w for w in undeclared.meta["warnings"])  # the guess is visible
    unknown = by_id(synced, "<unknown-cs-1@example.ru>")
    assert unknown.subject == "Странная кодировка"
    assert "Текст в неизвестной кодировке" in unknown.body_text
    assert "Вторая часть в win-1251." in unknown.body_text
    assert any("x-totally-unknown" in w for w in unknown.meta["warnings"])


@pytest.mark.timeout(60)
def test_platform_and_version_in_the_text_reach_the_customer_card(synced: ServiceContext) -> None:
    """Read from the decoded koi8-r body where the mail is parsed (a parse worker for big
    batches), then stored by ingest on the customer."""
    with synced.read() as session:
        ticket = session.get(Ticket, by_id(synced, "<koi8r-1@example.ru>").ticket_id)
        assert ticket is not None
        customer = session.get(Customer, ticket.customer_id)
        assert customer is not None
        assert (customer.platform, customer.app_version) == ("Android", "4.2.1")


@pytest.mark.timeout(60)
def test_customer_names_decoded_from_encoded_and_raw_headers(synced: ServiceContext) -> None:
    from desk_app.store.models import Customer, CustomerIdentity

    with synced.read() as session:
        names = dict(
            session.execute(
                select(CustomerIdentity.external_id, Customer.display_name).join(
                    Customer, Customer.id == CustomerIdentity.customer_id
                )
            ).all()
        )
    assert names["ivan@example.ru"] == "Иван Петров"
    assert names["anna@example.com"] == "Анна Смирнова"
    assert names["sergey@example.ru"] == "Сергей"


@pytest.mark.timeout(60)
def test_attachments_are_named_sized_and_stored_by_content(
    synced: ServiceContext, profile_dir: Path
) -> None:
    message = by_id(synced, "<rfc2231-1@example.ru>")
    attachments = {a["name"]: a for a in message.meta["attachments"]}
    assert set(attachments) == {"отчёт за ноябрь.pdf", "скриншот ошибки.png", "лог.txt"}
    assert attachments["отчёт за ноябрь.pdf"]["size"] == len(b"%PDF-1.4 fake report " * 50)
    assert attachments["скриншот ошибки.png"]["size"] == 70
    blobs = BlobStore.for_profile(profile_dir)
    pdf = blobs.get(attachments["отчёт за ноябрь.pdf"]["sha256"])
    assert pdf == b"%PDF-1.4 fake report " * 50
    assert blobs.get(attachments["лог.txt"]["sha256"]).decode("koi8-r") == "строка журнала"
    # The raw source is always viewable.
    assert blobs.get(message.meta["raw_sha256"]) == corpus("rfc2231_filename.eml")


@pytest.mark.timeout(60)
def test_broken_mime_is_stored_with_a_warning(synced: ServiceContext) -> None:
    broken = by_id(synced, "<broken-1@example.com>")
    assert "order 777 never arrived" in broken.body_text
    assert broken.meta["warnings"]
    truncated = by_id(synced, "<broken-2@example.com>")
    assert truncated.body_text.startswith("The file is attached")
    assert [a["name"] for a in truncated.meta["attachments"]] == ["data.bin"]
    assert any("Base64" in w for w in truncated.meta["warnings"])


@pytest.mark.timeout(60)
def test_html_is_sanitized_and_nothing_remote_survives(synced: ServiceContext) -> None:
    hostile = by_id(synced, "<hostile-1@evil.example>")
    html = hostile.body_html or ""
    assert "Please pay the <b>invoice</b>" in html
    for forbidden in (
        "<script",
        "onerror",
        "onload",
        "<iframe",
        "<form",
        "<input",
        "javascript:",
        "<style",
        "style=",
        "<object",
        "<svg",
        "evil.example/track",
        "bg.png",
    ):
        assert forbidden not in html, forbidden  # fmt: skip
    assert 'src="' not in html  # no remote image at all
    # The phishing link shows where it really goes.
    assert "[evil.example]" in html
    assert 'title="https://evil.example/phish"' in html
    cid = by_id(synced, "<cid-1@example.com>")
    assert '<img src="cid:shot1@example.com"' in (cid.body_html or "")
    assert "tracker.example" not in (cid.body_html or "")
    inline = cid.meta["attachments"][0]
    assert inline["content_id"] == "shot1@example.com" and inline["inline"] is True
    assert cid.body_text == "See the screenshot below."


@pytest.mark.timeout(60)
def test_multipart_alternative_keeps_both_and_html_only_gets_text(synced: ServiceContext) -> None:
    alt = by_id(synced, "<alt-1@example.com>")
    assert alt.body_text == "Plain version of the text."
    assert alt.body_html == "<p>HTML <b>version</b> of the text.</p>"
    html_only = by_id(synced, "<htmlonly-1@example.com>")
    assert html_only.body_text == "Line one\n\nLine & two"
    assert "bad()" not in (html_only.body_html or "")


@pytest.mark.timeout(60)
def test_auto_replies_are_flagged(synced: ServiceContext) -> None:
    bot = by_id(synced, "<xauto-1@example.com>")
    assert bot.automated is True
    assert bot.meta["automated_reason"] == "auto-reply"
    assert by_id(synced, "<alt-1@example.com>").automated is False


@pytest.mark.timeout(60)
def test_reply_with_only_references_threads_into_the_first_ticket(synced: ServiceContext) -> None:
    start = by_id(synced, "<thread-start@example.com>")
    reply = by_id(synced, "<thread-reply@example.com>")
    assert reply.ticket_id == start.ticket_id  # another sender, yet the same conversation


@pytest.mark.timeout(60)
def test_message_without_id_gets_a_stable_key(synced: ServiceContext) -> None:
    with synced.read() as session:
        keys = session.scalars(
            select(Message.external_id).where(Message.external_id.like("<synthetic.%"))
        ).all()
    assert len(keys) == 1


@pytest.mark.timeout(90)
def test_duplicates_and_refetch_are_one_message_and_mail_stays_unread(
    dovecot: Dovecot,
    email_account: Callable[..., str],
    fetcher_for: Callable[[str], AccountFetcher],
    ctx: ServiceContext,
) -> None:
    same = [corpus("thread_start.eml"), corpus("no_message_id.eml")]
    dovecot.append("INBOX", same + same)  # delivered twice
    dovecot.append("Support", same)  # and filed in a second folder
    account = email_account(folders=["INBOX", "Support"])
    report = fetcher_for(account).sync()
    assert (report.stored, report.duplicates) == (2, 4)
    with ctx.read() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 2
    # BODY.PEEK: nothing was marked read on the server.
    client = dovecot.client()
    for folder in ("INBOX", "Support"):
        client.select_folder(folder, readonly=True)
        assert client.search(["SEEN"]) == []
    client.logout()


@pytest.mark.timeout(90)
def test_mark_seen_account_flags_what_it_stored(
    dovecot: Dovecot,
    email_account: Callable[..., str],
    fetcher_for: Callable[[str], AccountFetcher],
) -> None:
    dovecot.append("INBOX", [corpus("alternative.eml"), corpus("koi8r_plain.eml")])
    fetcher_for(email_account(mark_seen=True)).sync()
    client = dovecot.client()
    client.select_folder("INBOX", readonly=True)
    assert len(client.search(["SEEN"])) == 2
    client.logout()


@pytest.mark.timeout(90)
def test_auto_reply_never_reopens_a_resolved_ticket_but_a_person_does(
    dovecot: Dovecot,
    email_account: Callable[..., str],
    fetcher_for: Callable[[str], AccountFetcher],
    ctx: ServiceContext,
) -> None:
    from desk_app.services.tickets import TicketActions

    account = email_account()
    fetcher = fetcher_for(account)
    dovecot.append("INBOX", [corpus("koi8r_plain.eml")])
    fetcher.sync()
    ticket_id = by_id(ctx, "<koi8r-1@example.ru>").ticket_id
    TicketActions(ctx).set_status(ticket_id, TicketStatus.RESOLVED)
    ooo = corpus("auto_reply.eml").replace(b"{{ORIGINAL_ID}}", b"<koi8r-1@example.ru>")
    dovecot.append("INBOX", [ooo])
    fetcher.sync()
    auto = by_id(ctx, "<ooo-1@example.ru>")
    assert auto.ticket_id == ticket_id and auto.automated
    with ctx.read() as session:
        assert session.get(Ticket, ticket_id).status == TicketStatus.RESOLVED  # type: ignore[union-attr]
    human = (
        corpus("koi8r_plain.eml")
        .replace(b"<koi8r-1@", b"<koi8r-2@")
        .replace(
            b"Message-ID: <koi8r-2@example.ru>",
            b"Message-ID: <koi8r-2@example.ru>\r\nIn-Reply-To: <koi8r-1@example.ru>",
        )
    )
    dovecot.append("INBOX", [human])
    fetcher.sync()
    with ctx.read() as session:
        assert session.get(Ticket, ticket_id).status == TicketStatus.OPEN  # type: ignore[union-attr]

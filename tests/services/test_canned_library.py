"""Canned replies: sample library, keyword search, filling from the ticket, usage counts."""

from collections.abc import Callable

import pytest

from desk_app.domain.enums import Channel
from desk_app.domain.templates import SpanKind
from desk_app.resources import resource
from desk_app.services.canned import CannedLibrary, TemplateError
from desk_app.services.context import ServiceContext
from desk_app.services.ingest import ingest_items
from desk_app.services.tone_check import ToneService
from tests.conftest import incoming


@pytest.fixture
def library(ctx: ServiceContext) -> CannedLibrary:
    canned = CannedLibrary(ctx)
    assert canned.import_directory(resource("canned")) >= 20
    return canned


@pytest.fixture
def play_ticket(ctx: ServiceContext, account_for: Callable[[Channel], str]) -> str:
    result = ingest_items(
        ctx,
        account_for(Channel.GOOGLE_PLAY),
        [incoming("Версия 134, отличное приложение!", name="Иван Петров", thread="r-1")],
    )
    (ticket_id,) = result.changes.tickets
    return ticket_id


def test_library_has_folders_in_both_languages(library: CannedLibrary) -> None:
    folders = {f.name for f in library.folders()}
    assert {"Отзывы в сторах", "Store reviews"} <= folders
    assert {r.language for r in library.replies()} == {"ru", "en"}
    assert library.import_directory(resource("canned")) == 0


def test_keyword_search_uses_word_forms_and_prefers_the_language(library: CannedLibrary) -> None:
    found = library.search("отзывы", language="ru")
    assert found[0].title.startswith(("Спасибо за положительный отзыв", "Отзыв", "Негативный"))
    assert all("тзыв" in (r.title + r.keywords).lower() for r in found)
    assert library.search("мошен")[0].title == "Похоже на мошенника"  # prefix while typing
    assert library.search("scam")[0].title == "Looks like a scammer"


def test_shortcut_goes_first(library: CannedLibrary) -> None:
    assert library.search("/thanks5", language="en")[0].title == "Thanks for a positive review"
    reply = library.by_shortcut("thanks5", language="ru")
    assert reply is not None and reply.language == "ru"


def test_filling_from_ticket_customer_and_agent(
    library: CannedLibrary, play_ticket: str, ctx: ServiceContext
) -> None:
    reply = library.by_shortcut("update", language="ru")
    assert reply is not None
    filled = library.fill(reply, play_ticket)
    assert filled.text.startswith("Иван, у вас версия 134 для {customer.platform}.")
    assert [(s.kind, s.name) for s in filled.spans] == [
        (SpanKind.EMPTY_VARIABLE, "customer.platform")
    ]  # nobody said the platform: highlighted, Send blocked until typed in


def test_platform_and_version_written_by_the_customer_fill_variables(
    library: CannedLibrary, ctx: ServiceContext, account_for: Callable[[Channel], str]
) -> None:
    result = ingest_items(
        ctx,
        account_for(Channel.TELEGRAM),
        [incoming("Android, версия 134. У друга есть фильтры, а у меня нет", thread="t-1")],
    )
    (ticket_id,) = result.changes.tickets
    reply = library.by_shortcut("update", language="ru")
    assert reply is not None
    filled = library.fill(reply, ticket_id)
    assert filled.text.startswith("Иван, у вас версия 134 для Android.")
    assert filled.complete


def test_positive_review_reply_is_personal_and_varies(
    library: CannedLibrary, play_ticket: str
) -> None:
    reply = library.by_shortcut("thanks5", language="ru")
    assert reply is not None
    first = library.fill(reply, play_ticket)
    assert "Иван" in first.text and "Anna" in first.text  # agent.first_name from the fixture
    assert [s.kind for s in first.spans] == [SpanKind.PERSONALISE]
    library.record_use(reply.id, play_ticket)
    again = library.by_shortcut("thanks5", language="ru")
    assert again is not None and again.uses == 1
    second = library.fill(again, play_ticket)
    assert second.text != first.text  # the next customer gets other wording
    assert ToneService().check(second.text) == []


def test_usage_counts_per_reply_for_leads(library: CannedLibrary, play_ticket: str) -> None:
    sms = library.by_shortcut("sms", language="ru")
    hi = library.by_shortcut("hi", language="ru")
    assert sms is not None and hi is not None
    for _ in range(3):
        library.record_use(sms.id, play_ticket)
    library.record_use(hi.id, None)
    usage = library.usage()
    assert (usage[0][0].id, usage[0][1]) == (sms.id, 3)
    assert (usage[1][0].id, usage[1][1]) == (hi.id, 1)
    assert library.search("")[0].id == sms.id  # most used first when nothing is typed


def test_replies_with_unknown_variables_are_refused(library: CannedLibrary) -> None:
    with pytest.raises(TemplateError, match=r"\{customer.shoe_size\}"):
        library.save_reply(title="x", body="Hi {customer.shoe_size}", language="en")


def test_sample_replies_pass_the_tone_check(library: CannedLibrary) -> None:
    tone = ToneService()
    for reply in library.replies():
        assert tone.check(reply.body) == [], reply.title

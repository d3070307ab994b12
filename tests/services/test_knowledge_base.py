"""Knowledge base against a real profile database and the shipped sample articles."""

from collections.abc import Callable

import pytest
from sqlalchemy import select

from desk_app.domain.enums import Channel, Role
from desk_app.resources import resource
from desk_app.services.context import ServiceContext
from desk_app.services.ingest import ingest_items
from desk_app.services.kb import DRAFT, PUBLISHED, KbPermissionError, KnowledgeBase
from desk_app.services.tickets import TicketActions
from desk_app.store.models import Agent, Mutation
from tests.conftest import incoming


@pytest.fixture
def kb(ctx: ServiceContext) -> KnowledgeBase:
    base = KnowledgeBase(ctx)
    assert base.import_directory(resource("kb")) >= 30
    return base


def titles(outcome_results: list) -> list[str]:
    return [r.article.title for r in outcome_results]


def test_sample_knowledge_base_ships_in_both_languages(kb: KnowledgeBase) -> None:
    ru = kb.articles(language="ru", status=PUBLISHED)
    en = kb.articles(language="en", status=PUBLISHED)
    assert len(ru) >= 15 and len(en) >= 15
    assert {a.category for a in ru} >= {"Приложение", "Аккаунт", "Объявления"}
    assert kb.import_directory(resource("kb")) == 0  # importing again adds nothing


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("фильтры", "Нет фильтров в поиске"),  # plural form vs "фильтров" in the article
        ("обновления приложения", "Как обновить приложение"),  # other word forms
        ("заблокировали аккаунт", "Аккаунт заблокирован"),
        ("updating", "How to update the app"),
        ("refunds", "Refunds for paid services"),
    ],
)
def test_morphology_finds_other_word_forms(kb: KnowledgeBase, query: str, expected: str) -> None:
    assert titles(kb.search(query, typing=False).results)[0] == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("обнавление", "Как обновить приложение"),
        ("мошеники", "Мошенники: как распознать и что делать"),
        ("notificatons", "Notifications do not arrive"),
        ("scamer", "Scammers: how to spot them and what to do"),
    ],
)
def test_typos_are_tolerated(kb: KnowledgeBase, query: str, expected: str) -> None:
    outcome = kb.search(query, typing=False)
    assert titles(outcome.results)[0] == expected
    assert outcome.corrections and outcome.corrections[0][0] == query


def test_results_are_ranked_and_snippets_highlight_the_words(kb: KnowledgeBase) -> None:
    outcome = kb.search("не загружаются фото", language="ru")
    first = outcome.results[0]
    assert first.article.title == "Не загружаются фотографии в объявление"
    assert "<b>Фото</b>" in first.snippet.html() or "<b>фото</b>" in first.snippet.html()
    assert first.rank <= outcome.results[-1].rank
    assert all(r.article.language == "ru" for r in outcome.results)


def test_search_as_you_type_matches_the_last_word_as_prefix(kb: KnowledgeBase) -> None:
    assert titles(kb.search("безопасная сдел").results)[0] == "Безопасная сделка с доставкой"


def test_when_no_article_has_every_word_any_word_counts(kb: KnowledgeBase) -> None:
    outcome = kb.search("фильтры мошенники", typing=False)
    assert not outcome.matched_all
    assert {"Нет фильтров в поиске", "Мошенники: как распознать и что делать"} <= set(
        titles(outcome.results)
    )


def test_suggestions_for_the_open_ticket_come_from_its_text(
    ctx: ServiceContext, kb: KnowledgeBase, account_for: Callable[[Channel], str]
) -> None:
    result = ingest_items(
        ctx,
        account_for(Channel.GOOGLE_PLAY),
        [incoming("Android, 134. У друга есть фильтры в поиске, а у меня нет!", thread="r-1")],
    )
    (ticket_id,) = result.changes.tickets
    suggested = kb.suggest_for_ticket(ticket_id)
    assert suggested[0].article.title == "Нет фильтров в поиске"
    assert all(s.article.language == "ru" for s in suggested)


def test_link_and_excerpt_for_the_reply(kb: KnowledgeBase) -> None:
    article = kb.search("фильтры").results[0].article
    assert kb.link_text(article) == (
        "Нет фильтров в поиске: https://help.bazaar.example/ru/filters-missing"
    )
    excerpt = kb.excerpt_text(article, max_chars=300)
    assert excerpt.startswith("Если в поиске нет фильтров")
    assert "**" not in excerpt and len(excerpt) <= 300


def test_new_article_from_ticket_is_a_draft_a_lead_publishes(
    ctx: ServiceContext, kb: KnowledgeBase, account_for: Callable[[Channel], str]
) -> None:
    result = ingest_items(
        ctx,
        account_for(Channel.TELEGRAM),
        [incoming("Как перенести избранное на новый телефон?", thread="t-7")],
    )
    (ticket_id,) = result.changes.tickets
    TicketActions(ctx).send_reply(
        ticket_id, "Войдите в тот же аккаунт — избранное синхронизируется."
    )
    draft_id = kb.draft_from_ticket(ticket_id)
    draft = kb.get(draft_id)
    assert draft.status == DRAFT and draft.language == "ru"
    assert draft.source_ticket_id == ticket_id
    assert "## Вопрос" in draft.body and "избранное синхронизируется" in draft.body
    assert kb.search("избранное перенести").results == []  # drafts are not offered yet
    assert kb.search("избранное", include_drafts=True).results[0].article.id == draft_id
    with pytest.raises(KbPermissionError):
        kb.publish(draft_id)  # the fixture's operator is an agent
    with ctx.write() as session:
        agent = session.get(Agent, ctx.agent_id)
        assert agent is not None
        agent.role = Role.LEAD
    kb.publish(draft_id)
    assert kb.search("избранное").results[0].article.id == draft_id
    with ctx.read() as session:
        kinds = list(session.scalars(select(Mutation.kind).where(Mutation.entity_id == draft_id)))
    assert kinds == ["kb.article.save", "kb.article.publish"]


def test_editing_an_article_reindexes_it(kb: KnowledgeBase, ctx: ServiceContext) -> None:
    with ctx.write() as session:
        agent = session.get(Agent, ctx.agent_id)
        assert agent is not None
        agent.role = Role.LEAD
    article = kb.search("фильтры").results[0].article
    kb.save_article(
        article_id=article.id,
        title=article.title,
        body=article.body + "\n\nНа планшетах фильтры открываются свайпом влево.",
        language="ru",
        status=PUBLISHED,
    )
    assert kb.search("планшетах").results[0].article.id == article.id

"""The shipped samples for a new profile: the canned-reply library and the knowledge base from
``resources/``. Imported only into an empty library / knowledge base, so edits are never undone."""

from __future__ import annotations

from sqlalchemy import exists, select

from desk_app.resources import resource
from desk_app.services.canned import CannedLibrary
from desk_app.services.context import ServiceContext
from desk_app.services.kb import KnowledgeBase
from desk_app.store.operator_models import CannedReply, KbArticle


def ensure_operator_samples(ctx: ServiceContext) -> tuple[int, int]:
    """(replies, articles) imported; (0, 0) when the profile already has its own."""
    with ctx.read() as session:
        has_replies = session.scalar(select(exists().where(CannedReply.id.is_not(None))))
        has_articles = session.scalar(select(exists().where(KbArticle.seq.is_not(None))))
    replies = 0 if has_replies else CannedLibrary(ctx).import_directory(resource("canned"))
    articles = 0 if has_articles else KnowledgeBase(ctx).import_directory(resource("kb"))
    return replies, articles

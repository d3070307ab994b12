"""Completing the operator tools' pending mutations for the wire: merges travel with the merge
record and both customers as they are now, library and article changes with their whole row
(the server keeps the last one to arrive), a canned-reply use with its usage row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Session

from desk_app.store.models import Customer, Mutation
from desk_app.store.operator_models import (
    CannedFolder,
    CannedReply,
    CannedUsage,
    CustomerMerge,
    DuplicateDismissal,
    KbArticle,
)
from desk_app.sync.wire import row_doc

Builder = Callable[[Session, Mutation], dict[str, Any] | None]


def _merge(undone: bool) -> Builder:
    def build(session: Session, m: Mutation) -> dict[str, Any] | None:
        merge = session.get(CustomerMerge, m.entity_id)
        if merge is None:
            return None
        survivor = session.get(Customer, merge.survivor_id)
        merged = session.get(Customer, merge.merged_id)
        if survivor is None or merged is None:
            return None
        doc = row_doc(merge)
        if not undone:
            doc["undone_at"] = None  # an undo still queued behind this merge travels on its own
        return {"merge": doc, "survivor": row_doc(survivor), "merged": row_doc(merged)}

    return build


def _row(key: str, model: type[DeclarativeBase]) -> Builder:
    def build(session: Session, m: Mutation) -> dict[str, Any] | None:
        row = session.get(model, m.entity_id)
        return None if row is None else {key: row_doc(row)}

    return build


def _article(session: Session, m: Mutation) -> dict[str, Any] | None:
    article = session.scalars(select(KbArticle).where(KbArticle.id == m.entity_id)).first()
    return None if article is None else {"article": row_doc(article, frozenset({"seq"}))}


def _publish(session: Session, m: Mutation) -> dict[str, Any] | None:
    article = session.scalars(select(KbArticle).where(KbArticle.id == m.entity_id)).first()
    if article is None:
        return None
    return {"published_at": row_doc(article)["published_at"]}


OPERATOR_BUILDERS: dict[str, Builder] = {
    "customer.merge": _merge(undone=False),
    "customer.unmerge": _merge(undone=True),
    "customer.duplicate_dismiss": _row("dismissal", DuplicateDismissal),
    "canned.folder.save": _row("folder", CannedFolder),
    "canned.save": _row("reply", CannedReply),
    "canned.archive": _row("reply", CannedReply),
    "canned.used": _row("usage", CannedUsage),
    "kb.article.save": _article,
    "kb.article.publish": _publish,
}

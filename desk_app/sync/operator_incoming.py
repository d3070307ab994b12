"""Storing pulled operator-tool records in the cache: merges (so any workstation can undo them),
duplicate dismissals, the canned-reply library and its usage, knowledge-base articles (indexed
for search as they arrive). Customers, identities, tickets and notes a merge moved arrive as
their own records and are handled by ``incoming``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from desk_app.store.kb_index import index_article
from desk_app.store.operator_models import (
    CannedFolder,
    CannedReply,
    CannedUsage,
    CustomerMerge,
    DuplicateDismissal,
    KbArticle,
)
from desk_app.sync.incoming import Touched, ensure_agent, ensure_customer, upsert
from desk_app.sync.wire import from_doc

Handler = Callable[[dict[str, Any]], bool]


class OperatorRecords:
    """Handlers for the operator-tool record kinds, in the caller's transaction."""

    def __init__(self, session: Session, touched: Touched) -> None:
        self.session = session
        self.touched = touched

    def handlers(self) -> dict[str, Handler]:
        return {
            "customer_merge": self._merge,
            "duplicate_dismissal": self._dismissal,
            "canned_folder": self._folder,
            "canned_reply": self._reply,
            "canned_usage": self._usage,
            "kb_article": self._article,
        }

    def _merge(self, data: dict[str, Any]) -> bool:
        for customer_id in (data["survivor_id"], data["merged_id"]):
            ensure_customer(self.session, customer_id)
            self.touched.customers.add(customer_id)
        ensure_agent(self.session, data.get("merged_by"))
        upsert(self.session, CustomerMerge, data)
        return True

    def _dismissal(self, data: dict[str, Any]) -> bool:
        for customer_id in (data["a_id"], data["b_id"]):
            ensure_customer(self.session, customer_id)
            self.touched.customers.add(customer_id)
        ensure_agent(self.session, data.get("dismissed_by"))
        # The server kept another workstation's dismissal of the same pair.
        self.session.execute(
            delete(DuplicateDismissal).where(
                DuplicateDismissal.a_id == data["a_id"],
                DuplicateDismissal.b_id == data["b_id"],
                DuplicateDismissal.id != data["id"],
            )
        )
        upsert(self.session, DuplicateDismissal, data)
        return True

    def _folder(self, data: dict[str, Any]) -> bool:
        if data.get("parent_id") and self.session.get(CannedFolder, data["parent_id"]) is None:
            return False  # the parent folder arrives later in this catch-up
        upsert(self.session, CannedFolder, data)
        self.touched.settings = True
        return True

    def _reply(self, data: dict[str, Any]) -> bool:
        self.touched.settings = True
        if data.get("deleted"):  # a tombstone from the server's REST library
            self.session.execute(
                update(CannedReply).where(CannedReply.id == data["id"]).values(archived=True)
            )
            return True
        if data.get("folder_id") and self.session.get(CannedFolder, data["folder_id"]) is None:
            return False
        values = from_doc(CannedReply, data)
        values["language"] = values.get("language") or "ru"
        if values.get("shortcut"):
            # The server's reply owns the shortcut; a local one holding it gives it up.
            self.session.execute(
                update(CannedReply)
                .where(
                    CannedReply.shortcut == values["shortcut"],
                    CannedReply.language == values["language"],
                    CannedReply.id != values["id"],
                )
                .values(shortcut=None)
            )
        upsert(self.session, CannedReply, values)
        return True

    def _usage(self, data: dict[str, Any]) -> bool:
        if self.session.get(CannedReply, data["reply_id"]) is None:
            return False
        ensure_agent(self.session, data.get("agent_id"))
        upsert(self.session, CannedUsage, data)
        self.touched.settings = True
        return True

    def _article(self, data: dict[str, Any]) -> bool:
        ensure_agent(self.session, data.get("author_id"))
        values = from_doc(KbArticle, data)
        values.pop("seq", None)  # the local index key, never the server's
        article = self.session.scalars(select(KbArticle).where(KbArticle.id == data["id"])).first()
        if article is None:
            article = KbArticle(**values)
            self.session.add(article)
        else:
            for key, value in values.items():
                setattr(article, key, value)
        self.session.flush()
        index_article(self.session, article)
        self.touched.settings = True
        return True

"""Applying the operator tools' mutations: customer merges (and their undo), duplicate
dismissals, the canned-reply library and its usage, knowledge-base articles.

Rules (docs/architecture.md, "Sync"):
* a merge is a set of record updates the server decides: every identity, ticket and private note
  the server holds for the merged customer moves to the survivor, the merged customer gets
  ``merged_into_id``, and the ``customer_merge`` record keeps the moved ids so an undo (from any
  workstation) moves back exactly those that still point at the survivor;
* canned replies, folders and articles are last-writer-wins in server arrival order;
* canned-reply usage is insert-only, so counts from every workstation add up;
* leads and admins manage the canned library and publish articles; agents record usage and write
  article drafts (trainees never reach this: the push route refuses them).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select

from desk_app.server.apply import MANAGERS, Actor, Outcome, Rejected
from desk_app.server.feed import Doc, Feed
from desk_app.server.models import Record
from desk_app.server.operator_schemas import (
    ArticlePublish,
    ArticleSave,
    DismissChange,
    FolderSave,
    MergeChange,
    ReplySave,
    UsageAdd,
)

# What a merge moves: the undo key the workstation uses -> the record kind on the server.
MOVED = {"identities": "identity", "tickets": "ticket", "notes": "customer_note"}
Handler = Callable[[str, dict[str, Any]], Outcome]


def _json(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


def _now() -> str:
    return datetime.now(UTC).isoformat()


class OperatorApplier:
    """The operator-tool handlers for one actor inside one push transaction."""

    def __init__(self, feed: Feed, actor: Actor) -> None:
        self.feed = feed
        self.actor = actor

    def handlers(self) -> dict[str, Handler]:
        return {
            "customer.merge": self._merge,
            "customer.unmerge": self._unmerge,
            "customer.duplicate_dismiss": self._dismiss,
            "canned.folder.save": self._folder_save,
            "canned.save": self._reply_save,
            "canned.archive": self._reply_archive,
            "canned.used": self._reply_used,
            "kb.article.save": self._article_save,
            "kb.article.publish": self._article_publish,
        }

    # -- helpers -----------------------------------------------------------------------------
    def _manager(self, what: str) -> None:
        if self.actor.role not in MANAGERS:
            raise Rejected(f"only a lead or an admin can {what}")

    def _customer(self, customer_id: str) -> Doc:
        record = self.feed.get("customer", customer_id)
        if record is None:
            raise Rejected("the server does not know this customer")
        return record

    def _owned(self, customer_id: str, hints: dict[str, Any]) -> dict[str, list[Doc]]:
        """Every identity, ticket and note of a customer: what the database holds plus what this
        push staged (the workstation's own lists name those)."""
        kinds = list(MOVED.values())
        ids = set(
            self.feed.session.scalars(
                select(Record.id).where(
                    Record.kind.in_(kinds), Record.data["customer_id"].as_string() == customer_id
                )
            )
        )
        ids |= {str(i) for key in MOVED for i in hints.get(key, []) if isinstance(i, str)}
        return self._pointing(ids, customer_id)

    def _pointing(self, ids: set[str], customer_id: str) -> dict[str, list[Doc]]:
        self.feed.prefetch(ids)
        found: dict[str, list[Doc]] = {}
        for key, kind in MOVED.items():
            docs = [self.feed.get(kind, i) for i in sorted(ids)]
            found[key] = [d for d in docs if d is not None and d.data["customer_id"] == customer_id]
            if kind == "ticket" and any(not self.actor.sees(d.team_id) for d in found[key]):
                raise Rejected("a conversation of this customer belongs to another team")
        return found

    def _move(self, docs: dict[str, list[Doc]], to_id: str) -> dict[str, list[str]]:
        for key, kind in MOVED.items():
            for doc in docs[key]:
                self.feed.put(kind, doc.id, doc.data | {"customer_id": to_id})
        return {key: [d.id for d in found] for key, found in docs.items()}

    # -- customers ---------------------------------------------------------------------------
    def _merge(self, entity_id: str, payload: dict[str, Any]) -> Outcome:
        body = MergeChange.model_validate(payload)
        merge = body.merge
        survivor_id, merged_id = str(merge.survivor_id), str(merge.merged_id)
        if (
            str(merge.id) != entity_id
            or str(body.survivor.id) != survivor_id
            or str(body.merged.id) != merged_id
            or survivor_id == merged_id
        ):
            raise Rejected("customer.merge ids do not match")
        if self.feed.get("customer_merge", entity_id) is not None:
            return Outcome("merged")
        survivor, merged = self._customer(survivor_id), self._customer(merged_id)
        if survivor.data.get("merged_into_id") or merged.data.get("merged_into_id"):
            raise Rejected("one of the customers was already merged into another")
        moved = self._move(self._owned(merged_id, merge.undo), survivor_id)
        self.feed.put("customer", survivor_id, _json(body.survivor) | {"merged_into_id": None})
        self.feed.put("customer", merged_id, merged.data | {"merged_into_id": survivor_id})
        data = _json(merge) | {"undo": merge.undo | moved, "undone_at": None}
        self.feed.put("customer_merge", entity_id, data | {"merged_by": self.actor.id})
        return Outcome("applied", result={"moved": {k: len(v) for k, v in moved.items()}})

    def _unmerge(self, entity_id: str, payload: dict[str, Any]) -> Outcome:
        body = MergeChange.model_validate(payload)
        record = self.feed.get("customer_merge", entity_id)
        if record is None:
            raise Rejected("the server does not know this merge")
        survivor_id, merged_id = record.data["survivor_id"], record.data["merged_id"]
        if str(body.survivor.id) != survivor_id or str(body.merged.id) != merged_id:
            raise Rejected("customer.unmerge ids do not match")
        if record.data.get("undone_at"):
            return Outcome("merged")
        survivor, merged = self._customer(survivor_id), self._customer(merged_id)
        if survivor.data.get("merged_into_id"):
            raise Rejected("the customer was merged again later: undo that merge first")
        undo = record.data.get("undo", {})
        ids = {str(i) for key in MOVED for i in undo.get(key, [])}
        self._move(self._pointing(ids, survivor_id), merged_id)
        self.feed.put("customer", survivor_id, _json(body.survivor) | {"merged_into_id": None})
        self.feed.put("customer", merged_id, merged.data | {"merged_into_id": None})
        undone = body.merge.undone_at.isoformat() if body.merge.undone_at else _now()
        self.feed.put("customer_merge", entity_id, record.data | {"undone_at": undone})
        return Outcome("applied")

    def _dismiss(self, entity_id: str, payload: dict[str, Any]) -> Outcome:
        body = DismissChange.model_validate(payload)
        if str(body.dismissal.id) != entity_id:
            raise Rejected("customer.duplicate_dismiss ids do not match")
        a_id, b_id = sorted((str(body.dismissal.a_id), str(body.dismissal.b_id)))
        key = f"dismiss:{a_id}:{b_id}"
        if self.feed.by_dedupe_key(key) is not None:
            return Outcome("merged")  # someone said "not the same person" first
        data = _json(body.dismissal) | {"a_id": a_id, "b_id": b_id, "dismissed_by": self.actor.id}
        self.feed.put("duplicate_dismissal", entity_id, data, dedupe_key=key)
        return Outcome("applied")

    # -- canned replies ----------------------------------------------------------------------
    def _folder_save(self, entity_id: str, payload: dict[str, Any]) -> Outcome:
        body = FolderSave.model_validate(payload)
        self._manager("manage canned replies")
        if str(body.folder.id) != entity_id:
            raise Rejected("canned.folder.save ids do not match")
        self.feed.put("canned_folder", entity_id, _json(body.folder))
        return Outcome("applied")

    def _reply_save(self, entity_id: str, payload: dict[str, Any]) -> Outcome:
        body = ReplySave.model_validate(payload)
        self._manager("manage canned replies")
        if str(body.reply.id) != entity_id:
            raise Rejected("canned.save ids do not match")
        existing = self.feed.get("canned_reply", entity_id)
        tags = existing.data.get("tags", []) if existing is not None else []
        data = _json(body.reply) | {"tags": tags, "updated_by": self.actor.id}
        self.feed.put("canned_reply", entity_id, data)
        return Outcome("applied")

    def _reply_archive(self, entity_id: str, payload: dict[str, Any]) -> Outcome:
        self._manager("manage canned replies")
        record = self.feed.get("canned_reply", entity_id)
        if record is None:
            raise Rejected("the server does not know this canned reply")
        self.feed.put("canned_reply", entity_id, record.data | {"archived": True})
        return Outcome("applied")

    def _reply_used(self, entity_id: str, payload: dict[str, Any]) -> Outcome:
        body = UsageAdd.model_validate(payload)
        if str(body.usage.id) != entity_id:
            raise Rejected("canned.used ids do not match")
        if self.feed.get("canned_usage", entity_id) is not None:
            return Outcome("merged")
        reply = self.feed.get("canned_reply", str(body.usage.reply_id))
        if reply is None or reply.data.get("deleted"):
            raise Rejected("the server does not know this canned reply")
        data = _json(body.usage) | {"agent_id": self.actor.id}
        self.feed.put("canned_usage", entity_id, data)
        return Outcome("applied")

    # -- knowledge base ----------------------------------------------------------------------
    def _article_save(self, entity_id: str, payload: dict[str, Any]) -> Outcome:
        body = ArticleSave.model_validate(payload)
        if str(body.article.id) != entity_id:
            raise Rejected("kb.article.save ids do not match")
        existing = self.feed.get("kb_article", entity_id)
        if body.article.status == "published":
            self._manager("publish articles")
        elif body.article.status == "archived":
            self._manager("discard articles")
        elif existing is not None and existing.data.get("status") == "published":
            self._manager("change a published article")
        data = _json(body.article)
        data["author_id"] = existing.data.get("author_id") if existing else self.actor.id
        self.feed.put("kb_article", entity_id, data)
        return Outcome("applied")

    def _article_publish(self, entity_id: str, payload: dict[str, Any]) -> Outcome:
        body = ArticlePublish.model_validate(payload)
        self._manager("publish articles")
        record = self.feed.get("kb_article", entity_id)
        if record is None:
            raise Rejected("the server does not know this article")
        when = body.published_at.isoformat() if body.published_at else _now()
        self.feed.put(
            "kb_article", entity_id, record.data | {"status": "published"} | {"published_at": when}
        )
        return Outcome("applied")

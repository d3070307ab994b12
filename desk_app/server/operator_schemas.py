"""Wire documents of the operator tools (merges, canned replies, knowledge base), validated like
every other pushed document: bounded strings, no NUL, UTC datetimes, unknown fields ignored."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from desk_app.server.schemas import (
    CustomerDoc,
    Id,
    Loose,
    Name,
    Str10,
    Str100,
    Str200,
    Str500Min1,
    Str2000,
    Str20000Min1,
    Str1000000,
    Utc,
)

MAX_UNDO_BYTES = 2_000_000  # a merge of a customer with thousands of tickets still fits


def _bounded_json(value: dict[str, Any]) -> dict[str, Any]:
    try:
        encoded = json.dumps(value, allow_nan=False, ensure_ascii=False)
    except (ValueError, TypeError) as error:
        raise ValueError("not plain JSON") from error
    if len(encoded) > MAX_UNDO_BYTES or "\\u0000" in encoded:
        raise ValueError("object too large or contains NUL")
    return value


UndoJson = Annotated[dict[str, Any], AfterValidator(_bounded_json)]


class MergeDoc(Loose):
    id: Id
    survivor_id: Id
    merged_id: Id
    merged_by: Id | None = None
    undo: UndoJson = Field(default_factory=dict)
    undone_at: Utc | None = None
    created_at: Utc | None = None


class MergeChange(Loose):
    """``customer.merge`` / ``customer.unmerge``: the merge and both customers as they are after
    it on the workstation (the survivor's filled or restored fields travel with it)."""

    merge: MergeDoc
    survivor: CustomerDoc
    merged: CustomerDoc


class DismissalDoc(Loose):
    id: Id
    a_id: Id
    b_id: Id
    dismissed_by: Id | None = None
    created_at: Utc | None = None


class DismissChange(Loose):
    dismissal: DismissalDoc


class CannedFolderDoc(Loose):
    id: Id
    name: Name
    parent_id: Id | None = None
    position: Annotated[int, Field(ge=-1_000_000, le=1_000_000)] = 0


class FolderSave(Loose):
    folder: CannedFolderDoc


class CannedReplyDoc(Loose):
    id: Id
    folder_id: Id | None = None
    title: Name  # as the REST library (team_routes) validates it
    language: Str10 = "ru"
    body: Str20000Min1
    keywords: Str2000 = ""
    shortcut: Str100 | None = None
    archived: bool = False


class ReplySave(Loose):
    reply: CannedReplyDoc


class CannedUsageDoc(Loose):
    id: Id
    reply_id: Id
    ticket_id: Id | None = None
    used_at: Utc | None = None


class UsageAdd(Loose):
    usage: CannedUsageDoc


class ArticleDoc(Loose):
    id: Id
    slug: Str200
    language: Str10
    category: Str200 = ""
    title: Str500Min1
    body: Str1000000
    tags: Str2000 = ""
    status: Literal["draft", "published", "archived"] = "draft"  # archived: discarded
    public_url: Str2000 | None = None
    source_ticket_id: Id | None = None
    author_id: Id | None = None
    published_at: Utc | None = None
    created_at: Utc | None = None


class ArticleSave(Loose):
    article: ArticleDoc


class ArticlePublish(Loose):
    published_at: Utc | None = None

"""The shared library of canned replies: folders, ru/en, keyword search, filling, usage counts.

Bodies use the template syntax of ``domain.templates`` (variables, alternatives, personalise
marks). Only leads and admins change the library (:func:`services.editors.is_editor`, the same
rule the server applies to synced changes); everyone reads and uses it. Filling takes its facts
from the ticket, its customer and the current operator, and the rotation of alternatives follows
how often the reply was used, so the same reply reads differently from one customer to the next.
Each use is recorded (insert-only, synced), which gives leads the usage count per reply.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.domain.morphology import tokens
from desk_app.domain.templates import Rendered, TemplateContext, render, unknown_variables
from desk_app.services import mutations
from desk_app.services.context import ServiceContext
from desk_app.services.editors import is_editor
from desk_app.store.models import Agent, Customer, Ticket
from desk_app.store.operator_models import CannedFolder, CannedReply, CannedUsage

# Search weights: where a query word is found in a reply.
SHORTCUT_HIT, TITLE_HIT, KEYWORD_HIT, BODY_HIT = 20, 4, 3, 1


class TemplateError(ValueError):
    """A reply uses variables Desk does not know; the message lists them."""


class ShortcutTakenError(ValueError):
    """Another reply in the same language already answers to this shortcut."""


class CannedPermissionError(PermissionError):
    """Only leads and admins change the shared library."""


@dataclass(frozen=True)
class FolderView:
    id: str
    name: str
    parent_id: str | None


@dataclass(frozen=True)
class CannedView:
    id: str
    folder_id: str | None
    folder: str
    title: str
    language: str
    body: str
    keywords: str
    shortcut: str | None
    uses: int


@dataclass
class _Indexed:
    view: CannedView
    title: set[str]
    keywords: set[str]
    body: set[str]


def _stems(text: str) -> set[str]:
    return {t.stem for t in tokens(text)}


class CannedLibrary:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- library -----------------------------------------------------------------------------
    def folders(self) -> list[FolderView]:
        with self.ctx.read() as session:
            rows = session.scalars(
                select(CannedFolder).order_by(CannedFolder.position, CannedFolder.name)
            )
            return [FolderView(f.id, f.name, f.parent_id) for f in rows]

    def can_edit(self) -> bool:
        """Whether the operator at this desk may change the library (leads and admins)."""
        return is_editor(self.ctx)

    def save_folder(
        self, name: str, *, parent_id: str | None = None, folder_id: str | None = None
    ) -> str:
        self._require_editor()
        return self._save_folder(name, parent_id=parent_id, folder_id=folder_id)

    def _save_folder(self, name: str, *, parent_id: str | None, folder_id: str | None) -> str:
        if not name.strip():
            raise ValueError("a folder needs a name")
        with self.ctx.write() as session:
            folder = session.get(CannedFolder, folder_id) if folder_id else None
            if folder is None:
                folder = CannedFolder(name=name, parent_id=parent_id)
                session.add(folder)
            folder.name, folder.parent_id = name, parent_id
            session.flush()
            mutations.record(
                session, "canned.folder.save", folder.id, name=name, parent_id=parent_id
            )
            return folder.id

    def save_reply(
        self,
        *,
        title: str,
        body: str,
        language: str,
        folder_id: str | None = None,
        keywords: str = "",
        shortcut: str | None = None,
        reply_id: str | None = None,
    ) -> str:
        """Create or edit a reply (a lead's job). Unknown variables are refused: they could
        never be filled."""
        unknown = unknown_variables(body)
        if unknown:
            raise TemplateError("unknown variables: " + ", ".join(f"{{{n}}}" for n in unknown))
        self._require_editor()
        return self._save_reply(
            title=title,
            body=body,
            language=language,
            folder_id=folder_id,
            keywords=keywords,
            shortcut=shortcut,
            reply_id=reply_id,
        )

    def _save_reply(
        self,
        *,
        title: str,
        body: str,
        language: str,
        folder_id: str | None,
        keywords: str,
        shortcut: str | None,
        reply_id: str | None,
    ) -> str:
        if not title.strip():
            raise ValueError("a reply needs a title")
        with self.ctx.write() as session:
            reply = session.get(CannedReply, reply_id) if reply_id else None
            if reply is None:
                reply = CannedReply()
                session.add(reply)
            reply.title, reply.body, reply.language = title, body, language
            reply.folder_id, reply.keywords = folder_id, keywords
            reply.shortcut = (shortcut or "").strip().lstrip("/") or None
            _check_shortcut_free(session, reply)
            session.flush()
            mutations.record(session, "canned.save", reply.id, language=language)
            return reply.id

    def archive(self, reply_id: str) -> None:
        self._require_editor()
        with self.ctx.write() as session:
            reply = session.get(CannedReply, reply_id)
            if reply is None:
                raise LookupError(f"no canned reply {reply_id}")
            reply.archived = True
            mutations.record(session, "canned.archive", reply.id)

    def replies(self, *, language: str | None = None) -> list[CannedView]:
        with self.ctx.read() as session:
            return _load(session, language)

    # -- finding -----------------------------------------------------------------------------
    def search(
        self, query: str, *, language: str | None = None, limit: int = 30
    ) -> list[CannedView]:
        return search_replies(self.replies(), query, language=language, limit=limit)

    def by_shortcut(self, shortcut: str, *, language: str | None = None) -> CannedView | None:
        wanted = shortcut.strip().lstrip("/").lower()
        matches = [r for r in self.replies() if r.shortcut and r.shortcut.lower() == wanted]
        matches.sort(key=lambda r: r.language != language)
        return matches[0] if matches else None

    # -- using -------------------------------------------------------------------------------
    def context_for(self, ticket_id: str | None) -> TemplateContext:
        """Facts for variables: the ticket, its customer, and the operator at this desk."""
        with self.ctx.read() as session:
            agent = session.get(Agent, self.ctx.agent_id) if self.ctx.agent_id else None
            ticket = session.get(Ticket, ticket_id) if ticket_id else None
            customer = session.get(Customer, ticket.customer_id) if ticket else None
            while customer is not None and customer.merged_into_id:
                customer = session.get(Customer, customer.merged_into_id)
            return TemplateContext(
                customer_name=customer.display_name if customer else None,
                customer_city=customer.city if customer else None,
                customer_plan=customer.plan if customer else None,
                customer_platform=customer.platform if customer else None,
                customer_app_version=customer.app_version if customer else None,
                agent_name=agent.name if agent else None,
                ticket_number=ticket.number if ticket else None,
                ticket_subject=ticket.subject if ticket else None,
            )

    def fill(
        self, reply: CannedView, ticket_id: str | None, *, choices: tuple[int, ...] | None = None
    ) -> Rendered:
        """The reply filled for this ticket; alternatives turn with the reply's use count."""
        values = self.context_for(ticket_id).values()
        return render(reply.body, values, choices=choices, rotation=reply.uses)

    def record_use(self, reply_id: str, ticket_id: str | None) -> None:
        with self.ctx.write() as session:
            usage = CannedUsage(
                reply_id=reply_id,
                agent_id=self.ctx.agent_id,
                ticket_id=ticket_id,
                used_at=self.ctx.now(),
            )
            session.add(usage)
            session.flush()
            mutations.record(
                session, "canned.used", usage.id, reply_id=reply_id, ticket_id=ticket_id
            )

    def usage(self, *, since: datetime | None = None) -> list[tuple[CannedView, int]]:
        """For leads: every reply with how often it was used (since ``since``), most used first."""
        with self.ctx.read() as session:
            query = select(CannedUsage.reply_id, func.count()).group_by(CannedUsage.reply_id)
            if since is not None:
                query = query.where(CannedUsage.used_at >= since)
            counts = dict(session.execute(query).all())
            replies = _load(session, None)
        return sorted(((r, int(counts.get(r.id, 0))) for r in replies), key=lambda p: -p[1])

    def _require_editor(self) -> None:
        if not self.can_edit():
            raise CannedPermissionError("only a team lead or an admin can change canned replies")

    # -- sample library ----------------------------------------------------------------------
    def import_file(self, path: Path) -> int:
        """Load a library file (``{"language", "folders": [{"name", "replies": [...]}]}``);
        replies whose title already exists in that language are skipped. Not gated by role:
        this is how a new profile gets the samples Desk ships, whoever starts it first."""
        data = json.loads(path.read_text(encoding="utf-8"))
        language = data["language"]
        existing = {(r.title, r.language) for r in self.replies()}
        folders = {f.name: f.id for f in self.folders()}
        count = 0
        for folder in data["folders"]:
            folder_id = folders.get(folder["name"]) or self._save_folder(
                folder["name"], parent_id=None, folder_id=None
            )
            folders[folder["name"]] = folder_id
            for raw in folder["replies"]:
                if (raw["title"], language) in existing:
                    continue
                self._save_reply(
                    title=raw["title"],
                    body=raw["body"],
                    language=language,
                    folder_id=folder_id,
                    keywords=raw.get("keywords", ""),
                    shortcut=raw.get("shortcut"),
                    reply_id=None,
                )
                count += 1
        return count

    def import_directory(self, directory: Path) -> int:
        return sum(self.import_file(p) for p in sorted(directory.glob("*.json")))


def search_replies(
    replies: list[CannedView], query: str, *, language: str | None = None, limit: int = 30
) -> list[CannedView]:
    """Replies matching every word typed (by stem; the last word as a prefix) or the shortcut,
    in the preferred language first, then by relevance and how often the team uses them. An
    empty query lists the most used replies. Pure and in memory: the picker filters as the
    operator types without touching the database."""
    words = list(tokens(query))
    if not words:
        return sorted(replies, key=lambda r: (r.language != language, -r.uses))[:limit]
    shortcut = query.strip().lstrip("/").lower()
    scored: list[tuple[bool, int, int, CannedView]] = []
    for item in (_index(r) for r in replies):
        is_shortcut = (item.view.shortcut or "").lower() == shortcut
        score = SHORTCUT_HIT if is_shortcut else 0
        matched_all = True
        for position, token in enumerate(words):
            prefix = position == len(words) - 1 and query[token.end :] == ""
            hit = _hit(token.stem, token.word, item, prefix=prefix)
            matched_all = matched_all and hit > 0
            score += hit
        if matched_all or is_shortcut:
            view = item.view
            scored.append((view.language != language, -score, -view.uses, view))
    scored.sort(key=lambda s: s[:3])
    return [view for *_, view in scored[:limit]]


def _check_shortcut_free(session: Session, reply: CannedReply) -> None:
    """A clear message instead of the unique index's IntegrityError (archived replies keep
    their shortcut, so they count too)."""
    if reply.shortcut is None:
        return
    with session.no_autoflush:  # the pending row itself would hit the index first
        taken = session.scalar(
            select(CannedReply.title).where(
                func.lower(CannedReply.shortcut) == reply.shortcut.lower(),
                CannedReply.language == reply.language,
                CannedReply.id != reply.id,
            )
        )
    if taken is not None:
        raise ShortcutTakenError(f"/{reply.shortcut} is already the shortcut of “{taken}”")


def _load(session: Session, language: str | None) -> list[CannedView]:
    uses = dict(
        session.execute(
            select(CannedUsage.reply_id, func.count()).group_by(CannedUsage.reply_id)
        ).all()
    )
    folders = dict(session.execute(select(CannedFolder.id, CannedFolder.name)).all())
    query = select(CannedReply).where(CannedReply.archived.is_(False)).order_by(CannedReply.title)
    if language:
        query = query.where(CannedReply.language == language)
    return [
        CannedView(
            id=r.id,
            folder_id=r.folder_id,
            folder=folders.get(r.folder_id, "") if r.folder_id else "",
            title=r.title,
            language=r.language,
            body=r.body,
            keywords=r.keywords,
            shortcut=r.shortcut,
            uses=int(uses.get(r.id, 0)),
        )
        for r in session.scalars(query)
    ]


def _index(view: CannedView) -> _Indexed:
    return _Indexed(view, _stems(view.title), _stems(view.keywords), _stems(view.body))


def _hit(stem: str, word: str, item: _Indexed, *, prefix: bool) -> int:
    def found(stems: Iterable[str]) -> bool:
        return any(
            s == stem or (prefix and (s.startswith(stem) or s.startswith(word))) for s in stems
        )

    return (
        (TITLE_HIT if found(item.title) else 0)
        + (KEYWORD_HIT if found(item.keywords) else 0)
        + (BODY_HIT if found(item.body) else 0)
    )

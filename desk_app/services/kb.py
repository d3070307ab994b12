"""The knowledge base: Markdown articles (ru/en, categories) stored locally and synced, searched
with real morphology and typo tolerance, suggested for the open ticket, and written from tickets.

Each article's title and body are indexed as Snowball stems in the ``kb_fts`` FTS5 table (rowid =
article ``seq``) by this service in the same transaction as the article, and ranked with BM25
(title weighted higher). Query planning, typo correction and snippets are pure rules in
``domain.kb_search``; this module runs the SQL and keeps the vocabulary cache current.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desk_app.domain.enums import AuthorKind, MessageKind
from desk_app.domain.kb_search import (
    QueryPlan,
    Snippet,
    Vocabulary,
    excerpt,
    highlight,
    plain_text,
    plan_for_text,
    plan_query,
    snippet,
    split_front_matter,
)
from desk_app.domain.tone import text_language
from desk_app.domain.transliteration import transliterate
from desk_app.services import mutations
from desk_app.services.context import ServiceContext
from desk_app.services.editors import is_editor
from desk_app.store.kb_index import INDEX_VERSION
from desk_app.store.kb_index import index_article as _index
from desk_app.store.models import Agent, Message, Setting, Ticket
from desk_app.store.operator_models import KbArticle, KbTerm

DRAFT, PUBLISHED, ARCHIVED = "draft", "published", "archived"
TITLE_WEIGHT, BODY_WEIGHT = 5.0, 1.0


class KbPermissionError(PermissionError):
    """Only leads and admins publish articles."""


@dataclass(frozen=True)
class ArticleView:
    id: str
    slug: str
    language: str
    category: str
    title: str
    body: str
    tags: tuple[str, ...]
    status: str
    public_url: str | None
    source_ticket_id: str | None
    updated_at: datetime


@dataclass(frozen=True)
class DraftView:
    """A draft waiting for review, with what a lead needs to judge it."""

    article: ArticleView
    author: str | None
    ticket_number: int | None  # the ticket it was written from


@dataclass(frozen=True)
class ArticleSource:
    """An article to import (from files or another tool)."""

    slug: str
    language: str
    title: str
    body: str
    category: str = ""
    tags: str = ""
    public_url: str | None = None


@dataclass(frozen=True)
class SearchResult:
    article: ArticleView
    rank: float  # BM25, lower is better
    title: Snippet
    snippet: Snippet


@dataclass(frozen=True)
class SearchOutcome:
    results: list[SearchResult]
    corrections: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (typed word, stems used)
    unknown: tuple[str, ...] = ()  # words nothing in the index matched
    matched_all: bool = True  # False when no article had every word and any word was used


def _view(article: KbArticle) -> ArticleView:
    return ArticleView(
        id=article.id,
        slug=article.slug,
        language=article.language,
        category=article.category,
        title=article.title,
        body=article.body,
        tags=tuple(t.strip() for t in article.tags.split(",") if t.strip()),
        status=article.status,
        public_url=article.public_url,
        source_ticket_id=article.source_ticket_id,
        updated_at=article.updated_at,
    )


def slugify(title: str) -> str:
    latin = transliterate(title).lower()
    return re.sub(r"[^a-z0-9]+", "-", latin).strip("-")[:80] or "article"


class KnowledgeBase:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self._lock = threading.Lock()
        self._vocabulary: tuple[int, Vocabulary] | None = None

    # -- writing -----------------------------------------------------------------------------
    def save_article(
        self,
        *,
        title: str,
        body: str,
        language: str,
        category: str = "",
        tags: Iterable[str] = (),
        status: str = DRAFT,
        public_url: str | None = None,
        slug: str | None = None,
        article_id: str | None = None,
        source_ticket_id: str | None = None,
    ) -> str:
        """Create or update an article and its index entry in one transaction."""
        if not title.strip():
            raise ValueError("an article needs a title")
        if status == PUBLISHED:
            self._require_editor()
        with self.ctx.write() as session:
            article = (
                session.scalar(select(KbArticle).where(KbArticle.id == article_id))
                if article_id
                else None
            )
            if article is None:
                article = KbArticle(author_id=self.ctx.agent_id)
                session.add(article)
            article.title, article.body, article.language = title.strip(), body, language
            article.category, article.tags = category, ", ".join(tags)
            article.slug = slug or article.slug or slugify(title)
            article.public_url = public_url if public_url is not None else article.public_url
            article.source_ticket_id = source_ticket_id or article.source_ticket_id
            if status == PUBLISHED and article.status != PUBLISHED:
                article.published_at = self.ctx.now()
            article.status = status
            session.flush()
            _index(session, article)
            mutations.record(
                session, "kb.article.save", article.id, status=status, language=language
            )
            return article.id

    def publish(self, article_id: str) -> None:
        """A lead publishes a draft (e.g. one an operator wrote from a ticket)."""
        self._require_editor()
        with self.ctx.write() as session:
            article = _get(session, article_id)
            article.status = PUBLISHED
            article.published_at = self.ctx.now()
            mutations.record(session, "kb.article.publish", article.id)

    def discard(self, article_id: str) -> None:
        """A lead drops an article nobody should read. Kept as ``archived`` (never searched),
        and synced like every other edit: the whole row travels with ``kb.article.save``."""
        self._require_editor()
        with self.ctx.write() as session:
            article = _get(session, article_id)
            article.status = ARCHIVED
            mutations.record(
                session, "kb.article.save", article.id, status=ARCHIVED, language=article.language
            )

    def draft_from_ticket(self, ticket_id: str, *, language: str | None = None) -> str:
        """ "The answer is missing": a draft with the customer's question and our replies."""
        with self.ctx.read() as session:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                raise LookupError(f"no ticket {ticket_id}")
            messages = session.execute(
                select(Message.author_kind, Message.body_text)
                .where(Message.ticket_id == ticket_id, Message.kind == MessageKind.MESSAGE)
                .order_by(Message.seq)
            ).all()
            subject, number = ticket.subject, ticket.number
        asked = [b.strip() for k, b in messages if k == AuthorKind.CUSTOMER and b.strip()]
        answered = [b.strip() for k, b in messages if k == AuthorKind.AGENT and b.strip()]
        language = language or text_language(" ".join(asked) or subject)
        heads = ("Вопрос", "Ответ") if language == "ru" else ("Question", "Answer")
        first_line = (asked[0].splitlines()[0] if asked else "")[:120]
        title = subject.strip() or first_line or f"#{number}"
        body = f"## {heads[0]}\n\n" + "\n\n".join(asked or ["…"])
        body += f"\n\n## {heads[1]}\n\n" + "\n\n".join(answered or ["…"]) + "\n"
        return self.save_article(
            title=title, body=body, language=language, status=DRAFT, source_ticket_id=ticket_id
        )

    def import_directory(self, directory: Path) -> int:
        """Load ``<lang>/<slug>.md`` files (front matter: slug, title, category, tags, url) as
        published articles; articles already there (same slug and language) are skipped."""
        sources = []
        for path in sorted(directory.glob("*/*.md")):
            meta, body = split_front_matter(path.read_text(encoding="utf-8"))
            sources.append(
                ArticleSource(
                    slug=meta.get("slug") or path.stem,
                    language=path.parent.name,
                    title=meta.get("title") or path.stem,
                    body=body,
                    category=meta.get("category", ""),
                    tags=meta.get("tags", ""),
                    public_url=meta.get("url"),
                )
            )
        return self.import_articles(sources)

    def import_articles(self, sources: Iterable[ArticleSource]) -> int:
        """Add published articles in one transaction (sample data, migrations from another
        tool); ones already present (same slug and language) are skipped."""
        count = 0
        with self.ctx.write() as session:
            existing = {
                (slug, lang)
                for slug, lang in session.execute(select(KbArticle.slug, KbArticle.language))
            }
            for source in sources:
                if (source.slug, source.language) in existing:
                    continue
                existing.add((source.slug, source.language))
                article = KbArticle(
                    slug=source.slug,
                    language=source.language,
                    title=source.title,
                    category=source.category,
                    tags=source.tags,
                    body=source.body,
                    status=PUBLISHED,
                    public_url=source.public_url,
                    published_at=self.ctx.now(),
                )
                session.add(article)
                session.flush()
                _index(session, article)
                count += 1
        return count

    # -- reading -----------------------------------------------------------------------------
    def get(self, article_id: str) -> ArticleView:
        with self.ctx.read() as session:
            return _view(_get(session, article_id))

    def articles(
        self, *, status: str | None = None, language: str | None = None
    ) -> list[ArticleView]:
        with self.ctx.read() as session:
            query = select(KbArticle).order_by(KbArticle.category, KbArticle.title)
            if status:
                query = query.where(KbArticle.status == status)
            if language:
                query = query.where(KbArticle.language == language)
            return [_view(a) for a in session.scalars(query)]

    def drafts(self) -> list[DraftView]:
        """Drafts for review, newest first, with author and source ticket."""
        with self.ctx.read() as session:
            rows = session.execute(
                select(KbArticle, Agent.name, Ticket.number)
                .outerjoin(Agent, Agent.id == KbArticle.author_id)
                .outerjoin(Ticket, Ticket.id == KbArticle.source_ticket_id)
                .where(KbArticle.status == DRAFT)
                .order_by(KbArticle.updated_at.desc(), KbArticle.seq.desc())
            ).all()
            return [DraftView(_view(a), name, number) for a, name, number in rows]

    def search(
        self,
        query: str,
        *,
        language: str | None = None,
        limit: int = 10,
        include_drafts: bool = False,
        typing: bool = True,
    ) -> SearchOutcome:
        """Ranked articles for what the operator typed; every word must match if any article has
        them all, else any word may."""
        with self.ctx.read() as session:
            plan = plan_query(query, self._vocab(session), typing=typing)
            if plan.empty:
                return SearchOutcome([], unknown=plan.unknown)
            found = self._run(session, plan.match_all(), plan, language, limit, include_drafts)
            matched_all = bool(found) or len(plan.groups) == 1
            if not found and len(plan.groups) > 1:
                found = self._run(session, plan.match_any(), plan, language, limit, include_drafts)
            return SearchOutcome(found, plan.corrections, plan.unknown, matched_all)

    def suggest_for_text(
        self, text_: str, *, language: str | None = None, limit: int = 5
    ) -> list[SearchResult]:
        with self.ctx.read() as session:
            plan = plan_for_text(text_, self._vocab(session))
            if plan.empty:
                return []
            return self._run(session, plan.match_any(), plan, language, limit, False)

    def suggest_for_ticket(self, ticket_id: str, *, limit: int = 5) -> list[SearchResult]:
        """Articles for the open ticket, from what the customer wrote (newest messages first)."""
        with self.ctx.read() as session:
            rows = session.execute(
                select(Message.subject, Message.body_text)
                .where(
                    Message.ticket_id == ticket_id,
                    Message.author_kind == AuthorKind.CUSTOMER,
                    Message.kind == MessageKind.MESSAGE,
                )
                .order_by(Message.seq.desc())
                .limit(5)
            ).all()
        words = "\n".join(f"{s or ''}\n{b}" for s, b in rows)[:4000]
        return self.suggest_for_text(
            words, language=text_language(words) if words else None, limit=limit
        )

    @staticmethod
    def link_text(article: ArticleView) -> str | None:
        """What "insert link" puts in a reply; None for a draft (it has no public page)."""
        if not article.public_url or article.status != PUBLISHED:
            return None
        return f"{article.title}: {article.public_url}"

    @staticmethod
    def excerpt_text(article: ArticleView, *, max_chars: int = 600) -> str:
        return excerpt(article.body, max_chars=max_chars)

    # -- internals ---------------------------------------------------------------------------
    def can_publish(self) -> bool:
        """Whether the operator at this desk may publish, edit published articles, discard."""
        return is_editor(self.ctx)

    def _require_editor(self) -> None:
        if not is_editor(self.ctx):
            raise KbPermissionError("only a team lead can publish articles")

    def _vocab(self, session: Session) -> Vocabulary:
        setting = session.get(Setting, INDEX_VERSION)
        version = int(setting.value.get("v", 0)) if setting else 0
        with self._lock:
            if self._vocabulary is None or self._vocabulary[0] != version:
                rows = session.execute(text("SELECT term, doc FROM kb_fts_vocab")).all()
                total = session.execute(text("SELECT count(*) FROM kb_fts")).scalar_one()
                words = dict(session.execute(select(KbTerm.word, KbTerm.stem)).all())
                counts = {t: int(d) for t, d in rows}
                self._vocabulary = (version, Vocabulary(counts, int(total), words))
            return self._vocabulary[1]

    def _run(
        self,
        session: Session,
        match: str,
        plan: QueryPlan,
        language: str | None,
        limit: int,
        include_drafts: bool,
    ) -> list[SearchResult]:
        sql = (
            "SELECT a.seq, bm25(kb_fts, :tw, :bw) AS rank FROM kb_fts "
            "JOIN kb_articles a ON a.seq = kb_fts.rowid WHERE kb_fts MATCH :match"
            + (" AND a.status != 'archived'" if include_drafts else " AND a.status = 'published'")
            + (" AND a.language = :language" if language else "")
            + " ORDER BY rank LIMIT :limit"
        )
        rows = session.execute(
            text(sql),
            {
                "tw": TITLE_WEIGHT,
                "bw": BODY_WEIGHT,
                "match": match,
                "language": language,
                "limit": limit,
            },
        ).all()
        if not rows:
            return []
        articles = {
            a.seq: a
            for a in session.scalars(
                select(KbArticle).where(KbArticle.seq.in_([r[0] for r in rows]))
            )
        }
        return [
            SearchResult(
                article=_view(articles[seq]),
                rank=float(rank),
                title=highlight(articles[seq].title, plan),
                snippet=snippet(plain_text(articles[seq].body), plan),
            )
            for seq, rank in rows
        ]


def _get(session: Session, article_id: str) -> KbArticle:
    article = session.scalar(select(KbArticle).where(KbArticle.id == article_id))
    if article is None:
        raise LookupError(f"no article {article_id}")
    return article

"""Writing one knowledge-base article into the local search index (FTS5 + typo vocabulary).

In the store layer because two writers need it: the knowledge-base service (local edits) and the
sync client (articles pulled from the server), and sync sits below services.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from desk_app.domain.kb_search import index_text, plain_text
from desk_app.domain.morphology import STOPWORDS, tokens
from desk_app.store.models import Setting
from desk_app.store.operator_models import KbArticle, KbTerm

INDEX_VERSION = "kb.index_version"  # bumped on every index write: other caches reload
MAX_WORD = 100  # longer "words" (hashes, URLs) are not kept for typo correction


def index_article(session: Session, article: KbArticle) -> None:
    """Re-index one article (stems of title+tags and body) and bump the index version."""
    session.execute(text("DELETE FROM kb_fts WHERE rowid = :seq"), {"seq": article.seq})
    session.execute(
        text("INSERT INTO kb_fts(rowid, title, body) VALUES (:seq, :title, :body)"),
        {
            "seq": article.seq,
            "title": index_text(f"{article.title}\n{article.tags}"),
            "body": index_text(plain_text(article.body)),
        },
    )
    forms = {t.word: t.stem for t in tokens(f"{article.title}\n{article.tags}\n{article.body}")}
    forms = {w: s for w, s in forms.items() if len(w) <= MAX_WORD and w not in STOPWORDS}
    if forms:
        session.execute(
            sqlite_insert(KbTerm).on_conflict_do_nothing(),
            [{"word": w, "stem": s} for w, s in forms.items()],
        )
    setting = session.get(Setting, INDEX_VERSION)
    if setting is None:
        session.add(Setting(key=INDEX_VERSION, value={"v": 1}))
    else:
        setting.value = {"v": int(setting.value.get("v", 0)) + 1}

"""Knowledge-base search rules: from what the operator typed to an FTS5 query over stems, typo
tolerance over the index vocabulary, and highlighted snippets. Pure: the service runs the SQL.

The index holds Snowball stems (``domain.morphology``), so word forms match. A query word whose
stem the index has never seen is probably a typo: it is replaced by the vocabulary stems within
a small edit distance ("обнавление" → "обновлен"), found through a trigram index so a 30,000-stem
vocabulary is not scanned word by word.
"""

from __future__ import annotations

import bisect
import html
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from desk_app.domain.fuzzy import allowed_typos, edit_distance, trigrams
from desk_app.domain.morphology import STOPWORDS, Token, tokens

MAX_CORRECTIONS = 3  # vocabulary stems tried for one misspelt word
MIN_PREFIX = 3  # the word being typed is matched as a prefix from this length


class Vocabulary:
    """Index stems with their document counts, and the word forms behind them; finds near
    spellings of a typed word for typo tolerance."""

    def __init__(
        self, doc_counts: Mapping[str, int], total_docs: int, words: Mapping[str, str] | None = None
    ) -> None:
        self.doc_counts = dict(doc_counts)
        self.total_docs = max(total_docs, 1)
        self.words = dict(words or {})  # word form -> stem
        self._sorted: list[str] | None = None
        self._word_grams: _TrigramIndex | None = None
        self._stem_grams: _TrigramIndex | None = None

    def __contains__(self, stem: str) -> bool:
        return stem in self.doc_counts

    def has_prefix(self, prefix: str) -> bool:
        if self._sorted is None:
            self._sorted = sorted(self.doc_counts)
        i = bisect.bisect_left(self._sorted, prefix)
        return i < len(self._sorted) and self._sorted[i].startswith(prefix)

    def idf(self, stem: str) -> float:
        docs = self.doc_counts.get(stem, 0)
        return math.log(1 + (self.total_docs - docs + 0.5) / (docs + 0.5))

    def corrections(self, word: str, stem: str) -> list[str]:
        """Stems the misspelt ``word`` probably meant: the closest real word forms first (their
        stems), else the closest stems; only the nearest distance counts, most common first."""
        if self._word_grams is None:
            self._word_grams = _TrigramIndex(self.words)
            self._stem_grams = _TrigramIndex(self.doc_counts)
        assert self._stem_grams is not None
        near_words = self._word_grams.nearest(word)
        stems = {self.words[w] for w in near_words} & self.doc_counts.keys()
        if not stems:
            stems = set(self._stem_grams.nearest(stem))
        ranked = sorted(stems, key=lambda s: -self.doc_counts.get(s, 0))
        return ranked[:MAX_CORRECTIONS]


class _TrigramIndex:
    """Candidate generation for edit-distance search: only terms sharing enough trigrams with
    the typed word are compared at all."""

    def __init__(self, terms: Iterable[str]) -> None:
        index: dict[str, list[str]] = defaultdict(list)
        for term in terms:
            for gram in trigrams(term):
                index[gram].append(term)
        self.index = dict(index)

    def nearest(self, word: str) -> list[str]:
        limit = allowed_typos(word)
        if limit == 0:
            return []
        grams = trigrams(word)
        shared: Counter[str] = Counter()
        for gram in grams:
            shared.update(self.index.get(gram, ()))
        # One edit changes at most 3 trigrams: sharing fewer cannot be within the limit.
        needed = max(1, len(grams) - 3 * limit)
        best: list[str] = []
        best_distance = limit + 1
        for term, count in shared.items():
            if count < needed or abs(len(term) - len(word)) > limit:
                continue
            distance = edit_distance(word, term, limit)
            if distance < best_distance:
                best, best_distance = [term], distance
            elif distance == best_distance:
                best.append(term)
        return best


@dataclass(frozen=True)
class TermGroup:
    """One query word: the stems that may stand for it (any of them matches)."""

    word: str
    stems: tuple[str, ...]
    prefix: bool = False  # the word still being typed
    corrected: bool = False  # stems come from typo correction

    def fts(self) -> str:
        parts = [f'"{s}"' + ("*" if self.prefix else "") for s in self.stems]
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def matches(self, stem: str) -> bool:
        return any(stem == s or (self.prefix and stem.startswith(s)) for s in self.stems)


@dataclass(frozen=True)
class QueryPlan:
    groups: tuple[TermGroup, ...]
    unknown: tuple[str, ...] = ()  # words with no match at all, left out of the query

    @property
    def empty(self) -> bool:
        return not self.groups

    def match_all(self) -> str:
        return " AND ".join(g.fts() for g in self.groups)

    def match_any(self) -> str:
        return " OR ".join(g.fts() for g in self.groups)

    def matches(self, stem: str) -> bool:
        return any(g.matches(stem) for g in self.groups)

    @property
    def corrections(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((g.word, g.stems) for g in self.groups if g.corrected)


def plan_query(text: str, vocabulary: Vocabulary, *, typing: bool = True) -> QueryPlan:
    """Groups for each meaningful word; the last word is a prefix while still being typed."""
    found = list(tokens(text))
    meaningful = [t for t in found if t.word not in STOPWORDS] or found
    last_open = typing and bool(found) and text[found[-1].end :] == ""
    groups: list[TermGroup] = []
    unknown: list[str] = []
    for token in meaningful:
        is_last = token is found[-1]
        group = _group_for(token, vocabulary, prefix=is_last and last_open)
        if group is None:
            unknown.append(token.word)
        else:
            groups.append(group)
    return QueryPlan(tuple(groups), tuple(unknown))


def _group_for(token: Token, vocabulary: Vocabulary, *, prefix: bool) -> TermGroup | None:
    if token.stem in vocabulary:
        return TermGroup(token.word, (token.stem,), prefix=prefix)
    if prefix and len(token.word) >= MIN_PREFIX and vocabulary.has_prefix(token.word):
        return TermGroup(token.word, (token.word,), prefix=True)
    if prefix and len(token.stem) >= MIN_PREFIX and vocabulary.has_prefix(token.stem):
        return TermGroup(token.word, (token.stem,), prefix=True)
    near = vocabulary.corrections(token.word, token.stem)
    if near:
        return TermGroup(token.word, tuple(near), corrected=True)
    return None


def plan_for_text(text: str, vocabulary: Vocabulary, *, terms: int = 8) -> QueryPlan:
    """A query from a whole ticket: its most distinctive known stems (tf × idf), any may match."""
    counts = Counter(t.stem for t in tokens(text) if t.word not in STOPWORDS and len(t.word) > 2)
    weighted = sorted(
        ((n * vocabulary.idf(s), s) for s, n in counts.items() if s in vocabulary), reverse=True
    )
    return QueryPlan(tuple(TermGroup(s, (s,)) for _, s in weighted[:terms]))


def index_text(text: str) -> str:
    """What the FTS index stores for a text: its stems without stopwords, space separated."""
    return " ".join(t.stem for t in tokens(text) if t.word not in STOPWORDS)


_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.MULTILINE), r)
    for p, r in (
        (r"```.*?```", " "),
        (r"!\[([^\]]*)\]\([^)]*\)", r"\1"),
        (r"\[([^\]]+)\]\([^)]*\)", r"\1"),
        (r"^\s{0,3}#{1,6}\s*", ""),
        (r"^\s{0,3}>\s?", ""),
        (r"^\s*(?:[-*+]|\d+\.)\s+", ""),
        (r"[*_`~]{1,3}", ""),
        (r"<[^>]+>", " "),
    )
)


def plain_text(markdown: str) -> str:
    """Markdown without markup, paragraphs kept (for snippets, excerpts and the index)."""
    text = markdown
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return re.sub(r"[ \t]+", " ", text).strip()


@dataclass(frozen=True)
class Snippet:
    """A window of text with the matching words marked: (text, is_hit) segments."""

    segments: tuple[tuple[str, bool], ...]
    hits: int = 0

    @property
    def text(self) -> str:
        return "".join(s for s, _ in self.segments)

    def html(self) -> str:
        return "".join(
            f"<b>{html.escape(s)}</b>" if hit else html.escape(s) for s, hit in self.segments
        )


def snippet(text: str, plan: QueryPlan, *, words: int = 28) -> Snippet:
    """The ``words``-word window with the most distinct matching stems, matches marked."""
    found = list(tokens(text))
    if not found:
        return Snippet(((text[:200], False),))
    is_hit = [plan.matches(t.stem) for t in found]
    best = (0, min(words, len(found)))
    best_score = -1
    for start in range(0, max(1, len(found) - words + 1)):
        if start and not is_hit[start]:
            continue
        end = min(start + words, len(found))
        score = len({found[i].stem for i in range(start, end) if is_hit[i]})
        if score > best_score:
            best, best_score = (start, end), score
    first, last = found[best[0]], found[best[1] - 1]
    begin = _sentence_start(text, first.start) if best[0] else 0
    stop = len(text) if best[1] == len(found) else last.end
    segments: list[tuple[str, bool]] = [("… ", False)] if begin > 0 else []
    position = begin
    hits = 0
    for index in range(*best):
        token = found[index]
        if token.start < begin or not is_hit[index]:
            continue
        segments.append((_flat(text[position : token.start]), False))
        segments.append((text[token.start : token.end], True))
        position = token.end
        hits += 1
    segments.append((_flat(text[position:stop]), False))
    if stop < len(text):
        segments.append((" …", False))
    return Snippet(tuple(s for s in segments if s[0]), hits)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _sentence_start(text: str, position: int) -> int:
    """Back up a little to the start of the sentence, so a snippet reads naturally."""
    floor = max(0, position - 60)
    cut = max(text.rfind(". ", floor, position), text.rfind("\n", floor, position))
    return cut + 2 if cut >= 0 and text[cut] == "." else (cut + 1 if cut >= 0 else position)


def highlight(text: str, plan: QueryPlan) -> Snippet:
    """Whole ``text`` (a title) with the matching words marked."""
    segments: list[tuple[str, bool]] = []
    position = 0
    for token in tokens(text):
        if plan.matches(token.stem):
            segments.append((text[position : token.start], False))
            segments.append((text[token.start : token.end], True))
            position = token.end
    segments.append((text[position:], False))
    return Snippet(tuple(s for s in segments if s[0]), sum(1 for _, h in segments if h))


def excerpt(markdown: str, *, max_chars: int = 600) -> str:
    """The opening paragraphs of an article, cut at a sentence end, for pasting into a reply."""
    text = plain_text(markdown)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    out = ""
    for paragraph in paragraphs:
        candidate = f"{out}\n\n{paragraph}" if out else paragraph
        if len(candidate) > max_chars:
            if not out:
                cut = paragraph.rfind(". ", 0, max_chars)
                out = paragraph[: cut + 1] if cut > 0 else paragraph[:max_chars].rstrip() + "…"
            break
        out = candidate
    return out


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """``---``-fenced ``key: value`` lines at the top of an article file, and the body."""
    if not text.startswith("---"):
        return {}, text
    head, _, body = text[3:].partition("\n---")
    meta = {}
    for line in head.strip().splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip()] = value.strip()
    return meta, body.lstrip("\n")

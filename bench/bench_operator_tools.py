"""Operator-tools benchmarks (issue 6), each beside a bare baseline in the same run.

    .venv/bin/python bench/bench_operator_tools.py [--articles 10000] [--customers 100000]

* KB search p95 over 10,000 articles (target ≤ 30 ms): ``KnowledgeBase.search`` — query
  planning with stemming and typo correction, the ranked FTS5 query joined to the articles,
  highlighted snippets for the top 10 — over a mix of Russian and English queries (single
  words, several words, word forms, typos, prefixes while typing). Bare: the FTS5 MATCH of the
  same planned expression alone (``ORDER BY rank LIMIT 10``), no join, no snippets.
* Duplicate scan over 100,000 customers (target ≤ 2 s): ``CustomerMerger.scan`` — cold (the
  first scan, which builds the blocking-key index for every customer) and warm (keys current,
  the usual case). Bare: one SQL GROUP BY over the key index finding the shared keys.
  Planted duplicates (other channel, Latin spelling, same email or phone) measure recall;
  planted namesakes with different emails must not be proposed.

The articles and customers are synthetic but shaped like the real thing: articles recombine
the shipped sample knowledge base with invented vocabulary so the index vocabulary is large;
customers use common Russian names (so name blocks are crowded) in both scripts.
Prints a table and writes it to bench/results/operator_tools.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import percentile, timed
from desk_app.domain.kb_search import plan_query, split_front_matter
from desk_app.domain.transliteration import transliterate
from desk_app.resources import resource
from desk_app.services.context import ServiceContext
from desk_app.services.customers_merge import CustomerMerger
from desk_app.services.kb import ArticleSource, KnowledgeBase
from desk_app.store.db import open_database
from desk_app.store.types import new_id

RESULTS = Path(__file__).parent / "results" / "operator_tools.md"
KB_TARGET_MS, SCAN_TARGET_S = 30.0, 2.0
BARE_FTS = "SELECT rowid FROM kb_fts WHERE kb_fts MATCH ? ORDER BY rank LIMIT 10"
BARE_KEYS = (
    "SELECT key, count(*) FROM customer_match_keys GROUP BY key HAVING count(*) BETWEEN 2 AND 64"
)

QUERIES = [
    "фильтры", "нет фильтров в поиске", "обновить приложение", "обновления", "обнавление",
    "не приходит смс", "код для входа", "мошенники", "мошеники ссылка", "возврат денег",
    "вернуть деньги за продвижение", "аккаунт заблокирован", "заблокировали", "фото не загру",
    "объявление отклонено модерацией", "продлить объявление", "доставка", "трек номер",
    "безопасная сдел", "удалить аккаунт", "уведомления не приходят", "отзыв продавца",
    "сменить номер телефона", "вылетает при запуске", "приложение закрывается",
    "filters", "search filters missing", "update the app", "updating", "notificatons",
    "refund", "refunds for promotion", "scam link", "scamer", "blocked account", "sms code",
    "sign in", "delivery tracking", "photos upload", "listing rejected", "renew listing",
    "delete account", "seller review", "app crashes on start", "change phone number", "safe deal",
]  # fmt: skip

RU_FIRST = [
    "Иван",
    "Алексей",
    "Сергей",
    "Дмитрий",
    "Андрей",
    "Михаил",
    "Никита",
    "Егор",
    "Артём",
    "Павел",
    "Ольга",
    "Мария",
    "Анна",
    "Елена",
    "Наталья",
    "Юлия",
    "Ксения",
    "Екатерина",
    "Татьяна",
    "Светлана",
]
RU_LAST = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
]
SYLLABLES_RU = [
    "ка",
    "ли",
    "на",
    "ро",
    "те",
    "ва",
    "ми",
    "до",
    "ку",
    "ры",
    "зо",
    "бе",
    "ла",
    "пу",
    "ше",
    "гра",
    "сто",
    "при",
    "вер",
    "мот",
    "лан",
]
SYLLABLES_EN = [
    "ka",
    "li",
    "na",
    "ro",
    "te",
    "va",
    "mi",
    "do",
    "ku",
    "ry",
    "zo",
    "be",
    "la",
    "pu",
    "she",
    "gra",
    "sto",
    "pri",
    "ver",
    "mot",
    "lan",
]


def feminine(last: str) -> str:
    return last + "а"


def person_name(rng: random.Random, index: int) -> str:
    first = RU_FIRST[index % len(RU_FIRST)]
    last = RU_LAST[rng.randrange(len(RU_LAST))]
    if first[-1] == "а" or first in ("Ольга", "Юлия", "Ксения", "Наталья"):
        last = feminine(last)
    # one name in five gets a distinguishing suffix so blocks stay realistic, not 100k namesakes
    return f"{first} {last}" + ("" if rng.random() < 0.2 else f"-{_word(rng, SYLLABLES_RU, 2)}")


def _word(rng: random.Random, syllables: list[str], n: int) -> str:
    return "".join(rng.choice(syllables) for _ in range(n))


# -- knowledge base -------------------------------------------------------------------------
def synthetic_articles(rng: random.Random, count: int) -> list[ArticleSource]:
    samples = []
    for path in sorted(resource("kb").glob("*/*.md")):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        samples.append((path.parent.name, meta, body))
    invented = {
        "ru": [_word(rng, SYLLABLES_RU, rng.randint(2, 4)) for _ in range(15_000)],
        "en": [_word(rng, SYLLABLES_EN, rng.randint(2, 4)) for _ in range(15_000)],
    }
    articles = []
    for n in range(count):
        language, meta, body = samples[n % len(samples)]
        paragraphs = body.split("\n\n")
        rng.shuffle(paragraphs)
        extra = " ".join(rng.choice(invented[language]) for _ in range(rng.randint(30, 90)))
        articles.append(
            ArticleSource(
                slug=f"{meta['slug']}-{n}",
                language=language,
                title=f"{meta['title']} ({rng.choice(invented[language])})",
                body="\n\n".join(paragraphs[: rng.randint(2, len(paragraphs))]) + "\n\n" + extra,
                category=meta.get("category", ""),
                tags=meta.get("tags", ""),
            )
        )
    return articles


def bench_kb(directory: Path, articles: int, rounds: int) -> list[tuple[str, str, str, str]]:
    rng = random.Random(6)
    engine, sessions = open_database(directory / "kb.sqlite3")
    kb = KnowledgeBase(ServiceContext(sessions))
    build, _ = timed(lambda: kb.import_articles(synthetic_articles(rng, articles)))
    kb.search("прогрев")  # loads the vocabulary once, as the open panel does
    raw = sqlite3.connect(directory / "kb.sqlite3")
    with sessions() as session:
        vocabulary = kb._vocab(session)
    plans = {q: plan_query(q, vocabulary) for q in QUERIES}
    desk_times, bare_times = [], []
    empty = 0
    for _ in range(rounds):
        for query in QUERIES:
            seconds, outcome = timed(lambda q=query: kb.search(q))
            desk_times.append(seconds * 1000)
            empty += not outcome.results
            match = plans[query].match_all()
            seconds, _ = timed(lambda m=match: raw.execute(BARE_FTS, (m,)).fetchall())
            bare_times.append(seconds * 1000)
    suggest_times = []
    ticket_texts = [
        "Здравствуйте. Android, 134. У друга есть фильтры, а у меня нет",
        "I was charged for a VIP promotion but my listing got rejected, I want a refund",
        "Не приходит код по смс, не могу войти в аккаунт уже второй день",
    ]
    for _ in range(rounds):
        for ticket_text in ticket_texts:
            seconds, _ = timed(lambda t=ticket_text: kb.suggest_for_text(t))
            suggest_times.append(seconds * 1000)
    raw.close()
    engine.dispose()
    p95, bare95 = percentile(desk_times, 95), percentile(bare_times, 95)
    return [
        ("KB import + index", f"{articles:,} articles", f"{build:.1f} s", ""),
        (
            "KB search p95 (ms)",
            f"{len(desk_times)} searches, {empty} empty",
            f"{p95:.1f} (p50 {percentile(desk_times, 50):.1f})",
            f"bare FTS5 {bare95:.1f} (p50 {percentile(bare_times, 50):.1f}); "
            f"ratio {p95 / bare95:.1f}×; target ≤ {KB_TARGET_MS:.0f}: "
            + ("OK" if p95 <= KB_TARGET_MS else "MISSED"),
        ),
        (
            "KB suggest for ticket p95 (ms)",
            f"{len(suggest_times)} tickets",
            f"{percentile(suggest_times, 95):.1f}",
            "",
        ),
    ]


# -- duplicates -----------------------------------------------------------------------------
def make_customers(
    db_path: Path, count: int, rng: random.Random
) -> tuple[set[frozenset[str]], set[frozenset[str]]]:
    """Customers + identities straight into the tables; returns planted duplicate pairs and
    planted namesake pairs (same name, different emails)."""
    now = datetime(2026, 11, 1, tzinfo=UTC).replace(tzinfo=None).isoformat(sep=" ")
    customers, identities = [], []
    duplicates: set[frozenset[str]] = set()
    namesakes: set[frozenset[str]] = set()
    channels = ["telegram", "google_play", "app_store", "vk", "facebook", "x"]

    def add(name: str, channel: str, external: str, attributes: str = "{}") -> str:
        cid = new_id()
        customers.append((cid, name, attributes, now, now))
        identities.append((new_id(), cid, channel, external, name, now, now))
        return cid

    n = 0
    while len(customers) < count:
        name = person_name(rng, n)
        email = f"user{n}@mail.example"
        phone = f'{{"phone": "+7 9{n % 100:02d} {n // 100 % 1000:03d} {n % 10000:04d}"}}'
        original = add(name, "email", email, phone)
        roll = rng.random()
        if roll < 0.02:  # the same person on another channel, Latin spelling
            duplicates.add(
                frozenset({original, add(transliterate(name), rng.choice(channels), f"x{n}")})
            )
        elif roll < 0.03:  # same email from the web form, shop name as display name
            other = add(f"shop {n}", "web", f"w{n}", f'{{"email": "{email.upper()}"}}')
            duplicates.add(frozenset({original, other}))
        elif roll < 0.035:  # a real namesake: same name, own email address
            other = add(name, "email", f"other{n}@mail.example")
            namesakes.add(frozenset({original, other}))
        else:
            identities.append((new_id(), original, rng.choice(channels), f"c{n}", name, now, now))
        n += 1
    db = sqlite3.connect(db_path)
    db.executemany(
        "INSERT INTO customers(id, display_name, attributes, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?)",
        customers,
    )
    db.executemany(
        "INSERT INTO customer_identities(id, customer_id, channel, external_id, display, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        identities,
    )
    db.commit()
    db.close()
    return duplicates, namesakes


def bench_duplicates(directory: Path, count: int) -> list[tuple[str, str, str, str]]:
    rng = random.Random(7)
    db_path = directory / "customers.sqlite3"
    engine, sessions = open_database(db_path)
    planted, namesakes = make_customers(db_path, count, rng)
    merger = CustomerMerger(ServiceContext(sessions))
    cold, found = timed(merger.scan)
    warm, found_again = timed(merger.scan)
    assert len(found) == len(found_again)
    pairs = {frozenset({c.a_id, c.b_id}) for c in found}
    recall = len(planted & pairs) / max(1, len(planted))
    false_namesakes = len(namesakes & pairs)
    raw = sqlite3.connect(db_path)
    started = time.perf_counter()
    raw.execute(BARE_KEYS).fetchall()
    bare = time.perf_counter() - started
    some = found[0].a_id if found else None
    card = timed(lambda: merger.count_for(some))[0] if some else float("nan")
    raw.close()
    engine.dispose()
    verdict = (
        "OK"
        if max(cold, warm) <= SCAN_TARGET_S
        else ("warm OK" if warm <= SCAN_TARGET_S else "MISSED")
    )
    return [
        (
            "Duplicate scan (s)",
            f"{count:,} customers",
            f"cold {cold:.2f} / warm {warm:.2f}",
            f"bare GROUP BY over keys {bare:.2f}; target ≤ {SCAN_TARGET_S:.0f}: {verdict}",
        ),
        (
            "Duplicate candidates",
            f"{len(planted)} planted, {len(namesakes)} namesakes",
            f"{len(found)} found, recall {recall:.0%}",
            f"namesakes with different emails proposed: {false_namesakes}",
        ),
        ("Card: duplicates of one customer (ms)", "", f"{card * 1000:.1f}", ""),
    ]


def table(rows: Sequence[tuple[str, str, str, str]]) -> str:
    lines = ["| Measure | Data | Desk | Baseline / verdict |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="do not update the results file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        rows = bench_kb(Path(tmp), args.articles, args.rounds)
        rows += bench_duplicates(Path(tmp), args.customers)
    text = table(rows)
    print(text)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(
            "# Operator tools benchmark\n\n"
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.platform()}, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"{_cpus()} CPUs, load average {os.getloadavg()[0]:.1f} at the end. "
            "Command: `.venv/bin/python bench/bench_operator_tools.py`.\n\n"
            "Warm scan = the key index is current (the normal state: ingest-created customers are "
            "keyed incrementally); cold = the first scan of a profile, which builds the index for "
            "every customer once.\n\n"
            f"{text}\n",
            encoding="utf-8",
        )
    return 0


def _cpus() -> int:
    return os.cpu_count() or 0


if __name__ == "__main__":
    raise SystemExit(main())

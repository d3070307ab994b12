"""The email benchmark's mail: realistic support traffic, generated from a seed.

Kept apart from the benchmark (standard library only) because the parse workers are spawned
processes that import the launching script, and because a test checks that this corpus takes
the parser's short road."""

from __future__ import annotations

import base64
import random
from datetime import UTC, datetime, timedelta

FIRST = ["Иван", "Ольга", "Сергей", "Anna", "John", "Мария", "Дмитрий", "Elena", "Пётр", "Kate"]
LAST = ["Петров", "Smith", "Иванова", "Сидоров", "Brown", "Кузнецова", "Lee", "Орлов"]
TOPICS = [
    "Не приходит код подтверждения",
    "Возврат денег за заказ",
    "App crashes after update",
    "Не работает оплата картой",
    "Cannot log in",
    "Где мой заказ?",
    "Фильтры пропали после обновления",
    "Refund request",
]
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def make_corpus(count: int, seed: int = 7) -> list[bytes]:
    """Realistic support mail: ~1,500 customers, threads with References, Russian and
    English, koi8-r/cp1251/utf-8, HTML alternatives, a few attachments."""
    rng = random.Random(seed)
    start = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
    threads: dict[int, list[str]] = {}
    out = []
    for n in range(count):
        customer = rng.randrange(1500)
        name = f"{FIRST[customer % len(FIRST)]} {LAST[customer % len(LAST)]}"
        address = f"customer{customer}@example.com"
        topic = TOPICS[rng.randrange(len(TOPICS))]
        mid = f"<m{n}.{customer}@example.com>"
        refs = threads.get(customer)
        headers = [
            f"From: =?utf-8?B?{base64.b64encode(name.encode()).decode()}?= <{address}>",
            "To: support@desk.test",
            f"Date: {(start + timedelta(minutes=7 * n)).strftime('%a, %d %b %Y %H:%M:%S +0000')}",
            f"Message-ID: {mid}",
        ]
        subject = topic if refs is None else f"Re: {topic}"
        if refs is not None and rng.random() < 0.7:
            headers.append(f"In-Reply-To: {refs[-1]}")
            headers.append(f"References: {' '.join(refs[-5:])}")
        threads.setdefault(customer, []).append(mid)
        text = (
            f"Здравствуйте! {topic}. Заказ N {rng.randrange(10**6)}, "
            f"Android {rng.randrange(9, 15)}, "
            f"версия приложения 4.{rng.randrange(10)}.{rng.randrange(10)}.\n"
            + "Подробности: после обновления всё перестало работать, помогите пожалуйста.\n"
            * rng.randrange(1, 8)
        )
        kind = rng.random()
        if kind < 0.15:
            charset = "koi8-r" if kind < 0.07 else "windows-1251"
            subject_word = base64.b64encode(subject.encode(charset, "replace")).decode()
            headers += [
                f"Subject: =?{charset}?B?{subject_word}?=",
                "MIME-Version: 1.0",
                f"Content-Type: text/plain; charset={charset}",
                "Content-Transfer-Encoding: 8bit",
            ]
            body = text.encode(charset, "replace")
        elif kind < 0.55:
            html = "".join(f"<p>{line}</p>" for line in text.splitlines())
            html += '<img src="https://tracker.example/p.gif">'
            headers += [
                f"Subject: =?utf-8?B?{base64.b64encode(subject.encode()).decode()}?=",
                "MIME-Version: 1.0",
                'Content-Type: multipart/alternative; boundary="alt"',
            ]
            body = (
                "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\n"
                + base64.encodebytes(text.encode()).decode()
                + "--alt\r\nContent-Type: text/html; charset=utf-8\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\n"
                + base64.encodebytes(html.encode()).decode()
                + "--alt--\r\n"
            ).encode()
        elif kind < 0.62:
            headers += [
                f"Subject: =?utf-8?B?{base64.b64encode(subject.encode()).decode()}?=",
                "MIME-Version: 1.0",
                'Content-Type: multipart/mixed; boundary="mix"',
            ]
            body = (
                "--mix\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + text
                + "--mix\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
                "Content-Disposition: attachment; "
                "filename*=utf-8''%D1%81%D0%BA%D1%80%D0%B8%D0%BD.png"
                "\r\n\r\n"
                + base64.encodebytes(PNG + bytes([n % 256]) * 64).decode()
                + "--mix--\r\n"
            ).encode()
        else:
            headers += [
                f"Subject: =?utf-8?B?{base64.b64encode(subject.encode()).decode()}?=",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: 8bit",
            ]
            body = text.encode()
        out.append(
            ("\r\n".join(headers) + "\r\n\r\n").encode()
            + body.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        )
    return out

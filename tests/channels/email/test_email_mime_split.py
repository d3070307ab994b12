"""The short road through MIME (``mime_split``) builds exactly the feedparser's tree, and
leaves everything unusual to the feedparser. No server needed: this is about parsing only."""

from __future__ import annotations

import email
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from desk_app.channels.email.mime_split import split_mime

CORPUS = Path(__file__).parent / "corpus"


def tree(msg: Message) -> tuple[Any, ...]:
    payload = msg._payload  # the tree itself is what must be equal
    return (
        msg._headers,
        msg.preamble,
        msg.epilogue,
        [type(d).__name__ for d in msg.defects],
        msg.get_unixfrom(),
        msg.get_default_type(),
        [tree(p) for p in payload] if isinstance(payload, list) else payload,
    )


def same_or_declined(raw: bytes) -> bool:
    """True if the fast tree equals the feedparser's; False if the fast path declined."""
    fast = split_mime(raw)
    if fast is None:
        return False
    assert tree(fast) == tree(email.message_from_bytes(raw))
    return True


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.eml")), ids=lambda p: p.name)
def test_tricky_corpus_same_tree_or_feedparser(path: Path) -> None:
    same_or_declined(path.read_bytes())


def test_broken_mime_goes_to_the_feedparser() -> None:
    for name in ("broken_mime.eml", "broken_base64.eml", "dsn_bounce.eml"):
        assert split_mime((CORPUS / name).read_bytes()) is None, name


def test_benchmark_corpus_takes_the_short_road() -> None:
    from bench.mail_corpus import make_corpus

    assert all(same_or_declined(raw) for raw in make_corpus(300))


HEAD = b"From: a@example.com\r\nSubject: =?utf-8?B?0J/RgNC40LLQtdGC?=\r\n"
NESTED = (
    HEAD + b'Content-Type: multipart/mixed; boundary="out"\r\n\r\n'
    b"preamble text\r\n--out\r\n"
    b'Content-Type: multipart/alternative; boundary="in"\r\n\r\n'
    b"--in\r\nContent-Type: text/plain; charset=koi8-r\r\n\r\n\xf0\xd2\xc9\xd7\xc5\xd4\r\n"
    b"--in  \r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n\r\n--in--\r\ninner epilogue\r\n"
    b"--out\r\nContent-Type: image/png\r\nContent-Disposition: attachment;\r\n"
    b"\tfilename*=utf-8''%D1%84.png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0K\r\n"
    b"--out--\r\nouter epilogue\r\n"
)
ODD_BUT_FINE = [
    NESTED,
    NESTED.replace(b"\r\n", b"\n"),  # LF-only mail
    HEAD + b"Content-Type: text/plain\r\n\r\nbody\r\n--not a boundary\r\n",
    HEAD + b"X-Empty:\r\n  folded only\r\n\r\n",  # value on the continuation line
    HEAD + b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
    b"--b\r\n\r\nno headers in this part\r\n--bx\r\n--b--",  # look-alike line, close at EOF
    HEAD + b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
    b"--b\r\nContent-Type: text/plain\r\n\r\n--b--\r\n",  # empty part body
]
DECLINED = [
    b"From someone Mon Nov 16 2026\r\n" + HEAD + b"\r\nbody",  # unix From line
    HEAD + b"Subject: x\rbare CR\r\n\r\nbody",
    HEAD + b"not a header line\r\n\r\nbody",
    b" continuation first\r\n" + HEAD + b"\r\nbody",
    HEAD + b"no blank line and no body",
    HEAD + b"Content-Type: multipart/mixed\r\n\r\nno boundary parameter",
    HEAD + b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: t/p\r\n\r\nx',
    HEAD + b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n--b\r\n\r\nx\r\n--b--',
    HEAD + b'Content-Type: multipart/digest; boundary="b"\r\n\r\n--b\r\n\r\nx\r\n--b--',
    HEAD + b"Content-Type: message/rfc822\r\n\r\n" + HEAD + b"\r\ninner",
]


@pytest.mark.parametrize("raw", ODD_BUT_FINE)
def test_odd_but_wellformed_mail_gives_the_same_tree(raw: bytes) -> None:
    assert same_or_declined(raw)


@pytest.mark.parametrize("raw", DECLINED)
def test_anything_the_feedparser_treats_specially_is_declined(raw: bytes) -> None:
    assert split_mime(raw) is None

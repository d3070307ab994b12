"""The compat32 message tree of well-formed mail, built without the line-by-line feedparser.

``email.message_from_bytes`` reads a message one line at a time through a stack of boundary
predicates; for a first sync of thousands of messages that alone cost more than storing them.
Mail as mailers actually write it (a header block, a blank line, a body; multiparts whose
boundaries are where they say) can be cut with a few ``str.find`` calls and regex scans over the
whole text instead. This module builds exactly the tree the feedparser would build —
the same ``email.message.Message`` objects with the same raw headers, payload strings, preamble
and epilogue — and gives up (returns ``None``) on anything the feedparser would treat specially:
a defect of any kind, bare CR line ends, a unix ``From`` line, ``message/*`` and digest parts,
missing or doubled boundaries. The caller then uses the feedparser, so odd mail is parsed by the
same code as before and only the common case takes the short road. A test checks both give the
same tree for every message this accepts.
"""

from __future__ import annotations

import re
from email.message import Message
from itertools import pairwise

MAX_DEPTH = 8  # deeper multiparts go to the feedparser
# A field name (RFC 5322 ftext, at least one character) and its colon: what the feedparser
# accepts as a header line without recording a defect.
# Each match is one field with its continuation lines; the value keeps its inner line ends.
_FIELDS = re.compile(r"^([\041-\071\073-\176]+):[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)\n", re.MULTILINE)
_PLAIN_CTE = frozenset({"7bit", "8bit", "binary"})


def split_mime(raw: bytes) -> Message | None:
    """The tree ``email.message_from_bytes(raw)`` would return, or None when unsure."""
    text = raw.decode("ascii", "surrogateescape")  # what BytesParser feeds the feedparser
    if text.count("\r") != text.count("\r\n"):
        return None  # a bare CR is a line end to the feedparser; leave those to it
    return _part(text, 0, len(text), 0, top=True)


def _eol_len(text: str, end: int) -> int:
    """Length of the line end just before ``end`` (0, 1 for LF, 2 for CRLF)."""
    if end > 0 and text[end - 1] == "\n":
        return 2 if end > 1 and text[end - 2] == "\r" else 1
    return 0


def _headers(text: str, start: int, end: int) -> tuple[list[tuple[str, str]], int] | None:
    """Raw (name, value) pairs as compat32's ``header_source_parse`` makes them, and where the
    body starts; None unless every line up to a blank one is a field or a continuation."""
    if text.startswith("\n", start) or text.startswith("\r\n", start):
        return [], start + (1 if text[start] == "\n" else 2)
    lf = text.find("\n\n", start, end)
    crlf = text.find("\n\r\n", start, end)
    if lf < 0 and crlf < 0:
        return None  # headers up to the end: rare, left to the feedparser
    if crlf < 0 or 0 <= lf < crlf:
        block_end, body = lf + 1, lf + 2
    else:
        block_end, body = crlf + 1, crlf + 3
    block = text[start:block_end]
    if block[0] in " \t":
        return None
    fields = _FIELDS.findall(block)
    # Every line must be a field or a continuation; a line that is neither is not matched.
    if len(fields) != block.count("\n") - block.count("\n ") - block.count("\n\t"):
        return None
    return [(name, value.rstrip("\r\n")) for name, value in fields], body


def _boundaries(text: str, boundary: str, body: int, end: int) -> list[tuple[int, int, bool]]:
    """(line start, next line start, is the close) of each boundary line up to the close,
    matched as the feedparser does: ``--boundary``, maybe ``--``, blanks, the line end."""
    separator = "--" + boundary
    found: list[tuple[int, int, bool]] = []
    at = body
    while True:
        hit = text.find(separator, at, end)
        if hit < 0:
            return found
        after = hit + len(separator)
        line_end = text.find("\n", after, end)
        next_line = end if line_end < 0 else line_end + 1
        at = next_line
        if hit != body and text[hit - 1] != "\n":
            continue  # not at a line start
        close = text.startswith("--", after, next_line)
        rest = text[after + 2 if close else after : next_line]
        if rest.rstrip("\r\n").strip(" \t"):
            continue  # more than blanks after it: a line that only starts like a boundary
        found.append((hit, next_line, close))
        if close:
            return found


def _part(text: str, start: int, end: int, depth: int, *, top: bool = False) -> Message | None:
    parsed = _headers(text, start, end)
    if parsed is None:
        return None
    pairs, body = parsed
    msg = Message()
    for name, value in pairs:
        msg.set_raw(name, value)
    ctype = msg.get_content_type()
    maintype = ctype.partition("/")[0]
    if maintype == "message" or ctype == "multipart/digest":
        return None
    if maintype != "multipart":
        leaf_end = end if top else end - _eol_len(text, end)
        msg.set_payload(text[body : max(leaf_end, body)])
        return msg
    return _multipart(msg, text, body, end, depth)


def _multipart(msg: Message, text: str, body: int, end: int, depth: int) -> Message | None:
    boundary = msg.get_boundary()
    cte = str(msg.get("content-transfer-encoding", "8bit")).lower()
    if boundary is None or cte not in _PLAIN_CTE or depth >= MAX_DEPTH:
        return None
    lines = _boundaries(text, boundary, body, end)
    if len(lines) < 2 or lines[0][2] or not lines[-1][2]:
        return None  # no start, no close, or nothing between them
    first = lines[0][0]
    if first > body:
        msg.preamble = text[body : first - _eol_len(text, first)]
    for (_, part_start, _), (part_end, _, _) in pairwise(lines):
        if part_start >= part_end:
            return None  # doubled boundary lines: the feedparser skips them its own way
        child = _part(text, part_start, part_end, depth + 1)
        if child is None:
            return None
        if child.is_multipart():
            _trim_epilogue(child)
        msg.attach(child)
    msg.epilogue = text[lines[-1][1] : end]
    return msg


def _trim_epilogue(part: Message) -> None:
    """RFC 2046: the line end before a boundary belongs to the boundary, also after an
    inner multipart's epilogue."""
    epilogue = part.epilogue
    if not epilogue:
        part.epilogue = None
        return
    part.epilogue = epilogue[: len(epilogue) - _eol_len(epilogue, len(epilogue))]

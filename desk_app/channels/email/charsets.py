"""Turning mail bytes into text whatever the sender's software declared (or failed to).

Russian-speaking customers still send koi8-r and windows-1251, declare charsets Python does not
know ("win-1251", "x-user-defined"), and put raw 8-bit bytes in headers. Each function here
returns text plus a warning when it had to guess, so the message is stored readable and the
operator sees that a guess was made.
"""

from __future__ import annotations

import binascii
import codecs
import functools
import re
from email.header import decode_header

# Names real mailers use that Python's codec registry does not resolve.
_ALIASES = {
    "win-1251": "cp1251",
    "windows-1251-1": "cp1251",
    "x-cp1251": "cp1251",
    "cp-1251": "cp1251",
    "win1251": "cp1251",
    "koi8r": "koi8_r",
    "x-koi8-r": "koi8_r",
    "koi8-ru": "koi8_u",
    "x-mac-cyrillic": "mac_cyrillic",
    "ks_c_5601-1987": "cp949",
    "x-sjis": "shift_jis",
    "unicode-1-1-utf-7": "utf-7",
    "x-unknown": "",
    "unknown-8bit": "",
    "x-user-defined": "",
    "us-ascii": "ascii",
    "ansi_x3.4-1968": "ascii",
    "default": "",
}
# Lower-case Cyrillic letters in each 8-bit code page: most Russian text is lower case, so the
# code page that puts most bytes there is the right one.
_KOI8_LOWER = range(0xC0, 0xE0)
_CP1251_LOWER = range(0xE0, 0x100)


@functools.lru_cache(maxsize=512)  # a few names recur in every message; lookup costs a walk
def codec_for(charset: str | None) -> str | None:
    """Python codec name for a declared charset, or None when unknown or meaningless."""
    if not charset:
        return None
    name = charset.strip().strip('"').lower()
    name = _ALIASES.get(name, name)
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def guess_8bit(data: bytes) -> str:
    """Codec for undeclared 8-bit text: UTF-8 if it decodes, else a Cyrillic code page by
    letter statistics, else Latin-1 (which never fails)."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    high = [b for b in data if b >= 0xC0]
    if not high:
        return "cp1252"
    koi_lower = sum(1 for b in high if b in _KOI8_LOWER)
    cp_lower = sum(1 for b in high if b in _CP1251_LOWER)
    return "koi8_r" if koi_lower > cp_lower else "cp1251"


def decode_bytes(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """Text of ``data`` declared as ``charset``; the warning says what was guessed."""
    codec = codec_for(charset)
    if codec is not None:
        try:
            return data.decode(codec), None
        except UnicodeDecodeError:
            if codec not in ("ascii", "utf-8"):
                return data.decode(codec, "replace"), f"invalid {charset} bytes replaced"
    if codec is None and charset and charset.lower() not in _ALIASES:
        warning: str | None = f"unknown charset {charset!r}"
    else:
        warning = None
    if codec == "ascii" or codec is None or codec == "utf-8":
        guessed = guess_8bit(data)
        if codec is not None and guessed != "utf-8":
            warning = f"declared {charset} but not valid; read as {guessed}"
        elif codec is None and warning:
            warning = f"{warning}; read as {guessed}"
        return data.decode(guessed, "replace"), warning
    return data.decode(codec, "replace"), warning


def _raw(value: str) -> bytes:
    """The source bytes of a header value the compat32 parser read with surrogateescape."""
    return value.encode("ascii", "surrogateescape")


_ENCODED_WORD_GAP = re.compile(r"(\?=)\s+(=\?)")
_FOLD = re.compile(r"\r?\n[ \t]")


def decode_header_value(value: str | None) -> tuple[str, str | None]:
    """A header as the operator should read it: RFC 2047 encoded words (also split across
    folded lines, also unknown charsets) and raw 8-bit bytes decoded."""
    if not value:
        return "", None
    unfolded = _FOLD.sub(" ", value).replace("\r", "").replace("\n", "")
    warning = None
    if not unfolded.isascii():
        try:
            data = _raw(unfolded)
        except UnicodeEncodeError:  # already text (a caller decoded it)
            return unfolded.strip(), None
        codec = guess_8bit(data)
        unfolded = data.decode(codec, "replace")
        if codec != "utf-8":
            warning = f"undeclared 8-bit header read as {codec}"
    if "=?" not in unfolded:
        return unfolded.strip(), warning
    # Whitespace between adjacent encoded words is not part of the text (RFC 2047 §6.2).
    joined = _ENCODED_WORD_GAP.sub(r"\1\2", unfolded)
    usual = _base64_words(joined)
    if usual is not None:
        prefix, data, charset = usual
        text, problem = decode_bytes(data, charset)
        return (prefix + text).strip(), warning or problem
    return _decode_words(joined, unfolded, warning)


# The usual shape: maybe plain ASCII text ("Re: "), then base64 words in one charset.
_USUAL = re.compile(r"([^=?]*)((?:=\?[A-Za-z0-9_.:-]+\?[Bb]\?[A-Za-z0-9+/]*=*\?=)+)")
_BASE64_WORD = re.compile(r"=\?([^?]+)\?[Bb]\?([^?]*)\?=")


def _base64_words(joined: str) -> tuple[str, bytes, str] | None:
    """(plain prefix, the words' bytes, their charset) for the usual shape, decoded as
    ``email.header.decode_header`` does it (adjacent words of one charset are one byte string,
    so a character split across words survives); None for anything else."""
    usual = _USUAL.fullmatch(joined)
    if usual is None or not usual.group(1).isascii():
        return None
    words = _BASE64_WORD.findall(usual.group(2))
    charset = words[0][0].lower()
    if any(name.lower() != charset for name, _ in words):
        return None
    try:
        data = b"".join(binascii.a2b_base64(text + "==="[: -len(text) % 4]) for _, text in words)
    except binascii.Error:
        return None  # the general decoder says what is wrong
    return usual.group(1).lstrip(), data, charset


def _decode_words(joined: str, unfolded: str, warning: str | None) -> tuple[str, str | None]:
    """Any mix of encoded words and text, through ``email.header.decode_header``."""
    try:
        parts = decode_header(joined)
    except Exception:  # malformed encoded word: show it as it is
        return unfolded.strip(), "undecodable encoded word"
    out: list[str] = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
            continue
        text, problem = decode_bytes(chunk, charset)
        out.append(text)
        warning = warning or problem
    return "".join(out).strip(), warning

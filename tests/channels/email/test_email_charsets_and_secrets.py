"""Decoding helpers on their own, and the keyring-only rule for passwords."""

from __future__ import annotations

import base64
import email
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from email_servers import CORPUS, Dovecot, SmtpRecorder

from desk_app.channels.base import OutgoingReply, PermanentError
from desk_app.channels.email import EmailAccountConfig, EmailConnector, charsets
from desk_app.channels.email.blobs import BlobStore
from desk_app.channels.email.charsets import (
    _base64_words,
    decode_bytes,
    decode_header_value,
    guess_8bit,
)
from desk_app.channels.email.secrets import KeyringSecrets


def test_undeclared_cyrillic_code_pages_are_told_apart() -> None:
    text = "Здравствуйте, у меня не работает приложение"
    assert guess_8bit(text.encode("koi8-r")) == "koi8_r"
    assert guess_8bit(text.encode("cp1251")) == "cp1251"
    assert guess_8bit(text.encode("utf-8")) == "utf-8"


def test_declared_but_wrong_or_unknown_charsets_still_read() -> None:
    assert decode_bytes("Привет".encode("cp1251"), "win-1251") == ("Привет", None)
    text, warning = decode_bytes("Привет".encode(), "x-nonsense")
    assert text == "Привет" and warning is not None and "x-nonsense" in warning
    text, warning = decode_bytes("Привет".encode("cp1251"), "us-ascii")
    assert text == "Привет" and warning is not None


def test_header_with_mixed_plain_and_encoded_words() -> None:
    value = "Re: =?utf-8?B?0J/RgNC40LLQtdGC?= world"
    assert decode_header_value(value) == ("Re: Привет world", None)


def _b64(text: str, charset: str = "utf-8") -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


def _corpus_headers() -> list[str]:
    found = []
    for path in sorted(CORPUS.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes())
        found += [str(v) for k, v in message.raw_items() if k.lower() in {"subject", "from", "to"}]
    return found


USUAL_SHAPES = [
    _b64("Возврат денег"),
    "Re: " + _b64("Возврат денег"),
    "Fwd: Re:\t" + _b64("Заказ 12345, срочно", "koi8-r"),
    # one character split across two words of one charset: the bytes are joined first
    "=?utf-8?B?0J/RgNC4?= =?utf-8?B?0LLQtdGC?=",
    "=?UTF-8?b?0J/RgNC40LLQtdGC?=",  # lower-case b, upper-case charset
    "=?utf-8?B?0J/RgNC40LLQtdGC?=\r\n =?utf-8?B?INC80LjRgA==?=",  # folded
    "=?utf-8?B?0J/RgNC40LLQtd?=",  # padding left out
    "=?win-1251?B?7+Xw5e/o8eroIA==?=",  # a charset Python does not know by that name
    "=?x-nonsense?B?0J/RgNC40LLQtdGC?=",
    "=?utf-8?B??=",
]


@pytest.mark.parametrize("value", USUAL_SHAPES + _corpus_headers())
def test_the_usual_encoded_words_read_as_the_general_decoder_reads_them(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Base64 words in one charset (after plain ASCII) take a short road; it must give what
    ``email.header.decode_header`` gives, warnings included."""
    taken: list[object] = []
    usual = charsets._base64_words
    monkeypatch.setattr(charsets, "_base64_words", lambda j: taken.append(usual(j)) or taken[-1])
    short_road = decode_header_value(value)
    if value in USUAL_SHAPES:
        assert taken and taken[-1] is not None, "the short road was not taken"
    monkeypatch.setattr(charsets, "_base64_words", lambda joined: None)
    assert short_road == decode_header_value(value)


def test_other_shapes_take_the_general_decoder() -> None:
    assert _base64_words("=?utf-8?Q?caf=C3=A9?=") is None
    assert _base64_words(_b64("a") + _b64("b", "koi8-r")) is None  # two charsets
    assert _base64_words(_b64("a") + " tail") is None
    assert _base64_words("=?utf-8*ru?B?0J/RgNC4?=") is None  # RFC 2231 language
    assert _base64_words("=?utf-8?B?0J/R!gNC4?=") is None
    assert decode_header_value("=?utf-8?B?0J/RgNC4?") == ("=?utf-8?B?0J/RgNC4?", None)


def test_without_a_keyring_backend_the_password_is_refused_not_stored_elsewhere() -> None:
    code = (
        "import keyring, keyring.backends.fail as f; keyring.set_keyring(f.Keyring());"
        "from desk_app.channels.email.secrets import store_password, NoKeyringError, SecretKind\n"
        "try:\n store_password('acc', SecretKind.IMAP, 'pw')\n"
        "except NoKeyringError as e:\n print('REFUSED', e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("REFUSED No usable system keyring")
    assert "never stores them anywhere else" in out.stdout


@pytest.mark.timeout(60)
def test_missing_password_fails_permanently_and_says_what_to_do(
    dovecot: Dovecot, smtp: SmtpRecorder, tmp_path: Path
) -> None:
    config = EmailAccountConfig.from_dict(dovecot.account_config(smtp=smtp.config()))
    connector = EmailConnector(config, KeyringSecrets(str(uuid.uuid4())), BlobStore(tmp_path))
    with pytest.raises(PermanentError, match="No IMAP password is stored"):
        connector.fetch(None)
    reply = OutgoingReply("<k@desk.test>", None, "a@example.com", "Ответ")
    with pytest.raises(PermanentError, match="account settings"):
        connector.send(reply)
    assert smtp.deliveries == []

"""Decoding helpers on their own, and the keyring-only rule for passwords."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from email_servers import Dovecot, SmtpRecorder

from desk_app.channels.base import OutgoingReply, PermanentError
from desk_app.channels.email import EmailAccountConfig, EmailConnector
from desk_app.channels.email.blobs import BlobStore
from desk_app.channels.email.charsets import decode_bytes, decode_header_value, guess_8bit
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

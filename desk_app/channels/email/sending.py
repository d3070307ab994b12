"""Sending a reply exactly once: SMTP plus a record of each step in the Sent folder.

SMTP has no idempotency key, so the Sent folder is the durable record of how far a send got.
The copy (Message-ID = the reply's send key) is APPENDed *before* SMTP runs, and its flags say
which step was reached:

==================  ==========================================  ==========================
Sent copy           meaning                                      after a crash
==================  ==========================================  ==========================
absent              SMTP never started                           send
``\\Draft``          saved, SMTP DATA not started                 send (reuse the copy)
``\\Draft`` +        DATA started, outcome unknown                in doubt: a person decides
``$DeskSending``
no ``\\Draft``        the server accepted it                       sent; never resent
==================  ==========================================  ==========================

The only window that needs a person is DATA → 250 → clearing the flag (milliseconds), and
there a second delivery is the worse outcome. If the Sent folder cannot be written, nothing is
sent (a transient error) — the record must exist before the point of no return. Accounts whose
server files sent mail itself (``append_to_sent = False``, e.g. Gmail) skip the copy; for them
a reply whose lookup finds nothing after a crash is in doubt.
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass

from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from desk_app import crashpoints
from desk_app.channels.base import (
    DeliveryInDoubt,
    OutgoingReply,
    PermanentError,
    SendReceipt,
    TransientError,
)
from desk_app.channels.email.compose import build_reply
from desk_app.channels.email.config import EmailAccountConfig
from desk_app.channels.email.connection import classify, close_quietly, open_imap, open_smtp
from desk_app.channels.email.secrets import CredentialsUnavailable

log = logging.getLogger(__name__)

DRAFT = b"\\Draft"
SEEN = b"\\Seen"
SENDING = b"$DeskSending"  # keyword: SMTP DATA has started for this copy
# Extra kill points on the email send path (see desk_app.crashpoints).
POINTS = ("email.pending_saved", "email.data_started", "email.smtp_accepted")

IN_DOUBT_TEXT = (
    "Desk stopped while the mail server was accepting this reply, so it may or may not have "
    "been delivered. Check with the customer or the Sent folder, then Resend or Mark as sent."
)
_APPENDUID = re.compile(rb"APPENDUID \d+ (\d+)")


@dataclass(frozen=True)
class SentCopy:
    uid: int
    flags: frozenset[bytes]

    @property
    def delivered(self) -> bool:
        return DRAFT not in self.flags

    @property
    def data_started(self) -> bool:
        return SENDING in self.flags


PasswordSource = Callable[[], str]


class MailSender:
    def __init__(
        self,
        config: EmailAccountConfig,
        imap_password: PasswordSource,
        smtp_password: PasswordSource,
    ) -> None:
        self.config = config
        self.imap_password = imap_password
        self.smtp_password = smtp_password

    # -- the Sent folder ----------------------------------------------------------------------
    def _imap(self) -> IMAPClient:
        try:
            client = open_imap(self.config.imap, self.imap_password(), self.config.timeout)
            client.select_folder(self.config.sent_folder)
            return client
        except CredentialsUnavailable as error:
            raise PermanentError(str(error)) from error
        except LoginError as error:  # a wrong password does not fix itself
            raise PermanentError(classify(error, self.config.imap).message) from error
        except Exception as error:
            reason = classify(error, self.config.imap).message
            raise TransientError(f"Sent folder unavailable, not sending yet: {reason}") from error

    @staticmethod
    def _find(client: IMAPClient, send_key: str) -> SentCopy | None:
        uids = client.search(["NOT", "DELETED", "HEADER", "Message-ID", send_key])
        if not uids:
            return None
        flags = client.get_flags(uids)
        # Prefer a delivered copy if a server ever holds two.
        copies = sorted(
            (SentCopy(uid, frozenset(flags.get(uid, ()))) for uid in uids),
            key=lambda c: (not c.delivered, c.uid),
        )
        return copies[0]

    def find_delivery(self, send_key: str) -> SendReceipt | None:
        client = self._imap()
        try:
            copy = self._find(client, send_key)
        finally:
            close_quietly(client)
        if copy is None:
            if self.config.append_to_sent:
                return None  # the copy is written before SMTP starts: nothing was sent
            raise DeliveryInDoubt(IN_DOUBT_TEXT)
        if copy.delivered:
            return SendReceipt(external_id=send_key)
        if copy.data_started:
            raise DeliveryInDoubt(IN_DOUBT_TEXT)
        return None  # saved but SMTP never began

    # -- sending --------------------------------------------------------------------------------
    def send(self, reply: OutgoingReply) -> SendReceipt:
        message = build_reply(self.config, reply)
        data = message.as_bytes()
        client = self._imap() if self.config.append_to_sent else None
        try:
            copy_uid = self._save_pending(client, reply.send_key, data) if client else None
            if copy_uid == -1:
                return SendReceipt(external_id=reply.send_key)  # already delivered earlier
            crashpoints.reached("email.pending_saved")
            self._smtp_send(reply, data, client, copy_uid)
            crashpoints.reached("email.smtp_accepted")
            if client is not None and copy_uid is not None:
                self._mark_delivered(client, copy_uid)
        finally:
            if client is not None:
                close_quietly(client)
        return SendReceipt(external_id=reply.send_key)

    def _save_pending(self, client: IMAPClient, send_key: str, data: bytes) -> int:
        """UID of the pending copy (reusing one left by an earlier attempt); -1 if a delivered
        copy exists."""
        try:
            existing = self._find(client, send_key)
            if existing is not None:
                if existing.delivered:
                    return -1
                client.remove_flags([existing.uid], [SENDING], silent=True)
                return existing.uid
            response = client.append(self.config.sent_folder, data, flags=(SEEN, DRAFT))
            found = _APPENDUID.search(response or b"")
            if found:
                return int(found.group(1))
            copy = self._find(client, send_key)
            if copy is None:
                raise TransientError("the Sent folder did not keep the copy; not sending yet")
            return copy.uid
        except TransientError:
            raise
        except Exception as error:
            reason = classify(error, self.config.imap).message
            raise TransientError(f"could not save to Sent, not sending yet: {reason}") from error

    def _smtp_send(
        self, reply: OutgoingReply, data: bytes, client: IMAPClient | None, copy_uid: int | None
    ) -> None:
        try:
            smtp = open_smtp(self.config.smtp, self.smtp_password(), self.config.timeout)
        except CredentialsUnavailable as error:
            self._discard(client, copy_uid)
            raise PermanentError(str(error)) from error
        except smtplib.SMTPAuthenticationError as error:
            self._discard(client, copy_uid)
            raise PermanentError(classify(error, self.config.smtp).message) from error
        except (smtplib.SMTPException, OSError, ssl.SSLError) as error:
            self._discard(client, copy_uid)
            raise _definite(error, classify(error, self.config.smtp).message) from error
        data_started = False
        try:
            _check(smtp.mail(self.config.from_address), "MAIL FROM")
            _check(smtp.rcpt(reply.recipient_external_id), f"RCPT TO {reply.recipient_external_id}")
            if client is not None and copy_uid is not None:
                client.add_flags([copy_uid], [SENDING], silent=True)  # point of no return
            crashpoints.reached("email.data_started")
            data_started = True
            code, text = smtp.data(data)  # raises only if DATA itself is refused
            data_started = False  # the server answered: the outcome is known
            _check((code, text), "DATA")
        except _Refused as refused:
            self._discard(client, copy_uid)
            raise refused.error from None
        except smtplib.SMTPDataError as error:
            # The server answered DATA with a definite error: not delivered.
            self._discard(client, copy_uid)
            raise _definite(error, _smtp_text(error, "DATA")) from error
        except (smtplib.SMTPException, OSError) as error:
            if data_started:
                raise TransientError(
                    f"connection to {self.config.smtp.host} lost while sending; the server may "
                    f"have accepted the reply ({error})",
                    maybe_delivered=True,
                ) from error
            self._discard(client, copy_uid)
            raise TransientError(classify(error, self.config.smtp).message) from error
        finally:
            close_quietly(smtp)

    @staticmethod
    def _mark_delivered(client: IMAPClient, uid: int) -> None:
        try:
            client.remove_flags([uid], [DRAFT, SENDING], silent=True)
        except Exception:  # delivered already; the local record is what counts now
            log.warning("sent, but could not update the Sent copy's flags", exc_info=True)

    @staticmethod
    def _discard(client: IMAPClient | None, uid: int | None) -> None:
        """Definitely not delivered: remove the pending copy so Sent shows only real mail."""
        if client is None or uid is None:
            return
        try:
            client.add_flags([uid], [b"\\Deleted"], silent=True)
            if client.has_capability("UIDPLUS"):
                client.uid_expunge([uid])
            else:
                client.expunge()
        except Exception:
            log.warning("could not remove the unsent copy from Sent", exc_info=True)


class _Refused(Exception):
    def __init__(self, error: TransientError | PermanentError) -> None:
        self.error = error


def _check(result: tuple[int, bytes], step: str) -> None:
    code, text = result
    if 200 <= code < 300:
        return
    message = f"{step}: {code} {text.decode('utf-8', 'replace')}"
    raise _Refused(PermanentError(message) if code >= 500 else TransientError(message))


def _smtp_text(error: smtplib.SMTPResponseException, step: str) -> str:
    raw = error.smtp_error
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return f"{step}: {error.smtp_code} {text}"


def _definite(error: BaseException, message: str) -> TransientError | PermanentError:
    code = getattr(error, "smtp_code", 0) or 0
    if isinstance(error, smtplib.SMTPResponseException) and 500 <= code < 600:
        return PermanentError(_smtp_text(error, "SMTP"))
    return TransientError(message)

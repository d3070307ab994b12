"""Real mail servers on loopback for the email tests and the benchmark.

* :class:`Dovecot` runs Debian's ``dovecot`` (``dovecot -F -c <own config>``) with its own
  config, passwd-file user and maildirs in a private temp dir; plain, STARTTLS or implicit TLS
  with a self-signed certificate made here.
* :class:`SmtpRecorder` is an aiosmtpd server that records every accepted delivery, and can be
  told to answer 4xx/5xx or to drop the connection after DATA.
* :class:`CuttingProxy` forwards a TCP connection and cuts it after N bytes from the server,
  the way a flaky network drops an IMAP FETCH half way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import ipaddress
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).parent / "corpus"  # the tricky-mail corpus (corpus/README.md)
DOVECOT = "/usr/sbin/dovecot"
DOVEADM = "/usr/bin/doveadm"
USER = "desk"
PASSWORD = "s3cret-pw"


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """Self-signed certificate for 127.0.0.1/localhost (also serves as its own CA)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


_CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = {ssl}
{ssl_files}
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = {uid}
mail_location = maildir:{root}/mail/%u
mail_fsync = never
mail_uid = {uid}
mail_gid = {gid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
protocol imap {{
  mail_max_userip_connections = 200
}}
namespace inbox {{
  inbox = yes
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
  mailbox Support {{
    auto = subscribe
  }}
}}
"""


@dataclass
class Dovecot:
    """One private Dovecot. ``tls`` adds the implicit-TLS listener and STARTTLS on the plain
    one; without it the plain port offers no TLS at all."""

    tls: bool = False
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="desk-dovecot-")))
    imap_port: int = field(default_factory=free_port)
    imaps_port: int = 0
    process: subprocess.Popen[bytes] | None = None
    cert: Path | None = None
    capabilities: str | None = None  # replaces what Dovecot advertises after login

    def start(self) -> Dovecot:
        account = pwd.getpwnam("nobody")
        self.root.chmod(0o755)  # the mail user (nobody) must reach its maildir
        for sub in ("mail", "home"):
            (self.root / sub).mkdir()
            os.chown(self.root / sub, account.pw_uid, account.pw_gid)
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        ssl_files = ""
        if self.tls:
            self.cert, key = make_certificate(self.root)
            ssl_files = f"ssl_cert = <{self.cert}\nssl_key = <{key}"
            self.imaps_port = free_port()
        extra = f"imap_capability = {self.capabilities}\n" if self.capabilities else ""
        (self.root / "dovecot.conf").write_text(
            extra
            + _CONFIG.format(
                root=self.root,
                ssl="yes" if self.tls else "no",
                ssl_files=ssl_files,
                uid=account.pw_uid,
                gid=account.pw_gid,
                imap_port=self.imap_port,
                imaps_port=self.imaps_port,
            )
        )
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_port(self.imap_port)
            if self.tls:
                wait_port(self.imaps_port)
        except RuntimeError:
            self.stop()
            raise RuntimeError(f"dovecot did not start: {self.log()}") from None
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else "(no log)"

    def client(self) -> Any:
        from imapclient import IMAPClient

        client = IMAPClient("127.0.0.1", port=self.imap_port, ssl=False, timeout=30)
        client.login(USER, PASSWORD)
        return client

    def append(self, folder: str, messages: list[bytes], flags: tuple[bytes, ...] = ()) -> None:
        client = self.client()
        try:
            for start in range(0, len(messages), 200):
                chunk = messages[start : start + 200]
                client.multiappend(folder, [{"msg": m, "flags": flags} for m in chunk])
        finally:
            client.logout()

    def set_uidvalidity(self, folder: str, value: int) -> None:
        """Renumber a folder the way a server rebuild does (doveadm, the real tool)."""
        subprocess.run(
            [DOVEADM, "-c", str(self.root / "dovecot.conf"), "mailbox", "update",
             "-u", USER, "--uid-validity", str(value), folder],
            check=True,
            capture_output=True,
        )  # fmt: skip

    def account_config(self, **overrides: Any) -> dict[str, Any]:
        """``EmailAccountConfig.to_dict()``-shaped settings pointing at this server."""
        security = overrides.pop("imap_security", "plain")
        port = self.imaps_port if security == "tls" else self.imap_port
        smtp = overrides.pop("smtp", {"host": "127.0.0.1", "port": 25, "security": "plain"})
        data: dict[str, Any] = {
            "imap": {
                "host": "127.0.0.1",
                "port": port,
                "security": security,
                "username": USER,
                "ca_file": str(self.cert or ""),
            },
            "smtp": smtp,
            "from_address": "support@desk.test",
            "from_name": "Desk Support",
            "folders": ["INBOX"],
            "sent_folder": "Sent",
            "timeout": 10.0,
        }
        data.update(overrides)
        return data


class SmtpRecorder:
    """aiosmtpd on loopback; ``deliveries`` holds every message it accepted (duplicates too).

    ``mode``: ``ok``; ``tempfail`` (451 at DATA) ; ``reject`` (550 at RCPT); ``drop_after_data``
    (reads the whole message, then closes the connection without answering).
    """

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.mode = "ok"
        self.deliveries: list[tuple[str, list[str], bytes]] = []
        self._lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(
            _Handler(self),
            hostname="127.0.0.1",
            port=self.port,
            authenticator=_authenticate,
            auth_require_tls=False,  # loopback only
        )

    def start(self) -> SmtpRecorder:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def record(self, sender: str, recipients: list[str], data: bytes) -> None:
        with self._lock:
            self.deliveries.append((sender, recipients, data))

    def count(self, message_id: str) -> int:
        with self._lock:
            return sum(
                1
                for _, _, data in self.deliveries
                if email.message_from_bytes(data).get("Message-ID", "").strip() == message_id
            )

    def config(self) -> dict[str, Any]:
        return {"host": "127.0.0.1", "port": self.port, "security": "plain", "username": USER}


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
    """The same user and password as Dovecot's (submission usually shares the mailbox login)."""
    from aiosmtpd.smtp import AuthResult, LoginPassword

    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535


class _Handler:
    def __init__(self, recorder: SmtpRecorder) -> None:
        self.recorder = recorder

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.recorder.mode == "reject":
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        mode = self.recorder.mode
        if mode == "tempfail":
            return "451 4.3.0 Mail server temporarily rejected message"
        if mode == "drop_after_data":
            server.transport.abort()  # the message was read; the answer never comes
            return "250 never seen"
        self.recorder.record(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        return "250 2.0.0 Ok: queued"


class CuttingProxy:
    """TCP proxy to ``target_port`` that closes both sides once ``cut_after`` bytes have come
    from the server on one connection (None: never). Each new connection counts afresh."""

    def __init__(self, target_port: int, cut_after: int | None = None) -> None:
        self.target_port = target_port
        self.cut_after = cut_after
        self.cuts = 0
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = int(self.listener.getsockname()[1])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def start(self) -> CuttingProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pipe, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, True), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, from_server: bool) -> None:
        sent = 0
        try:
            while True:
                data = src.recv(4096)
                if not data:
                    break
                limit = self.cut_after if from_server else None
                if limit is not None and sent + len(data) >= limit:
                    dst.sendall(data[: max(limit - sent, 0)])
                    self.cuts += 1
                    break
                dst.sendall(data)
                sent += len(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

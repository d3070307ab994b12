"""An email account's settings: plain data stored in ``ChannelAccount.config`` (never secrets).

Plain-text connections are refused unless the server is on this machine: a password sent in the
clear over a network is a leak even when "it works".
"""

from __future__ import annotations

import ipaddress
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any


class Security(StrEnum):
    TLS = "tls"  # implicit TLS (IMAPS 993, SMTPS 465)
    STARTTLS = "starttls"  # plain connect, upgraded before login (IMAP 143, submission 587)
    PLAIN = "plain"  # loopback only (tests, a local relay)


class ConfigError(ValueError):
    """Settings that cannot work; the message is shown in the account dialog."""


LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServerConfig:
    host: str
    port: int
    security: Security = Security.TLS
    username: str = ""
    ca_file: str = ""  # extra trusted CA (a company's own, or a test server's)

    def validate(self, what: str) -> None:
        if not self.host.strip():
            raise ConfigError(f"{what}: the server name is empty")
        if not 0 < self.port < 65536:
            raise ConfigError(f"{what}: port {self.port} is not a valid port")
        if self.security is Security.PLAIN and not is_loopback(self.host):
            raise ConfigError(
                f"{what}: an unencrypted connection is only allowed to this computer "
                f"(localhost); use TLS or STARTTLS for {self.host}"
            )


@dataclass(frozen=True)
class EmailAccountConfig:
    imap: ServerConfig
    smtp: ServerConfig
    from_address: str
    from_name: str = ""
    folders: tuple[str, ...] = ("INBOX",)
    sent_folder: str = "Sent"
    append_to_sent: bool = True  # off for servers that file sent mail themselves (Gmail)
    mark_seen: bool = False  # fetching never marks mail read unless the account says so
    poll_seconds: float = 60.0  # when the server has no IDLE, or between IDLE rounds
    timeout: float = 30.0
    batch_size: int = 500  # first sync fetches this many messages per round
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def mail_domain(self) -> str:
        """Right side of our Message-IDs: the account's own domain, so replies look native."""
        return self.from_address.rpartition("@")[2] or "desk.invalid"

    def validate(self) -> None:
        self.imap.validate("IMAP")
        self.smtp.validate("SMTP")
        if "@" not in self.from_address:
            raise ConfigError("the From address must be an email address")
        if not self.folders:
            raise ConfigError("choose at least one folder to fetch")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["folders"] = list(self.folders)
        data["mail_domain"] = self.mail_domain  # read by services.tickets for send keys
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EmailAccountConfig:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["imap"] = _server(data["imap"])
        values["smtp"] = _server(data["smtp"])
        values["folders"] = tuple(data.get("folders") or ("INBOX",))
        return cls(**values)


def _server(data: dict[str, Any]) -> ServerConfig:
    return ServerConfig(
        host=str(data["host"]),
        port=int(data["port"]),
        security=Security(data.get("security", Security.TLS)),
        username=str(data.get("username", "")),
        ca_file=str(data.get("ca_file", "")),
    )

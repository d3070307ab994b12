"""Fixtures for the email tests: real Dovecot, real aiosmtpd, the real OS keyring."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from email_servers import PASSWORD, CuttingProxy, Dovecot, SmtpRecorder

from desk_app.channels.email import EmailAccountConfig, EmailConnector
from desk_app.channels.email.blobs import BlobStore
from desk_app.channels.email.secrets import (
    KeyringSecrets,
    SecretKind,
    delete_passwords,
    store_password,
)
from desk_app.services.context import ServiceContext
from desk_app.services.fetcher import AccountFetcher
from desk_app.store.models import ChannelAccount


@pytest.fixture
def dovecot(request: pytest.FixtureRequest) -> Iterator[Dovecot]:
    """Indirect parameter: the capabilities to advertise instead of Dovecot's own."""
    server = Dovecot(capabilities=getattr(request, "param", None)).start()
    yield server
    server.stop()


@pytest.fixture
def dovecot_tls() -> Iterator[Dovecot]:
    server = Dovecot(tls=True).start()
    yield server
    server.stop()


@pytest.fixture
def smtp() -> Iterator[SmtpRecorder]:
    server = SmtpRecorder().start()
    yield server
    server.stop()


@pytest.fixture
def proxy_to(dovecot: Dovecot) -> Iterator[Callable[[int | None], CuttingProxy]]:
    made: list[CuttingProxy] = []

    def make(cut_after: int | None) -> CuttingProxy:
        proxy = CuttingProxy(dovecot.imap_port, cut_after).start()
        made.append(proxy)
        return proxy

    yield make
    for proxy in made:
        proxy.stop()


@pytest.fixture
def keyring_account() -> Iterator[str]:
    """An account id whose IMAP password sits in the real OS keyring (removed afterwards)."""
    account_id = str(uuid.uuid4())
    store_password(account_id, SecretKind.IMAP, PASSWORD)
    yield account_id
    delete_passwords(account_id)


@pytest.fixture
def email_account(
    ctx: ServiceContext, keyring_account: str, dovecot: Dovecot, smtp: SmtpRecorder
) -> Callable[..., str]:
    """Creates the ChannelAccount row (config only, never the password) for this Dovecot."""

    def make(**overrides: Any) -> str:
        config = EmailAccountConfig.from_dict(
            dovecot.account_config(smtp=smtp.config(), **overrides)
        )
        with ctx.write() as session:
            session.add(
                ChannelAccount(
                    id=keyring_account, channel="email", name="Support", config=config.to_dict()
                )
            )
        return keyring_account

    return make


@pytest.fixture
def connector_for(ctx: ServiceContext, profile_dir: Path) -> Callable[[str], EmailConnector]:
    made: list[EmailConnector] = []

    def make(account_id: str) -> EmailConnector:
        with ctx.read() as session:
            account = session.get(ChannelAccount, account_id)
            assert account is not None
            config = EmailAccountConfig.from_dict(dict(account.config))
        connector = EmailConnector(
            config, KeyringSecrets(account_id), BlobStore.for_profile(profile_dir)
        )
        made.append(connector)
        return connector

    yield make  # type: ignore[misc]
    for connector in made:
        connector.close()


@pytest.fixture
def fetcher_for(
    ctx: ServiceContext, connector_for: Callable[[str], EmailConnector]
) -> Callable[[str], AccountFetcher]:
    def make(account_id: str) -> AccountFetcher:
        return AccountFetcher(ctx, account_id, connector_for(account_id))

    return make

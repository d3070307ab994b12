"""Saving an email account: settings in the profile, the password in the OS keyring only.

The password is stored first: if there is no usable keyring the account is not saved at all,
so Desk never holds an account it cannot log in to, and never keeps the password anywhere else.
"""

from __future__ import annotations

import uuid

from desk_app.channels.email.config import EmailAccountConfig
from desk_app.channels.email.secrets import SecretKind, store_password
from desk_app.domain.enums import Channel
from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.store.models import ChannelAccount


def save_email_account(
    ctx: ServiceContext,
    name: str,
    config: EmailAccountConfig,
    imap_password: str | None,
    smtp_password: str | None = None,
    account_id: str | None = None,
) -> str:
    """Create or update the account; ``None`` passwords keep what the keyring has."""
    config.validate()
    account_id = account_id or str(uuid.uuid4())
    if imap_password:
        store_password(account_id, SecretKind.IMAP, imap_password)
    if smtp_password:
        store_password(account_id, SecretKind.SMTP, smtp_password)
    with ctx.write() as session:
        account = session.get(ChannelAccount, account_id)
        if account is None:
            account = ChannelAccount(id=account_id, channel=Channel.EMAIL.value, name=name)
            session.add(account)
        previous = dict(account.config or {})
        account.name = name
        account.config = config.to_dict()
        if _mailbox(previous) != _mailbox(account.config):
            account.cursor = None  # another server or folders: start the sync afresh
        account.last_error = None
    ctx.bus.publish(Changes(settings=True))
    return account_id


def _mailbox(config: dict[str, object]) -> tuple[object, ...]:
    imap = config.get("imap") or {}
    assert isinstance(imap, dict)
    return (imap.get("host"), imap.get("port"), imap.get("username"), config.get("folders"))


def load_email_account(ctx: ServiceContext, account_id: str) -> tuple[str, EmailAccountConfig]:
    """(name, settings) of a saved email account, for the account dialog."""
    with ctx.read() as session:
        account = session.get(ChannelAccount, account_id)
        if account is None or account.channel != Channel.EMAIL.value:
            raise LookupError(f"no email account {account_id}")
        return account.name, EmailAccountConfig.from_dict(dict(account.config or {}))

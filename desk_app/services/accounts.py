"""The profile's channel accounts as plain rows for the accounts list, and switching one on or
off. Settings of a kind of account (email: services.email_accounts) live with their channel."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.store.models import ChannelAccount


@dataclass(frozen=True)
class AccountRow:
    id: str
    channel: str
    name: str
    address: str  # what the operator recognises: the mailbox address, a bot's name, …
    enabled: bool
    simulated: bool  # the demo profile's and the sandbox's stand-ins for real providers
    last_error: str | None


def list_accounts(ctx: ServiceContext) -> list[AccountRow]:
    with ctx.read() as session:
        accounts = session.scalars(
            select(ChannelAccount).order_by(ChannelAccount.channel, ChannelAccount.name)
        ).all()
        return [
            AccountRow(
                id=a.id,
                channel=a.channel,
                name=a.name,
                address=str((a.config or {}).get("from_address") or ""),
                enabled=a.enabled,
                simulated=a.simulated,
                last_error=a.last_error,
            )
            for a in accounts
        ]


def set_account_enabled(ctx: ServiceContext, account_id: str, enabled: bool) -> None:
    with ctx.write() as session:
        account = session.get(ChannelAccount, account_id)
        if account is None:
            raise LookupError(f"no channel account {account_id}")
        account.enabled = enabled
        if not enabled:
            account.last_error = None  # a switched-off account has nothing to complain about
    ctx.bus.publish(Changes(settings=True))

"""Who may change what the whole team reads: the canned-reply library and published articles.

Leads and admins only. The server applies the same rule to every synced change; checking it here
as well means a workstation never queues a change the server is bound to refuse, and the UI can
ask once whether to offer editing at all.
"""

from __future__ import annotations

from desk_app.domain.enums import Role
from desk_app.services.context import ServiceContext
from desk_app.store.models import Agent

EDITOR_ROLES = frozenset({Role.LEAD, Role.ADMIN})


def is_editor(ctx: ServiceContext) -> bool:
    """True when the operator at this desk is a lead or an admin."""
    if not ctx.agent_id:
        return False
    with ctx.read() as session:
        agent = session.get(Agent, ctx.agent_id)
        return agent is not None and agent.role in EDITOR_ROLES

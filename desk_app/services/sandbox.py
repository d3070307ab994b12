"""The training sandbox as a profile: a trainee, a supervisor, simulated channels only, and the
scenario customers who answer back.

A sandbox profile can never reach a real customer: its accounts are all simulated and the
composition root is built with ``real_channels=False`` (see ``DeskApp.sandbox``).
"""

from __future__ import annotations

import logging
import os
import threading

from sqlalchemy import exists, select

from desk_app.channels.sandbox_customers import SandboxCustomers, load_scenarios
from desk_app.channels.simulated import SimulatedRemote
from desk_app.domain.enums import Channel, Role
from desk_app.domain.sla import DEFAULT_TARGETS, BusinessCalendar
from desk_app.domain.training import Scenario
from desk_app.resources import resource
from desk_app.services.context import ServiceContext
from desk_app.services.sla_policy import save_sla
from desk_app.store.models import Agent, ChannelAccount, Setting

log = logging.getLogger(__name__)

SCENARIOS_FILE = resource("sandbox", "scenarios.json")
CURRENT_AGENT_SETTING = "current_agent"
SANDBOX_SETTING = "sandbox"


def sandbox_scenarios() -> list[Scenario]:
    return load_scenarios(SCENARIOS_FILE)


def seed_sandbox(ctx: ServiceContext) -> None:
    """A fresh training profile: the trainee works, the supervisor reviews. Idempotent."""
    with ctx.write() as session:
        if session.scalar(select(exists().where(ChannelAccount.id.is_not(None)))):
            return
        trainee = Agent(name="Trainee / Стажёр", role=Role.TRAINEE)
        supervisor = Agent(name="Supervisor / Наставник", role=Role.LEAD)
        session.add_all([trainee, supervisor])
        for channel in Channel:
            session.add(
                ChannelAccount(channel=channel, name=f"Sandbox {channel.value}", simulated=True)
            )
        session.flush()
        session.merge(Setting(key=CURRENT_AGENT_SETTING, value={"id": trainee.id}))
        session.merge(Setting(key=SANDBOX_SETTING, value={"supervisor_id": supervisor.id}))
        save_sla(session, BusinessCalendar.twenty_four_seven(), DEFAULT_TARGETS)


def is_sandbox(ctx: ServiceContext) -> bool:
    with ctx.read() as session:
        return session.get(Setting, SANDBOX_SETTING) is not None


class SandboxCustomersWorker(threading.Thread):
    """Opens the scenarios' conversations, then answers what the trainee delivers."""

    def __init__(self, customers: SandboxCustomers, poll_seconds: float = 1.0) -> None:
        super().__init__(name="sandbox-customers", daemon=True)
        self.customers = customers
        self.poll_seconds = poll_seconds
        self.stopping = threading.Event()

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        if self.is_alive():
            self.join(timeout)

    def run(self) -> None:
        try:
            self.customers.open_conversations()
        except Exception:
            log.exception("sandbox: could not open the scenarios")
        while not self.stopping.wait(self.poll_seconds):
            try:
                self.customers.answer_new_replies()
            except Exception:  # a broken scenario must not stop training
                log.exception("sandbox: answering failed")


def sandbox_customers(remote: SimulatedRemote, language: str = "system") -> SandboxCustomers:
    """Lessons follow the UI language; "system" means the locale's."""
    if language not in ("en", "ru"):
        language = "ru" if os.environ.get("LANG", "").startswith("ru") else "en"
    return SandboxCustomers(remote, sandbox_scenarios(), language=language)

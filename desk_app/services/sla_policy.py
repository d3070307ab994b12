"""Where a profile's SLA calendar and targets come from (the settings table), with defaults."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from typing import Any

from sqlalchemy.orm import Session

from desk_app.domain.enums import Priority
from desk_app.domain.sla import DEFAULT_TARGETS, BusinessCalendar, SlaTargets
from desk_app.store.models import Setting

SLA_SETTING = "sla"


def calendar_from_dict(data: Mapping[str, Any]) -> BusinessCalendar:
    if data.get("always_open"):
        return BusinessCalendar.twenty_four_seven()
    hours = {
        int(day): tuple((time.fromisoformat(a), time.fromisoformat(b)) for a, b in spans)
        for day, spans in data.get("hours", {}).items()
    }
    return BusinessCalendar(
        timezone=data.get("timezone", "UTC"),
        hours=hours,
        holidays=frozenset(date.fromisoformat(d) for d in data.get("holidays", [])),
    )


def calendar_to_dict(calendar: BusinessCalendar) -> dict[str, Any]:
    return {
        "always_open": calendar.always_open,
        "timezone": calendar.timezone,
        "hours": {
            str(day): [[a.isoformat(), b.isoformat()] for a, b in spans]
            for day, spans in calendar.hours.items()
        },
        "holidays": sorted(d.isoformat() for d in calendar.holidays),
    }


SlaPolicy = tuple[BusinessCalendar, Mapping[Priority, SlaTargets]]
_CACHE_KEY = "desk.sla_policy"


def load_sla(session: Session) -> SlaPolicy:
    """The profile's SLA policy, read once per transaction (ingest asks for it per ticket)."""
    cached: SlaPolicy | None = session.info.get(_CACHE_KEY)
    if cached is not None:
        return cached
    row = session.get(Setting, SLA_SETTING)
    policy: SlaPolicy
    if row is None:
        policy = (BusinessCalendar.twenty_four_seven(), DEFAULT_TARGETS)
    else:
        data = row.value
        targets = dict(DEFAULT_TARGETS)
        for key, value in data.get("targets", {}).items():
            targets[Priority(int(key))] = SlaTargets(**value)
        policy = (calendar_from_dict(data.get("calendar", {"always_open": True})), targets)
    session.info[_CACHE_KEY] = policy
    return policy


def save_sla(
    session: Session, calendar: BusinessCalendar, targets: Mapping[Priority, SlaTargets]
) -> None:
    value = {
        "calendar": calendar_to_dict(calendar),
        "targets": {
            str(int(p)): {
                "first_response_minutes": t.first_response_minutes,
                "resolution_minutes": t.resolution_minutes,
            }
            for p, t in targets.items()
        },
    }
    session.merge(Setting(key=SLA_SETTING, value=value))
    session.info.pop(_CACHE_KEY, None)

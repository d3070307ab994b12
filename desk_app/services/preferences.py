"""Per-workstation preferences (UI language, theme) kept in the profile's settings table.

Personal choices: they are not sync mutations, so another desk never inherits them."""

from __future__ import annotations

from typing import Any

from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.store.models import Setting

UI_SETTING = "ui"
LANGUAGES = ("system", "en", "ru")
THEMES = ("system", "light", "dark")


def load_ui_preferences(ctx: ServiceContext) -> dict[str, str]:
    with ctx.read() as session:
        row = session.get(Setting, UI_SETTING)
        value: dict[str, Any] = dict(row.value) if row is not None else {}
    language, theme = str(value.get("language")), str(value.get("theme"))
    return {
        "language": language if language in LANGUAGES else "system",
        "theme": theme if theme in THEMES else "system",
    }


def save_ui_preference(ctx: ServiceContext, key: str, value: str) -> Changes:
    allowed = {"language": LANGUAGES, "theme": THEMES}[key]
    if value not in allowed:
        raise ValueError(f"{key} must be one of {allowed}")
    with ctx.write() as session:
        row = session.get(Setting, UI_SETTING)
        current = dict(row.value) if row is not None else {}
        current[key] = value
        session.merge(Setting(key=UI_SETTING, value=current))
    changes = Changes(settings=True)
    ctx.bus.publish(changes)
    return changes

"""Translated names of the shared vocabulary: channels, statuses, priorities, queues, delivery
states, timeline events, and "time left" texts. One place, so every view says the same words."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, QLocale

from desk_app.domain.enums import Channel, Priority, TicketStatus
from desk_app.services.queries import QueueInfo, QueueKind
from desk_app.ui.tr import QT_TRANSLATE_NOOP, translate

CHANNELS = {
    Channel.EMAIL: QT_TRANSLATE_NOOP("Labels", "Email"),
    Channel.GOOGLE_PLAY: QT_TRANSLATE_NOOP("Labels", "Google Play"),
    Channel.APP_STORE: QT_TRANSLATE_NOOP("Labels", "App Store"),
    Channel.TELEGRAM: QT_TRANSLATE_NOOP("Labels", "Telegram"),
    Channel.FACEBOOK: QT_TRANSLATE_NOOP("Labels", "Facebook"),
    Channel.YOUTUBE: QT_TRANSLATE_NOOP("Labels", "YouTube"),
    Channel.X: QT_TRANSLATE_NOOP("Labels", "X (Twitter)"),
    Channel.VK: QT_TRANSLATE_NOOP("Labels", "VK"),
}
STATUSES = {
    TicketStatus.NEW: QT_TRANSLATE_NOOP("Labels", "New"),
    TicketStatus.OPEN: QT_TRANSLATE_NOOP("Labels", "Open"),
    TicketStatus.PENDING: QT_TRANSLATE_NOOP("Labels", "Pending"),
    TicketStatus.RESOLVED: QT_TRANSLATE_NOOP("Labels", "Resolved"),
    TicketStatus.CLOSED: QT_TRANSLATE_NOOP("Labels", "Closed"),
}
PRIORITIES = {
    Priority.URGENT: QT_TRANSLATE_NOOP("Labels", "Urgent"),
    Priority.HIGH: QT_TRANSLATE_NOOP("Labels", "High"),
    Priority.NORMAL: QT_TRANSLATE_NOOP("Labels", "Normal"),
    Priority.LOW: QT_TRANSLATE_NOOP("Labels", "Low"),
}
QUEUES = {
    QueueKind.MY: QT_TRANSLATE_NOOP("Labels", "My tickets"),
    QueueKind.UNASSIGNED: QT_TRANSLATE_NOOP("Labels", "Unassigned"),
    QueueKind.ACTIVE: QT_TRANSLATE_NOOP("Labels", "All active"),
    QueueKind.OVERDUE: QT_TRANSLATE_NOOP("Labels", "Overdue SLA"),
    QueueKind.DONE: QT_TRANSLATE_NOOP("Labels", "Resolved and closed"),
}
DELIVERY = {
    "queued": QT_TRANSLATE_NOOP("Labels", "queued"),
    "sending": QT_TRANSLATE_NOOP("Labels", "sending"),
    "sent": QT_TRANSLATE_NOOP("Labels", "sent"),
    "failed": QT_TRANSLATE_NOOP("Labels", "failed"),
    "in_doubt": QT_TRANSLATE_NOOP("Labels", "in doubt"),
}


def _lookup(table: Mapping[Any, str], key: Any) -> str:
    source = table.get(key)
    return translate("Labels", source) if source else str(key)


def channel_name(channel: str) -> str:
    return _lookup(CHANNELS, channel)


def status_name(status: str) -> str:
    return _lookup(STATUSES, status)


def priority_name(priority: int) -> str:
    return _lookup(PRIORITIES, priority)


def delivery_name(state: str) -> str:
    return _lookup(DELIVERY, state)


def queue_name(info: QueueInfo) -> str:
    if info.key.kind is QueueKind.CHANNEL:
        return channel_name(info.name)
    if info.key.kind is QueueKind.TAG:
        return "#" + info.name
    return _lookup(QUEUES, info.key.kind)


def duration(seconds: float) -> str:
    """Compact business duration: 45m, 3h 20m, 2d 4h."""
    minutes = int(abs(seconds) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return translate("Labels", "{0}d {1}h").format(days, hours)
    if hours:
        return translate("Labels", "{0}h {1}m").format(hours, mins)
    return translate("Labels", "{0}m").format(mins)


def time_left(seconds: float | None, paused: bool) -> str:
    if seconds is None:
        return ""
    if seconds < 0:
        return translate("Labels", "overdue {0}").format(duration(seconds))
    text = duration(seconds)
    return translate("Labels", "{0} (paused)").format(text) if paused else text


def event_text(body: str, meta: Mapping[str, Any], agent_names: Mapping[str, str]) -> str:
    """A timeline event ("status:resolved", "assigned", ...) as a sentence."""
    if body.startswith("status:"):
        return translate("Labels", "Status changed to {0}").format(status_name(body[7:]))
    if body.startswith("priority:"):
        return translate("Labels", "Priority set to {0}").format(priority_name(int(body[9:])))
    if body == "assigned":
        assignee = meta.get("assignee_id")
        if not assignee:
            return translate("Labels", "Unassigned")
        name = agent_names.get(str(assignee), translate("Labels", "a colleague"))
        return translate("Labels", "Assigned to {0}").format(name)
    return body


def when(moment: datetime) -> str:
    """Local date and time in the UI language's short format."""
    stamp = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))
    return QLocale().toString(stamp, QLocale.FormatType.ShortFormat)


def day(moment: datetime) -> str:
    stamp = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))
    return QLocale().toString(stamp.date(), QLocale.FormatType.ShortFormat)

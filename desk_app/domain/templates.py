"""Canned-reply templates: variables, alternative wordings and "make it personal" marks.

Syntax (kept small so leads can write replies by hand):

* ``{customer.first_name}`` — a variable, filled on insert from the ticket, customer and agent;
* ``[[Thanks|Many thanks|Thank you so much]]`` — alternatives for a part; a different one is
  picked on each use (or chosen by the operator), so the tenth reply to a five-star review does
  not read like the first nine;
* ``[[!mention what they liked]]`` — a spot the operator must make personal. It is inserted as
  ``⟦mention what they liked⟧`` and blocks Send until replaced.

A variable that is unknown or has no value stays visible as ``{name}`` and is reported as a span,
and :func:`unresolved_spans` finds every placeholder left in a reply before it is sent — a raw
``{placeholder}`` never reaches a customer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from desk_app.domain.duplicates import usable_name_key

MARK_OPEN, MARK_CLOSE = "⟦", "⟧"

KNOWN_VARIABLES: dict[str, str] = {
    "customer.first_name": "customer's first name",
    "customer.name": "customer's full name",
    "customer.city": "customer's city",
    "customer.plan": "customer's plan",
    "customer.platform": "customer's platform (Android, iOS, Web)",
    "customer.app_version": "customer's app version",
    "agent.name": "your name",
    "agent.first_name": "your first name",
    "ticket.number": "ticket number",
    "ticket.subject": "ticket subject",
}

_TOKEN = re.compile(
    r"\{(?P<var>[a-z_]+(?:\.[a-z_]+)*)\}"
    r"|\[\[!(?P<mark>[^\]]*)\]\]"
    r"|\[\[(?P<alts>[^\]]*\|[^\]]*)\]\]"
)
_LEFTOVER = re.compile(
    r"\{(?P<var>[a-z_]+(?:\.[a-z_]+)*)\}"
    rf"|{MARK_OPEN}(?P<mark>[^{MARK_CLOSE}]*){MARK_CLOSE}"
    r"|\[\[(?P<raw>[^\]]*)\]\]"
)


class SpanKind(StrEnum):
    UNKNOWN_VARIABLE = "unknown_variable"  # not a variable Desk knows
    EMPTY_VARIABLE = "empty_variable"  # known, but no value for this ticket
    PLACEHOLDER = "placeholder"  # a {variable} left in a reply about to be sent
    PERSONALISE = "personalise"  # a ⟦...⟧ spot to make personal
    RAW_SYNTAX = "raw_syntax"  # template syntax ([[...]]) that was pasted, not rendered


@dataclass(frozen=True)
class Span:
    """A part of the text that must be filled before sending."""

    start: int
    end: int
    kind: SpanKind
    name: str  # the variable name, or the hint of a personalise mark

    def describe(self) -> str:
        """Plain English message (the UI shows its own translated wording)."""
        if self.kind is SpanKind.UNKNOWN_VARIABLE:
            return f"Unknown variable {{{self.name}}}: replace it with text"
        if self.kind is SpanKind.EMPTY_VARIABLE:
            return f"No value for {{{self.name}}} on this ticket: type it in"
        if self.kind is SpanKind.PERSONALISE:
            return f"Make this part personal: {self.name}"
        if self.kind is SpanKind.RAW_SYNTAX:
            return f"Template text [[{self.name}]] is still in the reply"
        return f"Fill in {{{self.name}}} before sending"


@dataclass(frozen=True)
class Rendered:
    text: str
    spans: tuple[Span, ...]
    choices: tuple[int, ...]  # the alternative picked in each [[a|b]] group, in order
    alternative_counts: tuple[int, ...]  # how many alternatives each group has

    @property
    def complete(self) -> bool:
        return not self.spans


def variables_in(template: str) -> list[str]:
    return [m.group("var") for m in _TOKEN.finditer(template) if m.group("var")]


def unknown_variables(template: str) -> list[str]:
    """For authors of the library: variables Desk will never fill."""
    return [name for name in variables_in(template) if name not in KNOWN_VARIABLES]


def render(
    template: str,
    values: Mapping[str, str | None],
    *,
    choices: tuple[int, ...] | None = None,
    rotation: int = 0,
) -> Rendered:
    """Fill a template. ``choices`` picks alternatives explicitly; otherwise ``rotation`` (e.g.
    how often the reply was used) turns the wordings, so consecutive uses differ."""
    out: list[str] = []
    spans: list[Span] = []
    picked: list[int] = []
    counts: list[int] = []
    length = 0
    position = 0

    def emit(text: str) -> None:
        nonlocal length
        out.append(text)
        length += len(text)

    for match in _TOKEN.finditer(template):
        emit(template[position : match.start()])
        position = match.end()
        if (name := match.group("var")) is not None:
            value = (values.get(name) or "").strip() if name in KNOWN_VARIABLES else ""
            if value:
                emit(value)
                continue
            kind = SpanKind.EMPTY_VARIABLE if name in KNOWN_VARIABLES else SpanKind.UNKNOWN_VARIABLE
            spans.append(Span(length, length + len(name) + 2, kind, name))
            emit(f"{{{name}}}")
        elif (hint := match.group("mark")) is not None:
            hint = hint.strip()
            spans.append(Span(length, length + len(hint) + 2, SpanKind.PERSONALISE, hint))
            emit(f"{MARK_OPEN}{hint}{MARK_CLOSE}")
        else:
            options = [o.strip() for o in match.group("alts").split("|")]
            group = len(counts)
            wanted = choices[group] if choices and group < len(choices) else rotation + group
            index = wanted % len(options)
            picked.append(index)
            counts.append(len(options))
            emit(options[index])
    emit(template[position:])
    return Rendered("".join(out), tuple(spans), tuple(picked), tuple(counts))


def unresolved_spans(text: str) -> list[Span]:
    """Everything in a reply about to be sent that still is a placeholder. Empty: safe to send."""
    spans: list[Span] = []
    for match in _LEFTOVER.finditer(text):
        if match.group("var") is not None:
            spans.append(Span(match.start(), match.end(), SpanKind.PLACEHOLDER, match["var"]))
        elif match.group("mark") is not None:
            hint = match.group("mark").strip()
            spans.append(Span(match.start(), match.end(), SpanKind.PERSONALISE, hint))
        else:
            spans.append(Span(match.start(), match.end(), SpanKind.RAW_SYNTAX, match["raw"]))
    return spans


def first_name_of(display_name: str | None) -> str | None:
    """The first name to greet someone by, or None when the display name is not a person's name
    (an email address, a handle, "A Google user")."""
    if not display_name or not usable_name_key(display_name):
        return None
    first = display_name.split()[0]
    if not first.isalpha() or len(first) < 2:
        return None
    return first[0].upper() + first[1:]


@dataclass(frozen=True)
class TemplateContext:
    """The plain facts a template can use; None where unknown."""

    customer_name: str | None = None
    customer_city: str | None = None
    customer_plan: str | None = None
    customer_platform: str | None = None
    customer_app_version: str | None = None
    agent_name: str | None = None
    ticket_number: int | None = None
    ticket_subject: str | None = None

    def values(self) -> dict[str, str | None]:
        return {
            "customer.first_name": first_name_of(self.customer_name),
            "customer.name": self.customer_name if first_name_of(self.customer_name) else None,
            "customer.city": self.customer_city,
            "customer.plan": self.customer_plan,
            "customer.platform": self.customer_platform,
            "customer.app_version": self.customer_app_version,
            "agent.name": self.agent_name,
            "agent.first_name": first_name_of(self.agent_name),
            "ticket.number": str(self.ticket_number) if self.ticket_number is not None else None,
            "ticket.subject": self.ticket_subject,
        }

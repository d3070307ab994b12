"""The wire format, validated: request and response bodies and the documents records hold.

Every string refuses NUL (PostgreSQL text cannot store it) and has a length limit; datetimes
must carry a zone and are normalized to UTC; numbers are bounded. Bad input is a 422 (or, inside
a push, a rejected mutation) — never a 500.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

from desk_app.domain.enums import (
    AuthorKind,
    Channel,
    DeliveryState,
    MessageKind,
    Role,
    TicketStatus,
)

MAX_JSON_BYTES = 20_000


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("text must be valid Unicode") from error
    return value


def _utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError) as error:
        raise ValueError("datetime out of range") from error


def _small_json(value: dict[str, Any]) -> dict[str, Any]:
    try:
        encoded = json.dumps(value, allow_nan=False, ensure_ascii=False)
        encoded.encode("utf-8")
    except (ValueError, TypeError, UnicodeEncodeError) as error:
        raise ValueError("not plain JSON") from error
    if len(encoded) > MAX_JSON_BYTES or "\\u0000" in encoded:
        raise ValueError("object too large or contains NUL")
    return value


NoNul = AfterValidator(_no_nul)
Str10 = Annotated[str, StringConstraints(max_length=10), NoNul]
Str100 = Annotated[str, StringConstraints(max_length=100), NoNul]
Str100Min1 = Annotated[str, StringConstraints(max_length=100, min_length=1), NoNul]
Str1000Min1 = Annotated[str, StringConstraints(max_length=1000, min_length=1), NoNul]
Str1000Min8 = Annotated[str, StringConstraints(max_length=1000, min_length=8), NoNul]
Str1000000 = Annotated[str, StringConstraints(max_length=1_000_000), NoNul]
Str200 = Annotated[str, StringConstraints(max_length=200), NoNul]
Str200Min1 = Annotated[str, StringConstraints(max_length=200, min_length=1), NoNul]
Str2000 = Annotated[str, StringConstraints(max_length=2000), NoNul]
Str200000 = Annotated[str, StringConstraints(max_length=200_000), NoNul]
Str20000Min1 = Annotated[str, StringConstraints(max_length=20_000, min_length=1), NoNul]
Str300 = Annotated[str, StringConstraints(max_length=300), NoNul]
Str320 = Annotated[str, StringConstraints(max_length=320), NoNul]
Str50Min1 = Annotated[str, StringConstraints(max_length=50, min_length=1), NoNul]
Str500 = Annotated[str, StringConstraints(max_length=500), NoNul]
Str500Min1 = Annotated[str, StringConstraints(max_length=500, min_length=1), NoNul]
Utc = Annotated[AwareDatetime, AfterValidator(_utc)]
Id = UUID
SmallJson = Annotated[dict[str, Any], AfterValidator(_small_json)]
Priority = Annotated[int, Field(ge=1, le=4)]
Name = Str200Min1
TagName = Str100Min1


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Loose(BaseModel):
    """Documents from workstations: unknown fields (a newer client) are ignored, not stored."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)


# -- documents ---------------------------------------------------------------------------------
class SlaFields(Loose):
    sla_due_at: Utc | None = None
    due_rank: float | None = Field(default=None, ge=-1e13, le=1e13)
    sla_first_response_due: Utc | None = None
    sla_first_responded_at: Utc | None = None
    sla_resolution_due: Utc | None = None
    sla_resolution_consumed: float | None = Field(default=None, ge=0, le=1e12)
    sla_running_since: Utc | None = None
    sla_resolution_target: float | None = Field(default=None, ge=0, le=1e12)
    sla_stopped: bool | None = None


class TicketPatch(SlaFields):
    """Ticket fields a mutation may carry; which of them a kind may change is decided in apply."""

    status: TicketStatus | None = None
    active: bool | None = None
    priority: Priority | None = None
    subject: Str500 | None = None
    snippet: Str300 | None = None
    last_message_at: Utc | None = None
    rating: Annotated[int, Field(ge=0, le=10)] | None = None


class TicketDoc(TicketPatch):
    id: Id
    number: Annotated[int, Field(ge=1, le=2_000_000_000)]
    customer_id: Id
    channel: Channel
    account_id: Id | None = None
    assignee_id: Id | None = None
    external_thread_key: Str500 | None = None
    created_at: Utc
    tags: list[TagName] = Field(default_factory=list, max_length=50)


class CustomerDoc(Loose):
    id: Id
    display_name: Str300
    city: Str200 | None = None
    plan: Str100 | None = None
    customer_since: Utc | None = None
    platform: Str100 | None = None
    app_version: Str100 | None = None
    language: Str10 | None = None
    favourite_agent_id: Id | None = None
    merged_into_id: Id | None = None
    attributes: SmallJson = Field(default_factory=dict)
    created_at: Utc | None = None


class IdentityDoc(Loose):
    id: Id
    customer_id: Id
    channel: Channel
    external_id: Str500Min1
    display: Str300 | None = None


class MessageDoc(Loose):
    id: Id
    ticket_id: Id
    kind: MessageKind
    author_kind: AuthorKind
    author_agent_id: Id | None = None
    channel: Channel
    account_id: Id | None = None
    external_id: Str500 | None = None
    sent_at: Utc
    subject: Str500 | None = None
    body_text: Str200000 = ""
    body_html: Str1000000 | None = None
    delivery_state: DeliveryState | None = None
    delivery_error: Str2000 | None = None
    automated: bool = False
    meta: SmallJson = Field(default_factory=dict)
    created_at: Utc | None = None


class NoteDoc(Loose):
    id: Id
    customer_id: Id
    author_id: Id | None = None
    body: Str20000Min1
    created_at: Utc | None = None


class AccountDoc(Loose):
    """A channel account's non-secret settings (its password stays in the fetcher's keyring)."""

    id: Id
    channel: Channel
    name: Name
    config: SmallJson = Field(default_factory=dict)
    enabled: bool = True
    simulated: bool = False


# -- mutation payloads (per kind) --------------------------------------------------------------
class TicketCreate(Loose):
    ticket: TicketDoc
    customer: CustomerDoc
    identities: list[IdentityDoc] = Field(default_factory=list, max_length=20)


class StatusChange(Loose):
    status: TicketStatus
    ticket: TicketPatch = Field(default_factory=TicketPatch)


class PriorityChange(Loose):
    priority: Priority
    ticket: TicketPatch = Field(default_factory=TicketPatch)


class AssignChange(Loose):
    assignee_id: Id | None
    previous: Id | None


class TagsChange(Loose):
    tags: list[TagName] = Field(max_length=50)


class MessageAdd(Loose):
    message: MessageDoc
    ticket: TicketPatch = Field(default_factory=TicketPatch)


class DeliveryChange(Loose):
    delivery_state: DeliveryState
    delivery_error: Str2000 | None = None
    external_id: Str500 | None = None


class NoteAdd(Loose):
    note: NoteDoc


class AccountUpsert(Loose):
    account: AccountDoc


# -- requests and responses --------------------------------------------------------------------
MutationKind = Literal[
    "ticket.create",
    "ticket.status",
    "ticket.priority",
    "ticket.assign",
    "ticket.tags",
    "message.add",
    "message.delivery",
    "customer.note",
    "account.upsert",
]
Outcome = Literal["applied", "merged", "rejected"]


class MutationIn(Strict):
    id: Id = Field(description="Idempotency key: the workstation's Mutation.id")
    kind: Str50Min1
    entity_id: Id
    payload: dict[str, Any] = Field(default_factory=dict)


class PushRequest(Strict):
    mutations: list[MutationIn] = Field(max_length=500)


class RecordOut(BaseModel):
    kind: str
    id: str
    seq: int
    data: dict[str, Any]


class MutationResult(BaseModel):
    id: str
    outcome: Outcome
    reason: str | None = None
    result: dict[str, Any] = Field(default_factory=dict)
    duplicate: bool = False
    current: list[RecordOut] = Field(default_factory=list)


class PushResponse(BaseModel):
    results: list[MutationResult]
    cursor_hint: int = Field(description="The change sequence after this push")


class ChangesResponse(BaseModel):
    cursor: str
    more: bool
    changes: list[RecordOut]


class ResetResponse(BaseModel):
    reset: Literal[True] = True
    detail: str


class LoginRequest(Strict):
    username: Str100Min1
    password: Str1000Min1


class UserOut(BaseModel):
    id: str
    username: str
    display_name: str
    email: str | None
    role: Role
    team_id: str | None
    active: bool


class LoginResponse(BaseModel):
    token: str
    user: UserOut


class UserCreate(Strict):
    username: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.@-]{1,100}$")]
    password: Str1000Min8
    display_name: Name
    email: Str320 | None = None
    role: Role
    team_id: Id | None = None


class UserPatch(Strict):
    display_name: Name | None = None
    email: Str320 | None = None
    role: Role | None = None
    team_id: Id | None = None
    active: bool | None = None
    password: Str1000Min8 | None = None


class TeamCreate(Strict):
    name: Name


class TeamOut(BaseModel):
    id: str
    name: str


class CannedReplyIn(Strict):
    title: Name
    body: Str20000Min1
    language: Str10 | None = None
    tags: list[TagName] = Field(default_factory=list, max_length=20)


class CannedReplyOut(CannedReplyIn):
    id: str
    updated_by: str | None = None


class SlaTargetIn(Strict):
    first_response_minutes: Annotated[int, Field(ge=1, le=525_600)]
    resolution_minutes: Annotated[int, Field(ge=1, le=5_256_000)]


class SlaPolicyIn(Strict):
    """Same shape as the workstation's ``sla`` setting (services.sla_policy)."""

    calendar: SmallJson = Field(default_factory=lambda: {"always_open": True})
    targets: dict[Annotated[str, StringConstraints(pattern=r"^[1-4]$")], SlaTargetIn] = Field(
        default_factory=dict
    )


class PresenceIn(Strict):
    ticket_id: Id
    state: Literal["viewing", "replying", "idle"]


class PresenceOut(BaseModel):
    user_id: str
    name: str
    state: str
    expires_at: datetime


class Health(BaseModel):
    ok: bool
    database: str
    seq: int

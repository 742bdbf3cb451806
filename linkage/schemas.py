"""Bodies and answers of the linkage API."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints

from linkage.events import EmergencyChanged
from tickets.drafting.draft import Emergency as Target  # who takes each kind

KIND_PATTERN = r"^[0-9A-Za-z_-]{1,32}$"
# Digits only: a number travels in an originate key and a dial string.
Number = Annotated[str, StringConstraints(pattern=r"^[0-9]{2,20}$")]
Kind = Annotated[str, StringConstraints(pattern=KIND_PATTERN)]
TicketNumber = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,24}$")]


class TargetIn(BaseModel):
    """A new entry of the emergency event list; ``numbers`` are tried in order."""

    kind: Kind  # the trigger: a draft's emergency value, the IVR's choice, the agent's button
    label: str = Field(default="", max_length=100)
    target: Target
    numbers: list[Number] = Field(default_factory=list, max_length=10)
    endpoint_url: AnyHttpUrl | None = None
    pass_identity: bool = False
    confirm_first: bool = True
    active: bool = True


class TargetPatch(BaseModel):
    """A change to an entry; absent fields stay as they are."""

    label: str | None = Field(default=None, max_length=100)
    target: Target | None = None
    numbers: list[Number] | None = Field(default=None, max_length=10)
    endpoint_url: AnyHttpUrl | None = None
    pass_identity: bool | None = None
    confirm_first: bool | None = None
    active: bool | None = None


class TargetOut(BaseModel):
    """An entry as anyone may see it: never its secret."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    label: str
    target: str
    numbers: list[str]
    endpoint_url: str | None
    pass_identity: bool
    confirm_first: bool
    active: bool
    created_at: datetime
    updated_at: datetime
    updated_by: str


class TargetCreated(TargetOut):
    """The new entry with its signing secret, shown this once."""

    secret: str


class SecretOut(BaseModel):
    """A new signing secret, shown this once."""

    id: int
    secret: str


class AlertIn(BaseModel):
    """The agent's emergency button."""

    kind: Kind
    excerpt: str = Field(default="", max_length=500)


class HandoffAction(BaseModel):
    """Which hand-off of the call (needed only when the call has more than one live)."""

    kind: Kind | None = None


class ConfirmIn(HandoffAction):
    ticket_number: TicketNumber | None = None


class CancelIn(HandoffAction):
    reason: str = Field(default="", max_length=500)


class TicketIn(HandoffAction):
    ticket_number: TicketNumber


class RecordOut(BaseModel):
    """One step of a hand-off's timeline."""

    model_config = ConfigDict(from_attributes=True)

    at: datetime
    actor: str
    event: str
    from_state: str | None
    to_state: str
    supervisor: bool
    data: dict[str, Any]


class HandoffOut(BaseModel):
    """A hand-off: the voice side, the data packet and its receipt, and the timeline."""

    key: str
    linkedid: str
    kind: str
    target: str | None
    source: str
    state: str
    excerpt: str
    numbers: list[str]
    number: str | None
    dial_attempts: int
    room: str | None
    ticket_number: str | None
    alerted_at: datetime
    confirmed_at: datetime | None
    confirmed_by: str | None
    joined_at: datetime | None
    ended_at: datetime | None
    data_state: str
    data_attempts: int
    receipt_status: int | None
    receipt_hash: str | None
    receipt_verified: bool | None
    data_error: str | None
    timeline: list[RecordOut] = Field(default_factory=list)


class AlertOut(BaseModel):
    """A step a supervisor must see (data not delivered, an unverified receipt)."""

    at: datetime
    event: str
    handoff: str
    linkedid: str
    kind: str
    target: str | None
    data: dict[str, Any]


class TargetStats(BaseModel):
    """Hand-offs of one target in a period."""

    target: str
    alerted: int
    confirmed: int
    joined: int
    line_unanswered: int
    cancelled: int
    data_delivered: int
    data_failed: int


class StatsOut(BaseModel):
    start: datetime
    end: datetime
    targets: list[TargetStats]


class EmergencyChangeOut(BaseModel):
    """The ``data`` of an ``emergency`` message on the screens' feed."""

    handoff: str
    kind: str
    target: str | None
    label: str
    number: str | None
    numbers: list[str]
    source: str
    excerpt: str
    state: str
    data_state: str
    listed: bool
    by: str | None = None
    attempt: int | None = None
    room: str | None = None
    reason: str | None = None
    error_id: str | None = None
    channel: str | None = None
    status: int | None = None
    attempts: int | None = None
    receipt_hash: str | None = None
    verified: bool | None = None
    error: str | None = None
    outcome: str | None = None

    @classmethod
    def of(cls, event: EmergencyChanged) -> "EmergencyChangeOut":
        h, step, data = event.handoff, event.step, event.data
        out = cls(handoff=h.key, kind=h.kind, target=h.target, label=h.label,
                  number=step.number or h.number, numbers=list(h.numbers), source=h.source,
                  excerpt=h.excerpt, state=h.state, data_state=h.data_state, listed=h.listed,
                  by=step.by, attempt=step.attempt, room=step.room, reason=step.reason,
                  error_id=step.error_id, channel=step.channel)
        if data is not None:
            out = out.model_copy(update={
                "status": data.status, "attempts": data.attempts,
                "receipt_hash": data.receipt_hash, "verified": data.verified,
                "error": data.error, "outcome": data.outcome})
        return out

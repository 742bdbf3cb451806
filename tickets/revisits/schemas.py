"""What the revisit API gives."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class AttemptOut(BaseModel):
    """One call attempt as the manual list shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    number: int
    state: str
    due_at: datetime
    claimed_at: datetime | None
    answered_at: datetime | None
    ended_at: datetime | None
    outcome: str


class RevisitOut(BaseModel):
    """A revisit with its ticket and attempts; the phone is for the person who calls."""

    id: int
    ticket_number: str
    summary: str
    phone: str
    state: str
    round: int
    handed_over_at: datetime | None
    handover_reason: str | None
    notify_state: str | None
    attempts: list[AttemptOut]


class DoNotCallOut(BaseModel):
    """A number that revisits no longer call."""

    model_config = ConfigDict(from_attributes=True)

    number: str
    at: datetime
    ticket_id: int | None
    source: str

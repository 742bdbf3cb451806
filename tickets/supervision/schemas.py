"""The supervision vocabulary and what its API takes and gives."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from kernel.schemas import Strict
from tickets.enums import SupervisionForm

Note = Annotated[str, StringConstraints(max_length=2000)]


class ReminderForm(StrEnum):
    """How a unit was reminded (催办); only phone calls count towards the phone round."""

    PHONE = "phone"
    SMS = "sms"
    SYSTEM = "system"


class Trigger(StrEnum):
    """Why a supervision was opened (shandong 18, tonghua 18 and 29, wuhai 6.5)."""

    OVERDUE = "overdue"
    REMINDERS_EXHAUSTED = "reminders-exhausted"
    REPEATED_COMPLAINTS = "repeated-complaints"
    IMPROPER_RETURN = "improper-return"
    REFUSED_DUTY = "refused-duty"
    KNOWLEDGE_STALE = "knowledge-stale"
    SECOND_UNSATISFIED = "second-unsatisfied"
    SAME_MATTER_MONTHS = "same-matter-months"
    MANUAL = "manual"


class ReminderIn(Strict):
    version: int | None = None
    form: ReminderForm = ReminderForm.PHONE
    contact: Annotated[str, StringConstraints(max_length=100)] = ""
    note: Note = ""


class SupervisionIn(Strict):
    version: int | None = None
    trigger: Trigger = Trigger.MANUAL
    form: SupervisionForm = SupervisionForm.SYSTEM
    note: Note = ""


class ResolveIn(Strict):
    resolution: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class ReminderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    ticket_id: int
    at: datetime
    by: str
    form: str
    contact: str
    note: str


class SupervisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    ticket_id: int
    at: datetime
    trigger: str
    form: str
    by: str
    note: str
    resolved_at: datetime | None
    resolution: str


class TicketSupervision(BaseModel):
    """A ticket's reminder and supervision record, oldest first."""

    number: str
    phone_reminders: int
    under_supervision: bool
    reminders: list[ReminderOut]
    supervisions: list[SupervisionOut]


class DueTicket(BaseModel):
    """A row of the due-soon or overdue list: no personal data of the requester."""

    model_config = ConfigDict(from_attributes=True)

    number: str
    state: str
    request_type: str
    category: str | None
    urgency: str
    summary: str
    district: str | None
    lead_unit_id: int | None
    handle_due: datetime
    due_provisional: bool
    phone_reminders: int
    under_supervision: bool


class DuePage(BaseModel):
    items: list[DueTicket]
    total: int
    page: int
    size: int

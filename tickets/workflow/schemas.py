"""What the ticket API takes and gives."""

from datetime import datetime
from typing import Annotated

from pydantic import (
    AwareDatetime,
    BaseModel,
    Field,
    StringConstraints,
    field_validator,
)

from kernel.schemas import Strict
from tickets.enums import (
    Category,
    Channel,
    Media,
    RefusalReason,
    RequesterKind,
    RequestType,
    Urgency,
)
from tickets.workflow.machine import TicketState

Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9-]{3,20}$")]
Text200 = Annotated[str, StringConstraints(max_length=200)]
Text300 = Annotated[str, StringConstraints(max_length=300)]
LongText = Annotated[str, StringConstraints(max_length=20_000)]


class Requester(Strict):
    name: Annotated[str, StringConstraints(max_length=100)] | None = None
    phone: Phone | None = None
    address: Text300 | None = None


class RequesterOut(BaseModel):
    """The requester as shown (possibly masked)."""

    name: str | None
    phone: str | None
    address: str | None


class TicketFields(Strict):
    """The fields an agent (or the drafting) fills in."""

    channel: Channel = Channel.PHONE
    media: Media = Media.VOICE
    source_line: Annotated[str, StringConstraints(max_length=32)] | None = None
    requester: Requester = Field(default_factory=Requester)
    requester_kind: RequesterKind = RequesterKind.CITIZEN
    enterprise_name: Text200 | None = None
    identity_disclosable: bool = True
    request_type: RequestType
    category: Category | None = None
    urgency: Urgency = Urgency.NORMAL
    district: Annotated[str, StringConstraints(max_length=64)] | None = None
    place: Text300 = ""
    content: LongText = ""
    summary: Text300 = ""
    calls: list[Annotated[str, StringConstraints(max_length=64)]] = Field(
        default_factory=list, max_length=50
    )
    transcript_ref: Annotated[str, StringConstraints(max_length=64)] | None = None


class TicketCreate(TicketFields):
    accept: bool = False  # create it accepted at once (the agent confirmed the draft)


# what a ticket always has (NOT NULL columns); ``requester`` is changed field by field
ALWAYS_SET = ("channel", "media", "requester", "requester_kind", "identity_disclosable",
              "request_type", "urgency", "place", "content", "summary")


class TicketUpdate(Strict):
    """A partial change of a ticket still at intake; ``version`` guards against races.

    A field left out is kept; ``null`` clears a field that may be empty and is refused, by
    name, for one that always has a value. ``requester`` merges: ``{"name": "…"}`` changes
    the name and keeps the phone and the address.
    """

    version: int
    channel: Channel | None = None
    media: Media | None = None
    requester: Requester | None = None
    requester_kind: RequesterKind | None = None
    enterprise_name: Text200 | None = None
    identity_disclosable: bool | None = None
    request_type: RequestType | None = None
    category: Category | None = None
    urgency: Urgency | None = None
    district: Annotated[str, StringConstraints(max_length=64)] | None = None
    place: Text300 | None = None
    content: LongText | None = None
    summary: Text300 | None = None

    @field_validator(*ALWAYS_SET, mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        """Left out means kept; a null here would reach the database as a constraint error."""
        if value is None:
            raise ValueError("this field always has a value: leave it out to keep it")
        return value


class Action(Strict):
    """A workflow step; ``version`` (optional) refuses a step on a stale view."""

    version: int | None = None
    reason: Annotated[str, StringConstraints(max_length=2000)] = ""


class Refusal(Action):
    refusal_reason: RefusalReason


class DirectAnswer(Action):
    answer: LongText
    knowledge_article_id: int | None = None


class LinkRepeat(Action):
    earlier_number: Annotated[str, StringConstraints(pattern=r"^[0-9]{6,20}$")]


class Merge(Action):
    """并单: the open ticket this duplicate is merged into."""

    master_number: Annotated[str, StringConstraints(pattern=r"^[0-9]{6,20}$")]


class Dispatch(Action):
    lead_unit_id: int
    co_unit_ids: list[int] = Field(default_factory=list, max_length=20)


class Extension(Action):
    working_days: Annotated[int, Field(ge=1, le=90)] | None = None
    leader_signoff: bool = False


class Suspension(Action):
    until: AwareDatetime
    legal_basis: Annotated[str, StringConstraints(min_length=2, max_length=500)]


class Reply(Action):
    reply: Annotated[str, StringConstraints(min_length=1, max_length=20_000)]


class EvaluationIn(Action):
    level: Annotated[str, StringConstraints(max_length=10)]
    solved: bool | None = None
    reasonable: bool = True
    channel: Annotated[str, StringConstraints(max_length=16)] = "phone"


class AssignmentOut(BaseModel):
    unit_id: int
    role: str
    active: bool
    assigned_at: datetime


class Deadlines(BaseModel):
    review_due: datetime | None
    return_due: datetime | None
    handle_due: datetime | None
    provisional: bool


class TicketOut(BaseModel):
    """A ticket as its reader may see it: requester data only where allowed."""

    id: int
    number: str
    version: int
    profile: str
    state: str
    is_open: bool
    channel: str
    media: str
    source_line: str | None
    requester: RequesterOut | None
    requester_masked: RequesterOut | None
    requester_kind: str
    enterprise_name: str | None
    identity_disclosable: bool
    request_type: str
    category: str | None
    urgency: str
    district: str | None
    place: str
    content: str
    summary: str
    calls: list[str]
    transcript_ref: str | None
    refusal_reason: str | None
    answer: str | None
    reply: str | None
    linked_ticket_id: int | None
    lead_unit_id: int | None
    assignments: list[AssignmentOut]
    deadlines: Deadlines
    extension_count: int
    rehandle_count: int
    phone_reminders: int
    under_supervision: bool
    investigation_flag: bool
    accountability_flag: bool
    final_evaluation: str | None
    replied_late: bool
    created_at: datetime
    accepted_at: datetime | None
    dispatched_at: datetime | None
    replied_at: datetime | None
    closed_at: datetime | None
    allowed_events: list[str]


class TicketSummary(BaseModel):
    """A row of a ticket list: no personal data beyond a masked phone."""

    number: str
    state: str
    request_type: str
    category: str | None
    urgency: str
    summary: str
    district: str | None
    lead_unit_id: int | None
    handle_due: datetime | None
    due_provisional: bool
    created_at: datetime
    requester_phone_masked: str | None


class TicketPage(BaseModel):
    items: list[TicketSummary]
    total: int | None
    page: int
    size: int


class UnitSuggestionOut(BaseModel):
    """A unit the drafting's rules suggest for a ticket, and why (territory, then duties)."""

    id: int
    name: str
    territory: str | None
    duty_words: list[str]


class TransitionOut(BaseModel):
    at: datetime
    actor: str
    event: str
    from_state: str | None
    to_state: str
    reason: str
    data: dict[str, object]


class ListFilters(BaseModel):
    """Filters of the ticket list."""

    state: list[TicketState] | None = None
    open: bool | None = None
    unit_id: int | None = None
    overdue: bool | None = None
    request_type: RequestType | None = None
    category: Category | None = None
    created_from: AwareDatetime | None = None
    created_to: AwareDatetime | None = None
    order: str = "due"

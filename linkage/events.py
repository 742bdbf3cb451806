"""What the emergency linkage tells the screens: a hand-off's view and what its step said."""

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class HandoffView:
    """A hand-off as it stands after a step."""

    key: str
    linkedid: str
    kind: str
    target: str | None
    label: str
    number: str | None  # the number being dialled or last dialled
    numbers: tuple[str, ...]  # the emergency list's numbers, in the order they are tried
    source: str  # draft, ivr, agent
    excerpt: str
    state: str
    data_state: str
    listed: bool  # the emergency list has an entry for the kind


@dataclass(frozen=True, slots=True)
class StepFacts:
    """What a step of the voice hand-off says beside the new state."""

    by: str | None = None
    number: str | None = None
    attempt: int | None = None
    room: str | None = None
    reason: str | None = None
    error_id: str | None = None
    channel: str | None = None


@dataclass(frozen=True, slots=True)
class DataFacts:
    """What the data packet's delivery says: HTTP status, attempts, the receipt."""

    status: int | None
    attempts: int
    receipt_hash: str | None
    verified: bool | None
    error: str | None
    outcome: str | None = None


@dataclass(frozen=True, slots=True)
class EmergencyChanged:
    """A hand-off moved: ``change`` is its new state, or a data note (``data-delivered``,
    ``receipt-unverified``, ``data-failed``) with the delivery's facts."""

    handoff: HandoffView
    change: str
    step: StepFacts = field(default_factory=StepFacts)
    data: DataFacts | None = None

    @property
    def linkedid(self) -> str:
        return self.handoff.linkedid

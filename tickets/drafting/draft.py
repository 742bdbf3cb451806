"""The draft of a ticket that drafting proposes to the agent, field by field."""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tickets.enums import Category, RefusalReason, RequestType, Urgency


class Emergency(StrEnum):
    """Where a call must be handed off at once (shandong 4, wuhai 6.4.4, zhanjiang 14)."""

    POLICE = "110"
    FIRE = "119"
    AMBULANCE = "120"
    TRAFFIC = "122"
    WATER = "water"
    POWER = "power"
    GAS = "gas"
    HEATING = "heating"
    NETWORK = "network"


LIFE_THREATENING = frozenset({Emergency.POLICE, Emergency.FIRE, Emergency.AMBULANCE})

# the refusal reasons drafting can recognise from a call (a subset of RefusalReason)
DRAFTABLE_REFUSALS = frozenset({
    RefusalReason.LITIGATION, RefusalReason.PETITION, RefusalReason.SECRET,
    RefusalReason.REPEAT, RefusalReason.OUT_OF_JURISDICTION, RefusalReason.ILLEGAL,
})

FIELDS = ("request_type", "category", "urgency", "emergency", "enterprise", "confidential",
          "phone", "address", "not_accepted", "summary")


@dataclass(frozen=True)
class Draft:
    """Every field the agent would otherwise type, and how sure drafting is of each (0..1)."""

    request_type: RequestType
    category: Category | None
    urgency: Urgency
    emergency: Emergency | None
    enterprise: bool
    confidential: bool
    phone: str | None
    address: str
    not_accepted: RefusalReason | None
    summary: str
    confidence: dict[str, float] = field(default_factory=dict)
    phone_source: str | None = None  # "spoken", "caller_id", or None (no number)

    def to_json(self) -> dict[str, Any]:
        """The README's keys with plain JSON values, plus ``confidence`` and
        ``phone_source`` (where the callback number comes from)."""
        def plain(value: object) -> object:
            return value.value if isinstance(value, StrEnum) else value

        data: dict[str, Any] = {name: plain(getattr(self, name)) for name in FIELDS}
        data["confidence"] = {name: round(self.confidence.get(name, 0.0), 2) for name in FIELDS}
        data["phone_source"] = self.phone_source
        return data

"""Where emergencies are noticed: the live draft, the IVR's choice, the agent's button."""

import logging
import re
from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum

from linkage.packet import excerpt
from linkage.schemas import KIND_PATTERN
from telephony.ami.events import VarSet
from tickets.drafting.events import DraftUpdated

log = logging.getLogger(__name__)

KIND = re.compile(KIND_PATTERN)
IVR_VARIABLE = "HOTLINE_EMERGENCY"  # the IVR sets it on the caller's channel to the kind chosen


class Source(StrEnum):
    DRAFT = "draft"
    IVR = "ivr"
    AGENT = "agent"


@dataclass(frozen=True)
class Detected:
    """An emergency of ``kind`` noticed on call ``linkedid``."""

    linkedid: str
    kind: str
    source: Source
    excerpt: str = ""


@dataclass(frozen=True)
class Notes:
    """What the newest draft of a call says of the emergency (for the data packet)."""

    place: str
    summary: str
    excerpt: str


class Drafts:
    """The newest draft of each call, as the live drafting publishes them."""

    def __init__(self, max_calls: int = 10_000) -> None:
        self.max_calls = max_calls
        self.calls: OrderedDict[str, Notes] = OrderedDict()

    def on_draft(self, event: DraftUpdated) -> Detected | None:
        """Remember the draft; the emergency it names, if any (drafting handles negation)."""
        said = excerpt([(t.speaker, t.text) for t in event.transcript])
        self.calls[event.call_id] = Notes(event.draft.address, event.draft.summary, said)
        self.calls.move_to_end(event.call_id)
        while len(self.calls) > self.max_calls:  # calls whose end was never seen
            self.calls.popitem(last=False)
        if event.draft.emergency is None:
            return None
        return Detected(event.call_id, event.draft.emergency.value, Source.DRAFT, said)

    def notes(self, linkedid: str) -> Notes | None:
        return self.calls.get(linkedid)

    def forget(self, linkedid: str) -> None:
        self.calls.pop(linkedid, None)


def ivr_choice(event: VarSet, owner: str | None) -> Detected | None:
    """The IVR's ``HOTLINE_EMERGENCY=<kind>`` on a channel of call ``owner``."""
    if event.variable != IVR_VARIABLE or owner is None:
        return None
    kind = event.value.strip()
    if not KIND.fullmatch(kind):  # empty (cleared) or not a kind the list could hold
        if kind:
            log.warning("call %s: the IVR chose the emergency %r, which is no kind", owner, kind)
        return None
    return Detected(owner, kind, Source.IVR, f"IVR: the caller chose {kind}")

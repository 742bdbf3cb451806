"""The screens' feed as JSON: each platform event in one envelope, through each package's schemas.

``{"kind": "call"|"agent"|"draft"|"transcript"|"suggestions"|"emergency", "key": <linkedid or
interface>, "state": ..., "data": {...}}``, and the ``snapshot`` a screen gets first.
"""

from typing import Any

from pydantic import BaseModel

from hotline.bus import PlatformEvent
from linkage.events import EmergencyChanged
from linkage.schemas import EmergencyChangeOut
from telephony.controller.schemas import AgentChangeData, CallChangeData, LiveOut
from telephony.events import AgentChanged, CallChanged, LineSnapshot
from tickets.drafting.events import DraftUpdated, SuggestionsUpdated, TranscriptPartial
from tickets.drafting.schemas import DraftData, PartialData, SuggestionsOut

# what carries a caller's words or number: shown only to the call's own agent and supervisors
PERSONAL = (DraftUpdated, TranscriptPartial, SuggestionsUpdated, EmergencyChanged)


class FeedMessage(BaseModel):
    """One change, as every screen receives it."""

    kind: str
    key: str
    state: str
    data: dict[str, Any]


def _message(kind: str, key: str, state: str, data: BaseModel) -> FeedMessage:
    return FeedMessage(kind=kind, key=key, state=state, data=data.model_dump(mode="json"))


def message_of(event: PlatformEvent) -> FeedMessage:
    """The envelope of one event."""
    match event:
        case CallChanged(call=call, resync=resync):
            return _message("call", call.linkedid, call.state.value,
                            CallChangeData.of(call, resync))
        case AgentChanged(agent=agent, resync=resync):
            return _message("agent", agent.interface, agent.state.value,
                            AgentChangeData.of(agent, resync))
        case DraftUpdated():
            return _message("draft", event.call_id, "final" if event.final else "updated",
                            DraftData.of(event))
        case TranscriptPartial():
            return _message("transcript", event.call_id, "partial", PartialData.of(event))
        case SuggestionsUpdated():
            return _message("suggestions", event.call_id, "updated",
                            SuggestionsOut.of(event.suggestions))
        case EmergencyChanged():
            return _message("emergency", event.linkedid, event.change,
                            EmergencyChangeOut.of(event))
    raise TypeError(f"no feed message for {type(event).__name__}")


def call_of(event: PlatformEvent) -> str | None:
    """The call a personal event is about (None for calls and agents themselves)."""
    if isinstance(event, DraftUpdated | TranscriptPartial | SuggestionsUpdated):
        return event.call_id
    if isinstance(event, EmergencyChanged):
        return event.linkedid
    return None


def snapshot_message(snapshot: LineSnapshot) -> dict[str, Any]:
    """The picture a screen gets when it connects: ``{"kind": "snapshot", calls, agents}``."""
    return {"kind": "snapshot", **LiveOut.of(snapshot).model_dump(mode="json")}

"""Actions awaiting their answer: a plain response, a list of events, or an OriginateResponse."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from telephony.ami.errors import AmiActionFailed
from telephony.ami.events import AmiEvent, OriginateResponse
from telephony.ami.frames import AmiMessage

_SUCCESS = ("success", "follows", "goodbye", "pong")


@dataclass(frozen=True, slots=True)
class AmiResponse:
    """Asterisk's answer to one action; events holds a list action's items."""

    message: AmiMessage
    events: tuple[AmiEvent, ...] = ()

    @property
    def success(self) -> bool:
        """Whether Asterisk accepted the action."""
        return (self.message.response or "").lower() in _SUCCESS

    def get(self, key: str, default: str = "") -> str:
        """A header of the response message."""
        return self.message.get(key, default)


class Pending:
    """One action on one connection, fed the messages carrying its ActionID."""

    __slots__ = ("action", "action_id", "events", "future", "listing", "originate", "response")

    def __init__(self, action: str, action_id: str, *, originate: bool = False) -> None:
        self.action = action
        self.action_id = action_id
        self.originate = originate
        self.listing = False
        self.response: AmiMessage | None = None
        self.events: list[AmiEvent] = []
        self.future: asyncio.Future[AmiResponse] = asyncio.get_running_loop().create_future()

    @property
    def done(self) -> bool:
        """Whether the answer is complete (or failed)."""
        return self.future.done()

    def on_response(self, message: AmiMessage) -> None:
        """A Response carrying this ActionID."""
        if (message.response or "").lower() == "error":
            text = message.get("message") or "Response: Error"
            self._fail(AmiActionFailed(text, action=self.action, response=dict(message.fields)))
            return
        self.response = message
        if self.originate:
            return  # the outcome comes as an OriginateResponse event
        text = message.get("message").lower()
        if message.get("eventlist").lower() == "start" or "will follow" in text:
            self.listing = True
            return
        self._finish(message)

    def on_event(self, message: AmiMessage, event: AmiEvent | None) -> None:
        """An event with this ActionID: a list item, the list's end, or the originate outcome."""
        if self.originate:
            if (message.event or "").lower() == "originateresponse":
                if isinstance(event, OriginateResponse):
                    self.events.append(event)  # a malformed one leaves the outcome unknown
                self._finish(self.response or message)
            return
        if event is not None:
            self.events.append(event)
        if self.listing and _ends_list(message):
            self._finish(self.response or message)

    def fail(self, error: BaseException) -> None:
        """The connection dropped or the wait timed out."""
        self._fail(error)

    def _finish(self, message: AmiMessage) -> None:
        if not self.future.done():
            self.future.set_result(AmiResponse(message, tuple(self.events)))

    def _fail(self, error: BaseException) -> None:
        if not self.future.done():
            self.future.set_exception(error)
            # Mark retrieved: a caller that timed out or was cancelled never will.
            self.future.exception()


def _ends_list(message: AmiMessage) -> bool:
    if message.get("eventlist").lower() == "complete":
        return True
    return (message.event or "").endswith("Complete")

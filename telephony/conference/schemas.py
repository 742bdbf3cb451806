"""Bodies and answers of the conference, transfer and monitoring API."""

from enum import StrEnum

from pydantic import BaseModel, Field

# Rooms are dialplan extensions (context `conference`, pattern _[0-9A-Za-z].): no dashes,
# which Asterisk ignores when matching, and at least two characters.
ROOM_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z.]{1,39}$"
PHONE_PATTERN = r"^\+?[0-9]{2,20}$"
UNIT_NUMBER_PATTERN = r"^\+?[0-9][0-9-]{1,24}$"  # as units register them: 0435-3333333


class ConferenceIn(BaseModel):
    """Bring the handling unit's contact into a room with the caller and the agent."""

    unit_number: str = Field(pattern=UNIT_NUMBER_PATTERN)  # a unit's or the allow-list's
    room: str | None = Field(default=None, pattern=ROOM_PATTERN)
    ticket_number: str | None = Field(default=None, pattern=ROOM_PATTERN)
    # A new attempt calls the unit again; a repeated request with the same attempt never does.
    attempt: int = Field(default=1, ge=1, le=99)


class TransferIn(BaseModel):
    """Blind transfer: an agent's extension (digits) or a queue's name."""

    to: str = Field(pattern=r"^[0-9A-Za-z_]{1,40}$")


class MonitorMode(StrEnum):
    LISTEN = "listen"
    WHISPER = "whisper"
    BARGE = "barge"


class MonitorIn(BaseModel):
    """A supervisor's phone listens to, whispers to or barges into the agent's call."""

    mode: MonitorMode
    supervisor_phone: str = Field(pattern=PHONE_PATTERN)
    attempt: int = Field(default=1, ge=1, le=99)


class CallActionOut(BaseModel):
    """What was done to the call."""

    linkedid: str
    action: str
    room: str | None = None
    channel: str | None = None

"""What the callback API gives."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from telephony.callbacks.models import CallbackState


class CallbackOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    caller_number: str
    linkedid: str
    source_line: str | None
    queue: str | None
    requested_at: datetime
    due_by: datetime
    state: CallbackState
    abandonments: int
    attempts: int
    last_attempt_at: datetime | None
    updated_at: datetime
    updated_by: str

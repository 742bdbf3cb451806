"""What the seat API takes and gives."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from kernel.schemas import Strict

Extension = Annotated[str, StringConstraints(pattern=r"^[0-9]{2,16}$")]
Username = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.@-]{1,64}$")]


class SeatIn(Strict):
    """Bind a user to an extension (one seat per user, one user per seat)."""

    username: Username


class SeatOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    extension: str
    username: str
    bound_by: str
    bound_at: datetime


class MySeatOut(BaseModel):
    """The caller's own seat: the interface they log in with and the queues they may join."""

    extension: str | None
    interfaces: list[str]
    queues: list[str]
    supervises: bool

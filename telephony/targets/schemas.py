"""What the allow-list API takes and gives."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from kernel.schemas import Strict

Number = Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9-]{1,24}$")]


class DialTargetIn(Strict):
    number: Number
    label: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class DialTargetOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: str
    label: str
    added_by: str
    added_at: datetime

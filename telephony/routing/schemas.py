"""What the routing API takes and gives."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kernel.schemas import Strict

Number = Annotated[str, StringConstraints(pattern=r"^\+?[0-9]{3,20}$")]


class LegacyMode(StrEnum):
    """How a legacy number is answered (changzhi 二(一)(二))."""

    FORWARD = "forward"  # 来电转移: 12345 answers, the call keeps its source line
    PARALLEL = "parallel"  # 并行接听: the department's own queue answers


class LegacyNumberIn(Strict):
    number: Number
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    department: Annotated[str, StringConstraints(max_length=100)] = ""
    mode: LegacyMode
    source_line: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{1,32}$")]
    queue: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{1,64}$")] | None = None
    active: bool = True


class LegacyNumberOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: str
    name: str
    department: str
    mode: LegacyMode
    source_line: str
    queue: str | None
    active: bool


class BlockIn(Strict):
    number: Number
    reason: Annotated[str, StringConstraints(min_length=2, max_length=200)]
    days: Annotated[int, Field(ge=1, le=30)] = 30  # zhanjiang 第九条: 30 natural days


class BlockOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: str
    reason: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    lifted_at: datetime | None

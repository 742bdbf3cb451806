"""What the accounts API takes and gives."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kernel.schemas import Strict
from tickets.enums import Role

Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Password = Annotated[str, StringConstraints(min_length=8, max_length=200)]
DisplayName = Annotated[str, StringConstraints(max_length=100)]


# No control characters: PostgreSQL refuses a NUL in text (a 500 before), and no username
# has any.
NoControls = r"^[^\x00-\x1f\x7f]+$"


class Login(Strict):
    username: Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=NoControls)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime
    role: Role
    unit_id: int | None


class UnitIn(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,32}$")]
    name: Name
    duties: Annotated[str, StringConstraints(max_length=10_000)] = ""
    territory: list[Annotated[str, StringConstraints(max_length=100)]] = Field(
        default_factory=list, max_length=500)
    contact_phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9-]{3,20}$")] | None = None
    duty_phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9-]{3,20}$")] | None = None
    parent_id: int | None = None


class UnitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    duties: str
    territory: list[str]
    contact_phone: str | None
    duty_phone: str | None
    parent_id: int | None
    active: bool


class UserIn(Strict):
    username: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.@-]{1,64}$")]
    display_name: DisplayName = ""
    password: Password
    role: Role
    unit_id: int | None = None


class UserPatch(Strict):
    """The fields an administrator may change; those left out stay as they are."""

    display_name: DisplayName = ""
    role: Role = Role.AGENT
    unit_id: int | None = None


class PasswordIn(Strict):
    password: Password


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    role: Role
    unit_id: int | None
    active: bool

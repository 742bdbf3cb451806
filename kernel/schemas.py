"""What every request body shares: unknown fields are refused, not ignored."""

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """A request body that names only the fields it declares."""

    model_config = ConfigDict(extra="forbid")

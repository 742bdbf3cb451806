"""Calendar import and listing."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from kernel.schemas import Strict


class DayIn(Strict):
    day: date
    working: bool
    name: Annotated[str, StringConstraints(max_length=100)] = ""


class CalendarImport(Strict):
    """A year's holidays and make-up working days, as the State Council publishes them."""

    years: list[Annotated[int, Field(ge=2000, le=2100)]] = Field(
        default_factory=list, max_length=10,
        description="years imported in full: their other days become Monday–Friday, known")
    days: list[DayIn] = Field(max_length=1000)
    source: Annotated[str, StringConstraints(max_length=200)] = ""


class ImportResult(BaseModel):
    days: int
    years: list[int]
    recomputed_tickets: int


class DayOut(BaseModel):
    day: date
    working: bool
    known: bool

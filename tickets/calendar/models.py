"""The administrator's calendar: single-day overrides and fully imported years."""

from datetime import date, datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from tickets.database import Base


class CalendarOverride(Base):
    """A day whose status differs from the packaged calendar (or from Monday–Friday)."""

    __tablename__ = "calendar_overrides"

    day: Mapped[date] = mapped_column(primary_key=True)
    working: Mapped[bool]
    name: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime]


class CalendarYear(Base):
    """A year an administrator imported in full; its other days are Monday–Friday."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(200), default="")
    imported_at: Mapped[datetime]

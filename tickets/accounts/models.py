"""Units that handle tickets and the people who use the platform."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tickets.database import Base


class Unit(Base):
    """A handling unit (承办单位): its duties, territory and phone numbers."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    duties: Mapped[str] = mapped_column(Text, default="")
    territory: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    duty_phone: Mapped[str | None] = mapped_column(String(32))  # holiday duty (tonghua 12(7))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class User(Base):
    """A person who logs in: agent, reviewer, supervisor, unit handler or administrator."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]

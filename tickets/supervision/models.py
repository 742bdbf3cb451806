"""Reminders to a unit and supervision records (wuhai 6.5, tonghua 第十八/二十九条)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tickets.database import Base


class Reminder(Base):
    """A recorded reminder to the handling unit (催办), by phone or by the system."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_ticket", "ticket_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    by: Mapped[str] = mapped_column(String(64))
    form: Mapped[str] = mapped_column(String(20))
    contact: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class Supervision(Base):
    """A supervision case (督办) opened on a ticket: its trigger, form and outcome."""

    __tablename__ = "supervisions"
    __table_args__ = (Index("ix_supervisions_ticket", "ticket_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    trigger: Mapped[str] = mapped_column(String(40))
    form: Mapped[str] = mapped_column(String(24))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str] = mapped_column(Text, default="")

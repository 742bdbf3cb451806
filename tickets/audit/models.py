"""The audit log: reads of requesters' personal data, and security events."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tickets.database import Base


class AuditEntry(Base):
    """One read (or export) of personal data, or one security event (no ticket)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_ticket_at", "ticket_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    detail: Mapped[str] = mapped_column(String(400), default="")

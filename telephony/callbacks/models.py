"""A callback owed to a caller who hung up while queued (漏接回拨)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from telephony.database import Base


class CallbackState(StrEnum):
    PENDING = "pending"
    CALLING = "calling"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class CallbackRequest(Base):
    """One caller to call back, with the abandoned call that gave rise to it."""

    __tablename__ = "callback_requests"
    __table_args__ = (
        Index("ix_callback_requests_state_due", "state", "due_by"),
        Index("ix_callback_requests_caller_requested", "caller_number", "requested_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    caller_number: Mapped[str] = mapped_column(String(40))
    linkedid: Mapped[str] = mapped_column(String(64), unique=True)  # the first abandoned call
    source_line: Mapped[str | None] = mapped_column(String(32))
    queue: Mapped[str | None] = mapped_column(String(64))
    requested_at: Mapped[datetime]
    due_by: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default=CallbackState.PENDING.value)
    abandonments: Mapped[int] = mapped_column(default=1)  # the same caller's later hang-ups
    attempts: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64), default="system")

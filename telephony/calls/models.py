"""A finished call, kept for the line's figures (GB/T 33358) and the ticket's links."""

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from telephony.database import Base


class CallRecord(Base):
    """One call from first ring to hang-up."""

    __tablename__ = "call_records"
    __table_args__ = (
        Index("ix_call_records_started", "started_at"),
        Index("ix_call_records_queue_started", "queue", "started_at"),
        Index("ix_call_records_agent_started", "agent", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    linkedid: Mapped[str] = mapped_column(String(64), unique=True)
    caller_number: Mapped[str] = mapped_column(String(40))
    caller_name: Mapped[str] = mapped_column(String(100), default="")
    dialed: Mapped[str] = mapped_column(String(40))
    source_line: Mapped[str | None] = mapped_column(String(32))
    queue: Mapped[str | None] = mapped_column(String(64))
    agent: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime]
    queued_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    ended_at: Mapped[datetime]
    abandoned: Mapped[bool] = mapped_column(default=False)
    callback_offered: Mapped[bool] = mapped_column(default=False)
    # A callback leg (outbound: the dialer called the citizen back) names its callback; the
    # figures never count it as an offered inbound call.
    callback_id: Mapped[int | None]
    ivr_result: Mapped[str | None] = mapped_column(String(16))  # how the IVR's menu ended

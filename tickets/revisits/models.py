"""A ticket's revisit (one per handling round), its call attempts, and the do-not-call list."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tickets.database import Base
from tickets.revisits.machine import AttemptState, RevisitState


class Revisit(Base):
    """The revisit owed to a ticket whose reply was approved, in its ``round`` (re-handlings)."""

    __tablename__ = "revisits"
    __table_args__ = (
        # one revisit per ticket and round, whoever schedules it
        UniqueConstraint("ticket_id", "round"),
        Index("ix_revisits_state", "state", "id"),
        Index("ix_revisits_notify", "notify_state", "notify_next_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    round: Mapped[int]  # the ticket's rehandle_count when it was scheduled
    phone: Mapped[str] = mapped_column(String(32), default="")  # digits; "" none to call
    state: Mapped[str] = mapped_column(String(20), default=RevisitState.PENDING.value)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    handed_over_at: Mapped[datetime | None]
    handover_reason: Mapped[str | None] = mapped_column(String(32))
    # the outbound webhook (SMS/WeChat) told of a hand-over: an outbox, retried by a job
    notify_state: Mapped[str | None] = mapped_column(String(12))  # pending, sent, failed
    notify_attempts: Mapped[int] = mapped_column(default=0)
    notify_next_at: Mapped[datetime | None]
    notify_error: Mapped[str] = mapped_column(Text, default="")

    # the job that hands over and the survey that evaluates never overwrite each other
    __mapper_args__ = {"version_id_col": version}


class RevisitAttempt(Base):
    """One call placed (or to be placed) for a revisit."""

    __tablename__ = "revisit_attempts"
    __table_args__ = (
        UniqueConstraint("revisit_id", "number"),  # the next attempt is scheduled once
        Index("ix_revisit_attempts_due", "state", "due_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revisit_id: Mapped[int] = mapped_column(ForeignKey("revisits.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1, 2, 3
    state: Mapped[str] = mapped_column(String(12), default=AttemptState.SCHEDULED.value)
    due_at: Mapped[datetime]
    claim_token: Mapped[str | None] = mapped_column(String(64))  # which dialer claimed it
    # a secret drawn at claim time and set on the call's channel: the survey records only
    # for a call that carries it (any local process can reach FastAGI)
    survey_token: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    uniqueid: Mapped[str | None] = mapped_column(String(64))  # the originated channel
    outcome: Mapped[str] = mapped_column(String(80), default="")
    updated_at: Mapped[datetime]


class DoNotCall(Base):
    """A number whose owner asked not to be called again by revisits."""

    __tablename__ = "revisit_do_not_call"

    number: Mapped[str] = mapped_column(String(32), primary_key=True)
    at: Mapped[datetime]
    ticket_id: Mapped[int | None]  # the revisit it was asked in (kept if the ticket goes)
    source: Mapped[str] = mapped_column(String(24), default="survey")

"""The emergency event list, each call's hand-offs and their timeline (linkage's own tables)."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel.database import Base as KernelBase
from kernel.database import package_metadata


class Base(KernelBase):
    """Base of the linkage's tables: its own metadata (the ticket is referred to by id)."""

    __abstract__ = True
    metadata = package_metadata()


class LinkageTarget(Base):
    """One entry of the emergency event list (zhanjiang 14), kept by administrators."""

    __tablename__ = "linkage_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What triggers it: a draft's emergency value, the IVR's HOTLINE_EMERGENCY, the button.
    kind: Mapped[str] = mapped_column(String(32), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    target: Mapped[str] = mapped_column(String(16))  # 110 119 120 122 water power gas ...
    numbers: Mapped[list[str]] = mapped_column(JSON)  # tried in order, at least one
    endpoint_url: Mapped[str | None] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(128))  # HMAC key of its packets and receipts
    pass_identity: Mapped[bool] = mapped_column(default=False)  # the callback number goes too
    confirm_first: Mapped[bool] = mapped_column(default=True)  # waits for the agent's go
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64), default="system")


class Handoff(Base):
    """One call's hand-off of one kind: its voice state, its data packet and receipt."""

    __tablename__ = "linkage_handoffs"
    __table_args__ = (
        UniqueConstraint("linkedid", "kind", name="uq_linkage_handoffs_linkedid_kind"),
        Index("ix_linkage_handoffs_target_alerted", "target", "alerted_at"),
        Index("ix_linkage_handoffs_ticket", "ticket_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)  # also the idempotency key
    linkedid: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    target: Mapped[str | None] = mapped_column(String(16))
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("linkage_targets.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(8))  # draft, ivr, agent
    state: Mapped[str] = mapped_column(String(20))
    excerpt: Mapped[str] = mapped_column(Text, default="")
    numbers: Mapped[list[str]] = mapped_column(JSON, default=list)  # as listed when alerted
    number_index: Mapped[int] = mapped_column(default=0)
    dial_attempts: Mapped[int] = mapped_column(default=0)
    room: Mapped[str | None] = mapped_column(String(64))
    # The call's ticket, through the tickets' port: its id and number, no foreign key into
    # the tickets' tables (the linkage owns its own).
    ticket_id: Mapped[int | None] = mapped_column()
    ticket_number: Mapped[str | None] = mapped_column(String(32))
    alerted_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    confirmed_by: Mapped[str | None] = mapped_column(String(64))
    joined_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    data_state: Mapped[str] = mapped_column(String(12))
    data_attempts: Mapped[int] = mapped_column(default=0)
    packet_hash: Mapped[str | None] = mapped_column(String(64))  # sha256 of the body sent
    receipt_status: Mapped[int | None] = mapped_column()
    receipt_hash: Mapped[str | None] = mapped_column(String(64))  # sha256 of the receipt body
    receipt_verified: Mapped[bool | None] = mapped_column()  # None: the target does not sign
    data_error: Mapped[str | None] = mapped_column(Text)


class HandoffRecord(Base):
    """One step of a hand-off's timeline; ``supervisor`` marks what a supervisor must see."""

    __tablename__ = "linkage_events"
    __table_args__ = (
        Index("ix_linkage_events_handoff", "handoff_id", "id"),
        Index("ix_linkage_events_supervisor_at", "supervisor", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    handoff_id: Mapped[int] = mapped_column(
        ForeignKey("linkage_handoffs.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(24))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    supervisor: Mapped[bool] = mapped_column(default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

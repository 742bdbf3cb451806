"""Legacy numbers (changzhi 二) and blocked callers (zhanjiang 第九条)."""

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from telephony.database import Base


class LegacyNumber(Base):
    """A department's old hotline number and how its calls are answered."""

    __tablename__ = "legacy_numbers"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    department: Mapped[str] = mapped_column(String(100), default="")
    mode: Mapped[str] = mapped_column(String(10))  # forward (来电转移) or parallel (并行接听)
    source_line: Mapped[str] = mapped_column(String(32))  # the tag a call carries
    queue: Mapped[str | None] = mapped_column(String(64))  # specialists / the department's own
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class BlockEntry(Base):
    """A caller kept off the phone line for a while (30 natural days, zhanjiang 第九条)."""

    __tablename__ = "block_list"
    __table_args__ = (Index("ix_block_list_number_active", "number", "lifted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    lifted_at: Mapped[datetime | None]
    lifted_by: Mapped[str | None] = mapped_column(String(64))

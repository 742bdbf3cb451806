"""The ASR package's tables: final transcript segments, stored as they are recognised."""

from datetime import datetime

from sqlalchemy import Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel.database import Base as KernelBase
from kernel.database import package_metadata


class Base(KernelBase):
    """Base of the ASR tables; Alembic migrates them with the other packages'."""

    __abstract__ = True
    metadata = package_metadata()


class TranscriptSegment(Base):
    """One final segment of one speaker in one call; ``seq`` counts that speaker's segments."""

    __tablename__ = "transcript_segments"
    __table_args__ = (UniqueConstraint("call_id", "speaker", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(String(64), index=True)
    speaker: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    start_seconds: Mapped[float] = mapped_column(Float)
    end_seconds: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime]

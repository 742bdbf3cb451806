"""Who read or removed which call recording, and when."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from telephony.database import Base


class RecordingAction(StrEnum):
    LISTEN = "listen"
    DOWNLOAD = "download"
    DELETE = "delete"


class RecordingAccess(Base):
    """One access to a recording; rows are only ever added."""

    __tablename__ = "recording_access"
    __table_args__ = (Index("ix_recording_access_linkedid_at", "linkedid", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    linkedid: Mapped[str] = mapped_column(String(64))
    who: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]

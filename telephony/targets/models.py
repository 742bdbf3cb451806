"""The administrators' allow-list of numbers a call may dial beside units' registered ones."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from telephony.database import Base


class DialTarget(Base):
    """A number agents may bring into a call or transfer to (a department's duty line...)."""

    __tablename__ = "dial_targets"

    number: Mapped[str] = mapped_column(String(20), primary_key=True)  # digits only
    label: Mapped[str] = mapped_column(String(100))
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime]

"""Which user sits at which softphone extension (managed by administrators)."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from telephony.database import Base


class SeatBinding(Base):
    """A user bound to one agent extension: the only seat they may log in and act on."""

    __tablename__ = "seat_bindings"

    extension: Mapped[str] = mapped_column(String(16), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    bound_by: Mapped[str] = mapped_column(String(64))
    bound_at: Mapped[datetime]

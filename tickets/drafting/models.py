"""The deployment's own place names, shared by every node through the tickets database."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from tickets.database import Base


class DraftPlace(Base):
    """A district, town, road, community or landmark of the deployment (地名库)."""

    __tablename__ = "draft_places"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="place")
    updated_at: Mapped[datetime]
